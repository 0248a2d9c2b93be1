import { afterEach, describe, expect, it, vi } from 'vitest';
import { render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { MantineProvider } from '@mantine/core';
import { SignInFlow } from './SignInFlow';
import { authStore } from './store';

const reply = (body: unknown, status = 200) =>
  Promise.resolve(new Response(JSON.stringify(body), { status, headers: { 'Content-Type': 'application/json' } }));

describe('SignInFlow', () => {
  afterEach(() => {
    vi.unstubAllGlobals();
    authStore.signedOut();
  });

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

  it('a role that requires passkeys is offered the passkey or a recovery code, not TOTP', async () => {
    const bodies: string[] = [];
    vi.stubGlobal(
      'fetch',
      vi.fn(async (req: Request) => {
        bodies.push(new URL(req.url).pathname + ' ' + (await req.clone().text()));
        if (req.url.endsWith('/auth/login'))
          return reply({ state: 'mfa_required', mfa_token: 'm1', token_type: 'Bearer', must_change_password: false, mfa_methods: ['passkey', 'recovery_code'] });
        return reply({ state: 'ok', access_token: 'acc', token_type: 'Bearer', must_change_password: false });
      }),
    );
    render(
      <MantineProvider>
        <SignInFlow onDone={() => {}} />
      </MantineProvider>,
    );
    await userEvent.type(screen.getByLabelText(/Email/), 'a@example.org');
    await userEvent.type(screen.getByLabelText(/^Password/), 'secret password');
    await userEvent.click(screen.getByRole('button', { name: 'Continue' }));
    await userEvent.type(await screen.findByLabelText(/Recovery code/), 'ABCD-EFGH-JKLM-NPQR');
    expect(screen.queryByLabelText(/Code from your authenticator app/)).toBeNull();
    expect(screen.queryByLabelText('Use a recovery code instead')).toBeNull();
    await userEvent.click(screen.getByRole('button', { name: 'Verify' }));
    await vi.waitFor(() => expect(bodies).toContain('/api/v1/auth/totp/verify {"recovery_code":"ABCD-EFGH-JKLM-NPQR"}'));
  });

  it('finishes the second step with a passkey', async () => {
    const paths: string[] = [];
    let sent: Record<string, unknown> = {};
    vi.stubGlobal('PublicKeyCredential', function PublicKeyCredential() {});
    const get = vi.fn(async (opts: CredentialRequestOptions) => {
      expect(new Uint8Array(opts.publicKey!.challenge as ArrayBuffer)).toEqual(new Uint8Array([1, 2, 3]));
      const buf = (n: number) => new Uint8Array([n]).buffer;
      return {
        id: 'Cg',
        rawId: buf(10),
        type: 'public-key',
        authenticatorAttachment: 'platform',
        getClientExtensionResults: () => ({}),
        response: { clientDataJSON: buf(1), authenticatorData: buf(2), signature: buf(3), userHandle: buf(4) },
      };
    });
    Object.defineProperty(navigator, 'credentials', { value: { get }, configurable: true });
    vi.stubGlobal(
      'fetch',
      vi.fn(async (req: Request) => {
        const path = new URL(req.url).pathname;
        paths.push(path + ' ' + (req.headers.get('Authorization') ?? ''));
        if (path.endsWith('/auth/login'))
          return reply({ state: 'mfa_required', mfa_token: 'm1', token_type: 'Bearer', must_change_password: false, mfa_methods: ['totp', 'passkey', 'recovery_code'] });
        if (path.endsWith('/verify/begin'))
          return reply({ ceremony_id: 'c1', expires_in: 300, options: { publicKey: { challenge: 'AQID', allowCredentials: [{ type: 'public-key', id: 'Cg' }] } } });
        sent = (await req.json()) as Record<string, unknown>;
        return reply({ state: 'ok', access_token: 'acc2', token_type: 'Bearer', must_change_password: false });
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
    await userEvent.click(await screen.findByRole('button', { name: 'Use your passkey' }));
    await vi.waitFor(() => expect(done).toHaveBeenCalled());
    expect(paths).toEqual(['/api/v1/auth/login ', '/api/v1/auth/passkeys/verify/begin Bearer m1', '/api/v1/auth/passkeys/verify/finish Bearer m1']);
    expect(sent).toEqual({
      ceremony_id: 'c1',
      credential: {
        id: 'Cg',
        rawId: 'Cg',
        type: 'public-key',
        authenticatorAttachment: 'platform',
        clientExtensionResults: {},
        response: { clientDataJSON: 'AQ', authenticatorData: 'Ag', signature: 'Aw', userHandle: 'BA' },
      },
    });
    expect(authStore.getToken()).toBe('acc2');
    Reflect.deleteProperty(navigator, 'credentials');
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
