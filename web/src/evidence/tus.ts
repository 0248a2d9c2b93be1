import { Upload, type HttpRequest } from 'tus-js-client';
import { acceptLanguage, apiBase, authFetch, refreshAccess, toApiError, HttpError, type ApiError, type Schemas } from '../api/client';
import { authStore } from '../auth/store';
import type { Progress, UploadMeta } from './upload';

export { clearResumeInfo } from './resume';

/**
 * Resumable evidence uploads over tus 1.0 (issue 24, docs/evidence.md): a dropped link is retried
 * after growing delays and the upload resumes where the server's offset says; a reload resumes it too
 * (the upload's URL is kept in localStorage under `tus::`, wiped on sign-out by clearResumeInfo).
 */

/** Waits before each new attempt after a failure (then the upload fails and the user may retry). */
export const retryDelays = [0, 1000, 3000, 5000, 10000, 20000, 30000, 60000];

/** Each PATCH carries at most this much: a cut link loses at most what was in flight. */
export const chunkSize = 5 * 1024 * 1024;

/** The tus metadata of an upload: the fields of the one-request upload plus filename and filetype. */
export function tusMetadata(file: Blob & { name?: string }, meta: UploadMeta): Record<string, string> {
  const m: Record<string, string> = { title: meta.title.trim() || file.name || 'file', filename: file.name ?? 'file' };
  if (file.type) m.filetype = file.type;
  for (const k of ['kind', 'description', 'source', 'captured_at', 'language'] as const) {
    const v = meta[k]?.trim();
    if (v) m[k] = v;
  }
  if (meta.confidential !== undefined) m.confidential = String(meta.confidential);
  return m;
}

/** Whether a failed request is worth another attempt: no answer at all (a dropped link), a 401 (after a
 * refresh), a conflict on the offset, or a server-side failure. A 4xx that names a problem is final. */
export function shouldRetry(status: number | undefined): boolean {
  if (!status) return true;
  return status === 401 || status === 409 || status === 423 || status === 429 || status >= 500;
}

/**
 * Uploads one file to a case with tus, reporting progress; resolves with the stored item (verified by the
 * server). A 401 refreshes the session (or waits for a new sign-in) before the next attempt. Aborting the
 * signal stops the upload and removes its partial data on the server.
 */
export function uploadResumable(
  caseId: string,
  file: File,
  meta: UploadMeta,
  onProgress: (p: Progress) => void,
  opts: { signal?: AbortSignal } = {},
): Promise<Schemas['Evidence']> {
  const endpoint = `${apiBase}/api/v1/cases/${encodeURIComponent(caseId)}/evidence/uploads`;
  let refresh = false;
  return new Promise((resolve, reject) => {
    const upload = new Upload(file, {
      endpoint,
      chunkSize,
      retryDelays,
      metadata: tusMetadata(file, meta),
      storeFingerprintForResuming: true,
      removeFingerprintOnSuccess: true,
      // One resume entry per case and file (name, size, date): another file never resumes this one.
      fingerprint: (f: File) => Promise.resolve(['habeas', caseId, f.name, f.size, f.lastModified, f.type].join('/')),
      onBeforeRequest: async (req: HttpRequest) => {
        if (refresh) {
          refresh = false;
          if (!(await refreshAccess())) {
            authStore.expired();
            await authStore.waitForSignIn();
          }
        }
        const token = authStore.getToken();
        if (token) req.setHeader('Authorization', `Bearer ${token}`);
        req.setHeader('Accept-Language', acceptLanguage());
        const xhr = req.getUnderlyingObject() as XMLHttpRequest | undefined;
        if (xhr && apiBase !== '') xhr.withCredentials = true;
      },
      onShouldRetry: (err) => {
        const status = (err as { originalResponse?: { getStatus(): number } | null }).originalResponse?.getStatus();
        if (status === 401) refresh = true;
        return shouldRetry(status);
      },
      onProgress: (loaded, total) => onProgress({ loaded, total }),
      onError: (err) => {
        const res = (err as { originalResponse?: { getStatus(): number; getBody(): string } | null }).originalResponse;
        if (!res) {
          reject(new TypeError('network error'));
          return;
        }
        let body: ApiError | undefined;
        try {
          const parsed = JSON.parse(res.getBody()) as unknown;
          if (parsed && typeof parsed === 'object' && 'code' in parsed) body = parsed as ApiError;
        } catch {
          body = undefined;
        }
        reject(new HttpError(res.getStatus(), body));
      },
      onSuccess: () => {
        void finished(upload.url).then(resolve, reject);
      },
    });
    opts.signal?.addEventListener('abort', () => {
      void upload.abort(true).catch(() => undefined); // true: DELETE the upload on the server
      reject(new DOMException('aborted', 'AbortError'));
    });
    void upload.findPreviousUploads().then((previous) => {
      if (previous[0]) upload.resumeFromPreviousUpload(previous[0]);
      upload.start();
    });
  });
}

/** Asks the server which item a completed upload became. */
async function finished(url: string | null): Promise<Schemas['Evidence']> {
  if (!url) throw new TypeError('no upload URL');
  const res = await authFetch(new Request(url));
  let body: unknown;
  try {
    body = await res.json();
  } catch {
    body = undefined;
  }
  if (!res.ok) throw toApiError(body, res);
  const item = (body as { item?: Schemas['Evidence'] | null }).item;
  if (!item) throw new HttpError(409, { code: 'upload_incomplete', message: 'the upload is not complete', request_id: '' } as ApiError);
  return item;
}
