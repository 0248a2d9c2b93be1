// Drafts of forms (issue 24): the half-written log-event form survives a reload. Kept in IndexedDB encrypted
// with the session's key (crypto.ts); removed when the form is saved or cancelled, and with everything else at
// sign-out. A draft sealed under another session cannot be decrypted and is ignored (another tab may own it).
import { useEffect, useRef } from 'react';
import { del, get, put, wipeCount } from './idb';
import { draftKey, openJSON, sealJSON, type Sealed } from './crypto';

type StoredDraft = { id: string; savedAt: number; data: Sealed };

export async function saveDraft(id: string, value: unknown): Promise<void> {
  const since = wipeCount(); // a sign-out while this seals drops the write (idb.ts put)
  const k = await draftKey();
  if (!k) return;
  await put<StoredDraft>('drafts', { id, savedAt: Date.now(), data: await sealJSON(k, value) }, since);
}

export async function loadDraft<T>(id: string): Promise<T | null> {
  const d = await get<StoredDraft>('drafts', id);
  if (!d) return null;
  const k = await draftKey();
  if (!k) return null;
  try {
    return await openJSON<T>(k, d.data);
  } catch {
    return null; // another session's (another tab's): left alone; wiped at sign-out
  }
}

export async function hasDraft(id: string): Promise<boolean> {
  try {
    return (await get<StoredDraft>('drafts', id)) !== undefined;
  } catch {
    return false;
  }
}

export async function clearDraft(id: string): Promise<void> {
  await del('drafts', id);
}

/** Restores the draft `id` once (restore gets it), then saves `value` (debounced) while it changes. */
export function useDraft<T>(id: string, value: T, restore: (v: T) => void) {
  const ready = useRef(false);
  const restoreRef = useRef(restore);
  restoreRef.current = restore;
  useEffect(() => {
    let live = true;
    void loadDraft<T>(id)
      .then((v) => {
        if (live && v) restoreRef.current(v);
      })
      .catch(() => {})
      .finally(() => {
        ready.current = true;
      });
    return () => {
      live = false;
    };
  }, [id]);
  const json = JSON.stringify(value);
  useEffect(() => {
    if (!ready.current) return;
    const t = setTimeout(() => void saveDraft(id, JSON.parse(json)).catch(() => {}), 400);
    return () => clearTimeout(t);
  }, [id, json]);
}
