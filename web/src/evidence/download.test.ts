import { afterEach, describe, expect, it, vi } from 'vitest';
import { downloadToDisk } from './download';
import { authStore } from '../auth/store';
import { apiBase, HttpError, type Schemas } from '../api/client';

const item = { id: 'e1', case_id: 'c1', filename: '判决书.pdf', title: 'Judgment' } as Schemas['Evidence'];

describe('downloadToDisk', () => {
  afterEach(() => vi.unstubAllGlobals());

  it('asks for a single-use link with the session and navigates to it under the original filename', async () => {
    authStore.signedIn('tok');
    const calls: Request[] = [];
    vi.stubGlobal('fetch', (req: Request) => {
      calls.push(req);
      return Promise.resolve(new Response(JSON.stringify({ url: '/api/v1/evidence-downloads/abc', expires_at: '2026-01-01T00:00:00Z' }), { status: 201 }));
    });
    const click = vi.fn();
    await downloadToDisk(item, click);
    expect(calls[0]!.method).toBe('POST');
    expect(new URL(calls[0]!.url).pathname).toBe('/api/v1/cases/c1/evidence/e1/download-link');
    expect(calls[0]!.headers.get('Authorization')).toBe('Bearer tok');
    expect(click).toHaveBeenCalledWith(`${apiBase}/api/v1/evidence-downloads/abc`, '判决书.pdf');
  });

  it('does not navigate when the link is refused', async () => {
    authStore.signedIn('tok');
    vi.stubGlobal('fetch', () =>
      Promise.resolve(new Response(JSON.stringify({ code: 'not_found', message: 'no', request_id: 'r' }), { status: 404 })),
    );
    const click = vi.fn();
    await expect(downloadToDisk(item, click)).rejects.toBeInstanceOf(HttpError);
    expect(click).not.toHaveBeenCalled();
  });
});
