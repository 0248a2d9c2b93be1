// Issue 24: axe on every screen and dialog of the SPA, in English and in Chinese, and a proof that none was
// left out. What "every" means is read from the source, not kept by hand:
// - routes: the `path:` / `index: true` entries of src/SignedIn.tsx (the catch-all `*` is the not-found page);
// - dialogs: every `<Modal` in src (tests aside), named by the i18n key(s) of its `title`;
// - sign-in steps: the `<Title order={2}>{t(KEY)}</Title>` headings of src/auth/SignInFlow.tsx.
// Each axe check of the run (run.mjs's `axe`, which calls `coverage.record`) notes what the page showed: its
// `<html lang>`, the route of its address, the dialogs open (their title matched against that language's
// texts) and, signed out, the sign-in step. The sweep then visits, in Chinese and then in English, whatever
// is not yet checked in that language, and the last step fails when an item of the source is unchecked in
// either language, when a page showed a dialog the source does not know or texts in another language than its
// <html lang>, or on any axe violation at all (moderate and minor too: "zero violations").
import { readFileSync, readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { chromium } from 'playwright-core';
import * as OTPAuth from 'otpauth';

const web = resolve(import.meta.dirname, '..');
const langs = ['en', 'zh-Hans'];
const resources = Object.fromEntries(langs.map((l) => [l, JSON.parse(readFileSync(join(web, 'src/i18n', `${l}.json`), 'utf8'))]));

/** The text of `key` in `lang`, with {{vars}} filled in. */
export function text(lang, key, vars = {}) {
  const v = key.split('.').reduce((o, k) => o?.[k], resources[lang]);
  if (typeof v !== 'string') throw new Error(`sweep: no text ${key} in ${lang}`);
  return v.replace(/\{\{(\w+)\}\}/g, (_, k) => String(vars[k] ?? ''));
}
/** A pattern matching `key`'s text in `lang` whatever its {{vars}} are. */
export function pattern(lang, key) {
  const v = text(lang, key, new Proxy({}, { get: (_, k) => `\u0000${String(k)}\u0000` }));
  const src = v
    .split(/\u0000\w+\u0000/)
    .map((s) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))
    .join('.*?');
  return new RegExp(`^${src.trim()}$`);
}

function walk(dir) {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? walk(join(dir, e.name)) : /\.tsx$/.test(e.name) && !/\.test\.tsx$/.test(e.name) ? [join(dir, e.name)] : []);
}

/** What the source says exists: `route:<path>`, `dialog:<title key>`, `signin:<heading key>`. */
export function sourceItems() {
  const items = new Set();
  const routes = readFileSync(join(web, 'src/SignedIn.tsx'), 'utf8');
  for (const m of routes.matchAll(/\{\s*(?:index:\s*true|path:\s*'([^']+)')/g)) items.add(`route:${m[1] ?? ''}`);
  for (const file of walk(join(web, 'src'))) {
    const src = readFileSync(file, 'utf8');
    for (const m of src.matchAll(/<Modal\b/g)) {
      // The opening tag ends at the first `>` outside braces (arrow functions' `=>` are inside them).
      let depth = 0;
      let end = m.index;
      for (let i = m.index; i < src.length; i++) {
        const c = src[i];
        if (c === '{') depth++;
        else if (c === '}') depth--;
        else if (c === '>' && depth === 0) {
          end = i;
          break;
        }
      }
      const tag = src.slice(m.index, end);
      const title = tag.match(/\btitle=\{/);
      if (!title) throw new Error(`sweep: a Modal without a title in ${file}`);
      let d = 0;
      let j = title.index + title[0].length - 1;
      const from = j;
      for (; j < tag.length; j++) {
        if (tag[j] === '{') d++;
        else if (tag[j] === '}' && --d === 0) break;
      }
      const keys = [...tag.slice(from, j).matchAll(/\bt\('([\w.]+)'/g)].map((k) => k[1]);
      if (!keys.length) throw new Error(`sweep: a Modal title with no i18n key in ${file}`);
      for (const k of keys) items.add(`dialog:${k}`);
    }
  }
  const flow = readFileSync(join(web, 'src/auth/SignInFlow.tsx'), 'utf8');
  for (const m of flow.matchAll(/<Title order=\{2\}>\{t\('([\w.]+)'\)\}<\/Title>/g)) items.add(`signin:${m[1]}`);
  return items;
}

/** The record of what axe checked, per language. */
export function createCoverage() {
  const items = sourceItems();
  const routes = [...items].filter((i) => i.startsWith('route:')).map((i) => i.slice(6));
  const dialogKeys = [...items].filter((i) => i.startsWith('dialog:')).map((i) => i.slice(7));
  const signinKeys = [...items].filter((i) => i.startsWith('signin:')).map((i) => i.slice(7));
  const checked = Object.fromEntries(langs.map((l) => [l, new Set()]));
  const unknown = new Set();
  const routeOf = (path) => {
    const segs = path.replace(/^\/+|\/+$/g, '').split('/').filter(Boolean);
    const fits = (r) => {
      if (r === '*') return false;
      const rs = r.split('/').filter(Boolean);
      return rs.length === segs.length && rs.every((s, i) => s.startsWith(':') || s === segs[i]);
    };
    // A literal path wins over a parameter (detainees/import before detainees/:id).
    const hits = routes.filter(fits).sort((a, b) => (a.match(/:/g)?.length ?? 0) - (b.match(/:/g)?.length ?? 0));
    return hits[0] ?? '*';
  };
  const keyOf = (lang, keys, title) => keys.filter((k) => pattern(lang, k).test(title.trim()));
  return {
    items,
    checked,
    unknown,
    runs: 0,
    /** Violations below the impacts run.mjs's axe fails on at once, by rule and label (the coverage step fails on them). */
    lesser: new Set(),
    /** Notes what the page shows (called after each passing axe check, with its results). */
    async record(p, label, res) {
      this.runs++;
      for (const v of res?.violations ?? []) this.lesser.add(`${v.id} (${v.impact}) on ${label}: ${v.nodes.map((n) => n.target.join(' ')).slice(0, 2).join(', ')}`);
      const seen = await p.evaluate(() => {
        const visible = (el) => !!el && el.getClientRects().length > 0 && getComputedStyle(el).visibility !== 'hidden';
        return {
          lang: document.documentElement.lang,
          path: location.pathname,
          signedIn: !!document.querySelector('nav'),
          home: document.querySelector('nav a[href="/"]')?.textContent ?? '',
          dialogs: [...document.querySelectorAll('[role=dialog]')]
            .filter(visible)
            .map((d) => document.getElementById(d.getAttribute('aria-labelledby') ?? '')?.textContent ?? '(no title)'),
          headings: [...document.querySelectorAll('h2')].filter(visible).map((h) => h.textContent ?? ''),
        };
      });
      const lang = seen.lang;
      if (!checked[lang]) {
        unknown.add(`${label}: <html lang="${lang}">`);
        return;
      }
      const add = (id) => checked[lang].add(id);
      if (seen.signedIn) {
        // The page's texts are in the language its <html lang> says (the menu's first entry as the witness).
        if (seen.home !== text(lang, 'nav.dashboard')) {
          unknown.add(`${label}: <html lang="${lang}"> over a menu reading "${seen.home}"`);
          return;
        }
        add(`route:${routeOf(seen.path)}`);
        for (const title of seen.dialogs) {
          const keys = keyOf(lang, dialogKeys, title);
          if (keys.length) keys.forEach((k) => add(`dialog:${k}`));
          else unknown.add(`${label}: dialog "${title}" (${lang})`);
        }
      } else {
        for (const h of seen.headings) keyOf(lang, signinKeys, h).forEach((k) => add(`signin:${k}`));
      }
    },
    /** Items of the source not checked in `lang`. */
    missing(lang) {
      return [...items].filter((i) => !checked[lang].has(i)).sort();
    },
  };
}

/**
 * Visits every screen and dialog not yet checked, in Chinese then English (as the admin, on `page` signed in
 * at 1280 px), then the sign-in steps in a second browser, and checks the coverage.
 */
export async function sweep({ page, step, axe, base, lbase, caseUrl, detaineeUrl, select, coverage, chromiumPath }) {
  let lang = 'en';
  const T = (key, vars) => text(lang, key, vars);
  const R = (key) => pattern(lang, key);
  const setLang = async (l) => {
    lang = l;
    const label = l === 'zh-Hans' ? '中文' : 'English';
    if ((await page.evaluate(() => document.documentElement.lang)) !== l) {
      await page.getByText(label, { exact: true }).first().click();
      await page.waitForFunction((x) => document.documentElement.lang === x, l);
    }
  };
  // Ready = no request of the page in flight and no loader shown (polled; no fixed wait).
  let inflight = 0;
  const up = () => inflight++;
  const down = () => inflight--;
  const quiet = async () => {
    const until = Date.now() + 10_000;
    while (Date.now() < until) {
      await page.waitForFunction(() => !document.querySelector('.mantine-Loader-root'), null, { timeout: 10_000 }).catch(() => {});
      if (inflight <= 0) return;
      await new Promise((r) => setTimeout(r, 25));
    }
    inflight = 0; // a request whose end was never reported (a navigation cut it): count afresh
  };
  // Through a link of the page when there is one (an in-app navigation: no reload of the app), else by address.
  const visit = async (path) => {
    const u = new URL(page.url());
    if (u.pathname + u.search !== path) {
      const link = page.locator(`a[href="${path}"]:visible`).first();
      if (await link.count()) {
        await link.click();
        await page.waitForURL((x) => x.pathname + x.search === path);
      } else await page.goto(base + path);
    }
    await page.locator('main h1, main h2').first().waitFor();
    await quiet();
  };
  const dialog = () => page.getByRole('dialog').last();
  const closeDialog = async () => {
    const n = await page.getByRole('dialog').count();
    await page.keyboard.press('Escape');
    await page.waitForFunction((x) => document.querySelectorAll('[role=dialog]').length < x, n);
  };
  // Opens a dialog with `opener`, waits for `ready` inside it, checks it, closes it. (Landmark rules are in
  // the same axe run: `coverage.record` fails on them below.)
  const inDialog = async (label, opener, ready) => {
    await opener.scrollIntoViewIfNeeded();
    await opener.click();
    const dlg = dialog();
    await dlg.waitFor();
    if (ready) await ready(dlg);
    await quiet();
    await axe(`${label} (${lang})`);
    await closeDialog();
  };
  const b = (key) => page.getByRole('button', { name: R(key) }).first();
  const exact = (key) => page.getByRole('button', { name: T(key), exact: true }).first();

  const caseP = new URL(caseUrl).pathname;
  const detP = new URL(detaineeUrl).pathname;
  // Per screen: its route and the dialogs opened from it (each id checked only where still missing).
  const screens = [
    { path: '/', route: '' },
    { path: '/detainees', route: 'detainees', dialogs: { 'detainee.new': () => inDialog('new detainee dialog', exact('detainee.new')) } },
    { path: '/detainees/import', route: 'detainees/import' },
    {
      path: detP, route: 'detainees/:id', dialogs: {
        'detainee.edit': () => inDialog('edit detainee dialog', exact('detainee.edit')),
        'merge.title': () => inDialog('merge dialog', exact('merge.open')),
        'case.new': () => inDialog('new case dialog', exact('case.new')),
        // The relative recorded by e2e/relatives.mjs.
        'relatives.add': () => inDialog('add relative dialog', exact('relatives.add')),
        'relatives.edit': () => inDialog('edit relative dialog', b('relatives.editOf')),
        'relatives.delete': () => inDialog('delete relative dialog', b('relatives.deleteOf')),
        'relatives.detailsOf': () => inDialog('relative consent dialog', b('relatives.detailsOf'), (d) => d.getByRole('heading').first().waitFor()),
      },
    },
    { path: '/cases', route: 'cases' },
    {
      path: caseP, route: 'cases/:id', dialogs: {
        'case.edit': () => inDialog('edit case dialog', exact('case.edit')),
        'assignment.edit': () => inDialog('edit assignment dialog', b('assignment.editOf')),
        'evidence.custodyTitle': () => inDialog('evidence custody dialog', b('evidence.custodyOf'), (d) => d.getByRole('table').first().waitFor()),
        'evidence.editTitle': () => inDialog('edit evidence dialog', b('evidence.editOf')),
        'evidence.deleteTitle': () => inDialog('delete evidence dialog', b('evidence.deleteOf')),
        'custody.add': () => inDialog('add custody period dialog', exact('custody.add')),
        'custody.edit': () => inDialog('edit custody period dialog', b('custody.editOf')),
        'custody.delete': () => inDialog('delete custody period dialog', b('custody.deleteOf')),
        // The communication recorded by e2e/un.mjs.
        'un.add': () => inDialog('add UN communication dialog', exact('un.add')),
        'un.edit': () => inDialog('edit UN communication dialog', b('un.editOf')),
        'un.delete': () => inDialog('delete UN communication dialog', b('un.deleteOf')),
        // The link recorded by e2e/caselinks.mjs.
        'caseLinks.add': () => inDialog('link a case dialog', exact('caseLinks.add')),
        'caseLinks.remove': () => inDialog('remove case link dialog', b('caseLinks.removeOf')),
        // Issue 25 (e2e/codefendants.mjs): the add dialog; for the remove dialog the admin first links 刘晓波
        // (imported from the CSV) when no co-defendant is linked yet; the link stays.
        'codefendants.add': () => inDialog('add a detainee to a case dialog', exact('codefendants.add'), (d) => d.getByRole('searchbox').waitFor()),
        'codefendants.removeOf': async () => {
          if (!(await page.getByRole('button', { name: R('codefendants.removeOf') }).count())) {
            await exact('codefendants.add').click();
            const d = dialog();
            await d.getByRole('searchbox').fill('刘晓波');
            await d.getByRole('radio', { name: /刘晓波/ }).check();
            await d.getByRole('button', { name: T('codefendants.submit') }).click();
            await d.waitFor({ state: 'detached' });
          }
          await inDialog('remove a detainee from a case dialog', b('codefendants.removeOf'));
        },
        // The event logged by run.mjs (its description is the same in both languages), with its
        // correction form open, then its delete form.
        'timeline.eventTitle': async () => {
          const ev = () => page.getByRole('list', { name: T('timeline.title') }).getByRole('listitem').filter({ hasText: '会见被拒' })
            .getByRole('button', { name: R('timeline.detailsOf') }).first();
          await inDialog('event dialog, correction form', ev(), async (d) => {
            await d.getByRole('button', { name: T('timeline.correct'), exact: true }).click();
            await d.getByRole('button', { name: T('common.save') }).first().waitFor();
          });
          await inDialog('event dialog, delete form', ev(), async (d) => {
            await d.getByRole('button', { name: T('timeline.delete'), exact: true }).click();
            await d.getByRole('form', { name: T('timeline.deleteTitle') }).waitFor();
          });
        },
        'hearings.editTitle': () => inDialog('hearing outcome dialog', b('hearings.recordOf')),
        'support.editTitle': () => inDialog('edit support action dialog', b('support.editOf')),
        // A photo logged with an event by e2e/phone.mjs, opened from its thumbnail on the timeline.
        'timeline.photoDialog': () => inDialog('photo dialog', page.getByRole('list', { name: T('timeline.title') }).getByRole('button', { name: R('timeline.openPhoto') }).first(), (d) => d.getByRole('img').first().waitFor()),
        // Issue 24, offline: an event whose POST gets no answer waits on the device (the pending badge); its
        // list and the sign-out warning are checked, then the entry is discarded (nothing reaches the case).
        'offline.pendingTitle': async () => {
          const cut = (r) => (r.request().method() === 'POST' ? r.abort('internetdisconnected') : r.fallback());
          await page.route('**/api/v1/cases/*/events', cut);
          try {
            await page.getByRole('button', { name: T('timeline.logEvent'), exact: true }).first().click();
            const form = page.getByRole('form', { name: T('timeline.logEvent') });
            await form.waitFor();
            const type = form.getByLabel(new RegExp(`^${T('timeline.type')}`)).first();
            await type.focus();
            await type.press('ArrowDown');
            await page.getByRole('option').first().click();
            await form.getByLabel(T('timeline.description')).fill('sweep: discarded 丢弃');
            await form.getByRole('button', { name: T('timeline.save'), exact: true }).click();
            await page.getByText(T('offline.savedOnDevice')).waitFor();
            await inDialog('pending entries dialog', page.getByTestId('pending-badge'), (d) => d.getByRole('button', { name: T('offline.discard') }).waitFor());
            await inDialog('sign-out warning dialog', page.getByRole('button', { name: T('nav.signOut') }).first());
            await page.getByTestId('pending-badge').click();
            await dialog().getByRole('button', { name: T('offline.discard') }).click();
            await page.getByTestId('pending-badge').waitFor({ state: 'detached' });
            await closeDialog();
          } finally {
            await page.unroute('**/api/v1/cases/*/events', cut);
          }
        },
        'offline.signOutTitle': async () => {
          if (!coverage.checked[lang].has('dialog:offline.signOutTitle')) throw new Error('sweep: the sign-out warning is opened with offline.pendingTitle');
        },
      },
    },
    { path: '/lawyers', route: 'lawyers', dialogs: {
      'lawyer.new': () => inDialog('new lawyer dialog', exact('lawyer.new')),
      'lawyer.edit': () => inDialog('edit lawyer dialog', b('lawyer.editOf')),
    } },
    { path: '/admin/users', route: 'admin/users', dialogs: {
      'users.signInActivityOf': async () => {
        await b('users.actionsFor').click();
        await inDialog('sign-in activity dialog', page.getByRole('menuitem', { name: T('users.signInActivity') }), (d) => d.getByRole('table').first().waitFor());
      },
    } },
    { path: '/admin/audit', route: 'admin/audit', dialogs: { 'audit.entryTitle': () => inDialog('audit entry dialog', b('audit.openEntry')) } },
    { path: '/admin/jobs', route: 'admin/jobs' }, // issue 26 (e2e/jobs.mjs checks it in English)
    { path: '/support', route: 'support' },
    // The partner recorded by e2e/partners.mjs.
    { path: '/partners', route: 'partners', dialogs: {
      'partner.new': () => inDialog('new partner dialog', exact('partner.new')),
      'partner.edit': () => inDialog('edit partner dialog', b('partner.editOf'), (d) => d.getByRole('button', { name: T('common.save') }).first().waitFor()),
      'partner.delete': () => inDialog('delete partner dialog', b('partner.deleteOf')),
    } },
    { path: '/hearings', route: 'hearings' },
    { path: '/deadlines', route: 'deadlines' },
    { path: '/releases', route: 'releases' },
    { path: '/me', route: 'me' },
    { path: '/inbox', route: 'inbox' },
    { path: '/settings/notifications', route: 'settings/notifications' },
    { path: '/no-such-page', route: '*' },
    {
      // The session ends while working (every API call answers 401, the refresh too): the sign-in dialog opens
      // over the page. The real session is intact, so a reload restores it.
      path: '/cases', dialogs: {
        'auth.expired': async () => {
          const refuse = (r) => r.fulfill({ status: 401, contentType: 'application/json', body: '{"code":"unauthenticated","message":"no session"}' });
          await page.route('**/api/v1/**', refuse);
          // A request of the page already on screen may meet the refusal first and open the dialog before the
          // click: force the click (on the dialog's overlay it does nothing) rather than wait for the link.
          await page.getByRole('link', { name: T('nav.detainees') }).first().click({ force: true });
          await dialog().getByRole('heading', { name: T('auth.signIn') }).waitFor();
          await axe(`session-expired dialog (${lang})`);
          await page.unroute('**/api/v1/**', refuse);
          await page.reload();
          await visit('/detainees');
        },
      },
    },
  ];
  // The board's edit dialog (same title as the case page's): checked in Chinese as well, on its own screen.
  const boardEdit = async () => {
    await visit('/support');
    await inDialog('edit support action dialog (board)', b('support.editOf'));
  };

  // The sign-in steps, in a browser of their own (no shared cookie with `page`), at localhost (a secure
  // context, so the passkey enrolment offer shows): a new coordinator, created here with its dialogs checked,
  // signs in for the first time (enrolment, passkey offer, recovery codes, new password), then again (code).
  const signInIds = ['signin:auth.signIn', 'signin:auth.enrollTitle', 'signin:passkeys.enrollTitle', 'signin:auth.recoveryTitle',
    'signin:auth.changeTitle', 'signin:auth.twoStep', 'dialog:users.new', 'dialog:users.oneTimePassword'];
  const signInSteps = async () => {
    await visit('/admin/users');
    const email = `sweep-${lang.toLowerCase()}@example.org`;
    await exact('users.new').click();
    const dlg = dialog();
    await dlg.getByLabel(T('users.email')).fill(email);
    await dlg.getByLabel(T('users.name'), { exact: true }).fill(`Sweep ${lang}`);
    await select(T('users.role'), T('roles.coordinator'), dlg);
    await axe(`new user dialog (${lang})`);
    await dlg.getByRole('button', { name: T('common.save') }).click();
    const pw = (await page.getByTestId('generated-password').textContent()).trim();
    await axe(`one-time password dialog (${lang})`);
    await closeDialog();

    const other = await chromium.launch({ executablePath: chromiumPath, headless: true, args: ['--no-sandbox', '--disable-gpu'] });
    try {
      const ctx = await other.newContext({ locale: 'en-GB', timezoneId: 'Asia/Shanghai', reducedMotion: 'reduce', viewport: { width: 1280, height: 900 } });
      const s = await ctx.newPage();
      const check = async (label) => {
        await s.locator('h2').first().waitFor();
        await axe(`${label} (${lang})`, s);
      };
      await s.goto(lbase + '/');
      await s.locator('input[type=email], input[autocomplete=username]').first().waitFor();
      if (lang === 'zh-Hans') {
        await s.getByText('中文').click();
        await s.waitForFunction(() => document.documentElement.lang === 'zh-Hans');
      }
      const password = async (p) => {
        await s.getByLabel(T('auth.email')).fill(email);
        await s.getByLabel(new RegExp(`^${T('auth.password')}`)).fill(p);
        await s.getByRole('button', { name: T('auth.continue') }).click();
      };
      await check('sign-in page');
      await password(pw);
      await s.getByRole('button', { name: T('auth.enrollStart') }).waitFor();
      await check('enrolment offer');
      await s.getByRole('button', { name: T('passkeys.enrollInstead') }).click();
      await s.getByRole('heading', { name: T('passkeys.enrollTitle') }).waitFor();
      await check('passkey enrolment');
      // Back to the start (the language stays: it is stored): enrol TOTP instead.
      await s.reload();
      await password(pw);
      await s.getByRole('button', { name: T('auth.enrollStart') }).click();
      const secret = (await s.getByTestId('totp-secret').textContent()).trim();
      await check('enrolment with the QR code');
      const code = () => new OTPAuth.TOTP({ secret: OTPAuth.Secret.fromBase32(secret), digits: 6, period: 30, algorithm: 'SHA1' }).generate();
      await s.getByLabel(T('auth.totpCode')).fill(code());
      await s.getByRole('button', { name: T('auth.enrollConfirm') }).click();
      await s.getByRole('heading', { name: T('auth.recoveryTitle') }).waitFor();
      await check('recovery codes');
      await s.getByLabel(T('auth.recoverySaved')).check();
      await s.getByRole('button', { name: T('auth.continue') }).click();
      await s.getByRole('heading', { name: T('auth.changeTitle') }).waitFor();
      await check('new password');
      await s.getByLabel(new RegExp(`^${T('auth.newPassword')}`)).fill('sweep lantern harbour 灯塔 42');
      await s.getByLabel(T('auth.repeatPassword')).fill('sweep lantern harbour 灯塔 42');
      await s.getByRole('button', { name: T('auth.changeSubmit') }).click();
      await s.getByRole('button', { name: T('nav.signOut') }).click();
      await password('sweep lantern harbour 灯塔 42');
      await s.getByRole('heading', { name: T('auth.twoStep') }).waitFor();
      await check('second step');
    } finally {
      await other.close();
    }
  };

  page.on('request', up);
  page.on('requestfinished', down);
  page.on('requestfailed', down);
  try {
    for (const l of ['zh-Hans', 'en']) {
      await step(`accessibility sweep (${l}): every screen and dialog not yet checked in this language`, async () => {
        await page.setViewportSize({ width: 1280, height: 900 });
        await setLang(l);
        const has = (id) => coverage.checked[lang].has(id);
        const times = [];
        const timed = async (what, fn) => {
          const t0 = Date.now();
          await fn();
          times.push([what, Date.now() - t0]);
        };
        for (const sc of screens) {
          const route = sc.route !== undefined && coverage.items.has(`route:${sc.route}`) && !has(`route:${sc.route}`);
          const dialogs = Object.entries(sc.dialogs ?? {}).filter(([k]) => !has(`dialog:${k}`));
          if (!route && !dialogs.length) continue;
          await timed(sc.path, async () => {
            await visit(sc.path);
            if (route) await axe(`screen ${sc.path} (${lang})`);
          });
          for (const [k, open] of dialogs) await timed(k, open);
        }
        if (l === 'zh-Hans') await timed('board edit', boardEdit);
        if (signInIds.some((id) => !has(id))) await timed('sign-in steps', signInSteps);
        console.log(`     ${times.length} items, slowest: ${times.sort((a, b) => b[1] - a[1]).slice(0, 6).map(([w, ms]) => `${w} ${ms} ms`).join(', ')}`);
      });
    }
  } finally {
    page.off('request', up);
    page.off('requestfinished', down);
    page.off('requestfailed', down);
  }
  await step('accessibility coverage: every route, dialog and sign-in step of the source checked in both languages', async () => {
    const problems = [];
    for (const l of langs) {
      const miss = coverage.missing(l);
      if (miss.length) problems.push(`not checked in ${l}: ${miss.join(', ')}`);
    }
    if (coverage.unknown.size) problems.push(`not in the source's list: ${[...coverage.unknown].join('; ')}`);
    const count = (p) => [...coverage.items].filter((i) => i.startsWith(p)).length;
    console.log(`     axe coverage: ${coverage.items.size} items (${count('route:')} routes, ${count('dialog:')} dialog titles, ${count('signin:')} sign-in steps), checked in ${langs.map((l) => `${l} ${coverage.checked[l].size}`).join(', ')}; ${coverage.runs} axe runs in all`);
    // "Zero violations": the moderate and minor ones too (run.mjs's axe fails at once on serious and critical).
    if (coverage.lesser.size) problems.push(`axe, moderate/minor: ${[...coverage.lesser].join('; ')}`);
    await setLang('en');
    if (problems.length) throw new Error(problems.join('\n'));
  });
}
