// Helpers shared by the component tests: a fetch stub that routes by method
// and path and records every call, and a render inside the app's providers.
import { afterEach, vi } from 'vitest';
import { render } from '@testing-library/react';
import { MantineProvider } from '@mantine/core';
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { cssVariablesResolver, theme } from './theme';

/** One request the stubbed fetch received. */
export type Call = { method: string; url: string; headers: Headers; body: unknown };

/** Stubs fetch with a router of (method path) -> [status, body]; records every call. */
export function stubFetch(routes: Record<string, [number, unknown]>): Call[] {
  const calls: Call[] = [];
  vi.spyOn(globalThis, 'fetch').mockImplementation(async (input: RequestInfo | URL) => {
    const req = input as Request;
    const path = new URL(req.url, 'http://x').pathname;
    const text = req.method === 'GET' ? '' : await req.text();
    calls.push({ method: req.method, url: path, headers: req.headers, body: text ? JSON.parse(text) : undefined });
    const [status, body] = routes[`${req.method} ${path}`] ?? [404, { code: 'not_found', message: 'no', request_id: 'r' }];
    return new Response(JSON.stringify(body), { status, headers: { 'Content-Type': 'application/json' } });
  });
  return calls;
}

/** Renders ui inside Mantine (the app's theme) and a fresh TanStack Query client (no retries). */
export function wrap(ui: React.ReactNode) {
  render(
    <MantineProvider env="test" theme={theme} cssVariablesResolver={cssVariablesResolver}>
      <QueryClientProvider client={new QueryClient({ defaultOptions: { queries: { retry: false } } })}>{ui}</QueryClientProvider>
    </MantineProvider>,
  );
}

afterEach(() => vi.restoreAllMocks());

// Mantine's autosizing Textarea listens to font loading, which jsdom lacks.
if (!('fonts' in document)) {
  Object.defineProperty(document, 'fonts', { value: { addEventListener: () => {}, removeEventListener: () => {}, ready: Promise.resolve() } });
}
