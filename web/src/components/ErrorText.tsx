import { Alert, List } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { HttpError } from '../api/client';
import { fieldErrorsOf, fieldLabel } from './fieldErrors';

/**
 * Refusals people meet in ordinary use, answered in a calm tone (what happened and what to do), not as a
 * failure: invalid fields, a wrong one-time code, a record not visible, a record changed meanwhile, too many
 * attempts, a conflict with the current state.
 */
export function isExpectedRefusal(error: unknown): boolean {
  return error instanceof HttpError && [400, 401, 404, 409, 412, 429].includes(error.status);
}

/** The sentence that says what to do after an expected refusal, by status. */
function hintKey(e: HttpError): string | null {
  switch (e.status) {
    case 400:
      return e.body?.fields ? 'fieldErrors.hints.fields' : null;
    case 404:
      return 'fieldErrors.hints.notFound';
    case 412:
      return 'fieldErrors.hints.stale';
    case 429:
      return 'fieldErrors.hints.rateLimited';
    default:
      return null;
  }
}

/**
 * Shows an API failure: a translated message for known codes, else a generic one, with the request id.
 * Expected refusals are calm (a yellow notice titled "Not done", the refused fields listed in words);
 * server failures keep the red "Something went wrong".
 */
export function ErrorText({ error }: { error: unknown }) {
  const { t } = useTranslation();
  if (!error) return null;
  let text = t('errors.generic');
  let rid = '';
  let fields: Record<string, string> = {};
  let hint: string | null = null;
  if (error instanceof HttpError) {
    const code = error.body?.code;
    text = code ? t(`errors.codes.${code}`, { defaultValue: t('errors.generic') }) : t('errors.network');
    fields = fieldErrorsOf(t, error);
    const hk = hintKey(error);
    hint = hk ? t(hk, error.retryAfter ? { seconds: error.retryAfter } : undefined) : null;
    rid = error.body?.request_id ?? '';
  } else if (error instanceof TypeError) {
    text = t('errors.network');
  }
  const calm = isExpectedRefusal(error);
  const names = Object.keys(fields);
  return (
    <Alert color={calm ? 'yellow' : 'red'} role="alert" title={calm ? t('fieldErrors.calmTitle') : t('errors.title')}>
      {names.length > 0 ? t('fieldErrors.intro') : text}
      {names.length > 0 && (
        <List size="sm" mt={4}>
          {names.map((f) => (
            <List.Item key={f}>
              {fieldLabel(t, f)}: {fields[f]}
            </List.Item>
          ))}
        </List>
      )}
      {hint && <div>{hint}</div>}
      {rid && names.length === 0 && <div>{t('errors.requestId', { id: rid })}</div>}
    </Alert>
  );
}
