import type { Schemas } from '../api/client';

type Status = Schemas['SupportActionStatus'];
type Term = { value: string; label?: string };

/**
 * The board's columns: the statuses in the order of the server's `support_action_statuses` vocabulary, which is
 * the workflow's order (internal/support `Statuses`; a Go test keeps the vocabulary in that order). Nothing here
 * repeats the list, so a new status or a new order on the server shows up on the board as it is.
 */
export function boardColumns(vocab: readonly Term[] | undefined): Status[] {
  return (vocab ?? []).map((t) => t.value as Status);
}

/**
 * The one-tap next step of an action: among the moves the server allows it (`allowed_statuses`), the status that
 * comes right after its own in the workflow order (proposed -> assigned -> ... -> closed). The other allowed moves
 * (declined, cancelled) are `otherSteps`. An action in a final status has neither.
 */
export function nextStep(a: Pick<Schemas['SupportAction'], 'status' | 'allowed_statuses'>, order: readonly Status[]): Status | undefined {
  const i = order.indexOf(a.status);
  const after = order[i + 1];
  return i >= 0 && after !== undefined && a.allowed_statuses.includes(after) ? after : undefined;
}

/** The allowed moves other than the next step, in the workflow order. */
export function otherSteps(a: Pick<Schemas['SupportAction'], 'status' | 'allowed_statuses'>, order: readonly Status[]): Status[] {
  const n = nextStep(a, order);
  return order.filter((s) => s !== a.status && s !== n && a.allowed_statuses.includes(s));
}

/** What the board says after a refused move: the server's 409 code or a 412 (changed meanwhile). */
export type MoveRefusal = 'assignee_required' | 'invalid_transition' | 'changed';

/** Classifies a refused move by its HTTP status and error code; undefined when it is not an expected refusal. */
export function moveRefusal(status: number | undefined, code: string | undefined): MoveRefusal | undefined {
  if (status === 412) return 'changed';
  if (status !== 409) return undefined;
  return code === 'assignee_required' ? 'assignee_required' : 'invalid_transition';
}
