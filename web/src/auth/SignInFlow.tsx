import { useState } from 'react';
import { Alert, Button, Checkbox, Code, List, PasswordInput, Stack, Text, TextInput, Title } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { api, bearer, toApiError, type Schemas } from '../api/client';
import { authStore } from './store';
import { ErrorText } from '../components/ErrorText';
import { QrCode } from './QrCode';

type Step =
  | { kind: 'password' }
  | { kind: 'code'; mfaToken: string; mustChange: boolean }
  | { kind: 'enroll'; mfaToken: string | null; mustChange: boolean }
  | { kind: 'recovery'; codes: string[]; token: string | null; mustChange: boolean }
  | { kind: 'change'; token: string };

/**
 * Every sign-in step: password, TOTP (or recovery code), first-time TOTP enrolment with a QR code and
 * the recovery codes shown once, forced password change. Calls onDone once an access token is held.
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
    if (r.state === 'ok' && r.access_token) finish(r.access_token, r.must_change_password);
    else if (r.state === 'mfa_required' && r.mfa_token)
      setStep({ kind: 'code', mfaToken: r.mfa_token, mustChange: r.must_change_password });
    else if (r.state === 'mfa_enrollment_required' && r.mfa_token)
      setStep({ kind: 'enroll', mfaToken: r.mfa_token, mustChange: r.must_change_password });
  };

  switch (step.kind) {
    case 'password':
      return <PasswordStep onResult={afterLogin} onPassword={setPendingPassword} />;
    case 'code':
      return <CodeStep mfaToken={step.mfaToken} onResult={afterLogin} />;
    case 'enroll':
      return (
        <EnrollStep
          mfaToken={step.mfaToken}
          onConfirmed={(c) => setStep({ kind: 'recovery', codes: c.recovery_codes, token: c.access_token ?? null, mustChange: step.mustChange })}
        />
      );
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
      </Stack>
    </form>
  );
}

function CodeStep({ mfaToken, onResult }: { mfaToken: string; onResult: (r: Schemas['TokenResponse']) => void }) {
  const { t } = useTranslation();
  const [code, setCode] = useState('');
  const [recovery, setRecovery] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
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
        <TextInput
          label={recovery ? t('auth.recoveryCode') : t('auth.totpCode')}
          autoComplete="one-time-code"
          inputMode={recovery ? 'text' : 'numeric'}
          required
          value={code}
          onChange={(e) => setCode(e.currentTarget.value)}
          data-autofocus
        />
        <Checkbox label={t('auth.useRecovery')} checked={recovery} onChange={(e) => setRecovery(e.currentTarget.checked)} />
        <ErrorText error={error} />
        <Button type="submit" loading={busy}>
          {t('auth.verify')}
        </Button>
      </Stack>
    </form>
  );
}

function EnrollStep({ mfaToken, onConfirmed }: { mfaToken: string | null; onConfirmed: (c: Schemas['TOTPConfirmation']) => void }) {
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

function RecoveryStep({ codes, onDone }: { codes: string[]; onDone: () => void }) {
  const { t } = useTranslation();
  const [saved, setSaved] = useState(false);
  return (
    <Stack>
      <Title order={2}>{t('auth.recoveryTitle')}</Title>
      <Alert color="yellow">{t('auth.recoveryOnce')}</Alert>
      <List data-testid="recovery-codes" ff="monospace">
        {codes.map((c) => (
          <List.Item key={c}>{c}</List.Item>
        ))}
      </List>
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
