import i18n from './i18n';

/** A timestamp in the user's locale and time zone. */
export function formatDateTime(iso: string | null | undefined): string {
  if (!iso) return '';
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  return new Intl.DateTimeFormat(i18n.language, { dateStyle: 'medium', timeStyle: 'short' }).format(d);
}

/** A partial date (YYYY, YYYY-MM or YYYY-MM-DD, trailing ~ when approximate) in the user's locale. */
export function formatPartialDate(p: string | null | undefined): string {
  if (!p) return '';
  const approx = p.endsWith('~');
  const raw = approx ? p.slice(0, -1) : p;
  const [y, m, d] = raw.split('-').map(Number);
  if (!y) return p;
  let text: string;
  // Calendar dates, not instants: format in UTC so no zone shifts the day.
  const opts: Intl.DateTimeFormatOptions = { timeZone: 'UTC', year: 'numeric' };
  if (m) opts.month = d ? 'short' : 'long';
  if (d) opts.day = 'numeric';
  try {
    text = new Intl.DateTimeFormat(i18n.language, opts).format(new Date(Date.UTC(y, (m ?? 1) - 1, d ?? 1)));
  } catch {
    text = raw;
  }
  return approx ? i18n.t('date.approx', { date: text }) : text;
}
