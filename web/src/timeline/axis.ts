import type { Schemas } from '../api/client';

type Item = Schemas['TimelineItem'];

/** The lanes of the time axis, top to bottom. */
export const lanes = ['custody', 'key_date', 'event', 'hearing', 'support_action'] as const;
export type Lane = (typeof lanes)[number];

/** One thing drawn on the axis: a point (start = end) or a range, in ms since the epoch. */
export type Mark = {
  key: string;
  lane: Lane;
  start: number;
  end: number;
  /** A partial date (month or year only) drawn as the range it may fall in. */
  partial: boolean;
  approximate: boolean;
  obstacle: boolean;
  /** The range is still open (a custody period without an end: drawn to today). */
  ongoing: boolean;
  label: string;
};

const edtf = /^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?[~?%]?$/;
const day = 86_400_000;

/**
 * The time span of a date: a timestamp is a point; a partial date (EDTF `2019`, `2019-03`, `2019-03-05`, with `~`
 * when approximate) covers its whole year, month or day (UTC). Undefined when the text is not a date.
 */
export function dateSpan(date: string, precision: string): { start: number; end: number } | undefined {
  if (precision === 'time') {
    const t = Date.parse(date);
    return Number.isNaN(t) ? undefined : { start: t, end: t };
  }
  const m = edtf.exec(date.trim());
  if (!m) return undefined;
  const y = Number(m[1]);
  if (m[3]) {
    const s = Date.UTC(y, Number(m[2]) - 1, Number(m[3]));
    return { start: s, end: s + day - 1 };
  }
  if (m[2]) {
    const mo = Number(m[2]) - 1;
    return { start: Date.UTC(y, mo, 1), end: Date.UTC(y, mo + 1, 1) - 1 };
  }
  return { start: Date.UTC(y, 0, 1), end: Date.UTC(y + 1, 0, 1) - 1 };
}

/** Whether an EDTF text or the item's flag marks the date approximate. */
function approx(date: string, flag: boolean): boolean {
  return flag || /[~?%]$/.test(date);
}

/** The marks of timeline items (one per item: a support action is a range from its first to its latest change). */
export function itemMarks(items: Item[], labelOf: (it: Item) => string): Mark[] {
  const out: Mark[] = [];
  for (const it of items) {
    const label = labelOf(it);
    if (it.support_action) {
      const s = Date.parse(it.support_action.started_at);
      const e = Date.parse(it.support_action.at);
      if (Number.isNaN(s) || Number.isNaN(e)) continue;
      out.push({ key: `${it.kind}:${it.id}`, lane: 'support_action', start: s, end: Math.max(s, e), partial: false, approximate: false, obstacle: false, ongoing: false, label });
      continue;
    }
    const sp = dateSpan(it.date, it.precision);
    if (!sp) continue;
    const partial = it.precision === 'year' || it.precision === 'month';
    out.push({ key: `${it.kind}:${it.id}`, lane: it.kind as Lane, ...sp, partial, approximate: approx(it.date, it.approximate), obstacle: it.obstacle, ongoing: false, label });
  }
  return out;
}

/** A custody period as the axis needs it (from GET /cases/{id}/custody-periods). */
export type Period = { id: string; started_at: string | null; ended_at: string | null; label: string };

/** The marks of custody periods: from the start of the start date to the end of the end date, or to now while ongoing. */
export function periodMarks(periods: Period[], now: number): Mark[] {
  const out: Mark[] = [];
  for (const p of periods) {
    if (!p.started_at) continue;
    const s = dateSpan(p.started_at, precisionOf(p.started_at));
    if (!s) continue;
    const e = p.ended_at ? dateSpan(p.ended_at, precisionOf(p.ended_at)) : undefined;
    const partial = precisionOf(p.started_at) !== 'day' || (!!p.ended_at && precisionOf(p.ended_at) !== 'day');
    out.push({
      key: `custody:${p.id}`,
      lane: 'custody',
      start: s.start,
      end: e ? Math.max(e.end, s.start) : Math.max(now, s.start),
      partial,
      approximate: approx(p.started_at, false) || (!!p.ended_at && approx(p.ended_at, false)),
      obstacle: false,
      ongoing: !p.ended_at,
      label: p.label,
    });
  }
  return out;
}

/** The precision of an EDTF partial date by its length. */
export function precisionOf(date: string): 'year' | 'month' | 'day' {
  const d = date.replace(/[~?%]$/, '');
  return d.length <= 4 ? 'year' : d.length <= 7 ? 'month' : 'day';
}

/** The axis range covering every mark, with a margin; a single instant gets a month around it. */
export function axisRange(marks: Mark[]): { from: number; to: number } | undefined {
  if (marks.length === 0) return undefined;
  let from = Math.min(...marks.map((m) => m.start));
  let to = Math.max(...marks.map((m) => m.end));
  if (to - from < 30 * day) {
    from -= 15 * day;
    to += 15 * day;
  }
  const pad = (to - from) * 0.03;
  return { from: from - pad, to: to + pad };
}

/** Tick positions: years, quarters, months or days, whichever gives at most `max` ticks inside the range. */
export function ticks(from: number, to: number, max: number): { at: number; unit: 'year' | 'month' | 'day' }[] {
  const steps: { unit: 'year' | 'month' | 'day'; n: number }[] = [
    { unit: 'day', n: 1 },
    { unit: 'day', n: 7 },
    { unit: 'month', n: 1 },
    { unit: 'month', n: 3 },
    { unit: 'year', n: 1 },
    { unit: 'year', n: 2 },
    { unit: 'year', n: 5 },
    { unit: 'year', n: 10 },
    { unit: 'year', n: 25 },
  ];
  for (const st of steps) {
    const out: { at: number; unit: 'year' | 'month' | 'day' }[] = [];
    const d = new Date(from);
    let cur =
      st.unit === 'year'
        ? Date.UTC(Math.ceil(d.getUTCFullYear() / st.n) * st.n, 0, 1)
        : st.unit === 'month'
          ? Date.UTC(d.getUTCFullYear(), Math.ceil((d.getUTCMonth() + (d.getUTCDate() > 1 ? 1 : 0)) / st.n) * st.n, 1)
          : Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate() + 1);
    while (cur <= to && out.length <= max) {
      if (cur >= from) out.push({ at: cur, unit: st.unit });
      const c = new Date(cur);
      cur =
        st.unit === 'year'
          ? Date.UTC(c.getUTCFullYear() + st.n, 0, 1)
          : st.unit === 'month'
            ? Date.UTC(c.getUTCFullYear(), c.getUTCMonth() + st.n, 1)
            : cur + st.n * day;
    }
    if (out.length <= max) return out;
  }
  return [];
}
