// The session refresh, without the API client's dependencies: the boot script sends it while the app's scripts
// are still downloading, so its round trip is not added after them (issue 24). client.ts re-exports these.
import type { components } from './schema';
import { authStore } from '../auth/store';

/** API origin: same origin by default; set VITE_API_BASE when the SPA is deployed on its own. */
export const apiBase: string = (import.meta.env.VITE_API_BASE as string | undefined) ?? '';
export const credentials: RequestCredentials = apiBase ? 'include' : 'same-origin';

/** What the server requires of a request the refresh cookie authenticates (refresh, logout): a JSON
 * content type, which no HTML form can send and which makes a cross-origin fetch ask first. The browser
 * adds Origin and Sec-Fetch-Site, which the server checks too. */
export const cookieRequest = { headers: { 'Content-Type': 'application/json' }, body: '{}' } as const;

let inflight: Promise<boolean> | null = null;
let startup: Promise<boolean> | null = null;

/** The name of the Web Lock that serialises refreshes across the tabs of this origin. */
export const refreshLockName = 'habeas-session-refresh';

/** Runs fn holding the refresh lock of the whole origin. Two tabs share the refresh cookie, and a refresh
 * token works once: two tabs refreshing at the same moment would both send the same token, and the server
 * ends the session on the reuse. Under the lock the second tab's request leaves after the first tab's answer
 * has replaced the cookie. Without Web Locks (older browsers) fn runs unlocked, as before. */
function withRefreshLock(fn: () => Promise<boolean>): Promise<boolean> {
  const locks = typeof navigator !== 'undefined' ? navigator.locks : undefined;
  // request() resolves with what fn resolves with (its lib typing says Promise<Promise<boolean>>).
  return locks ? locks.request(refreshLockName, fn).then((v) => v) : fn();
}

/** Exchanges the HttpOnly refresh cookie for a new access token. Concurrent callers share one request
 * (a refresh token works once: two parallel refreshes would end the session), and the tabs of this origin
 * take turns (withRefreshLock). */
export function refreshAccess(fetchImpl: typeof fetch = (...a) => fetch(...a)): Promise<boolean> {
  if (!inflight) {
    // Not while signing out; and an answer arriving after a sign-out began is dropped (authStore.beginSignOut).
    if (authStore.isLeaving()) return Promise.resolve(false);
    const gen = authStore.getGeneration();
    inflight = withRefreshLock(async () => {
      try {
        if (gen !== authStore.getGeneration()) return false;
        let res: Response;
        try {
          res = await fetchImpl(`${apiBase}/api/v1/auth/refresh`, { method: 'POST', credentials, ...cookieRequest });
        } catch {
          authStore.setOffline(true); // no answer at all: offline (issue 24), not signed out
          return false;
        }
        authStore.setOffline(false);
        if (!res.ok) return false;
        const body = (await res.json()) as components['schemas']['TokenResponse'];
        if (body.state !== 'ok' || !body.access_token) return false;
        if (gen !== authStore.getGeneration()) return false; // signed out while this was on its way
        authStore.setDraftKey(body.draft_key);
        authStore.signedIn(body.access_token);
        return true;
      } catch {
        return false;
      }
    }).finally(() => {
      inflight = null;
    });
  }
  return inflight;
}

/** The page's first refresh (a reload forgets the access token; the HttpOnly cookie restores the session):
 * sent once, by whoever asks first (boot.ts, else the app), and its answer shared. */
export function startupRefresh(fetchImpl?: typeof fetch): Promise<boolean> {
  startup ??= refreshAccess(fetchImpl);
  return startup;
}
