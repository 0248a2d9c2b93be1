// Encryption of what the app keeps on the device (issue 24): AES-256-GCM with the session's draft key. The
// server derives the key from its secret and the session id and sends it with each sign-in and refresh
// (`draft_key`); it is imported here as a non-extractable CryptoKey held in this module's memory only, so no
// script can read it back and it dies with the page. After a reload the refresh brings the same key back;
// after sign-out the session is gone and nothing left on the device can be decrypted.
import { authStore } from '../auth/store';
import { refreshAccess } from '../api/refresh';

export type Sealed = { iv: Uint8Array; data: ArrayBuffer };

let key: CryptoKey | null = null;

function fromB64url(s: string): Uint8Array<ArrayBuffer> {
  const b = atob(s.replace(/-/g, '+').replace(/_/g, '/'));
  const out = new Uint8Array(b.length);
  for (let i = 0; i < b.length; i++) out[i] = b.charCodeAt(i);
  return out;
}

/** Imports a draft key (base64url, 32 bytes) as a non-extractable AES-GCM key. */
export async function importDraftKey(b64: string): Promise<CryptoKey> {
  const raw = fromB64url(b64);
  try {
    return await crypto.subtle.importKey('raw', raw, { name: 'AES-GCM' }, false, ['encrypt', 'decrypt']);
  } finally {
    raw.fill(0);
  }
}

/** Takes a key the store holds (a new sign-in or refresh brought one). */
async function takeNew(): Promise<void> {
  const k = authStore.takeDraftKey();
  if (k) key = await importDraftKey(k);
}

/** The session's key; a refresh asks the server for it when none came with the sign-in. Null when offline
 * before any key arrived, or signed out. */
export async function draftKey(): Promise<CryptoKey | null> {
  if (authStore.isLeaving()) return null; // signing out: nothing more is sealed (a write now would outlive the wipe)
  await takeNew();
  if (!key && authStore.getStatus() === 'signedIn' && (await refreshAccess())) await takeNew();
  return authStore.isLeaving() ? null : key;
}

/** Forgets the key (sign-out). */
export function forgetKey() {
  key = null;
  authStore.takeDraftKey();
}

/** For tests: use this key. */
export function setKeyForTest(k: CryptoKey | null) {
  key = k;
}

export async function seal(k: CryptoKey, plain: ArrayBuffer | Uint8Array<ArrayBuffer>): Promise<Sealed> {
  const iv = crypto.getRandomValues(new Uint8Array(12));
  // A copy in this realm's types (a Blob's buffer may come from another one, e.g. in tests).
  const bytes = new Uint8Array(plain.byteLength);
  bytes.set(plain instanceof Uint8Array ? plain : new Uint8Array(plain));
  return { iv, data: await crypto.subtle.encrypt({ name: 'AES-GCM', iv }, k, bytes) };
}

/** Throws when the key is not the one it was sealed with (another session) or the data was altered. */
export async function open(k: CryptoKey, s: Sealed): Promise<ArrayBuffer> {
  return crypto.subtle.decrypt({ name: 'AES-GCM', iv: new Uint8Array(s.iv) }, k, s.data);
}

export async function sealJSON(k: CryptoKey, v: unknown): Promise<Sealed> {
  return seal(k, new TextEncoder().encode(JSON.stringify(v)));
}

export async function openJSON<T>(k: CryptoKey, s: Sealed): Promise<T> {
  return JSON.parse(new TextDecoder().decode(await open(k, s))) as T;
}
