import i18n from '../i18n';
import { formatDateTime, formatPartialDate } from '../format';

export type Precision = 'year' | 'month' | 'day' | 'time';

/**
 * A timeline date with its precision: an EDTF partial date (`2019`, `2019-03`, `2019-03-05`, `~` when
 * approximate) in the user's locale with "about", or a timestamp in the user's zone. `approximate`
 * adds the `~` when the server marks a date approximate without it (a timestamp marked approximate).
 */
export function formatTimelineDate(date: string, precision: Precision, approximate: boolean): string {
  if (precision === 'time') {
    const text = formatDateTime(date);
    return approximate ? i18n.t('date.approx', { date: text }) : text;
  }
  const edtf = approximate && !date.endsWith('~') ? `${date}~` : date;
  return formatPartialDate(edtf);
}

const partial = /^(\d{4})(?:-(0[1-9]|1[0-2])(?:-(0[1-9]|[12]\d|3[01]))?)?~?$/;

/** Whether an input is a partial date the API accepts (YYYY, YYYY-MM, YYYY-MM-DD, optional ~), a real day. */
export function isPartialDate(s: string): boolean {
  const m = partial.exec(s.trim());
  if (!m) return false;
  if (m[3]) {
    const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
    const dt = new Date(Date.UTC(y, mo - 1, d));
    return dt.getUTCMonth() === mo - 1 && dt.getUTCDate() === d;
  }
  return true;
}

/** The occurred_at to send: a full day from a date picker or a typed partial date, `~` when approximate. */
export function occurredAt(value: string, approximate: boolean): string {
  const v = value.trim().replace(/~$/, '');
  return approximate ? `${v}~` : v;
}
