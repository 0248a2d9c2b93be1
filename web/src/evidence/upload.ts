import { acceptLanguage, apiBase, refreshAccess, HttpError, type ApiError, type Schemas } from '../api/client';
import { authStore } from '../auth/store';

/** Files up to this size are hashed in the browser to compare with the server's SHA-256. */
export const browserHashLimit = 200 * 1024 * 1024;

export type UploadMeta = {
  title: string;
  kind?: string;
  description?: string;
  source?: string;
  captured_at?: string;
  language?: string;
  confidential?: boolean;
};

export type Progress = { loaded: number; total: number };

/** The multipart body of an upload: metadata parts first, the file last (the server streams it). */
export function uploadForm(file: Blob & { name?: string }, meta: UploadMeta): FormData {
  const f = new FormData();
  f.append('title', meta.title.trim() || file.name || 'file');
  for (const k of ['kind', 'description', 'source', 'captured_at', 'language'] as const) {
    const v = meta[k]?.trim();
    if (v) f.append(k, v);
  }
  if (meta.confidential !== undefined) f.append('confidential', String(meta.confidential));
  f.append('file', file, file.name ?? 'file');
  return f;
}

/** Percentage (0-100, whole) of an upload; 0 while the total is unknown. */
export function percent(p: Progress | null | undefined): number {
  if (!p || p.total <= 0) return 0;
  return Math.min(100, Math.floor((p.loaded / p.total) * 100));
}

/** A kind guessed from the file's declared type, changeable by the user. */
export function guessKind(type: string): string {
  if (type.startsWith('image/')) return 'photo';
  if (type.startsWith('video/')) return 'video';
  if (type.startsWith('audio/')) return 'audio';
  return 'document';
}

type XhrResult = { status: number; body: unknown };

/**
 * One multipart POST with XMLHttpRequest (fetch cannot report upload progress everywhere).
 * Resolves with the status and the parsed JSON body; rejects with a TypeError on a network failure
 * and with an AbortError when signal aborts.
 */
export function postWithProgress(
  url: string,
  body: FormData,
  headers: Record<string, string>,
  onProgress: (p: Progress) => void,
  signal?: AbortSignal,
  makeXhr: () => XMLHttpRequest = () => new XMLHttpRequest(),
): Promise<XhrResult> {
  return new Promise((resolve, reject) => {
    const xhr = makeXhr();
    xhr.open('POST', url);
    xhr.withCredentials = apiBase !== '';
    for (const [k, v] of Object.entries(headers)) xhr.setRequestHeader(k, v);
    xhr.upload.onprogress = (e: ProgressEvent) => onProgress({ loaded: e.loaded, total: e.lengthComputable ? e.total : 0 });
    xhr.onload = () => {
      let parsed: unknown;
      try {
        parsed = xhr.responseText ? JSON.parse(xhr.responseText) : undefined;
      } catch {
        parsed = undefined;
      }
      resolve({ status: xhr.status, body: parsed });
    };
    xhr.onerror = () => reject(new TypeError('network error'));
    xhr.onabort = () => reject(new DOMException('aborted', 'AbortError'));
    signal?.addEventListener('abort', () => xhr.abort());
    xhr.send(body);
  });
}

/**
 * Uploads one file to a case, reporting progress. A 401 refreshes the session (or waits for a new
 * sign-in) and retries once with the same Idempotency-Key, so a retry never stores the file twice.
 */
export async function uploadEvidence(
  caseId: string,
  file: Blob & { name?: string },
  meta: UploadMeta,
  onProgress: (p: Progress) => void,
  opts: { signal?: AbortSignal; makeXhr?: () => XMLHttpRequest; key?: string } = {},
): Promise<Schemas['Evidence']> {
  const url = `${apiBase}/api/v1/cases/${encodeURIComponent(caseId)}/evidence`;
  const key = opts.key ?? crypto.randomUUID();
  const attempt = () => {
    const headers: Record<string, string> = { 'Idempotency-Key': key, 'Accept-Language': acceptLanguage() };
    const token = authStore.getToken();
    if (token) headers.Authorization = `Bearer ${token}`;
    return postWithProgress(url, uploadForm(file, meta), headers, onProgress, opts.signal, opts.makeXhr);
  };
  let res = await attempt();
  if (res.status === 401) {
    if (!(await refreshAccess())) {
      authStore.expired();
      await authStore.waitForSignIn();
    }
    onProgress({ loaded: 0, total: file.size });
    res = await attempt();
  }
  if (res.status !== 201) {
    const body = res.body && typeof res.body === 'object' && 'code' in res.body ? (res.body as ApiError) : undefined;
    throw new HttpError(res.status, body);
  }
  return res.body as Schemas['Evidence'];
}

/** Lowercase hex SHA-256 of a blob, or null when the browser cannot hash it (too big, or no crypto.subtle
 * outside a secure context). */
export async function sha256Hex(blob: Blob, limit = browserHashLimit): Promise<string | null> {
  if (blob.size > limit || typeof crypto === 'undefined' || !crypto.subtle) return null;
  const digest = await crypto.subtle.digest('SHA-256', new Uint8Array(await blob.arrayBuffer()));
  return [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, '0')).join('');
}

export type HashCheck = 'match' | 'mismatch' | 'serverOnly';

/** Compares the hash computed here with the server's; serverOnly when the browser could not compute it. */
export function compareHash(local: string | null | undefined, server: string): HashCheck {
  if (!local) return 'serverOnly';
  return local.toLowerCase() === server.toLowerCase() ? 'match' : 'mismatch';
}

/** The first and last characters of a hash, for display (the whole is copied). */
export function shortHash(h: string, n = 8): string {
  return h.length <= 2 * n ? h : `${h.slice(0, n)}…${h.slice(-n)}`;
}

/** A byte count in the user's locale with a binary unit. */
export function formatBytes(n: number, locale?: string): string {
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
  let v = n;
  let i = 0;
  while (v >= 1024 && i < units.length - 1) {
    v /= 1024;
    i++;
  }
  return `${new Intl.NumberFormat(locale, { maximumFractionDigits: i === 0 ? 0 : 1 }).format(v)} ${units[i]}`;
}
