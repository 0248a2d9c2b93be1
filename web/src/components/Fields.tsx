import { SimpleGrid, Text } from '@mantine/core';

/** A definition list of label/value pairs; empty values show a dash. */
export function Fields({ rows }: { rows: Array<[string, React.ReactNode]> }) {
  return (
    <SimpleGrid component="dl" cols={{ base: 1, sm: 2 }} spacing="xs" verticalSpacing={4} m={0}>
      {rows.map(([k, v]) => (
        <div key={k}>
          <Text component="dt" size="xs" c="dimmed">
            {k}
          </Text>
          <Text component="dd" m={0} style={{ whiteSpace: 'pre-wrap' }}>
            {v === '' || v === null || v === undefined ? '—' : v}
          </Text>
        </div>
      ))}
    </SimpleGrid>
  );
}
