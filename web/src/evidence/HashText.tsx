import { Button, CopyButton, Group, Text, Tooltip } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { shortHash } from './upload';

/** A SHA-256 shortened (or whole) in monospace, with a button copying the whole hash. */
export function HashText({ hash, full }: { hash: string; full?: boolean }) {
  const { t } = useTranslation();
  return (
    <Group gap={4} wrap="nowrap">
      <Tooltip label={hash} disabled={full}>
        <Text component="code" ff="monospace" size="sm" style={{ wordBreak: 'break-all' }} data-testid="sha256" data-hash={hash}>
          {full ? hash : shortHash(hash)}
        </Text>
      </Tooltip>
      <CopyButton value={hash}>
        {({ copied, copy }) => (
          <Button size="compact-xs" variant="subtle" onClick={copy} aria-label={t('evidence.copyHash')}>
            {copied ? t('evidence.copied') : t('evidence.copy')}
          </Button>
        )}
      </CopyButton>
    </Group>
  );
}
