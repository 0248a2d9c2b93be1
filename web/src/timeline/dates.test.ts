import { describe, expect, it } from 'vitest';
import i18n from '../i18n';
import { formatTimelineDate, isPartialDate, occurredAt } from './dates';

describe('timeline dates', () => {
  it('shows a partial date with its precision and "about"', async () => {
    await i18n.changeLanguage('en');
    expect(formatTimelineDate('2019', 'year', false)).toBe('2019');
    expect(formatTimelineDate('2019-03', 'month', false)).toBe('March 2019');
    expect(formatTimelineDate('2019-03~', 'month', true)).toBe('about March 2019');
    // approximate flag without the ~ (server override) still says "about"
    expect(formatTimelineDate('2019-03-05', 'day', true)).toMatch(/^about .*2019/);
    expect(formatTimelineDate('2019-03-05', 'day', false)).toMatch(/5.*2019|2019.*5/);
    expect(formatTimelineDate('2019-03-05', 'day', false)).not.toMatch(/about/);
  });

  it('shows a timestamp with its time, approximate when marked', async () => {
    await i18n.changeLanguage('en');
    const exact = formatTimelineDate('2024-03-05T09:30:00+08:00', 'time', false);
    expect(exact).toMatch(/2024/);
    expect(formatTimelineDate('2024-03-05T09:30:00+08:00', 'time', true)).toBe(`about ${exact}`);
  });

  it('in Chinese', async () => {
    await i18n.changeLanguage('zh-Hans');
    expect(formatTimelineDate('2019-03~', 'month', true)).toContain('2019');
    expect(formatTimelineDate('2019-03~', 'month', true)).toContain('3');
    await i18n.changeLanguage('en');
  });

  it.each([
    ['2019', true],
    ['2019-03', true],
    ['2019-03-05', true],
    ['2019-03~', true],
    ['2019-02-29', false],
    ['2020-02-29', true],
    ['2019-13', false],
    ['19-03', false],
    ['2019-3', false],
    ['', false],
    ['2019-03-05T10:00', false],
  ])('isPartialDate(%j) = %s', (s, ok) => {
    expect(isPartialDate(s)).toBe(ok);
  });

  it('occurredAt adds one ~ when approximate', () => {
    expect(occurredAt('2019-03', true)).toBe('2019-03~');
    expect(occurredAt('2019-03~', true)).toBe('2019-03~');
    expect(occurredAt('2019-03~', false)).toBe('2019-03');
    expect(occurredAt(' 2019-03-05 ', false)).toBe('2019-03-05');
  });
});
