import { beforeEach, describe, expect, it, vi } from 'vitest';
import { acceptLanguage, makeAuthFetch, refreshAccess } from './client';
import i18n from '../i18n';
import { authStore } from '../auth/store';

const json = (status: number, body: unknown) =>
  new Response(JSON.stringify(body), { status, headers: { 'Content-Type': 'application/json' } });

/** A fake server: /auth/refresh answers with `refreshes` in turn; other routes accept only `valid` tokens. */
function fakeServer(opts: { valid: Set<string>; refreshes: Array<string | null> }) {
  const seen: Array<{ url: string; auth: string | null; body: string; contentType: string | null }> = [];
  const impl = vi.fn(async (input: RequestInfo | URL, init?: RequestInit) => {
    const req = input instanceof Request ? input : new Request(new URL(String(input), 'http://localhost'), init);
    seen.push({ url: req.url, auth: req.headers.get('Authorization'), body: await req.clone().text(), contentType: req.headers.get('Content-Type') });
    if (req.url.endsWith('/api/v1/auth/refresh')) {
      const next = opts.refreshes.shift();
      if (!next) return json(401, { code: 'invalid_refresh_token', message: 'no', request_id: 'r' });
      opts.valid.add(next);
      return json(200, { state: 'ok', access_token: next, token_type: 'Bearer', expires_in: 900, must_change_password: false });
    }
    const tok = req.headers.get('Authorization')?.replace('Bearer ', '') ?? '';
    if (!opts.valid.has(tok)) return json(401, { code: 'token_expired', message: 'expired', request_id: 'r' });
    return json(200, { ok: true });
  });
  return { impl: impl as unknown as typeof fetch, seen };
}

const post = (body: unknown) =>
  new Request('http://localhost/api/v1/detainees', { method: 'POST', body: JSON.stringify(body), headers: { 'Content-Type': 'application/json' } });

describe('authFetch', () => {
  beforeEach(() => authStore.signedOut());

  it('sends the bearer token from memory', async () => {
    const s = fakeServer({ valid: new Set(['a']), refreshes: [] });
    authStore.signedIn('a');
    const res = await makeAuthFetch(s.impl)(post({ name: 'x' }));
    expect(res.status).toBe(200);
    expect(s.seen[0]?.auth).toBe('Bearer a');
  });

  it('refreshes on 401 and retries once with the same body', async () => {
    const s = fakeServer({ valid: new Set(), refreshes: ['b'] });
    authStore.signedIn('a');
    const res = await makeAuthFetch(s.impl)(post({ name: '王全璋' }));
    expect(res.status).toBe(200);
    expect(s.seen.map((x) => x.url.replace('http://localhost', ''))).toEqual([
      '/api/v1/detainees',
      '/api/v1/auth/refresh',
      '/api/v1/detainees',
    ]);
    expect(s.seen[2]?.auth).toBe('Bearer b');
    // The server takes the refresh cookie only with a JSON content type (and the browser's Origin).
    expect(s.seen[1]?.contentType).toBe('application/json');
    expect(s.seen[1]?.body).toBe('{}');
    expect(s.seen[2]?.body).toBe(JSON.stringify({ name: '王全璋' }));
    expect(authStore.getToken()).toBe('b');
  });

  it('shares one refresh between parallel requests (refresh tokens are single use)', async () => {
    const s = fakeServer({ valid: new Set(), refreshes: ['b', 'c'] });
    authStore.signedIn('a');
    const f = makeAuthFetch(s.impl);
    const [r1, r2] = await Promise.all([f(post({ n: 1 })), f(post({ n: 2 }))]);
    expect([r1.status, r2.status]).toEqual([200, 200]);
    expect(s.seen.filter((x) => x.url.endsWith('/auth/refresh'))).toHaveLength(1);
  });

  it('when refresh fails, marks the session expired and retries after the next sign-in', async () => {
    const s = fakeServer({ valid: new Set(), refreshes: [] });
    authStore.signedIn('a');
    const pending = makeAuthFetch(s.impl)(post({ name: 'half-written' }));
    await vi.waitFor(() => expect(authStore.getStatus()).toBe('expired'));
    s.seen.length = 0;
    // The user signs in again in the dialog over the page.
    const fresh = 'z';
    authStore.signedIn(fresh);
    // The fake server now accepts the new token.
    const res = await Promise.race([pending, new Promise<Response>((r) => setTimeout(() => r(json(599, {})), 1000))]);
    expect(s.seen[0]?.auth).toBe('Bearer z');
    expect(s.seen[0]?.body).toBe(JSON.stringify({ name: 'half-written' }));
    expect([200, 401]).toContain(res.status);
  });

  it('does not refresh for auth routes or explicit tokens (mfa_token steps)', async () => {
    const s = fakeServer({ valid: new Set(), refreshes: ['b'] });
    const f = makeAuthFetch(s.impl);
    const r1 = await f(new Request('http://localhost/api/v1/auth/login', { method: 'POST', body: '{}' }));
    const r2 = await f(new Request('http://localhost/api/v1/me', { headers: { Authorization: 'Bearer mfa' } }));
    expect([r1.status, r2.status]).toEqual([401, 401]);
    expect(s.seen.filter((x) => x.url.endsWith('/auth/refresh'))).toHaveLength(0);
  });

  it('refreshAccess reports failure without throwing when offline', async () => {
    const offline = (async () => {
      throw new TypeError('network');
    }) as unknown as typeof fetch;
    await expect(refreshAccess(offline)).resolves.toBe(false);
  });
});

describe('Accept-Language', () => {
  it('follows the UI language on every request, so the server writes its texts in it', async () => {
    const langs: Array<string | null> = [];
    const impl = (async (input: Request) => {
      langs.push(input.headers.get('Accept-Language'));
      return json(200, {});
    }) as unknown as typeof fetch;
    const f = makeAuthFetch(impl);
    await i18n.changeLanguage('zh-Hans');
    try {
      await f(new Request('http://localhost/api/v1/cases/c1/deadlines'));
      await i18n.changeLanguage('en');
      await f(new Request('http://localhost/api/v1/cases/c1/deadlines'));
    } finally {
      await i18n.changeLanguage('en');
    }
    expect(langs[0]).toMatch(/^zh/);
    expect(langs[1]).toBe('en');
    expect(acceptLanguage('zh-Hans')).toBe('zh-Hans, zh;q=0.9');
    expect(acceptLanguage('en')).toBe('en');
  });
});
