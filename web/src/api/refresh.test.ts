import { describe, expect, it, vi } from 'vitest';
import { refreshAccess, refreshLockName, startupRefresh } from './refresh';
import { authStore } from '../auth/store';

describe('startupRefresh', () => {
  it('sends one refresh per page, shared by boot.ts and the app, even after it answered', async () => {
    const fetchImpl = vi.fn(async () => Response.json({ state: 'ok', access_token: 'tok' }));
    await expect(startupRefresh(fetchImpl)).resolves.toBe(true);
    // The app asks after boot.ts's request answered: the same answer, no second request (a refresh
    // token works once).
    await expect(startupRefresh(fetchImpl)).resolves.toBe(true);
    expect(fetchImpl).toHaveBeenCalledTimes(1);
    expect(authStore.getToken()).toBe('tok');
  });
});

describe('refreshAccess', () => {
  it('sends the refresh while holding the origin-wide lock, so two tabs take turns', async () => {
    const held: string[] = [];
    let inside = false;
    const request = vi.fn(async (name: string, fn: () => Promise<unknown>) => {
      held.push(name);
      inside = true;
      try {
        return await fn();
      } finally {
        inside = false;
      }
    });
    vi.stubGlobal('navigator', { ...navigator, locks: { request } });
    try {
      let sentUnderLock = false;
      const fetchImpl = vi.fn(async () => {
        sentUnderLock = inside;
        return Response.json({ state: 'ok', access_token: 'tok2' });
      });
      await expect(refreshAccess(fetchImpl)).resolves.toBe(true);
      expect(held).toEqual([refreshLockName]);
      expect(sentUnderLock).toBe(true);
    } finally {
      vi.unstubAllGlobals();
    }
  });
});
