import { afterEach, describe, expect, it, vi } from 'vitest';
import { render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { MantineProvider } from '@mantine/core';
import { SignInFlow } from './SignInFlow';
import { authStore } from './store';

const reply = (body: unknown, status = 200) =>
  Promise.resolve(new Response(JSON.stringify(body), { status, headers: { 'Content-Type': 'application/json' } }));

describe('SignInFlow', () => {
  afterEach(() => vi.unstubAllGlobals());

  it('asks for the TOTP code after the password and finishes the sign-in', async () => {
    const calls: string[] = [];
    vi.stubGlobal(
      'fetch',
      vi.fn((req: Request) => {
        calls.push(new URL(req.url).pathname + ' ' + (req.headers.get('Authorization') ?? ''));
        if (req.url.endsWith('/auth/login'))
          return reply({ state: 'mfa_required', mfa_token: 'm1', token_type: 'Bearer', must_change_password: false });
        return reply({ state: 'ok', access_token: 'acc', token_type: 'Bearer', must_change_password: false });
      }),
    );
    const done = vi.fn();
    render(
      <MantineProvider>
        <SignInFlow onDone={done} />
      </MantineProvider>,
    );
    await userEvent.type(screen.getByLabelText(/Email/), 'a@example.org');
    await userEvent.type(screen.getByLabelText(/^Password/), 'secret password');
    await userEvent.click(screen.getByRole('button', { name: 'Continue' }));
    await userEvent.type(await screen.findByLabelText(/Code from your authenticator app/), '123456');
    await userEvent.click(screen.getByRole('button', { name: 'Verify' }));
    await vi.waitFor(() => expect(done).toHaveBeenCalled());
    expect(calls).toEqual(['/api/v1/auth/login ', '/api/v1/auth/totp/verify Bearer m1']);
    expect(authStore.getToken()).toBe('acc');
  });

  it('shows a translated error for wrong credentials', async () => {
    vi.stubGlobal('fetch', vi.fn(() => reply({ code: 'invalid_credentials', message: 'x', request_id: 'rq1' }, 401)));
    render(
      <MantineProvider>
        <SignInFlow onDone={() => {}} />
      </MantineProvider>,
    );
    await userEvent.type(screen.getByLabelText(/Email/), 'a@example.org');
    await userEvent.type(screen.getByLabelText(/^Password/), 'nope');
    await userEvent.click(screen.getByRole('button', { name: 'Continue' }));
    expect(await screen.findByText('Wrong email or password.')).toBeInTheDocument();
    expect(screen.getByText(/rq1/)).toBeInTheDocument();
  });
});
