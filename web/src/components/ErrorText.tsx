import { Alert } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { HttpError } from '../api/client';

/** Shows an API failure: a translated message for known codes, else a generic one, with the request id. */
export function ErrorText({ error }: { error: unknown }) {
  const { t } = useTranslation();
  if (!error) return null;
  let text = t('errors.generic');
  let rid = '';
  if (error instanceof HttpError) {
    const code = error.body?.code;
    text = code ? t(`errors.codes.${code}`, { defaultValue: t('errors.generic') }) : t('errors.network');
    if (error.body?.fields) {
      text += ' ' + Object.keys(error.body.fields).join(', ');
    }
    rid = error.body?.request_id ?? '';
  } else if (error instanceof TypeError) {
    text = t('errors.network');
  }
  return (
    <Alert color="red" role="alert" title={t('errors.title')}>
      {text}
      {rid && <div>{t('errors.requestId', { id: rid })}</div>}
    </Alert>
  );
}
