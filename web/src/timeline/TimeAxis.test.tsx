import { describe, expect, it } from 'vitest';
import { fireEvent, screen, waitFor } from '@testing-library/react';
import { stubFetch, wrap } from '../test-utils';
import type { Schemas } from '../api/client';
import { axisRange, dateSpan, itemMarks, periodMarks, ticks } from './axis';
import { TimeAxis } from './TimeAxis';
import { group } from './testFixtures';

const item = (kind: Schemas['TimelineItem']['kind'], id: string, extra: Partial<Schemas['TimelineItem']> = {}): Schemas['TimelineItem'] => ({
  kind, id, sort_key: id, date: '2026-01-01', precision: 'day', approximate: false, obstacle: false, ...extra,
});

describe('time axis geometry', () => {
  it('draws a partial date over its whole month or year, a day over the day, a timestamp as a point', () => {
    expect(dateSpan('2019', 'year')).toEqual({ start: Date.UTC(2019, 0, 1), end: Date.UTC(2020, 0, 1) - 1 });
    expect(dateSpan('2019-02~', 'month')).toEqual({ start: Date.UTC(2019, 1, 1), end: Date.UTC(2019, 2, 1) - 1 });
    expect(dateSpan('2019-02-03', 'day')).toEqual({ start: Date.UTC(2019, 1, 3), end: Date.UTC(2019, 1, 4) - 1 });
    const t = Date.parse('2024-05-01T09:30:00+08:00');
    expect(dateSpan('2024-05-01T09:30:00+08:00', 'time')).toEqual({ start: t, end: t });
    expect(dateSpan('not a date', 'day')).toBeUndefined();
  });
  it('marks: approximate and obstacle kept, a support action spans its first to its latest change', () => {
    const marks = itemMarks(
      [item('event', 'e1', { date: '2019-03~', precision: 'month', obstacle: true }), item('support_action', 'a1', { support_action: group })],
      (it) => it.id,
    );
    expect(marks[0]).toMatchObject({ lane: 'event', partial: true, approximate: true, obstacle: true });
    expect(marks[1]).toMatchObject({ lane: 'support_action', start: Date.parse(group.started_at), end: Date.parse(group.at) });
  });
  it('an ongoing custody period runs to now; the range covers every mark', () => {
    const now = Date.UTC(2026, 5, 1);
    const [p] = periodMarks([{ id: 'p', started_at: '2020-02', ended_at: null, label: 'RSDL' }], now);
    expect(p).toMatchObject({ start: Date.UTC(2020, 1, 1), end: now, ongoing: true, partial: true });
    const r = axisRange([p!])!;
    expect(r.from).toBeLessThan(p!.start);
    expect(r.to).toBeGreaterThan(now);
  });
  it('ticks stay within the requested number and the range', () => {
    const from = Date.UTC(2010, 0, 1);
    const to = Date.UTC(2026, 0, 1);
    const tk = ticks(from, to, 5);
    expect(tk.length).toBeGreaterThan(0);
    expect(tk.length).toBeLessThanOrEqual(5);
    expect(tk.every((k) => k.at >= from && k.at <= to && k.unit === 'year')).toBe(true);
    expect(ticks(Date.UTC(2026, 0, 1), Date.UTC(2026, 2, 1), 6).every((k) => k.unit !== 'year')).toBe(true);
  });
});

describe('TimeAxis', () => {
  it('each mark is focusable in turn with its label, which is then written under the chart', async () => {
    stubFetch({
      'GET /api/v1/cases/c1/custody-periods': [200, { items: [{ id: 'p1', measure: 'rsdl', started_at: '2020-02', ended_at: '2020-08' }], next_cursor: null }],
      'GET /api/v1/vocabularies': [200, {}],
    });
    const items = [
      item('key_date', 'detained_at', { date: '2020-02', precision: 'month' }),
      item('event', 'e1', { date: '2021-03-05', obstacle: true }),
      item('support_action', 'a1', { support_action: group }),
    ];
    wrap(<TimeAxis caseId="c1" items={items} labelOf={(it) => `label ${it.id}`} />);
    expect(screen.getByRole('group', { name: 'Timeline on a time axis' })).toBeInTheDocument();
    await waitFor(() => expect(screen.getAllByRole('img')).toHaveLength(4));
    const marks = screen.getAllByRole('img');
    // In time order: the custody period and the key date (same start, custody lane first), the event, the action.
    expect(marks.map((m) => m.getAttribute('aria-label'))[2]).toBe('label e1 · obstacle');
    expect(marks.filter((m) => m.getAttribute('tabindex') === '0')).toHaveLength(1);
    marks[0]!.focus();
    fireEvent.keyDown(marks[0]!, { key: 'End' });
    expect(document.activeElement).toBe(marks[3]);
    expect(screen.getByTestId('axis-focused')).toHaveTextContent('label a1');
    fireEvent.keyDown(marks[3]!, { key: 'ArrowLeft' });
    expect(screen.getByTestId('axis-focused')).toHaveTextContent('label e1 · obstacle');
  });
});
