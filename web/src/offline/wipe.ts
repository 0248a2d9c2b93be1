// Sign-out (issue 24): nothing the session kept stays on the device: the IndexedDB database (queue and drafts),
// the pending count, the key in memory, and every cache but the app shell (the shell holds no case data; any
// /api/ response found in it is removed too, although the service worker never stores one).
import { authStore } from '../auth/store';
import { deleteDB } from './idb';
import { forgetKey } from './crypto';
import { PENDING_KEY } from './queue';

export async function wipeDevice(): Promise<void> {
  authStore.beginSignOut(); // from here no refresh is sent and no key taken, so nothing new is sealed or written
  forgetKey();
  localStorage.removeItem(PENDING_KEY);
  await deleteDB();
  if (typeof caches === 'undefined') return;
  for (const name of await caches.keys()) {
    if (!name.startsWith('habeas-shell-')) {
      await caches.delete(name);
      continue;
    }
    const c = await caches.open(name);
    for (const r of await c.keys()) if (new URL(r.url).pathname.startsWith('/api/')) await c.delete(r);
  }
}
