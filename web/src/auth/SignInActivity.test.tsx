import { describe, expect, it } from 'vitest';
import { screen } from '@testing-library/react';
import { stubFetch, wrap } from '../test-utils';
import { SignInActivity } from './SignInActivity';

const activity = {
  failures: 5,
  ceiling: 100,
  second_factor_failures: 0,
  items: [
    { at: '2026-12-07T05:00:02Z', kind: 'throttled', action: 'auth.login', client_ip: '198.51.100.1', reason: 'throttled', scope: 'account_address' },
    { at: '2026-12-07T05:00:01Z', kind: 'lockout', action: 'auth.lockout', client_ip: '198.51.100.1', scope: 'account_address', locked_seconds: 900 },
    { at: '2026-12-07T05:00:00Z', kind: 'failed_password', action: 'auth.login', client_ip: '198.51.100.1', reason: 'wrong password' },
  ],
};

describe('sign-in activity', () => {
  it("shows the caller's own failed attempts and locks, with their addresses", async () => {
    const calls = stubFetch({ 'GET /api/v1/me/sign-in-activity': [200, activity] });
    wrap(<SignInActivity />);
    await screen.findByText('Locked: this address, for this account (15 minutes)');
    expect(screen.getByText('Attempt refused while locked: this address, for this account')).toBeInTheDocument();
    expect(screen.getByText('Wrong password')).toBeInTheDocument();
    expect(screen.getAllByText('198.51.100.1')).toHaveLength(3);
    expect(screen.getByText(/5 failed password attempts since the last successful sign-in \(limit 100\)/)).toBeInTheDocument();
    expect(calls.map((c) => c.url)).toEqual(['/api/v1/me/sign-in-activity']);
  });

  it("asks an admin's view of a user by id, and warns past the ceiling", async () => {
    const calls = stubFetch({ 'GET /api/v1/users/u7/sign-in-activity': [200, { ...activity, failures: 100, items: [] }] });
    wrap(<SignInActivity userId="u7" />);
    await screen.findByText(/every further failure now locks its address at once/);
    expect(screen.getByText('No failed sign-ins recorded.')).toBeInTheDocument();
    expect(calls.map((c) => c.url)).toEqual(['/api/v1/users/u7/sign-in-activity']);
  });
});
