import { apiBase, authFetch, toApiError } from '../api/client';

/** The filename of a Content-Disposition header (RFC 6266 `filename*` first), or the fallback. */
export function filenameFrom(header: string | null, fallback: string): string {
  if (!header) return fallback;
  const star = /filename\*\s*=\s*(?:UTF-8|utf-8)''([^;]+)/.exec(header);
  if (star?.[1]) {
    try {
      return sanitize(decodeURIComponent(star[1].trim())) || fallback;
    } catch {
      /* fall through */
    }
  }
  const plain = /filename\s*=\s*(?:"((?:[^"\\]|\\.)*)"|([^;]+))/.exec(header);
  const name = plain?.[1]?.replace(/\\(.)/g, '$1') ?? plain?.[2]?.trim();
  return (name && sanitize(name)) || fallback;
}

/** No path separators or control characters in a saved name. */
function sanitize(name: string): string {
  // eslint-disable-next-line no-control-regex
  return name.replace(/[/\\\u0000-\u001f]/g, '_').trim();
}

export type Pdf = { blob: Blob; filename: string };

/** Fetches a PDF through the session (refresh / sign-in retry included); an API error is thrown as HttpError. */
export function fetchPdf(path: string, query: Record<string, string>, fallback: string): Promise<Pdf> {
  return fetchFile(path, query, 'application/pdf', fallback);
}

/** Fetches a download (JSON, CSV, PDF) through the session; an API error is thrown as HttpError. */
export async function fetchFile(path: string, query: Record<string, string>, accept: string, fallback: string): Promise<Pdf> {
  const qs = new URLSearchParams(query).toString();
  const res = await authFetch(new Request(`${apiBase}${path}${qs ? `?${qs}` : ''}`, { headers: { Accept: accept } }));
  if (!res.ok) {
    let body: unknown;
    try {
      body = await res.json();
    } catch {
      body = undefined;
    }
    throw toApiError(body, res);
  }
  const blob = await res.blob();
  return { blob, filename: filenameFrom(res.headers.get('Content-Disposition'), fallback) };
}
