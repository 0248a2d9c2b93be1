// Drafts of forms (issue 24): the half-written log-event form survives a reload. Kept in IndexedDB encrypted
// with the session's key (crypto.ts); removed when the form is saved or cancelled, and with everything else at
// sign-out. A draft sealed under another session cannot be decrypted and is ignored (another tab may own it).
import { useCallback, useEffect, useRef } from 'react';
import { del, get, put, wipeCount } from './idb';
import { draftKey, openJSON, sealJSON, type Sealed } from './crypto';

type StoredDraft = { id: string; savedAt: number; data: Sealed };

// How many times each draft was cleared (its form saved or cancelled) in this page: a save that began before a
// clear is dropped (the form's last debounced save may still be sealing when the entry is saved and the draft
// cleared; written after the clear, it would reopen the form with the sent text: seen in the e2e sweep).
const clears = new Map<string, number>();

export async function saveDraft(id: string, value: unknown): Promise<void> {
  const since = wipeCount(); // a sign-out while this seals drops the write (idb.ts put)
  const gen = clears.get(id) ?? 0;
  const k = await draftKey();
  if (!k) return;
  const data = await sealJSON(k, value);
  await put<StoredDraft>('drafts', { id, savedAt: Date.now(), data }, since, () => (clears.get(id) ?? 0) === gen);
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
  clears.set(id, (clears.get(id) ?? 0) + 1);
  await del('drafts', id);
}

/** Restores the draft `id` once (restore gets it), then saves `value` (debounced) while it changes. Returns the
 * form's clear (on save or cancel): from then on this form saves no draft, even one whose delay is running. */
export function useDraft<T>(id: string, value: T, restore: (v: T) => void): () => Promise<void> {
  const ready = useRef(false);
  const stopped = useRef(false);
  const restoreRef = useRef(restore);
  restoreRef.current = restore;
  useEffect(() => {
    let live = true;
    void loadDraft<T>(id)
      .then((v) => {
        if (live && v && !stopped.current) restoreRef.current(v);
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
    if (!ready.current || stopped.current) return;
    const t = setTimeout(() => {
      if (!stopped.current) void saveDraft(id, JSON.parse(json)).catch(() => {});
    }, 400);
    return () => clearTimeout(t);
  }, [id, json]);
  return useCallback(() => {
    stopped.current = true;
    return clearDraft(id);
  }, [id]);
}
