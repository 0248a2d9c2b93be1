// The access token lives in this module only: never in localStorage, sessionStorage or a cookie
// readable by scripts. A page reload forgets it; the HttpOnly refresh cookie brings a new one.

export type SessionStatus = 'unknown' | 'signedOut' | 'signedIn' | 'expired';

type State = { token: string | null; status: SessionStatus };

let state: State = { token: null, status: 'unknown' };
// The session's draft key (issue 24) as the server sent it, until src/offline/crypto.ts takes it (and imports it
// as a non-extractable CryptoKey): not kept here once taken.
let draftKey: string | null = null;
// The last refresh failed for want of a network (not refused): the session may well be alive.
let offline = false;
// A sign-out is under way (from its first step, the device wipe, to signedOut): no refresh is sent, no draft key
// taken. Each sign-out also starts a new generation: a refresh sent before it whose answer arrives after it is
// dropped (it would bring back the ended session's token and key).
let leaving = false;
let generation = 0;
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
  /** Hands over the draft key received with the last sign-in or refresh, once. */
  takeDraftKey(): string | null {
    const k = draftKey;
    draftKey = null;
    return k;
  },
  setDraftKey(k: string | undefined) {
    if (k) draftKey = k;
  },
  /** Whether the last refresh failed on the network (offline at start-up) rather than being refused. */
  isOffline: (): boolean => offline,
  setOffline(v: boolean) {
    offline = v;
  },
  /** The sign-out has begun (the device is being wiped): see `leaving`. */
  beginSignOut() {
    leaving = true;
    generation++;
    draftKey = null;
  },
  /** Whether a sign-out is under way. */
  isLeaving: (): boolean => leaving,
  /** The sign-out generation: a refresh notes it when sent and applies its answer only if it is unchanged. */
  getGeneration: (): number => generation,
  /** A sign-in step (or a refresh) produced an access token. */
  signedIn(token: string) {
    leaving = false; // a new session (a refresh sent during a sign-out never gets here: refresh.ts)
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
    draftKey = null;
    leaving = false;
    generation++;
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
