// Passkeys (WebAuthn) in the browser: turn the server's options (JSON, binary fields base64url) into
// what navigator.credentials expects, and the answer back into JSON. Written out by hand rather than
// with PublicKeyCredential.parseCreationOptionsFromJSON / toJSON, which older browsers lack.
import { api, bearer, toApiError, type Schemas } from '../api/client';

type Json = { [k: string]: unknown };

export function b64urlToBytes(s: string): ArrayBuffer {
  const pad = '='.repeat((4 - (s.length % 4)) % 4);
  const bin = atob(s.replace(/-/g, '+').replace(/_/g, '/') + pad);
  const out = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
  return out.buffer;
}

export function bytesToB64url(buf: ArrayBuffer | ArrayBufferView | null | undefined): string {
  if (!buf) return '';
  const bytes = buf instanceof ArrayBuffer ? new Uint8Array(buf) : new Uint8Array(buf.buffer, buf.byteOffset, buf.byteLength);
  let bin = '';
  for (const b of bytes) bin += String.fromCharCode(b);
  return btoa(bin).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

/** The browser can do WebAuthn at all. */
export function passkeysSupported(): boolean {
  return typeof window !== 'undefined' && typeof window.PublicKeyCredential === 'function' && !!navigator.credentials;
}

/** Browsers refuse passkeys on an IP address (http://127.0.0.1): the same server works at localhost. */
export function onIPAddress(host: string = window.location.hostname): boolean {
  return /^\d{1,3}(\.\d{1,3}){3}$/.test(host) || host.includes(':') || host.startsWith('[');
}

/** The same page at http://localhost (for a server opened on 127.0.0.1). */
export function localhostURL(): string {
  const u = new URL(window.location.href);
  u.hostname = 'localhost';
  return u.toString();
}

function descriptors(list: unknown): PublicKeyCredentialDescriptor[] | undefined {
  if (!Array.isArray(list)) return undefined;
  return list.map((d: Json) => ({ ...d, id: b64urlToBytes(String(d.id)) }) as PublicKeyCredentialDescriptor);
}

/** navigator.credentials.create with the server's options; the answer as JSON. */
export async function createPasskey(options: Json): Promise<Json> {
  const pk = { ...(options.publicKey as Json) };
  const user = pk.user as Json;
  const publicKey = {
    ...pk,
    challenge: b64urlToBytes(String(pk.challenge)),
    user: { ...user, id: b64urlToBytes(String(user.id)) },
    excludeCredentials: descriptors(pk.excludeCredentials),
  } as unknown as PublicKeyCredentialCreationOptions;
  const cred = (await navigator.credentials.create({ publicKey })) as PublicKeyCredential | null;
  if (!cred) throw new Error('no credential');
  const r = cred.response as AuthenticatorAttestationResponse;
  return {
    id: cred.id,
    rawId: bytesToB64url(cred.rawId),
    type: cred.type,
    authenticatorAttachment: cred.authenticatorAttachment ?? undefined,
    clientExtensionResults: cred.getClientExtensionResults(),
    response: {
      clientDataJSON: bytesToB64url(r.clientDataJSON),
      attestationObject: bytesToB64url(r.attestationObject),
      transports: typeof r.getTransports === 'function' ? r.getTransports() : undefined,
    },
  };
}

/** navigator.credentials.get with the server's options; the answer as JSON. */
export async function getPasskey(options: Json): Promise<Json> {
  const pk = options.publicKey as Json;
  const publicKey = {
    ...pk,
    challenge: b64urlToBytes(String(pk.challenge)),
    allowCredentials: descriptors(pk.allowCredentials),
  } as unknown as PublicKeyCredentialRequestOptions;
  const cred = (await navigator.credentials.get({ publicKey })) as PublicKeyCredential | null;
  if (!cred) throw new Error('no credential');
  const r = cred.response as AuthenticatorAssertionResponse;
  return {
    id: cred.id,
    rawId: bytesToB64url(cred.rawId),
    type: cred.type,
    authenticatorAttachment: cred.authenticatorAttachment ?? undefined,
    clientExtensionResults: cred.getClientExtensionResults(),
    response: {
      clientDataJSON: bytesToB64url(r.clientDataJSON),
      authenticatorData: bytesToB64url(r.authenticatorData),
      signature: bytesToB64url(r.signature),
      userHandle: r.userHandle ? bytesToB64url(r.userHandle) : undefined,
    },
  };
}

/** The user closed the browser's passkey dialog (or it timed out): not an error worth a red box. */
export function cancelled(err: unknown): boolean {
  return err instanceof DOMException && (err.name === 'NotAllowedError' || err.name === 'AbortError');
}

/** Sign in with a passkey alone (no e-mail typed: the passkey names the account). */
export async function signInWithPasskey(): Promise<Schemas['TokenResponse']> {
  const b = await api.POST('/api/v1/auth/passkeys/login/begin', {});
  if (b.error || !b.data) throw toApiError(b.error, b.response);
  const credential = await getPasskey(b.data.options as Json);
  const r = await api.POST('/api/v1/auth/passkeys/login/finish', { body: { ceremony_id: b.data.ceremony_id, credential } });
  if (r.error || !r.data) throw toApiError(r.error, r.response);
  return r.data;
}

/** The passkey as the second step of a sign-in (after the password). */
export async function verifyWithPasskey(mfaToken: string): Promise<Schemas['TokenResponse']> {
  const headers = bearer(mfaToken);
  const b = await api.POST('/api/v1/auth/passkeys/verify/begin', { headers });
  if (b.error || !b.data) throw toApiError(b.error, b.response);
  const credential = await getPasskey(b.data.options as Json);
  const r = await api.POST('/api/v1/auth/passkeys/verify/finish', { body: { ceremony_id: b.data.ceremony_id, credential }, headers });
  if (r.error || !r.data) throw toApiError(r.error, r.response);
  return r.data;
}

/** Registers a passkey: signed in (the password is then required) or during sign-in (mfaToken). */
export async function registerPasskey(input: {
  name: string;
  password?: string;
  mfaToken?: string;
  code?: string;
}): Promise<Schemas['PasskeyRegistration']> {
  const headers = input.mfaToken ? bearer(input.mfaToken) : undefined;
  const b = await api.POST('/api/v1/auth/passkeys/register/begin', {
    body: { name: input.name, ...(input.password ? { password: input.password } : {}) },
    headers,
  });
  if (b.error || !b.data) throw toApiError(b.error, b.response);
  const credential = await createPasskey(b.data.options as Json);
  const r = await api.POST('/api/v1/auth/passkeys/register/finish', {
    body: { ceremony_id: b.data.ceremony_id, credential, ...(input.code ? { code: input.code } : {}) },
    headers,
  });
  if (r.error || !r.data) throw toApiError(r.error, r.response);
  return r.data;
}
