import { describe, expect, it, vi } from 'vitest';
import { startupRefresh } from './refresh';
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
