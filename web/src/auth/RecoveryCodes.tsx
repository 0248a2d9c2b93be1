import { Button, CopyButton, Group, List } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { formatDateTime } from '../format';
import { downloadText, printText, recoveryFileName, recoveryText } from './recoveryFile';

/** The recovery codes shown once, with buttons to copy them, save them as a .txt file or print them. */
export function RecoveryCodes({ codes }: { codes: string[] }) {
  const { t } = useTranslation();
  const title = t('recovery.fileTitle');
  const made = t('recovery.made', { date: formatDateTime(new Date().toISOString()) });
  return (
    <>
      <List data-testid="recovery-codes" ff="monospace">
        {codes.map((c) => (
          <List.Item key={c}>{c}</List.Item>
        ))}
      </List>
      <Group gap="xs">
        <CopyButton value={codes.join('\n')}>
          {({ copied, copy }) => (
            <Button size="xs" variant="light" onClick={copy}>
              {copied ? t('recovery.copied') : t('recovery.copyCodes')}
            </Button>
          )}
        </CopyButton>
        <Button size="xs" variant="light" onClick={() => downloadText(recoveryText(codes, title, made), recoveryFileName())}>
          {t('recovery.download')}
        </Button>
        <Button size="xs" variant="light" onClick={() => printText(title, [made, '', ...codes])}>
          {t('recovery.print')}
        </Button>
      </Group>
    </>
  );
}

/** A secret shown for copying by hand (the authenticator key), with a copy button. */
export function CopySecret({ value, label }: { value: string; label: string }) {
  const { t } = useTranslation();
  return (
    <CopyButton value={value}>
      {({ copied, copy }) => (
        <Button size="xs" variant="light" w="fit-content" onClick={copy}>
          {copied ? t('recovery.copied') : label}
        </Button>
      )}
    </CopyButton>
  );
}
