import { describe, expect, it } from 'vitest';
import { screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { stubFetch, wrap } from '../test-utils';
import JobsPage from './JobsPage';

const me = { id: 'u0', email: 'a@x', name: 'Admin', role: 'admin', totp_enabled: true, mfa_required: true, must_change_password: false, session_id: 's' };
const counts = { available: 1, scheduled: 0, running: 0, retryable: 0, completed: 12, discarded: 2, cancelled: 0, pending: 0 };
const failed = {
  id: '42', kind: 'notify_email', state: 'discarded', queue: 'default', attempt: 10, max_attempts: 10,
  errors: [{ at: '2026-12-08T02:00:00Z', attempt: 10, error: 'smtp: 451 try later' }],
  scheduled_at: '2026-12-08T01:00:00Z', created_at: '2026-12-08T01:00:00Z', finalized_at: '2026-12-08T02:00:00Z',
};
const done = { ...failed, id: '41', kind: 'notify_inbox', state: 'completed', attempt: 1, errors: [] };

describe('JobsPage', () => {
  it('shows the counts and the failures with their errors, and retries one', async () => {
    const calls = stubFetch({
      'GET /api/v1/me': [200, me],
      'GET /api/v1/admin/jobs': [200, { counts, items: [failed, done], next_cursor: null, total: 15, total_capped: false }],
      'POST /api/v1/admin/jobs/42/retry': [200, { ...failed, state: 'available', max_attempts: 11 }],
    });
    wrap(<JobsPage />);
    const countTable = await screen.findByTestId('job-counts');
    await within(countTable).findByText('12');
    expect(within(countTable).getByText('Failed, given up')).toBeInTheDocument();
    expect(await screen.findByText('smtp: 451 try later')).toBeInTheDocument();
    expect(screen.getByText('No error')).toBeInTheDocument();
    // Only the failed job offers a retry.
    expect(screen.queryByRole('button', { name: 'Retry job 41 (notify_inbox)' })).toBeNull();
    await userEvent.click(screen.getByRole('button', { name: 'Retry job 42 (notify_email)' }));
    expect(await screen.findByText('Job 42 (notify_email) will run again now.')).toBeInTheDocument();
    expect(calls.some((c) => c.method === 'POST' && c.url === '/api/v1/admin/jobs/42/retry')).toBe(true);
  }, 60_000);

  it('is refused to other roles without asking the server', async () => {
    const calls = stubFetch({ 'GET /api/v1/me': [200, { ...me, role: 'coordinator' }] });
    wrap(<JobsPage />);
    expect(await screen.findByText(/may not/i)).toBeInTheDocument();
    expect(calls.every((c) => c.url !== '/api/v1/admin/jobs' || c.method !== 'POST')).toBe(true);
  }, 60_000);
});
