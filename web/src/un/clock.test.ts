import { describe, expect, it } from 'vitest';
import { plus60, replyClock, todayCST } from './clock';

describe('the reply clock of a UN communication', () => {
  it('is due 60 days after transmission unless set', () => {
    expect(plus60('2024-03-01')).toBe('2024-04-30');
    expect(replyClock({ transmitted_at: '2024-03-01' }, '2024-04-01')).toEqual({ state: 'due', days: 29, date: '2024-04-30' });
    expect(replyClock({ transmitted_at: '2024-03-01', reply_due_at: '2024-05-10' }, '2024-05-10')).toEqual({ state: 'due', days: 0, date: '2024-05-10' });
  });
  it('says only that no reply is recorded once the day passed', () => {
    expect(replyClock({ transmitted_at: '2024-03-01', reply_due_at: '2024-04-30' }, '2024-05-03')).toEqual({ state: 'overdue', days: 3, date: '2024-04-30' });
  });
  it('stops at the recorded reply, and does not run before transmission', () => {
    expect(replyClock({ transmitted_at: '2024-03-01', replied_at: '2024-06-01' }, '2025-01-01')).toEqual({ state: 'replied', date: '2024-06-01' });
    expect(replyClock({ transmitted_at: null }, '2025-01-01')).toEqual({ state: 'not_transmitted' });
  });
  it('counts days in China Standard Time', () => {
    expect(todayCST(new Date('2024-03-01T17:00:00Z'))).toBe('2024-03-02');
    expect(todayCST(new Date('2024-03-01T15:00:00Z'))).toBe('2024-03-01');
  });
});
