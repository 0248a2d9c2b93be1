import { createContext, useContext, type ReactNode } from 'react';
import type { TFunction } from 'i18next';
import { HttpError } from '../api/client';

/** The reasons the API gives for a refused field (`field_codes` of the error body, api/openapi.yaml FieldCode). */
export const fieldCodes = [
  'required',
  'too_long',
  'too_short',
  'invalid_date',
  'before_start',
  'unknown_value',
  'invalid_id',
  'not_found',
  'wrong_role',
  'out_of_range',
  'invalid_text',
  'wrong_type',
  'unknown_field',
  'invalid_code',
  'invalid',
] as const;

/** The field name without list indexes (`charges[2].article` -> `charges.article`), as the translations key it. */
export function baseField(field: string): string {
  return field.replace(/\[\d+\]/g, '');
}

/**
 * One refused field in the user's language: a sentence for this field and reason when there is one
 * ("The due date is before the request date"), else the reason's sentence, else "This value is not valid".
 */
export function fieldMessage(t: TFunction, field: string, code: string | undefined): string {
  const reason = code && (fieldCodes as readonly string[]).includes(code) ? code : 'invalid';
  const generic = t(`fieldErrors.codes.${reason}`);
  const key = `fieldErrors.byField.${baseField(field).replace(/\./g, '_')}.${reason}`;
  return t(key, { defaultValue: generic });
}

/** The label of a field named by the API, for a summary ("Date of death"); the field name humanised when unknown. */
export function fieldLabel(t: TFunction, field: string): string {
  const base = baseField(field);
  return t(`fieldErrors.labels.${base.replace(/\./g, '_')}`, { defaultValue: base.replace(/[._]/g, ' ') });
}

/** The refused fields of a failed request, each with its message in the user's language (empty for other errors). */
export function fieldErrorsOf(t: TFunction, err: unknown): Record<string, string> {
  if (!(err instanceof HttpError) || err.status !== 400 || !err.body?.fields) return {};
  const codes = err.body.field_codes ?? {};
  const out: Record<string, string> = {};
  for (const f of Object.keys(err.body.fields)) out[f] = fieldMessage(t, f, codes[f]);
  return out;
}

const FieldErrorsContext = createContext<Record<string, string>>({});

/** Makes the refused fields of a form's last save known to its inputs (each shows its own under it). */
export function FieldErrors({ errors, children }: { errors: Record<string, string>; children: ReactNode }) {
  return <FieldErrorsContext.Provider value={errors}>{children}</FieldErrorsContext.Provider>;
}

/** Every refused field of the enclosing form's last save (by API field name). */
export function useFieldErrors(): Record<string, string> {
  return useContext(FieldErrorsContext);
}

/** The message of field from the enclosing form's last save, if it was refused. */
export function useFieldError(field: string | undefined): string | undefined {
  const errors = useContext(FieldErrorsContext);
  return field ? errors[field] : undefined;
}
