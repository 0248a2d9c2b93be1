import { describe, expect, it } from 'vitest';
import { barPaint, durationParts, isCustodial, layoutStrip, minBarWidth, partialDays, periodLabel, yearTicks } from './strip';

const day = (iso: string) => Math.floor(Date.parse(`${iso}T00:00:00Z`) / 86_400_000);
const p = (id: string, measure: string, started_at: string, ended_at: string | null) => ({ id, measure, started_at, ended_at });

describe('partialDays', () => {
  it('gives the first and last day a partial date covers, and whether it is exact', () => {
    expect(partialDays('2015-08-04')).toEqual({ first: day('2015-08-04'), last: day('2015-08-04'), precise: true });
    expect(partialDays('2016-02')).toEqual({ first: day('2016-02-01'), last: day('2016-02-29'), precise: false });
    expect(partialDays('2019')).toEqual({ first: day('2019-01-01'), last: day('2019-12-31'), precise: false });
    expect(partialDays('2015-08-04~')?.precise).toBe(false);
    expect(partialDays('2015-13')).toBeNull();
    expect(partialDays('about 2015')).toBeNull();
    expect(partialDays('')).toBeNull();
    expect(partialDays(null)).toBeNull();
  });
});

describe('layoutStrip', () => {
  const now = new Date('2020-01-01T12:00:00Z');

  it('draws consecutive periods side by side, each as wide as its share of the whole span', () => {
    // Wang Quanzhang's first steps: RSDL 2015-08-04 .. 2016-01-07 (157 days), then arrest 2016-01-08 .. 2019-01-28.
    const l = layoutStrip([p('a', 'rsdl', '2015-08-04', '2016-01-07'), p('b', 'arrest', '2016-01-08', '2019-01-28')], now);
    const total = day('2019-01-29') - day('2015-08-04');
    expect(l.lanes).toBe(1);
    expect(l.from).toBe(day('2015-08-04'));
    expect(l.to).toBe(day('2019-01-29'));
    const [a, b] = l.bars;
    expect(a).toMatchObject({ id: 'a', lane: 0, left: 0, days: 157, ongoing: false, imprecise: false, custodial: true });
    expect(a!.width).toBeCloseTo((157 / total) * 100, 10);
    expect(b).toMatchObject({ id: 'b', lane: 0, ongoing: false });
    expect(b!.left).toBeCloseTo(a!.width, 10);
    expect(b!.left + b!.width).toBeCloseTo(100, 10);
    expect(l.today).toBeNull(); // today (2020) is after the axis
  });

  it('runs an ongoing period open-ended to today and marks today', () => {
    const l = layoutStrip([p('a', 'criminal_detention', '2019-12-02', '2019-12-31'), p('b', 'serving_sentence', '2020-01-01~', null)], new Date('2020-01-31T08:00:00Z'));
    const b = l.bars.find((x) => x.id === 'b')!;
    expect(b.ongoing).toBe(true);
    expect(b.imprecise).toBe(true);
    expect(b.days).toBe(31); // 1 to 31 January inclusive
    expect(l.to).toBe(day('2020-02-01'));
    expect(b.left + b.width).toBeCloseTo(100, 10);
    expect(l.today).toBeCloseTo(((day('2020-01-31') - day('2019-12-02')) / (day('2020-02-01') - day('2019-12-02'))) * 100, 10);
  });

  it('puts overlapping periods on separate lanes and reuses a lane once free', () => {
    const l = layoutStrip(
      [
        p('sentence', 'serving_sentence', '2016-08-04', '2019-01-01'),
        p('rights', 'post_release_control', '2018-06-01', '2020-06-01'),
        p('after', 'residential_surveillance', '2019-02-01', '2019-03-01'),
      ],
      now,
    );
    const lane = Object.fromEntries(l.bars.map((b) => [b.id, b.lane]));
    expect(lane).toEqual({ sentence: 0, rights: 1, after: 0 });
    expect(l.lanes).toBe(2);
  });

  it('keeps a same-day transfer (end of one period = start of the next) on one lane', () => {
    const l = layoutStrip([p('arrest', 'arrest', '2016-01-08', '2019-01-28'), p('prison', 'serving_sentence', '2019-01-28', '2020-04-04'), p('over', 'bail', '2020-04-01', '2020-05-01')], now);
    expect(Object.fromEntries(l.bars.map((b) => [b.id, b.lane]))).toEqual({ arrest: 0, prison: 0, over: 1 });
  });

  it('keeps a one-day period visible and inside the strip', () => {
    const l = layoutStrip([p('long', 'serving_sentence', '2000-01-01', '2019-12-30'), p('summons', 'summons', '2019-12-31', '2019-12-31')], now);
    const s = l.bars.find((b) => b.id === 'summons')!;
    expect(s.width).toBe(minBarWidth);
    expect(s.left + s.width).toBeLessThanOrEqual(100);
    expect(s.custodial).toBe(false);
  });

  it('lays a year-precision period over its whole year and flags it imprecise', () => {
    const l = layoutStrip([p('a', 'transformation_camp', '2017', '2018')], now);
    expect(l.bars[0]).toMatchObject({ from: day('2017-01-01'), to: day('2019-01-01'), days: 730, imprecise: true, left: 0, width: 100 });
  });

  it('skips a period whose start cannot be read (the table still lists it)', () => {
    const l = layoutStrip([p('bad', 'rsdl', 'unknown', null), p('ok', 'rsdl', '2019-06-01', '2019-06-30')], now);
    expect(l.skipped).toEqual(['bad']);
    expect(l.bars.map((b) => b.id)).toEqual(['ok']);
    expect(layoutStrip([], now)).toMatchObject({ bars: [], lanes: 0 });
  });

  it('draws an end before the start (refused by the server) as one day, not a negative width', () => {
    const l = layoutStrip([p('a', 'rsdl', '2019-06-10', '2019-06-01')], now);
    expect(l.bars[0]!.days).toBe(1);
    expect(l.bars[0]!.width).toBeGreaterThan(0);
  });
});

describe('yearTicks', () => {
  it('ticks every year boundary inside the axis, at its proportional place', () => {
    const from = day('2015-07-01');
    const to = day('2018-07-01');
    const ticks = yearTicks(from, to);
    expect(ticks.map((t) => t.year)).toEqual([2016, 2017, 2018]);
    expect(ticks[0]!.left).toBeCloseTo(((day('2016-01-01') - from) / (to - from)) * 100, 10);
  });

  it('includes the first year when the axis starts on 1 January, and thins long spans', () => {
    expect(yearTicks(day('2017-01-01'), day('2019-01-01')).map((t) => t.year)).toEqual([2017, 2018]);
    const long = yearTicks(day('1990-03-01'), day('2020-03-01')).map((t) => t.year);
    expect(long.length).toBeLessThanOrEqual(8);
    expect(long).toEqual([1995, 2000, 2005, 2010, 2015, 2020]);
  });
});

describe('measures', () => {
  it('custodial measures are solid, lesser measures striped, and label text contrasts with the fill', () => {
    expect(isCustodial('rsdl')).toBe(true);
    expect(isCustodial('no_procedure')).toBe(true);
    expect(isCustodial('bail')).toBe(false);
    expect(isCustodial('summons')).toBe(false);
    expect(barPaint('rsdl')).toMatchObject({ striped: false, color: 'white', background: 'var(--mantine-color-grape-8)' });
    expect(barPaint('transformation_camp')).toMatchObject({ striped: false, color: 'black' });
    expect(barPaint('bail').striped).toBe(true);
    expect(barPaint('bail').color).toBe('black');
    expect(barPaint('something_new').striped).toBe(false);
  });

  it('names a period in one line', () => {
    const label = periodLabel(
      { measure: 'rsdl', started_at: '2015-08-04', ended_at: null, facility: { name: 'Site A', kind: 'rsdl_site', city: 'Tianjin', province: '' } },
      (m) => m.toUpperCase(),
      (d) => d ?? '',
      'ongoing',
    );
    expect(label).toBe('RSDL, Site A, Tianjin, 2015-08-04 – ongoing');
  });

  it('reads a span of days as years and months', () => {
    expect(durationParts(157)).toEqual({ years: 0, months: 5, days: 5 });
    expect(durationParts(365 * 4 + 1)).toMatchObject({ years: 4, months: 0 });
  });
});
