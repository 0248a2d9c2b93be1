// A few promises over IndexedDB (issue 24): one database, `habeas-offline`, with the offline queue and the form
// drafts. Values are stored already encrypted (crypto.ts); only ids, times and states are in the clear.
export const DB_NAME = 'habeas-offline';
export type StoreName = 'queue' | 'drafts';

let opening: Promise<IDBDatabase> | null = null;
let wipes = 0;

/** How many times this page deleted the database (sign-out). A writer notes it when it starts and passes it to
 * put: a write that began before a deletion and reaches put after it is dropped, since it would create the
 * database again holding a record of the ended session. */
export function wipeCount(): number {
  return wipes;
}

function req<T>(r: IDBRequest<T>): Promise<T> {
  return new Promise((resolve, reject) => {
    r.onsuccess = () => resolve(r.result);
    r.onerror = () => reject(r.error ?? new Error('IndexedDB request failed'));
  });
}

export function openDB(): Promise<IDBDatabase> {
  opening ??= new Promise<IDBDatabase>((resolve, reject) => {
    const r = indexedDB.open(DB_NAME, 1);
    r.onupgradeneeded = () => {
      r.result.createObjectStore('queue', { keyPath: 'id' });
      r.result.createObjectStore('drafts', { keyPath: 'id' });
    };
    r.onsuccess = () => {
      const db = r.result;
      // Another tab deletes the database (sign-out): let it.
      db.onversionchange = () => {
        db.close();
        opening = null;
      };
      resolve(db);
    };
    r.onerror = () => {
      opening = null;
      reject(r.error ?? new Error('IndexedDB open failed'));
    };
  });
  return opening;
}

async function store(name: StoreName, mode: IDBTransactionMode): Promise<IDBObjectStore> {
  return (await openDB()).transaction(name, mode).objectStore(name);
}

/** Writes value unless the device was wiped since the writer began (`since`, from wipeCount) or `still` says the
 * write is no longer wanted. Both are checked again once the database is open, in the same task as the write's
 * transaction is created: a delete issued after that check is ordered after the write and removes it. */
export async function put<T>(name: StoreName, value: T, since: number, still?: () => boolean): Promise<void> {
  if (since !== wipes) return; // signed out since the writer began (checked before the database is opened)
  const db = await openDB();
  if (since !== wipes || (still && !still())) return;
  await req(db.transaction(name, 'readwrite').objectStore(name).put(value));
}
export async function get<T>(name: StoreName, id: string): Promise<T | undefined> {
  return (await req((await store(name, 'readonly')).get(id))) as T | undefined;
}
export async function getAll<T>(name: StoreName): Promise<T[]> {
  return (await req((await store(name, 'readonly')).getAll())) as T[];
}
export async function del(name: StoreName, id: string): Promise<void> {
  await req((await store(name, 'readwrite')).delete(id));
}

/** Deletes the whole database (sign-out). Resolves once it is gone, or blocked by another tab (which closes it). */
export async function deleteDB(): Promise<void> {
  wipes++;
  if (opening) {
    try {
      (await opening).close();
    } catch {
      /* never opened */
    }
    opening = null;
  }
  await new Promise<void>((resolve) => {
    const r = indexedDB.deleteDatabase(DB_NAME);
    r.onsuccess = r.onerror = r.onblocked = () => resolve();
  });
}
