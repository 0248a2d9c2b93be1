// Habeas service worker (issue 24): keeps the app shell on the device so the app opens and reloads offline.
// The shell only: index.html, the hashed build files (scripts, styles, language files; the script fonts once a
// page used them), the manifest and icons. Nothing under /api/ is ever cached or answered from here: case data goes to the network or fails.
// The build (vite.config.ts, serviceWorker()) replaces __VERSION__ with a hash of the file list and __SHELL__
// with the list. A new version waits until the page asks it to take over ("update available, reload").
const VERSION = __VERSION__;
const SHELL = __SHELL__;
const CACHE = 'habeas-shell-' + VERSION;

self.addEventListener('install', (event) => {
  event.waitUntil(
    (async () => {
      const cache = await caches.open(CACHE);
      await cache.addAll(SHELL.map((p) => new Request(p, { cache: 'reload' })));
      // The first worker takes over at once; an update waits for the page's word (SKIP_WAITING).
      if (!self.registration.active) await self.skipWaiting();
    })(),
  );
});

self.addEventListener('activate', (event) => {
  event.waitUntil(
    (async () => {
      for (const name of await caches.keys()) if (name !== CACHE) await caches.delete(name);
      await self.clients.claim();
    })(),
  );
});

self.addEventListener('message', (event) => {
  if (event.data === 'SKIP_WAITING') void self.skipWaiting();
});

self.addEventListener('fetch', (event) => {
  const req = event.request;
  if (req.method !== 'GET') return;
  const url = new URL(req.url);
  if (url.origin !== self.location.origin) return;
  if (url.pathname === '/api' || url.pathname.startsWith('/api/')) return; // never cached, never answered here
  if (req.mode === 'navigate') {
    // Pages: the network first (a fresh index.html), the cached shell when offline.
    event.respondWith(
      fetch(req).catch(async () => (await caches.match('/index.html', { cacheName: CACHE, ignoreVary: true })) || Response.error()),
    );
    return;
  }
  // Shell files: from the cache, else the network. Hashed files not in the list (the script fonts, fetched only
  // when a page shows such text) are kept once used; they never change under their name.
  event.respondWith(
    (async () => {
      const hit = await caches.match(req, { cacheName: CACHE, ignoreVary: true });
      if (hit) return hit;
      const res = await fetch(req);
      if (res.ok && url.pathname.startsWith('/assets/')) {
        const copy = res.clone();
        event.waitUntil(caches.open(CACHE).then((c) => c.put(req, copy)));
      }
      return res;
    })(),
  );
});
