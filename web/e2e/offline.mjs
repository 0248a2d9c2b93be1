// Issue 24, item 2: the installable, offline-tolerant app. Called by run.mjs near the end (it signs out).
// On a page of its own: the service worker controls the page and holds no /api/ response; offline, an event
// logged with a photo is kept on the device ("will send" + the pending badge), sign-out warns about it; a
// half-written entry and the queue survive a reload served by the worker while offline; back online the photo
// is uploaded and the event created exactly once (checked through the API: one event, one evidence id, one
// stored item whose SHA-256 is that of the attached file) and the badge clears; sign-out leaves no /api/
// response in CacheStorage and no IndexedDB database.
import { createHash } from 'node:crypto';
import { pngBytes } from './phone.mjs';

export async function offlineFlow({ context, step, axe, caseUrl, signIn }) {
  const p = await context.newPage();
  const logs = [];
  p.on('console', (m) => logs.push(`${m.type()}: ${m.text()}`));
  p.on('pageerror', (e) => logs.push(`pageerror: ${e}`));
  p.on('response', (r) => {
    if (/\/api\/v1\/(auth\/refresh|cases\/[^/]+\/(events|evidence))/.test(r.url())) logs.push(`${r.request().method()} ${r.url()} ${r.status()}`);
  });
  p.on('requestfailed', (r) => {
    if (r.url().includes('/api/')) logs.push(`failed ${r.request?.()?.method?.() ?? r.method()} ${r.url()}`);
  });
  // A failure says what the page showed and logged (the run's screenshot is of the main page).
  const explain = (fn) => async () => {
    try {
      await fn();
    } catch (e) {
      await p.screenshot({ path: `test-results/offline-page-${Date.now()}.png`, fullPage: true }).catch(() => {});
      const shown = await p.locator('main').innerText().catch(() => '');
      throw new Error(`${e.message}\n--- page: ${shown.slice(0, 1500)}\n--- console: ${logs.slice(-15).join('\n')}`);
    }
  };
  const stamp = Date.now().toString(36);
  const text = `Offline entry ${stamp} 离线记录`;
  const draft = `Half written ${stamp}`;
  // The case's events with this text, through the API (a refresh with the session cookie gives a token).
  const countEvents = (needle) =>
    p.evaluate(
      async ({ url, needle }) => {
        const r = await fetch('/api/v1/auth/refresh', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: '{}' });
        const { access_token } = await r.json();
        const caseId = new URL(url).pathname.split('/').pop();
        let n = 0;
        let cursor = '';
        const seen = [];
        for (;;) {
          const res = await fetch(`/api/v1/cases/${caseId}/timeline?kind=event&limit=200${cursor ? `&cursor=${cursor}` : ''}`, {
            headers: { Authorization: `Bearer ${access_token}` },
          });
          const body = await res.json();
          n += body.items.filter((it) => JSON.stringify(it).includes(needle)).length;
          seen.push(...body.items.map((it) => it.event?.description).filter(Boolean));
          if (!body.next_cursor) return n ? n : `0 (events: ${seen.slice(-4).join(' | ')})`;
          cursor = encodeURIComponent(body.next_cursor);
        }
      },
      { url: caseUrl, needle },
    );
  const badge = p.getByTestId('pending-badge');
  // A photo of its own (size from the run's stamp): its hash names it among the case's evidence.
  const photo = pngBytes(320 + (Number.parseInt(stamp.slice(-3), 36) % 200), 240);
  const photoSha = createHash('sha256').update(photo).digest('hex');
  // The events with this text and the case's evidence items with the photo's hash, through the API.
  const arrived = (needle, sha) =>
    p.evaluate(
      async ({ url, needle, sha }) => {
        const r = await fetch('/api/v1/auth/refresh', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: '{}' });
        const { access_token } = await r.json();
        const h = { headers: { Authorization: `Bearer ${access_token}` } };
        const caseId = new URL(url).pathname.split('/').pop();
        const all = async (path) => {
          const out = [];
          for (let cursor = ''; ; ) {
            const body = await (await fetch(`/api/v1/cases/${caseId}/${path}${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`, h)).json();
            out.push(...body.items);
            if (!body.next_cursor) return out;
            cursor = body.next_cursor;
          }
        };
        const events = (await all('timeline?kind=event&limit=200')).filter((it) => it.event?.description?.includes(needle)).map((it) => it.event);
        const ids = events.flatMap((e) => e.evidence_ids ?? []);
        const linked = await Promise.all(ids.map(async (id) => (await fetch(`/api/v1/cases/${caseId}/evidence/${id}`, h)).json()));
        const sameHash = (await all('evidence?limit=100')).filter((e) => e.sha256 === sha).length;
        return { events: events.length, ids, linked: linked.map((e) => ({ id: e.id, sha256: e.sha256, kind: e.kind })), sameHash };
      },
      { url: caseUrl, needle, sha },
    );

  await step('offline: the service worker serves the shell, an event logged offline waits on the device with a badge', explain(async () => {
    await p.goto(caseUrl);
    if (await p.getByLabel('Email').isVisible().catch(() => false)) await signIn(p);
    await p.getByRole('button', { name: 'Log an event' }).waitFor();
    await p.evaluate(async () => {
      await navigator.serviceWorker.ready;
      if (!navigator.serviceWorker.controller)
        await new Promise((r) => navigator.serviceWorker.addEventListener('controllerchange', r, { once: true }));
    });
    const manifest = await p.evaluate(async () => (await fetch('/manifest.webmanifest')).json());
    if (manifest.display !== 'standalone' || !manifest.icons.some((i) => i.purpose === 'maskable')) throw new Error('manifest: ' + JSON.stringify(manifest));
    await context.setOffline(true);
    await p.getByRole('button', { name: 'Log an event' }).click();
    const form = p.getByRole('form', { name: 'Log an event' });
    const type = form.getByLabel(/^What happened/).first();
    await type.focus();
    await type.press('ArrowDown');
    await p.getByRole('option', { name: 'Lawyer meeting denied', exact: true }).click();
    await form.getByLabel('Description').fill(text);
    await form.locator('input[type=file]').setInputFiles({ name: `offline-${stamp}.png`, mimeType: 'image/png', buffer: photo });
    await form.getByText(`offline-${stamp}.png`).first().waitFor();
    await form.getByRole('button', { name: 'Log event' }).click();
    await p.getByText('Saved on this device — will send when back online.').waitFor();
    await badge.waitFor();
    if ((await badge.textContent()).trim() !== '1') throw new Error('badge: ' + (await badge.textContent()));
    await axe('case page offline with a pending entry', p);
    // Sign-out asks first while an entry has not been sent.
    await p.getByRole('button', { name: 'Sign out' }).click();
    const warn = p.getByRole('dialog', { name: 'Unsent entries on this device' });
    await warn.getByText('1 entry has not reached the server').waitFor();
    await axe('sign-out warning', p);
    await warn.getByRole('button', { name: 'Cancel' }).click();
    await warn.waitFor({ state: 'detached' });
    // A second entry, half written: kept as an encrypted draft.
    await p.getByRole('button', { name: 'Log an event' }).click();
    await form.getByLabel('Description').fill(draft);
    await p.waitForTimeout(800); // the draft is saved 400 ms after the last keystroke
  }));

  await step('offline: a reload is served by the service worker; the draft and the queue survive; back online it sends once', explain(async () => {
    await p.reload();
    // No session refresh without a network: the page says so and counts what waits (kept unencrypted: the count only).
    await p.getByText('You are offline.').waitFor();
    await p.getByText('1 entry is saved on this device and will be sent when you are back online.').waitFor();
    await axe('opened offline', p);
    await context.setOffline(false);
    // The refresh runs again, the app decrypts and sends the queue with the same key, and reopens the draft.
    await p.getByRole('button', { name: 'Sign out' }).waitFor({ timeout: 30_000 });
    await badge.waitFor({ state: 'detached', timeout: 30_000 });
    const form = p.getByRole('form', { name: 'Log an event' });
    // The draft is decrypted and put back in the reopened form (asynchronously, once the key is there).
    const desc = form.getByLabel('Description');
    for (let i = 0; (await desc.inputValue()) !== draft; i++) {
      if (i > 50) throw new Error(`draft not restored: "${await desc.inputValue()}"`);
      await p.waitForTimeout(200);
    }
    const n = await countEvents(text);
    if (n !== 1) throw new Error(`the offline event arrived ${n} times`);
    // Its photo: uploaded once, linked once, the bytes the test attached (hash computed here, in Node).
    const got = await arrived(text, photoSha);
    if (got.events !== 1 || got.ids.length !== 1 || got.linked[0]?.sha256 !== photoSha || got.sameHash !== 1)
      throw new Error(`the offline photo: ${JSON.stringify(got)} (attached ${photoSha})`);
    console.log(`e2e: offline: 1 event, 1 photo (${got.linked[0].kind}): sha256 attached ${photoSha}, stored ${got.linked[0].sha256}; items with that hash: ${got.sameHash}`);
    // The page refetched its timeline once the queue was sent.
    await p.getByRole('list', { name: 'Timeline' }).getByText(text).waitFor();
  }));

  await step('offline: sign-out wipes the device: no /api/ response in caches, no IndexedDB record', explain(async () => {
    await p.getByRole('button', { name: 'Sign out' }).click();
    await p.getByLabel('Email').waitFor();
    // The database is deleted at sign-out; the run's other tab (still open, its session now ended) may have
    // it open, which delays the deletion, or open it again (empty). What must hold: no record is left.
    const left = await p.evaluate(async () => {
      const urls = [];
      for (const name of await caches.keys()) for (const r of await (await caches.open(name)).keys()) urls.push(r.url);
      let dbs = [];
      for (let i = 0; i < 50; i++) {
        dbs = (await indexedDB.databases()).map((d) => d.name);
        if (!dbs.length) break;
        await new Promise((r) => setTimeout(r, 100));
      }
      const records = {};
      for (const name of dbs) {
        const db = await new Promise((res, rej) => {
          const r = indexedDB.open(name);
          r.onsuccess = () => res(r.result);
          r.onerror = () => rej(r.error);
        });
        for (const st of db.objectStoreNames) {
          records[`${name}/${st}`] = await new Promise((res, rej) => {
            const r = db.transaction(st, 'readonly').objectStore(st).count();
            r.onsuccess = () => res(r.result);
            r.onerror = () => rej(r.error);
          });
        }
        db.close();
      }
      return { urls, dbs, records, ls: Object.keys(localStorage) };
    });
    const api = left.urls.filter((u) => new URL(u).pathname.startsWith('/api/'));
    if (api.length) throw new Error('API responses cached: ' + api.join(', '));
    if (!left.urls.some((u) => u.endsWith('/index.html'))) throw new Error('the shell is not cached: ' + left.urls.slice(0, 5).join(', '));
    const kept = Object.entries(left.records).filter(([, n]) => n > 0);
    if (kept.length) throw new Error('IndexedDB records left after sign-out: ' + JSON.stringify(left.records));
    if (left.dbs.some((d) => d !== 'habeas-offline')) throw new Error('IndexedDB left after sign-out: ' + left.dbs.join(', '));
    if (left.ls.some((k) => k.startsWith('habeas.offline'))) throw new Error('pending count left: ' + left.ls.join(', '));
    console.log(`e2e: offline: shell cache holds ${left.urls.length} files, no /api/ response; IndexedDB: ${left.dbs.length ? 'an empty database opened again by the other tab ' + JSON.stringify(left.records) : 'no database'}`);
    await p.close();
  }));
}
