import { apiBase, authFetch, toApiError, type Schemas } from '../api/client';
import { browserHashLimit, sha256Hex } from './upload';

/** The hex SHA-256 carried by an RFC 9530 Repr-Digest header (`sha-256=:<base64>:`), or null. */
export function reprDigestHex(header: string | null): string | null {
  const m = header?.match(/sha-256=:([A-Za-z0-9+/=]+):/);
  if (!m?.[1]) return null;
  try {
    return [...atob(m[1])].map((c) => c.charCodeAt(0).toString(16).padStart(2, '0')).join('');
  } catch {
    return null;
  }
}

export type Downloaded = { blob: Blob; checked: boolean };

/**
 * Fetches an item's content with the session, checks the bytes against the recorded SHA-256 (when small
 * enough to hash here; the server checks every download too) and returns them. A wrong or short body
 * throws: it is never saved.
 */
export async function fetchEvidence(item: Schemas['Evidence']): Promise<Downloaded> {
  const url = `${apiBase}/api/v1/cases/${encodeURIComponent(item.case_id)}/evidence/${encodeURIComponent(item.id)}/content`;
  const res = await authFetch(new Request(url));
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
  const expected = reprDigestHex(res.headers.get('Repr-Digest')) ?? item.sha256;
  if (blob.size !== item.size) throw new IntegrityError();
  const local = await sha256Hex(blob, browserHashLimit);
  if (local && (local !== expected || local !== item.sha256)) throw new IntegrityError();
  return { blob, checked: local !== null };
}

/** The downloaded bytes do not match the recorded hash or size. */
export class IntegrityError extends Error {
  constructor() {
    super('integrity');
  }
}

/** Saves a blob under a filename through a temporary object URL (an attachment, never opened inline). */
export function saveBlob(blob: Blob, filename: string) {
  const href = URL.createObjectURL(new Blob([blob], { type: 'application/octet-stream' }));
  const a = document.createElement('a');
  a.href = href;
  a.download = filename || 'evidence';
  a.rel = 'noopener';
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(href), 60_000);
}

/**
 * Saves an item's content straight to disk (issue 24): asks the server for a single-use link (valid a
 * minute) and lets the browser navigate to it; the file streams to disk, never held in memory here. The
 * server verifies the SHA-256 while streaming and cuts the connection on a mismatch, so the browser shows
 * a failed download, never a complete wrong file; the browser cannot compare the hash itself this way.
 */
export async function downloadToDisk(item: Schemas['Evidence'], click: (href: string, filename: string) => void = followLink) {
  const url = `${apiBase}/api/v1/cases/${encodeURIComponent(item.case_id)}/evidence/${encodeURIComponent(item.id)}/download-link`;
  const res = await authFetch(new Request(url, { method: 'POST' }));
  let body: unknown;
  try {
    body = await res.json();
  } catch {
    body = undefined;
  }
  if (!res.ok) throw toApiError(body, res);
  click(`${apiBase}${(body as Schemas['EvidenceDownloadLink']).url}`, item.filename);
}

/** Navigates a hidden link to href as a download (the server sends it as an attachment). */
function followLink(href: string, filename: string) {
  const a = document.createElement('a');
  a.href = href;
  a.download = filename || 'evidence';
  a.rel = 'noopener noreferrer';
  document.body.appendChild(a);
  a.click();
  a.remove();
}
