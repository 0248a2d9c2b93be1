import { afterEach, describe, expect, it, vi } from 'vitest';
import { render, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { MantineProvider } from '@mantine/core';
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { MemoryRouter, Route, Routes, useLocation } from 'react-router';
import { cssVariablesResolver, theme } from '../theme';
import { NotificationBell } from './Bell';
import InboxPage from './InboxPage';
import NotificationSettingsPage, { settingsInput } from './SettingsPage';
import { FollowButton } from './FollowButton';
import { TestEmailButton } from './TestEmailButton';
import { daysUntil, dueText, unreadPollMs, type Notification, type NotificationSettings } from './query';
import i18n from '../i18n';

type Req = { method: string; path: string; query: URLSearchParams; body: unknown };
type Answer = [number, unknown] | undefined;

/** Stubs fetch with a handler of (method, path, query, body); records every request. */
function stub(handle: (r: Req) => Answer): Req[] {
  const calls: Req[] = [];
  vi.spyOn(globalThis, 'fetch').mockImplementation(async (input: RequestInfo | URL) => {
    const req = input as Request;
    const u = new URL(req.url, 'http://x');
    const text = req.method === 'GET' ? '' : await req.text();
    const r = { method: req.method, path: u.pathname, query: u.searchParams, body: text ? JSON.parse(text) : undefined };
    calls.push(r);
    const [status, body] = handle(r) ?? [404, { code: 'not_found', message: 'no', request_id: 'r' }];
    if (status === 204) return new Response(null, { status });
    return new Response(JSON.stringify(body), { status, headers: { 'Content-Type': 'application/json' } });
  });
  return calls;
}

function Where() {
  const l = useLocation();
  return <output data-testid="where">{l.pathname + l.search}</output>;
}

function wrap(ui: React.ReactNode, entry = '/') {
  const qc = new QueryClient({ defaultOptions: { queries: { retry: false } } });
  render(
    <MantineProvider env="test" theme={theme} cssVariablesResolver={cssVariablesResolver}>
      <QueryClientProvider client={qc}>
        <MemoryRouter initialEntries={[entry]}>
          <Routes>
            <Route
              path="*"
              element={
                <>
                  {ui}
                  <Where />
                </>
              }
            />
          </Routes>
        </MemoryRouter>
      </QueryClientProvider>
    </MantineProvider>,
  );
  return qc;
}

afterEach(async () => {
  vi.restoreAllMocks();
  vi.useRealTimers();
  await i18n.changeLanguage('en');
});

const note = (n: number, read = false): Notification => ({
  id: `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`,
  rule: n % 2 ? 'deadline_due' : 'case_event',
  object_type: 'case',
  object_id: `c${n}`,
  case_id: `c${n}`,
  link: `/cases/c${n}`,
  subject: `Case ${n}`,
  due_at: n % 2 ? '2030-01-05' : null,
  created_at: '2026-12-07T10:00:00Z',
  read_at: read ? '2026-12-07T11:00:00Z' : null,
});

describe('the header bell', () => {
  it('names the unread count and asks again every minute while the tab is visible', async () => {
    let unread = 3;
    const calls = stub((r) => (r.path === '/api/v1/notifications/unread-count' ? [200, { unread }] : undefined));
    const qc = wrap(<NotificationBell />);
    const bell = await screen.findByRole('link', { name: 'Notifications, 3 unread' });
    expect(bell.getAttribute('href')).toBe('/inbox');
    const q = qc.getQueryCache().find({ queryKey: ['notifications', 'unread-count'] });
    const opts = q?.options as { refetchInterval?: number; refetchIntervalInBackground?: boolean } | undefined;
    expect(opts?.refetchInterval).toBe(unreadPollMs);
    expect(opts?.refetchIntervalInBackground).toBe(false);
    expect(unreadPollMs).toBe(60_000);
    unread = 0;
    await qc.invalidateQueries({ queryKey: ['notifications', 'unread-count'] });
    await screen.findByRole('link', { name: 'Notifications' });
    expect(calls.filter((c) => c.path === '/api/v1/notifications/unread-count')).toHaveLength(2);
  });

  it('says it in Chinese', async () => {
    await i18n.changeLanguage('zh-Hans');
    stub((r) => (r.path === '/api/v1/notifications/unread-count' ? [200, { unread: 3 }] : undefined));
    wrap(<NotificationBell />);
    await screen.findByRole('link', { name: '通知，3 条未读' });
  });
});

describe('the inbox', () => {
  it('marks an item read when opened, marks all read, loads more and filters unread', async () => {
    const read = new Set<string>();
    let unread = 2;
    const calls = stub((r) => {
      if (r.path === '/api/v1/notifications/unread-count') return [200, { unread }];
      if (r.method === 'GET' && r.path === '/api/v1/notifications') {
        if (r.query.get('cursor') === 'p2') return [200, { items: [note(3, true)], next_cursor: null, total: 3, total_capped: false }];
        const items = [note(1), note(2)].map((n) => (read.has(n.id) ? { ...n, read_at: '2026-12-07T12:00:00Z' } : n));
        return [200, { items, next_cursor: 'p2', total: 3, total_capped: false }];
      }
      const m = /^\/api\/v1\/notifications\/([^/]+)\/read$/.exec(r.path);
      if (r.method === 'POST' && m) {
        read.add(m[1]!);
        unread--;
        return [204, null];
      }
      if (r.method === 'POST' && r.path === '/api/v1/notifications/read-all') {
        const marked = unread;
        unread = 0;
        read.add(note(1).id).add(note(2).id);
        return [200, { marked }];
      }
      return undefined;
    });
    wrap(<InboxPage />, '/inbox');
    const first = await screen.findByRole('link', { name: 'Time limit due soon: Case 1' });
    expect(screen.getByRole('link', { name: 'New event on a case you follow: Case 2' })).toBeInTheDocument();
    expect(screen.getAllByText('Unread')).not.toHaveLength(0);
    expect(screen.getByText(/^Due in \d+ days/)).toBeInTheDocument();
    await screen.findByText('2 unread');

    // Opening an unread item marks it read and follows its link.
    await userEvent.click(first);
    expect(screen.getByTestId('where').textContent).toBe('/cases/c1');
    await waitFor(() => expect(calls.some((c) => c.method === 'POST' && c.path === `/api/v1/notifications/${note(1).id}/read`)).toBe(true));
    await screen.findByText('1 unread');

    // Load more with next_cursor.
    await userEvent.click(screen.getByRole('button', { name: 'Load more' }));
    await screen.findByRole('link', { name: 'Time limit due soon: Case 3' });
    expect(calls.find((c) => c.query.get('cursor') === 'p2')?.query.get('limit')).toBe('50');

    // Mark all read.
    await userEvent.click(screen.getByRole('button', { name: 'Mark all read' }));
    await screen.findByText('1 notification marked read.');
    await screen.findByText('0 unread');
    await waitFor(() => expect(screen.queryByText('Unread', { selector: '.mantine-Badge-label' })).toBeNull());

    // Unread only: sent as unread=true, kept in the URL.
    await userEvent.click(screen.getByRole('radio', { name: 'Unread' }));
    await waitFor(() => expect(screen.getByTestId('where').textContent).toBe('/cases/c1?unread=true'));
  });

  it('shows the empty state', async () => {
    stub((r) => {
      if (r.path === '/api/v1/notifications/unread-count') return [200, { unread: 0 }];
      if (r.path === '/api/v1/notifications') return [200, { items: [], next_cursor: null, total: 0, total_capped: false }];
      return undefined;
    });
    wrap(<InboxPage />, '/inbox?unread=true');
    await screen.findByText('Nothing unread.');
  });

  it('counts days in the user calendar, with plurals', () => {
    const now = new Date(2026, 11, 7, 23, 30);
    expect(daysUntil('2026-12-08', now)).toBe(1);
    expect(daysUntil('2026-12-07', now)).toBe(0);
    expect(daysUntil('2026-12-04', now)).toBe(-3);
    const t = i18n.t.bind(i18n);
    expect(dueText(t, '2026-12-08', now)).toMatch(/^Due in 1 day \(/);
    expect(dueText(t, '2026-12-10', now)).toMatch(/^Due in 3 days \(/);
    expect(dueText(t, '2026-12-06', now)).toMatch(/^1 day ago \(/);
    expect(dueText(t, null, now)).toBe('');
  });
});

const settings: NotificationSettings = {
  language: 'en',
  time_zone: 'Asia/Shanghai',
  email_mode: 'immediate',
  digest_hour: 8,
  quiet_hours: null,
  email_address: 'me@example.org',
  email_available: false,
  rules: [
    { rule: 'deadline_due', inbox: true, email: true, days: 3 },
    { rule: 'case_event', inbox: true, email: false, days: null },
    { rule: 'account_locked', inbox: true, email: true, days: null },
  ],
};

describe('notification settings', () => {
  it('sends the rules and channels, and shows a refused field on its input', async () => {
    let refuse = true;
    const calls = stub((r) => {
      if (r.path === '/api/v1/me') return [200, { id: 'u', email: 'me@example.org', name: 'Me', role: 'lawyer' }];
      if (r.path === '/api/v1/me/notification-settings' && r.method === 'GET') return [200, settings];
      if (r.path === '/api/v1/me/notification-settings' && r.method === 'PUT') {
        if (refuse) {
          refuse = false;
          return [400, { code: 'validation_failed', message: 'bad', request_id: 'r1', fields: { time_zone: 'not an IANA time zone' }, field_codes: { time_zone: 'unknown_value' } }];
        }
        return [200, { ...settings, ...(r.body as object) }];
      }
      return undefined;
    });
    wrap(<NotificationSettingsPage />, '/settings/notifications');
    await screen.findByText('E-mail is not configured on this server. Your choices are kept; the inbox works meanwhile.');
    // An admin-only rule is not offered to a lawyer.
    await waitFor(() => expect(screen.queryByText('An account locked out (admins)')).toBeNull());
    const email = screen.getByRole('checkbox', { name: 'E-mail: A new event on a case I follow' });
    await userEvent.click(email);
    await userEvent.click(screen.getByRole('checkbox', { name: 'Inbox: A time limit on my cases is due soon' }));
    const days = screen.getByRole('textbox', { name: 'Days ahead: A time limit on my cases is due soon' });
    await userEvent.clear(days);
    await userEvent.type(days, '7');
    await userEvent.click(screen.getByRole('radio', { name: 'One daily digest' }));
    await userEvent.click(screen.getByRole('switch', { name: 'Quiet hours' }));
    await userEvent.click(screen.getByRole('button', { name: 'Save' }));
    // The refused field is said under the time zone input.
    await waitFor(() => {
      const zone = screen.getAllByLabelText('Time zone').find((e) => e.tagName === 'INPUT' && e.getAttribute('type') !== 'hidden');
      expect(zone).toHaveAttribute('aria-invalid', 'true');
      expect(zone).toHaveAccessibleDescription(new RegExp(i18n.t('fieldErrors.codes.unknown_value').replace(/[.()]/g, '.')));
    });
    const put = calls.find((c) => c.method === 'PUT')!;
    expect(put.body).toEqual({
      language: 'en',
      time_zone: 'Asia/Shanghai',
      email_mode: 'daily',
      digest_hour: 8,
      quiet_hours: { start: '22:00', end: '07:00' },
      rules: [
        { rule: 'deadline_due', inbox: false, email: true, days: 7 },
        { rule: 'case_event', inbox: true, email: true, days: null },
        { rule: 'account_locked', inbox: true, email: true, days: null },
      ],
    });
    await userEvent.click(screen.getByRole('button', { name: 'Save' }));
    await screen.findByText('Settings saved.');
  });

  it('leaves the read-only fields out of the payload', () => {
    expect(Object.keys(settingsInput(settings)).sort()).toEqual(['digest_hour', 'email_mode', 'language', 'quiet_hours', 'rules', 'time_zone']);
  });
});

describe('following a case', () => {
  it('toggles with aria-pressed through PUT and DELETE', async () => {
    let following = false;
    const calls = stub((r) => {
      if (r.path !== '/api/v1/cases/c1/follow') return undefined;
      if (r.method === 'PUT') following = true;
      if (r.method === 'DELETE') following = false;
      return [200, { following }];
    });
    wrap(<FollowButton caseId="c1" />);
    const b = await screen.findByRole('button', { name: 'Follow' });
    await waitFor(() => expect(b).toHaveAttribute('aria-pressed', 'false'));
    expect(b).toHaveAccessibleDescription(/Following a case sends you its new events/);
    await userEvent.click(b);
    const on = await screen.findByRole('button', { name: 'Following' });
    expect(on).toHaveAttribute('aria-pressed', 'true');
    await userEvent.click(on);
    await screen.findByRole('button', { name: 'Follow' });
    expect(calls.map((c) => c.method)).toEqual(['GET', 'PUT', 'DELETE']);
  });
});

describe('the admin test e-mail', () => {
  it('says where it went, or that SMTP is not configured', async () => {
    let configured = false;
    stub((r) =>
      r.path === '/api/v1/admin/notifications/test-email'
        ? configured
          ? [202, { sent_to: 'admin@example.org' }]
          : [503, { code: 'smtp_not_configured', message: 'no smtp', request_id: 'r2' }]
        : undefined,
    );
    wrap(<TestEmailButton />);
    await userEvent.click(screen.getByRole('button', { name: 'Send test e-mail' }));
    await screen.findByText('E-mail is not configured on this server. Ask the operator to set the SMTP settings.');
    configured = true;
    await userEvent.click(screen.getByRole('button', { name: 'Send test e-mail' }));
    await screen.findByText('Test e-mail sent to admin@example.org.');
    expect(within(document.body).queryByText(/Ask the operator/)).toBeNull();
  });
});
