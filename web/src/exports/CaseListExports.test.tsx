import { afterEach, describe, expect, it, vi } from 'vitest';
import { render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { MantineProvider } from '@mantine/core';
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { MemoryRouter, Route, Routes } from 'react-router';
import { CaseListExports } from './CaseListExports';

vi.mock('../evidence/download', () => ({ saveBlob: vi.fn() }));

type Call = { url: URL; method: string; body: string };

/** Stubs fetch with answer; records each request. */
function stubFetch(answer: (c: Call) => [number, unknown, string?]): Call[] {
  const calls: Call[] = [];
  vi.spyOn(globalThis, 'fetch').mockImplementation(async (input: RequestInfo | URL) => {
    const req = input as Request;
    const c = { url: new URL(req.url, 'http://x'), method: req.method, body: req.method === 'GET' ? '' : await req.text() };
    calls.push(c);
    const [status, body, type] = answer(c);
    return new Response(typeof body === 'string' ? body : JSON.stringify(body), { status, headers: { 'Content-Type': type ?? 'application/json' } });
  });
  return calls;
}

function wrap(manager: boolean) {
  render(
    <MantineProvider env="test">
      <QueryClientProvider client={new QueryClient({ defaultOptions: { queries: { retry: false } } })}>
        <MemoryRouter initialEntries={['/cases']}>
          <Routes>
            <Route path="/cases" element={<CaseListExports filters={{ stage: 'released', q: undefined }} manager={manager} />} />
            <Route path="/cases/:id" element={<p>case page</p>} />
          </Routes>
        </MemoryRouter>
      </QueryClientProvider>
    </MantineProvider>,
  );
}

afterEach(() => vi.restoreAllMocks());

describe('case list exports', () => {
  it('CSV with the list filters; no import for a non-manager', async () => {
    const calls = stubFetch(() => [200, 'id,reference\n', 'text/csv']);
    wrap(false);
    expect(screen.queryByRole('button', { name: 'Import case (JSON)' })).toBeNull();
    await userEvent.click(screen.getByRole('button', { name: 'Export CSV' }));
    await screen.findByText('Saved as cases.csv.');
    expect(calls.map((c) => c.url.pathname + c.url.search)).toEqual(['/api/v1/cases/export.csv?stage=released']);
  });

  it('import: the parsed file is posted; a refused field is named; a good one opens the new case', async () => {
    let refuse = true;
    const calls = stubFetch(() =>
      refuse
        ? [400, { code: 'validation_failed', message: 'the request has invalid fields', fields: { 'events[1].occurred_at': 'not a date' }, request_id: 'r' }]
        : [201, { case_id: 'c2', detainee_id: 'd2', created: { case: 1 }, not_imported: {} }],
    );
    wrap(true);
    const input = screen.getByLabelText('Import case (JSON)');
    const doc = { schema: 'habeas.case-export/1', detainee: { name: 'X' }, case: {} };
    await userEvent.upload(input, new File([JSON.stringify(doc)], 'case.json', { type: 'application/json' }));
    const alert = await screen.findByRole('alert');
    expect(alert.textContent).toMatch(/occurred at/);
    await screen.findByText('In the file: events[1].occurred_at');
    expect(calls[0]?.method).toBe('POST');
    expect(calls[0]?.url.pathname).toBe('/api/v1/cases/import');
    expect(JSON.parse(calls[0]?.body ?? "")).toEqual(doc);
    await userEvent.upload(input, new File(['not json'], 'bad.json', { type: 'application/json' }));
    await screen.findByText('The file is not a JSON case export.');
    expect(calls).toHaveLength(1);
    refuse = false;
    await userEvent.upload(input, new File([JSON.stringify(doc)], 'case.json', { type: 'application/json' }));
    await screen.findByText('case page');
  });
});
