import { acceptLanguage, apiBase, refreshAccess, HttpError, type ApiError, type Schemas } from '../api/client';
import { authStore } from '../auth/store';
import { postWithProgress, type Progress } from '../evidence/upload';

export type OnError = 'abort' | 'skip';

export type ImportOptions = {
  /** CSV column -> field ("-" ignores the column). */
  mapping: Record<string, string>;
  dryRun: boolean;
  onError: OnError;
};

/** The multipart body of an import: the options first (the server reads them before the streamed file). */
export function importForm(file: Blob & { name?: string }, o: ImportOptions): FormData {
  const f = new FormData();
  f.append('mapping', JSON.stringify(o.mapping));
  f.append('dry_run', String(o.dryRun));
  f.append('on_error', o.onError);
  f.append('file', file, file.name ?? 'import.csv');
  return f;
}

/**
 * Uploads a CSV to POST /detainees/import with upload progress (XMLHttpRequest). A 401 refreshes the
 * session (or waits for a new sign-in) and sends the file again: an import is not stored on a 401, so
 * nothing is imported twice. Any answer but 200 is thrown as an HttpError (400 import_failed carries the
 * rejected lines in `fields`).
 */
export async function uploadImport(
  file: Blob & { name?: string },
  o: ImportOptions,
  onProgress: (p: Progress) => void,
  opts: { signal?: AbortSignal; makeXhr?: () => XMLHttpRequest } = {},
): Promise<Schemas['ImportResult']> {
  const url = `${apiBase}/api/v1/detainees/import`;
  const attempt = () => {
    const headers: Record<string, string> = { 'Accept-Language': acceptLanguage() };
    const token = authStore.getToken();
    if (token) headers.Authorization = `Bearer ${token}`;
    return postWithProgress(url, importForm(file, o), headers, onProgress, opts.signal, opts.makeXhr);
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
  if (res.status !== 200) {
    const body = res.body && typeof res.body === 'object' && 'code' in res.body ? (res.body as ApiError) : undefined;
    throw new HttpError(res.status, body);
  }
  return res.body as Schemas['ImportResult'];
}
