// The offline queue (issue 24): a log entry whose POST could not reach the server (offline, or the request
// failed on the network) is kept on this device, encrypted (crypto.ts), and sent with the same Idempotency-Key
// when the link returns (the `online` event, and a retry timer with backoff): the server creates it once however
// often it arrives. A refusal (4xx) is kept on the entry and shown; it is not retried. An entry may carry files
// (Blobs, e.g. a photo taken in the form) that the registered uploader (the resumable tus upload,
// timeline/photoEvent.ts) sends first; the evidence ids it returns are added to the event. Each id is kept
// (sealed) on the entry as soon as its upload is done, so a retry after a partial success (a photo stored, the
// link cut before the next photo or the event) never stores a photo twice. Only the number of entries is kept in the clear
// (localStorage `habeas.offline.pending`), so a page opened offline can say how many wait.
import { api, HttpError, toApiError } from '../api/client';
import type { components } from '../api/schema';
import { del, get, getAll, put, wipeCount } from './idb';
import { draftKey, open, openJSON, seal, sealJSON, type Sealed } from './crypto';

export type EventBody = components['schemas']['EventInput'];
/** How a queued file is stored as evidence: its title, kind, confidentiality; `lastModified` keeps the file's
 * identity (the tus resume fingerprint) the same on every attempt, so a cut upload resumes. */
export type AttachmentMeta = { title: string; kind?: string; confidential?: boolean; lastModified?: number };
export type Attachment = { name: string; type: string; blob: Blob; meta?: AttachmentMeta };
/** Uploads one attachment of a case's queued entry (with its own idempotency key) and returns its evidence id. */
export type AttachmentUploader = (caseId: string, a: Attachment, key: string) => Promise<string>;

type Payload = { caseId: string; body: EventBody; attachments: Array<{ name: string; type: string; meta?: AttachmentMeta }> };
export type StoredEntry = {
  id: string; // the Idempotency-Key
  createdAt: number;
  state: 'pending' | 'refused';
  /** The refusal (status and code only: no text from the server is stored). */
  error?: { status: number; code: string };
  payload: Sealed;
  files: Sealed[];
  /** The evidence ids of the files already uploaded, by index (sealed JSON of (string | null)[]). */
  uploaded?: Sealed;
};
export type Entry = {
  id: string;
  createdAt: number;
  state: StoredEntry['state'] | 'unreadable';
  error?: StoredEntry['error'];
  caseId?: string;
  body?: EventBody;
};

export const PENDING_KEY = 'habeas.offline.pending';

const listeners = new Set<() => void>();
const sentListeners = new Set<() => void>();

/** Calls l after entries were sent (the page refetches what it shows). */
export function onSent(l: () => void): () => void {
  sentListeners.add(l);
  return () => sentListeners.delete(l);
}
let uploader: AttachmentUploader | null = null;

export function registerAttachmentUploader(fn: AttachmentUploader | null) {
  uploader = fn;
}

/** The number of entries waiting (or refused) on this device, readable without the key. */
export function pendingCount(): number {
  return Number(localStorage.getItem(PENDING_KEY) ?? '0') || 0;
}
export function subscribe(l: () => void): () => void {
  listeners.add(l);
  return () => listeners.delete(l);
}
async function recount() {
  const n = (await getAll<StoredEntry>('queue')).length;
  if (n) localStorage.setItem(PENDING_KEY, String(n));
  else localStorage.removeItem(PENDING_KEY);
  for (const l of listeners) l();
}

/** A fetch that got no answer at all (offline, DNS, reset): TypeError from fetch. */
export function isNetworkError(e: unknown): boolean {
  return e instanceof TypeError;
}

/** Stores an entry, encrypted. Throws when there is no key (offline since the page opened, before any sign-in). */
export async function enqueue(id: string, caseId: string, body: EventBody, attachments: Attachment[] = []): Promise<void> {
  const since = wipeCount(); // signed out while sealing: nothing is written (idb.ts put)
  const k = await draftKey();
  if (!k) throw new Error('no device key: cannot keep the entry on this device');
  const files = await Promise.all(attachments.map(async (a) => seal(k, await a.blob.arrayBuffer())));
  const payload = await sealJSON(k, { caseId, body, attachments: attachments.map(({ name, type, meta }) => ({ name, type, meta })) } satisfies Payload);
  await put<StoredEntry>('queue', { id, createdAt: Date.now(), state: 'pending', payload, files }, since);
  await recount();
  schedule(0);
}

/** The entries, decrypted. One sealed under another session (a tab still signed in as someone else, or a
 * session that has ended) cannot be read: it is listed as such and never deleted here (only discarded by hand,
 * or with everything at sign-out), so another tab's entries are not lost. */
export async function entries(): Promise<Entry[]> {
  const k = await draftKey();
  if (!k) return [];
  const out: Entry[] = [];
  for (const e of (await getAll<StoredEntry>('queue')).sort((a, b) => a.createdAt - b.createdAt)) {
    try {
      const p = await openJSON<Payload>(k, e.payload);
      out.push({ id: e.id, createdAt: e.createdAt, state: e.state, error: e.error, caseId: p.caseId, body: p.body });
    } catch {
      out.push({ id: e.id, createdAt: e.createdAt, state: 'unreadable' });
    }
  }
  await recount();
  return out;
}

export async function discard(id: string): Promise<void> {
  await del('queue', id);
  await recount();
}

/** POSTs an event with its key. Returns the answer, or throws: a network error (TypeError) or an HttpError. */
export async function postEvent(caseId: string, body: EventBody, key: string) {
  const r = await api.POST('/api/v1/cases/{id}/events', { params: { path: { id: caseId } }, body, headers: { 'Idempotency-Key': key } });
  if (r.error !== undefined || !r.data) throw toApiError(r.error, r.response);
  return r.data;
}

/** The form's save: sends the entry now, or keeps it on the device when the network fails. A refusal throws. */
export async function sendOrQueue(caseId: string, body: EventBody, attachments: Attachment[] = []): Promise<{ queued: boolean }> {
  const key = crypto.randomUUID();
  if (!navigator.onLine) {
    await enqueue(key, caseId, body, attachments);
    return { queued: true };
  }
  try {
    if (attachments.length) {
      if (!uploader) throw new Error('no uploader for attachments');
      // Each stored file moves from the attachments to the body at once: queued after a cut, it is not sent again.
      while (attachments.length) {
        const id = await uploader(caseId, attachments[0]!, `${key}:${body.evidence_ids?.length ?? 0}`);
        body = { ...body, evidence_ids: [...(body.evidence_ids ?? []), id] };
        attachments = attachments.slice(1);
      }
    }
    await postEvent(caseId, body, key);
    return { queued: false };
  } catch (e) {
    if (!isNetworkError(e)) throw e;
    await enqueue(key, caseId, body, attachments);
    return { queued: true };
  }
}

/** An entry deleted while its files were being uploaded. */
class Discarded extends Error {}

let flushing: Promise<void> | null = null;
let timer: ReturnType<typeof setTimeout> | undefined;
let failures = 0;

/** Sends what waits, in order; stops at the first network failure and retries later (5 s doubling to 5 min). */
export function flush(): Promise<void> {
  flushing ??= run().finally(() => {
    flushing = null;
  });
  return flushing;
}

/** Stops the retry timer (sign-out wipes the queue; tests end). */
export function stopRetries() {
  clearTimeout(timer);
  failures = 0;
}

function schedule(ms: number) {
  clearTimeout(timer);
  timer = setTimeout(() => void flush(), ms);
}

async function run(): Promise<void> {
  const since = wipeCount(); // signed out during the run: its updates are not written back (idb.ts put)
  const k = await draftKey();
  if (!k) return;
  let sent = 0;
  for (let stored of (await getAll<StoredEntry>('queue')).sort((a, b) => a.createdAt - b.createdAt)) {
    if (stored.state !== 'pending') continue;
    let p: Payload;
    try {
      p = await openJSON<Payload>(k, stored.payload);
    } catch {
      continue; // another session's entry (another tab may send it): left alone
    }
    try {
      let body = p.body;
      if (p.attachments.length) {
        if (!uploader) continue; // registered when the signed-in app starts (OfflineStatus)
        const ids: Array<string | null> = stored.uploaded ? await openJSON<Array<string | null>>(k, stored.uploaded) : [];
        for (const [i, a] of p.attachments.entries()) {
          if (ids[i]) continue; // stored by an earlier attempt
          const bytes = await open(k, stored.files[i]!);
          ids[i] = await uploader(p.caseId, { ...a, blob: new Blob([bytes], { type: a.type }) }, `${stored.id}:${i}`);
          // Discarded meanwhile (the list's Discard, sign-out): not brought back, not sent.
          if (!(await get<StoredEntry>('queue', stored.id))) throw new Discarded();
          stored = { ...stored, uploaded: await sealJSON(k, ids) };
          await put<StoredEntry>('queue', stored, since);
        }
        body = { ...body, evidence_ids: [...(body.evidence_ids ?? []), ...ids.filter((x): x is string => !!x)] };
      }
      await postEvent(p.caseId, body, stored.id);
      await del('queue', stored.id);
      sent++;
      failures = 0;
    } catch (e) {
      if (e instanceof Discarded) continue;
      const status = e instanceof HttpError ? e.status : undefined;
      if (e instanceof HttpError && status !== undefined && status >= 400 && status < 500 && status !== 408 && status !== 429) {
        await put<StoredEntry>('queue', { ...stored, state: 'refused', error: { status, code: e.body?.code ?? '' } }, since);
        continue;
      }
      failures++;
      schedule(Math.min(5000 * 2 ** (failures - 1), 300_000));
      break;
    }
  }
  await recount();
  if (sent) for (const l of sentListeners) l();
}

let started = false;
/** Starts sending: now, whenever the browser says the link is back, and on the retry timer. */
export function startQueue() {
  if (started) return;
  started = true;
  window.addEventListener('online', () => {
    failures = 0;
    void flush();
  });
  void recount().then(() => flush());
}
