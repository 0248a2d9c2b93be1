import { useState } from 'react';
import { Alert, Anchor, Button, Checkbox, Code, PasswordInput, Stack, Text, TextInput, Title } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { api, bearer, HttpError, toApiError, type Schemas } from '../api/client';
import { authStore } from './store';
import { ErrorText } from '../components/ErrorText';
import { QrCode } from './QrCode';
import { CopySecret, RecoveryCodes } from './RecoveryCodes';
import { cancelled, localhostURL, onIPAddress, passkeysSupported, registerPasskey, signInWithPasskey, verifyWithPasskey } from './passkey';

type Step =
  | { kind: 'password' }
  | { kind: 'code'; mfaToken: string; mustChange: boolean; methods: string[] }
  | { kind: 'enroll'; mfaToken: string | null; mustChange: boolean }
  | { kind: 'passkeyEnroll'; mfaToken: string; mustChange: boolean; required: boolean }
  | { kind: 'recovery'; codes: string[]; token: string | null; mustChange: boolean }
  | { kind: 'change'; token: string };

/**
 * Every sign-in step: password (or a passkey alone), TOTP, passkey or recovery code, first-time
 * enrolment of TOTP (QR code) or a passkey with the recovery codes shown once, forced password change.
 * Calls onDone once an access token is held.
 */
export function SignInFlow({ onDone, initialStep }: { onDone: () => void; initialStep?: Step }) {
  const [step, setStep] = useState<Step>(initialStep ?? { kind: 'password' });
  const [pendingPassword, setPendingPassword] = useState('');

  const finish = (token: string, mustChange: boolean) => {
    if (mustChange) setStep({ kind: 'change', token });
    else {
      authStore.signedIn(token);
      onDone();
    }
  };

  const afterLogin = (r: Schemas['TokenResponse']) => {
    if (r.state === 'ok' && r.access_token) {
      authStore.setDraftKey(r.draft_key);
      finish(r.access_token, r.must_change_password);
    }
    else if (r.state === 'mfa_required' && r.mfa_token)
      setStep({ kind: 'code', mfaToken: r.mfa_token, mustChange: r.must_change_password, methods: r.mfa_methods ?? ['totp', 'recovery_code'] });
    else if (r.state === 'mfa_enrollment_required' && r.mfa_token)
      setStep({ kind: 'enroll', mfaToken: r.mfa_token, mustChange: r.must_change_password });
    else if (r.state === 'passkey_enrollment_required' && r.mfa_token)
      setStep({ kind: 'passkeyEnroll', mfaToken: r.mfa_token, mustChange: r.must_change_password, required: true });
  };

  const afterPasskeyEnrolled = (reg: Schemas['PasskeyRegistration'], mustChange: boolean) => {
    if (reg.access_token) authStore.setDraftKey(reg.draft_key);
    if (reg.recovery_codes?.length) setStep({ kind: 'recovery', codes: reg.recovery_codes, token: reg.access_token ?? null, mustChange });
    else if (reg.access_token) finish(reg.access_token, mustChange);
  };

  switch (step.kind) {
    case 'password':
      return <PasswordStep onResult={afterLogin} onPassword={setPendingPassword} />;
    case 'code':
      return <CodeStep mfaToken={step.mfaToken} methods={step.methods} onResult={afterLogin} />;
    case 'enroll':
      return (
        <EnrollStep
          mfaToken={step.mfaToken}
          onConfirmed={(c) => {
            if (c.access_token) authStore.setDraftKey(c.draft_key);
            setStep({ kind: 'recovery', codes: c.recovery_codes, token: c.access_token ?? null, mustChange: step.mustChange });
          }}
          onPasskeyInstead={
            step.mfaToken ? () => setStep({ kind: 'passkeyEnroll', mfaToken: step.mfaToken!, mustChange: step.mustChange, required: false }) : undefined
          }
        />
      );
    case 'passkeyEnroll':
      return <PasskeyEnrollStep mfaToken={step.mfaToken} required={step.required} onDone={(reg) => afterPasskeyEnrolled(reg, step.mustChange)} />;
    case 'recovery':
      return (
        <RecoveryStep
          codes={step.codes}
          onDone={() => (step.token ? finish(step.token, step.mustChange) : onDone())}
        />
      );
    case 'change':
      return (
        <ChangePasswordForm
          token={step.token}
          currentPassword={pendingPassword}
          onDone={(token) => {
            authStore.signedIn(token);
            onDone();
          }}
        />
      );
  }
}

function PasswordStep({ onResult, onPassword }: { onResult: (r: Schemas['TokenResponse']) => void; onPassword: (p: string) => void }) {
  const { t } = useTranslation();
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  return (
    <form
      onSubmit={async (e) => {
        e.preventDefault();
        setBusy(true);
        setError(null);
        try {
          const r = await api.POST('/api/v1/auth/login', { body: { email, password } });
          if (r.error || !r.data) throw toApiError(r.error, r.response);
          onPassword(password);
          onResult(r.data);
        } catch (err) {
          setError(err);
        } finally {
          setBusy(false);
        }
      }}
    >
      <Stack>
        <Title order={2}>{t('auth.signIn')}</Title>
        <TextInput label={t('auth.email')} type="email" autoComplete="username" required value={email} onChange={(e) => setEmail(e.currentTarget.value)} />
        <PasswordInput label={t('auth.password')} autoComplete="current-password" required value={password} onChange={(e) => setPassword(e.currentTarget.value)} />
        <ErrorText error={error} />
        <Button type="submit" loading={busy}>
          {t('auth.continue')}
        </Button>
        <PasskeySignIn onResult={onResult} />
      </Stack>
    </form>
  );
}

/** "Sign in with a passkey": phishing-resistant, no e-mail or password typed. */
function PasskeySignIn({ onResult }: { onResult: (r: Schemas['TokenResponse']) => void }) {
  const { t } = useTranslation();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  if (!passkeysSupported()) return null;
  return (
    <>
      <Text ta="center" size="sm">
        {t('passkeys.or')}
      </Text>
      {onIPAddress() ? (
        <Text size="sm">
          {t('passkeys.ipHost')} <Anchor href={localhostURL()} underline="always">{t('passkeys.openLocalhost')}</Anchor>
        </Text>
      ) : (
        <Button
          variant="default"
          loading={busy}
          onClick={async () => {
            setBusy(true);
            setError(null);
            try {
              onResult(await signInWithPasskey());
            } catch (err) {
              if (!cancelled(err)) setError(err);
            } finally {
              setBusy(false);
            }
          }}
        >
          {t('passkeys.signIn')}
        </Button>
      )}
      <ErrorText error={error} />
    </>
  );
}

function CodeStep({ mfaToken, methods, onResult }: { mfaToken: string; methods: string[]; onResult: (r: Schemas['TokenResponse']) => void }) {
  const { t } = useTranslation();
  const totp = methods.includes('totp');
  const passkey = methods.includes('passkey') && passkeysSupported() && !onIPAddress();
  const [code, setCode] = useState('');
  const [recovery, setRecovery] = useState(!totp);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const usePasskey = async () => {
    setBusy(true);
    setError(null);
    try {
      onResult(await verifyWithPasskey(mfaToken));
    } catch (err) {
      if (!cancelled(err)) setError(err);
    } finally {
      setBusy(false);
    }
  };
  return (
    <form
      onSubmit={async (e) => {
        e.preventDefault();
        setBusy(true);
        setError(null);
        try {
          const body = recovery ? { recovery_code: code.trim() } : { code: code.replace(/\s/g, '') };
          const r = await api.POST('/api/v1/auth/totp/verify', { body, headers: bearer(mfaToken) });
          if (r.error || !r.data) throw toApiError(r.error, r.response);
          onResult(r.data);
        } catch (err) {
          setError(err);
        } finally {
          setBusy(false);
        }
      }}
    >
      <Stack>
        <Title order={2}>{t('auth.twoStep')}</Title>
        {passkey && (
          <>
            <Text>{t('passkeys.verifyIntro')}</Text>
            <Button type="button" onClick={usePasskey} loading={busy}>
              {t('passkeys.verify')}
            </Button>
            <Text ta="center" size="sm">
              {totp ? t('passkeys.orCode') : t('passkeys.orRecovery')}
            </Text>
          </>
        )}
        <TextInput
          label={recovery ? t('auth.recoveryCode') : t('auth.totpCode')}
          autoComplete="one-time-code"
          inputMode={recovery ? 'text' : 'numeric'}
          required
          value={code}
          onChange={(e) => setCode(e.currentTarget.value)}
          data-autofocus={!passkey || undefined}
        />
        {totp && <Checkbox label={t('auth.useRecovery')} checked={recovery} onChange={(e) => setRecovery(e.currentTarget.checked)} />}
        <ErrorText error={error} />
        <Button type="submit" variant={passkey ? 'default' : 'filled'} loading={busy}>
          {t('auth.verify')}
        </Button>
      </Stack>
    </form>
  );
}

function EnrollStep({
  mfaToken,
  onConfirmed,
  onPasskeyInstead,
}: {
  mfaToken: string | null;
  onConfirmed: (c: Schemas['TOTPConfirmation']) => void;
  onPasskeyInstead?: () => void;
}) {
  const { t } = useTranslation();
  const [enrollment, setEnrollment] = useState<Schemas['TOTPEnrollment'] | null>(null);
  const [code, setCode] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const headers = mfaToken ? bearer(mfaToken) : undefined;

  const start = async () => {
    setBusy(true);
    setError(null);
    try {
      const r = await api.POST('/api/v1/auth/totp/enroll', { headers });
      if (r.error || !r.data) throw toApiError(r.error, r.response);
      setEnrollment(r.data);
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };

  if (!enrollment)
    return (
      <Stack>
        <Title order={2}>{t('auth.enrollTitle')}</Title>
        <Text>{t('auth.enrollIntro')}</Text>
        <ErrorText error={error} />
        <Button onClick={start} loading={busy}>
          {t('auth.enrollStart')}
        </Button>
        {onPasskeyInstead && passkeysSupported() && !onIPAddress() && (
          <Button variant="default" onClick={onPasskeyInstead}>
            {t('passkeys.enrollInstead')}
          </Button>
        )}
      </Stack>
    );

  return (
    <form
      onSubmit={async (e) => {
        e.preventDefault();
        setBusy(true);
        setError(null);
        try {
          const r = await api.POST('/api/v1/auth/totp/confirm', { body: { code: code.replace(/\s/g, '') }, headers });
          if (r.error || !r.data) throw toApiError(r.error, r.response);
          onConfirmed(r.data);
        } catch (err) {
          setError(err);
        } finally {
          setBusy(false);
        }
      }}
    >
      <Stack>
        <Title order={2}>{t('auth.enrollTitle')}</Title>
        <Text>{t('auth.enrollScan')}</Text>
        <QrCode value={enrollment.otpauth_uri} label={t('auth.qrLabel')} />
        <Text size="sm">{t('auth.enrollManual')}</Text>
        <Code data-testid="totp-secret" style={{ wordBreak: 'break-all' }}>
          {enrollment.secret}
        </Code>
        <CopySecret value={enrollment.secret} label={t('recovery.copyKey')} />
        <TextInput
          label={t('auth.totpCode')}
          autoComplete="one-time-code"
          inputMode="numeric"
          required
          value={code}
          onChange={(e) => setCode(e.currentTarget.value)}
        />
        <ErrorText error={error} />
        <Button type="submit" loading={busy}>
          {t('auth.enrollConfirm')}
        </Button>
      </Stack>
    </form>
  );
}

/** Registers the first passkey during sign-in (the role requires passkeys, or the user chose one over TOTP). */
function PasskeyEnrollStep({
  mfaToken,
  required,
  onDone,
}: {
  mfaToken: string;
  required: boolean;
  onDone: (r: Schemas['PasskeyRegistration']) => void;
}) {
  const { t } = useTranslation();
  const [name, setName] = useState('');
  const [code, setCode] = useState('');
  const [needCode, setNeedCode] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const ip = onIPAddress();
  return (
    <form
      onSubmit={async (e) => {
        e.preventDefault();
        setBusy(true);
        setError(null);
        try {
          onDone(await registerPasskey({ name, mfaToken, code: code.replace(/\s/g, '') || undefined }));
        } catch (err) {
          if (err instanceof HttpError && err.body?.fields && 'code' in err.body.fields) setNeedCode(true);
          if (!cancelled(err)) setError(err);
        } finally {
          setBusy(false);
        }
      }}
    >
      <Stack>
        <Title order={2}>{t('passkeys.enrollTitle')}</Title>
        <Text>{required ? t('passkeys.enrollRequired') : t('passkeys.enrollIntro')}</Text>
        {ip || !passkeysSupported() ? (
          <Text size="sm">
            {t('passkeys.ipHost')} <Anchor href={localhostURL()} underline="always">{t('passkeys.openLocalhost')}</Anchor>
          </Text>
        ) : (
          <>
            <TextInput label={t('passkeys.name')} description={t('passkeys.nameHint')} required maxLength={64} value={name} onChange={(e) => setName(e.currentTarget.value)} />
            {needCode && (
              <TextInput
                label={t('passkeys.codeForEnroll')}
                autoComplete="one-time-code"
                required
                value={code}
                onChange={(e) => setCode(e.currentTarget.value)}
              />
            )}
            <ErrorText error={error} />
            <Button type="submit" loading={busy}>
              {t('passkeys.create')}
            </Button>
          </>
        )}
      </Stack>
    </form>
  );
}

function RecoveryStep({ codes, onDone }: { codes: string[]; onDone: () => void }) {
  const { t } = useTranslation();
  const [saved, setSaved] = useState(false);
  return (
    <Stack>
      <Title order={2}>{t('auth.recoveryTitle')}</Title>
      <Alert color="yellow">{t('auth.recoveryOnce')}</Alert>
      <RecoveryCodes codes={codes} />
      <Checkbox label={t('auth.recoverySaved')} checked={saved} onChange={(e) => setSaved(e.currentTarget.checked)} />
      <Button disabled={!saved} onClick={onDone}>
        {t('auth.continue')}
      </Button>
    </Stack>
  );
}

export function ChangePasswordForm({
  token,
  currentPassword,
  onDone,
}: {
  token: string | null;
  currentPassword?: string;
  onDone: (token: string) => void;
}) {
  const { t } = useTranslation();
  const [current, setCurrent] = useState(currentPassword ?? '');
  const [next, setNext] = useState('');
  const [again, setAgain] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const mismatch = again.length > 0 && next !== again;
  const tooShort = next.length > 0 && [...next].length < 12;
  return (
    <form
      onSubmit={async (e) => {
        e.preventDefault();
        if (mismatch || tooShort) return;
        setBusy(true);
        setError(null);
        try {
          const r = await api.POST('/api/v1/auth/password', {
            body: { current_password: current, new_password: next },
            headers: token ? bearer(token) : undefined,
          });
          if (r.error || !r.data?.access_token) throw toApiError(r.error, r.response);
          onDone(r.data.access_token);
        } catch (err) {
          setError(err);
        } finally {
          setBusy(false);
        }
      }}
    >
      <Stack>
        <Title order={2}>{t('auth.changeTitle')}</Title>
        <Text>{t('auth.changeIntro')}</Text>
        {!currentPassword && (
          <PasswordInput label={t('auth.currentPassword')} autoComplete="current-password" required value={current} onChange={(e) => setCurrent(e.currentTarget.value)} />
        )}
        <PasswordInput
          label={t('auth.newPassword')}
          description={t('auth.passwordRule')}
          autoComplete="new-password"
          required
          value={next}
          error={tooShort ? t('auth.passwordRule') : undefined}
          onChange={(e) => setNext(e.currentTarget.value)}
        />
        <PasswordInput
          label={t('auth.repeatPassword')}
          autoComplete="new-password"
          required
          value={again}
          error={mismatch ? t('auth.mismatch') : undefined}
          onChange={(e) => setAgain(e.currentTarget.value)}
        />
        <ErrorText error={error} />
        <Button type="submit" loading={busy}>
          {t('auth.changeSubmit')}
        </Button>
      </Stack>
    </form>
  );
}
