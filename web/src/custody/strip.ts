// The maths of the custody history strip: where each period's bar starts and how wide it is on a shared
// time axis, on which lane (overlapping periods never share one), and the year ticks. Pure functions,
// no DOM: the component draws what these return (percentages of the strip's width).
import type { Schemas } from '../api/client';

type Period = Pick<Schemas['CustodyPeriod'], 'id' | 'measure' | 'started_at' | 'ended_at'>;

const dayMs = 86_400_000;
const partial = /^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?(~)?$/;

/** The measures that are not deprivation of liberty (drawn striped; plan 19's vocabulary). */
export const nonCustodialMeasures: ReadonlySet<string> = new Set(['residential_surveillance', 'bail', 'post_release_control', 'summons']);

/** Whether a measure deprives of liberty (an unknown measure counts as custodial: never understate custody). */
export const isCustodial = (measure: string) => !nonCustodialMeasures.has(measure);

/** Mantine colour of each measure: custodial measures in strong colours, lesser ones in lighter ones. */
export const measureColors: Readonly<Record<string, string>> = {
  no_procedure: 'dark',
  summons: 'gray',
  administrative_detention: 'orange',
  criminal_detention: 'red',
  rsdl: 'grape',
  liuzhi: 'pink',
  arrest: 'indigo',
  residential_surveillance: 'cyan',
  bail: 'teal',
  serving_sentence: 'blue',
  psychiatric_custody: 'violet',
  transformation_camp: 'yellow',
  post_release_control: 'green',
};

export const measureColor = (measure: string) => measureColors[measure] ?? 'gray';

/** Shade of each custodial colour whose label text (white or black) meets WCAG AA contrast on it. */
const solidShades: Readonly<Record<string, [number, 'white' | 'black']>> = {
  dark: [7, 'white'],
  gray: [7, 'white'],
  orange: [6, 'black'],
  red: [9, 'white'],
  grape: [8, 'white'],
  pink: [8, 'white'],
  indigo: [8, 'white'],
  blue: [9, 'white'],
  violet: [9, 'white'],
  yellow: [5, 'black'],
};

/**
 * How a measure's bar is painted: custodial measures solid, the others striped in light shades of their
 * colour (custody reads at a glance); label text black or white, whichever contrasts (AA) with the fill.
 */
export function barPaint(measure: string): { background: string; color: string; borderColor: string; striped: boolean } {
  const c = measureColor(measure);
  if (!isCustodial(measure)) {
    return {
      background: `repeating-linear-gradient(135deg, var(--mantine-color-${c}-2) 0 6px, var(--mantine-color-${c}-4) 6px 12px)`,
      color: 'black',
      borderColor: `var(--mantine-color-${c}-7)`,
      striped: true,
    };
  }
  const [shade, text] = solidShades[c] ?? [8, 'white'];
  return { background: `var(--mantine-color-${c}-${shade})`, color: text, borderColor: `var(--mantine-color-${c}-9)`, striped: false };
}

/** A partial date's first and last day (days since 1970-01-01, UTC), its precision and whether it is approximate. */
export function partialDays(p: string | null | undefined): { first: number; last: number; precise: boolean } | null {
  if (!p) return null;
  const m = partial.exec(p.trim());
  if (!m) return null;
  const y = Number(m[1]);
  const mo = m[2] ? Number(m[2]) : undefined;
  const d = m[3] ? Number(m[3]) : undefined;
  if (mo !== undefined && (mo < 1 || mo > 12)) return null;
  const day = (yy: number, mm: number, dd: number) => Math.floor(Date.UTC(yy, mm, dd) / dayMs);
  let first: number;
  let last: number;
  if (mo === undefined) {
    first = day(y, 0, 1);
    last = day(y + 1, 0, 1) - 1;
  } else if (d === undefined) {
    first = day(y, mo - 1, 1);
    last = day(y, mo, 1) - 1;
  } else {
    first = last = day(y, mo - 1, d);
  }
  return { first, last, precise: d !== undefined && !m[4] };
}

/** Today as a day number (UTC calendar day of `now`). */
export const dayOf = (now: Date) => Math.floor(now.getTime() / dayMs);

/** A day number as a UTC date. */
export const dateOfDay = (day: number) => new Date(day * dayMs);

export type StripBar = {
  id: string;
  measure: string;
  /** Row of the strip, 0 first: periods that overlap in time are on different lanes. */
  lane: number;
  /** Start and width as percentages of the strip's width. */
  left: number;
  width: number;
  /** First day and the day after the last (exclusive), as day numbers. */
  from: number;
  to: number;
  /** Days the period covers (inclusive of both ends; to today when ongoing). */
  days: number;
  /** No end recorded: drawn open-ended up to today. */
  ongoing: boolean;
  /** A date is approximate or not to the day: drawn with a dashed edge. */
  imprecise: boolean;
  custodial: boolean;
};

export type StripTick = { year: number; left: number };

export type StripLayout = {
  bars: StripBar[];
  lanes: number;
  /** The axis: first day and the day after the last. */
  from: number;
  to: number;
  ticks: StripTick[];
  /** Where today is on the axis (percentage), when it falls within it. */
  today: number | null;
  /** Periods whose start cannot be read: listed in the table only. */
  skipped: string[];
};

/** The smallest width a bar gets (percent), so a one-day summons stays visible on a ten-year strip. */
export const minBarWidth = 0.8;

/**
 * Lays the periods out on a strip. Each bar runs from the first day of its start to the last day of its
 * end (a partial date covers its whole month or year); an ongoing period runs to today (or, if it
 * starts in the future, one day). The axis runs from the earliest start to the latest end.
 */
export function layoutStrip(periods: Period[], now: Date, minWidth = minBarWidth): StripLayout {
  const today = dayOf(now);
  const spans: Array<Omit<StripBar, 'lane' | 'left' | 'width'>> = [];
  const skipped: string[] = [];
  for (const p of periods) {
    const s = partialDays(p.started_at);
    if (!s) {
      skipped.push(p.id);
      continue;
    }
    const e = partialDays(p.ended_at);
    const ongoing = !p.ended_at;
    let to = ongoing ? Math.max(today, s.first) + 1 : e ? e.last + 1 : s.last + 1;
    if (to <= s.first) to = s.first + 1; // an end before the start (refused by the server): one day
    spans.push({
      id: p.id,
      measure: p.measure,
      from: s.first,
      to,
      days: to - s.first,
      ongoing,
      imprecise: !s.precise || (!ongoing && (!e || !e.precise)),
      custodial: isCustodial(p.measure),
    });
  }
  if (spans.length === 0) return { bars: [], lanes: 0, from: today, to: today + 1, ticks: [], today: null, skipped };
  const from = Math.min(...spans.map((b) => b.from));
  const to = Math.max(...spans.map((b) => b.to));
  const span = to - from;
  const pct = (day: number) => ((day - from) / span) * 100;
  // Lanes: by start, each bar on the first lane whose last bar has ended. A transfer is usually recorded
  // with the same day as the end of one period and the start of the next: a one-day overlap stays on the lane.
  const ends: number[] = [];
  const bars: StripBar[] = [...spans]
    .sort((a, b) => a.from - b.from || b.to - a.to)
    .map((b) => {
      let lane = ends.findIndex((end) => end <= b.from + 1);
      if (lane < 0) lane = ends.push(b.to) - 1;
      else ends[lane] = b.to;
      const left = pct(b.from);
      const width = Math.max(pct(b.to) - left, minWidth);
      return { ...b, lane, left: Math.min(left, 100 - width), width };
    });
  return { bars, lanes: ends.length, from, to, ticks: yearTicks(from, to), today: today >= from && today < to ? pct(today) : null, skipped };
}

/** Year boundaries within the axis, thinned to at most `max` ticks (every 1, 2, 5, 10... years). */
export function yearTicks(from: number, to: number, max = 8): StripTick[] {
  const y0 = dateOfDay(from).getUTCFullYear();
  const y1 = dateOfDay(to - 1).getUTCFullYear();
  const years: number[] = [];
  for (let y = y0 + 1; y <= y1; y++) years.push(y);
  if (from === Math.floor(Date.UTC(y0, 0, 1) / dayMs)) years.unshift(y0);
  const steps = [1, 2, 5, 10, 20, 50];
  const step = steps.find((s) => Math.ceil(years.length / s) <= max) ?? 100;
  return years
    .filter((y) => y % step === 0)
    .map((year) => ({ year, left: ((Math.floor(Date.UTC(year, 0, 1) / dayMs) - from) / (to - from)) * 100 }));
}

/** A period in one line: measure, place, dates ("RSDL, Beijing site, 2015-08-04 – 2016-01-08"). */
export function periodLabel(
  p: Pick<Schemas['CustodyPeriod'], 'measure' | 'started_at' | 'ended_at' | 'facility'>,
  measureLabel: (m: string) => string,
  formatDate: (d: string | null | undefined) => string,
  ongoing = '…',
): string {
  const place = [p.facility?.name, p.facility?.city].filter(Boolean).join(', ');
  const dates = `${formatDate(p.started_at)} – ${p.ended_at ? formatDate(p.ended_at) : ongoing}`;
  return [measureLabel(p.measure), place, dates].filter(Boolean).join(', ');
}

/** Years, months and days of a span of days (months of 30.44 days: a reading aid, not a legal count). */
export function durationParts(days: number): { years: number; months: number; days: number } {
  const years = Math.floor(days / 365.25);
  const rest = days - Math.round(years * 365.25);
  const months = Math.floor(rest / 30.44);
  return { years, months, days: Math.max(0, Math.round(rest - months * 30.44)) };
}
