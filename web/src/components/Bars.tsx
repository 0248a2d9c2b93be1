import { Progress, Stack, Text, Group } from '@mantine/core';

/** A bar chart as a labelled list: readable by screen readers and light on the bundle. */
export function Bars({ title, rows }: { title: string; rows: Array<{ key: string; label: string; count: number }> }) {
  const max = Math.max(1, ...rows.map((r) => r.count));
  return (
    <Stack gap={6} component="ul" style={{ listStyle: 'none', padding: 0, margin: 0 }} aria-label={title}>
      {rows.map((r) => (
        <li key={r.key}>
          <Group justify="space-between" gap="xs" wrap="nowrap">
            <Text size="sm">{r.label}</Text>
            <Text size="sm" fw={600}>
              {r.count}
            </Text>
          </Group>
          <Progress value={(r.count / max) * 100} aria-hidden size="md" />
        </li>
      ))}
    </Stack>
  );
}
