import { afterEach, describe, expect, it, vi } from 'vitest';
import { render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { MantineProvider } from '@mantine/core';
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import type { Schemas } from '../api/client';
import EvidenceEdit, { evidenceBody, evidenceForm } from './EvidenceEdit';

type Call = { method: string; url: string; body: unknown };

function stubFetch(routes: Record<string, Array<[number, unknown]>>): Call[] {
  const calls: Call[] = [];
  vi.spyOn(globalThis, 'fetch').mockImplementation(async (input: RequestInfo | URL) => {
    const req = input as Request;
    const path = new URL(req.url, 'http://x').pathname;
    const text = req.method === 'GET' ? '' : await req.text();
    calls.push({ method: req.method, url: path, body: text ? JSON.parse(text) : undefined });
    const answers = routes[`${req.method} ${path}`];
    const [status, body] = (answers && answers.length > 1 ? answers.shift() : answers?.[0]) ?? [404, { code: 'not_found', message: 'no', request_id: 'r' }];
    return new Response(JSON.stringify(body), { status, headers: { 'Content-Type': 'application/json' } });
  });
  return calls;
}

afterEach(() => vi.restoreAllMocks());
if (!('fonts' in document)) {
  Object.defineProperty(document, 'fonts', { value: { addEventListener: () => {}, removeEventListener: () => {}, ready: Promise.resolve() } });
}

const item = {
  id: 'ev1', case_id: 'c1', title: 'Witness statement', filename: 'w.pdf', kind: 'document', captured_at: null, description: '',
  source: '', language: '', confidential: false, version: 2,
} as unknown as Schemas['Evidence'];

describe('evidence metadata edit', () => {
  it('sends the changed fields with the version in the body', () => {
    expect(evidenceForm(item).captured_at).toBe('');
    expect(evidenceBody({ title: 'T' }, 2)).toEqual({ title: 'T', version: 2 });
  });
  it('a 412 reloads the item as stored; saving again uses the new version', async () => {
    const calls = stubFetch({
      'PATCH /api/v1/cases/c1/evidence/ev1': [
        [412, { code: 'precondition_failed', message: 'stale', request_id: 'r' }],
        [200, { ...item, version: 4 }],
      ],
      'GET /api/v1/cases/c1/evidence/ev1': [[200, { ...item, title: 'Witness statement (signed)', version: 3 }]],
    });
    const onSaved = vi.fn();
    render(
      <MantineProvider env="test">
        <QueryClientProvider client={new QueryClient()}>
          <EvidenceEdit item={item} onSaved={onSaved} />
        </QueryClientProvider>
      </MantineProvider>,
    );
    await userEvent.click(screen.getByLabelText(/^Captured/));
    await userEvent.paste('2019-03~');
    await userEvent.click(screen.getByRole('button', { name: 'Save' }));
    expect(await screen.findByText('Changed meanwhile')).toBeInTheDocument();
    expect(calls.find((c) => c.method === 'PATCH')?.body).toEqual({ captured_at: '2019-03~', version: 2 });
    await userEvent.click(screen.getByRole('button', { name: 'Reload' }));
    expect(await screen.findByDisplayValue('Witness statement (signed)')).toBeInTheDocument();
    await userEvent.click(screen.getByLabelText(/^Confidential/));
    await userEvent.click(screen.getByRole('button', { name: 'Save' }));
    await vi.waitFor(() => expect(onSaved).toHaveBeenCalled());
    expect(calls.filter((c) => c.method === 'PATCH')[1]?.body).toEqual({ confidential: true, version: 3 });
  }, 60_000);
});
