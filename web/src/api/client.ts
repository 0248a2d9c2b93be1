import createClient from 'openapi-fetch';
import type { components, paths } from './schema';
import { authStore } from '../auth/store';
import i18n from '../i18n';
import { apiBase, credentials, refreshAccess } from './refresh';

export type Schemas = components['schemas'];
export type ApiError = Schemas['Error'];

export { apiBase, cookieRequest, refreshAccess, startupRefresh } from './refresh';

/** The Accept-Language of API requests: the UI's language, so texts the server writes (time-limit titles,
 * notes, the derivation of a release date) come back in it. */
export function acceptLanguage(lang: string = i18n.language): string {
  return lang.toLowerCase().startsWith('zh') ? 'zh-Hans, zh;q=0.9' : 'en';
}

function withToken(req: Request): Request {
  const token = authStore.getToken();
  const r = new Request(req, { credentials });
  if (token && !req.headers.has('Authorization')) r.headers.set('Authorization', `Bearer ${token}`);
  if (!req.headers.has('Accept-Language')) r.headers.set('Accept-Language', acceptLanguage());
  return r;
}

/**
 * fetch with the access token; on 401 it refreshes once and retries. When the refresh fails the
 * session is marked expired (a sign-in dialog opens over the page) and the request waits for the new
 * sign-in, then retries: a half-written form is submitted as soon as the user signs in again.
 */
export function makeAuthFetch(fetchImpl: typeof fetch = (...a) => fetch(...a)) {
  return async function authFetch(input: Request): Promise<Response> {
    const explicitAuth = input.headers.has('Authorization');
    // Sign-in steps answer 401 for wrong credentials: no refresh there (mfa_token steps carry an explicit header).
    const isAuthRoute = /\/api\/v1\/auth\/(login|refresh|logout|passkeys\/login\/(begin|finish))$/.test(new URL(input.url, 'http://x').pathname);
    const spare = input.clone();
    const res = await fetchImpl(withToken(input));
    if (res.status !== 401 || explicitAuth || isAuthRoute) return res;
    if (!(await refreshAccess(fetchImpl))) {
      authStore.expired();
      await authStore.waitForSignIn();
    }
    return fetchImpl(withToken(spare));
  };
}

export const authFetch = makeAuthFetch();

export const api = createClient<paths>({ baseUrl: apiBase, fetch: authFetch });

/** Raises the API's Error shape so TanStack Query sees a failure. */
export function unwrap<T>(r: { data?: T; error?: unknown; response: Response }): T {
  if (r.error !== undefined || r.data === undefined) {
    if (r.response.status === 204) return undefined as T;
    throw toApiError(r.error, r.response);
  }
  return r.data;
}

export class HttpError extends Error {
  constructor(
    public status: number,
    public body: ApiError | undefined,
    /** Seconds of the answer's Retry-After (a number of seconds only), when it sent one. */
    public retryAfter?: number,
  ) {
    super(body?.message ?? `HTTP ${status}`);
  }
}

export function toApiError(err: unknown, res: Response): HttpError {
  const body = err && typeof err === 'object' && 'code' in err ? (err as ApiError) : undefined;
  const ra = Number(res.headers.get('Retry-After') ?? '');
  return new HttpError(res.status, body, Number.isFinite(ra) && ra > 0 ? ra : undefined);
}

export const bearer = (token: string) => ({ Authorization: `Bearer ${token}` });

export async function signOut() {
  try {
    await api.POST('/api/v1/auth/logout', { body: {}, headers: { 'Content-Type': 'application/json' } });
  } finally {
    authStore.signedOut();
  }
}
