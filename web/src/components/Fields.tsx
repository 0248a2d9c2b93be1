import { useId, useState } from 'react';
import { Button, SimpleGrid, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';

const isEmpty = (v: React.ReactNode) => v === '' || v === null || v === undefined || v === false;

/**
 * A definition list of label/value pairs; empty values show a dash. With foldEmpty, the empty ones are
 * folded away behind one toggle ("Show 12 empty fields"), so a sparse record starts with what is known.
 */
export function Fields({ rows, foldEmpty = false }: { rows: Array<[string, React.ReactNode]>; foldEmpty?: boolean }) {
  const { t } = useTranslation();
  const [showEmpty, setShowEmpty] = useState(false);
  const id = useId();
  const empty = foldEmpty ? rows.filter(([, v]) => isEmpty(v)).length : 0;
  const shown = foldEmpty && !showEmpty ? rows.filter(([, v]) => !isEmpty(v)) : rows;
  return (
    <>
      <SimpleGrid component="dl" id={id} cols={{ base: 1, sm: 2 }} spacing="xs" verticalSpacing={4} m={0}>
        {shown.map(([k, v]) => (
          <div key={k}>
            <Text component="dt" size="xs" c="dimmed">
              {k}
            </Text>
            <Text component="dd" m={0} style={{ whiteSpace: 'pre-wrap' }}>
              {isEmpty(v) ? '—' : v}
            </Text>
          </div>
        ))}
      </SimpleGrid>
      {empty > 0 && (
        <Button variant="subtle" size="compact-md" mt="xs" onClick={() => setShowEmpty((s) => !s)} aria-expanded={showEmpty} aria-controls={id}>
          {showEmpty ? t('common.hideEmptyFields', { count: empty }) : t('common.showEmptyFields', { count: empty })}
        </Button>
      )}
    </>
  );
}
