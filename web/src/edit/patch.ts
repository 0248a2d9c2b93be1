import { HttpError } from '../api/client';

/** The fields of `current` that differ from `initial` (deep comparison): a merge-PATCH body that leaves
 * untouched fields, including confidential ones the form never showed, as they are. */
export function diffPatch<T extends Record<string, unknown>>(initial: T, current: T): Partial<T> {
  const out: Partial<T> = {};
  for (const k of Object.keys(current) as Array<keyof T>) {
    if (JSON.stringify(current[k]) !== JSON.stringify(initial[k])) out[k] = current[k];
  }
  return out;
}

/** The If-Match header value of a record version. */
export const ifMatch = (version: number) => `"${version}"`;

/** The save failed because someone changed the record meanwhile (412). */
export const isStale = (e: unknown) => e instanceof HttpError && e.status === 412;

/** A partial date as typed: empty, YYYY, YYYY-MM or YYYY-MM-DD, with an optional trailing ~. */
export const partialDateRe = /^$|^[0-9]{4}(-[0-9]{2}(-[0-9]{2})?)?~?$/;
