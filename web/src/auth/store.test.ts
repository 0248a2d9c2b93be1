import { beforeEach, describe, expect, it } from 'vitest';
import { authStore } from './store';

describe('authStore', () => {
  beforeEach(() => authStore.signedOut());

  it('keeps the token in memory only', () => {
    authStore.signedIn('tok-1');
    expect(authStore.getToken()).toBe('tok-1');
    expect(authStore.getStatus()).toBe('signedIn');
    expect(JSON.stringify({ ...localStorage })).not.toContain('tok-1');
    expect(JSON.stringify({ ...sessionStorage })).not.toContain('tok-1');
    expect(document.cookie).not.toContain('tok-1');
  });

  it('expires without losing the page, and wakes waiters at the next sign-in', async () => {
    authStore.signedIn('tok-1');
    authStore.expired();
    expect(authStore.getStatus()).toBe('expired');
    expect(authStore.getToken()).toBeNull();
    const waiting = authStore.waitForSignIn();
    authStore.signedIn('tok-2');
    await expect(waiting).resolves.toBeUndefined();
    expect(authStore.getToken()).toBe('tok-2');
  });

  it('rejects waiters on sign-out and notifies subscribers', async () => {
    let calls = 0;
    const off = authStore.subscribe(() => calls++);
    authStore.signedIn('t');
    const waiting = authStore.waitForSignIn();
    authStore.signedOut();
    await expect(waiting).rejects.toThrow();
    off();
    authStore.signedIn('t2');
    expect(calls).toBe(2);
  });
});
