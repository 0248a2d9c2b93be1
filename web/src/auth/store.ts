// The access token lives in this module only: never in localStorage, sessionStorage or a cookie
// readable by scripts. A page reload forgets it; the HttpOnly refresh cookie brings a new one.

export type SessionStatus = 'unknown' | 'signedOut' | 'signedIn' | 'expired';

type State = { token: string | null; status: SessionStatus };

let state: State = { token: null, status: 'unknown' };
const listeners = new Set<() => void>();
let waiters: Array<{ resolve: () => void; reject: (e: Error) => void }> = [];

function emit() {
  for (const l of listeners) l();
}

export const authStore = {
  getToken: (): string | null => state.token,
  getStatus: (): SessionStatus => state.status,
  getSnapshot: (): State => state,
  subscribe(listener: () => void): () => void {
    listeners.add(listener);
    return () => listeners.delete(listener);
  },
  /** A sign-in step (or a refresh) produced an access token. */
  signedIn(token: string) {
    state = { token, status: 'signedIn' };
    const w = waiters;
    waiters = [];
    for (const x of w) x.resolve();
    emit();
  },
  /** Refresh failed while the user was working: keep the page, ask for a new sign-in on top of it. */
  expired() {
    if (state.status === 'signedOut') return;
    state = { token: null, status: 'expired' };
    emit();
  },
  /** Signed out, or no session at start-up. Requests waiting for a new sign-in fail. */
  signedOut() {
    state = { token: null, status: 'signedOut' };
    const w = waiters;
    waiters = [];
    for (const x of w) x.reject(new Error('signed out'));
    emit();
  },
  /** Resolves at the next successful sign-in; rejects on sign-out. */
  waitForSignIn(): Promise<void> {
    return new Promise((resolve, reject) => waiters.push({ resolve, reject }));
  },
};
