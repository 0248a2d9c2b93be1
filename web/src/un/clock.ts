/**
 * The government's reply clock of a UN communication, as the case page shows it. Days are counted in China
 * Standard Time, as the server's time limits are (rule un_government_reply). A reply not recorded by the due day
 * is only that: "no reply recorded by <date>", never a violation.
 */
export type ReplyClock =
  | { state: 'replied'; date: string }
  | { state: 'not_transmitted' }
  | { state: 'due'; days: number; date: string }
  | { state: 'overdue'; days: number; date: string };

const day = /^\d{4}-\d{2}-\d{2}$/;

/** Today in China Standard Time, YYYY-MM-DD. */
export function todayCST(now: Date = new Date()): string {
  return new Date(now.getTime() + 8 * 3_600_000).toISOString().slice(0, 10);
}

/** Whole days from a to b (YYYY-MM-DD each). */
export function daysBetween(a: string, b: string): number {
  return Math.round((Date.parse(`${b}T00:00:00Z`) - Date.parse(`${a}T00:00:00Z`)) / 86_400_000);
}

/** 60 days after a day (the default reply date), YYYY-MM-DD; '' when day is not one. */
export function plus60(d: string): string {
  if (!day.test(d)) return '';
  return new Date(Date.parse(`${d}T00:00:00Z`) + 60 * 86_400_000).toISOString().slice(0, 10);
}

export function replyClock(u: { transmitted_at?: string | null; reply_due_at?: string | null; replied_at?: string | null }, today: string): ReplyClock {
  if (u.replied_at) return { state: 'replied', date: u.replied_at };
  if (!u.transmitted_at) return { state: 'not_transmitted' };
  const due = u.reply_due_at || plus60(u.transmitted_at);
  const left = daysBetween(today, due);
  return left >= 0 ? { state: 'due', days: left, date: due } : { state: 'overdue', days: -left, date: due };
}
