// End-to-end tests: a real habeas server (SQLite, temporary data directory) and Debian's chromium driven
// by playwright-core. Sequential steps in one browser; a screenshot per failed step in web/test-results/.
// Usage (from web/): node e2e/run.mjs   — expects the SPA built into internal/webui/dist/app.
import { spawn, execFileSync } from 'node:child_process';
import { mkdtempSync, mkdirSync, readFileSync, rmSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createRequire } from 'node:module';
import { createHash, randomBytes } from 'node:crypto';
import { chromium } from 'playwright-core';
import * as OTPAuth from 'otpauth';
import { offlineFlow } from './offline.mjs';
import { createCoverage, sweep } from './sweep.mjs';
import { guideShots } from './guide-shots.mjs';
import { unCommunications } from './un.mjs';
import { caseLinks, caseLinksHiddenFromLawyer } from './caselinks.mjs';
import { caseExports } from './exports.mjs';
import { confidentialHiddenFromObserver, confidentialSetup } from './confidential.mjs';
import { relatives } from './relatives.mjs';
import { partners } from './partners.mjs';
import { jobs } from './jobs.mjs';
import { campaigns } from './campaigns.mjs';
import { addCoDefendant, coDefendantSeen } from './codefendants.mjs';
import { phoneFirst } from './phone.mjs';
import { notifications } from './notifications.mjs';

const require = createRequire(import.meta.url);
const axeSource = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');
const repo = resolve(import.meta.dirname, '../..');
const results = resolve(import.meta.dirname, '../test-results');
const chromiumPath = process.env.CHROMIUM ?? '/usr/bin/chromium';
const port = Number(process.env.HABEAS_E2E_PORT ?? 18000 + Math.floor(Math.random() * 900));
const base = `http://127.0.0.1:${port}`;
const timeout = 15_000;
// HABEAS_E2E_SHOTS=DIR saves a screenshot of the page after each step (for the user guide).
const shots = process.env.HABEAS_E2E_SHOTS ? resolve(process.env.HABEAS_E2E_SHOTS) : '';
let shotN = 0;

if (!existsSync(join(repo, 'internal/webui/dist/app/index.html'))) {
  console.error('e2e: the SPA is not built (run scripts/build-web.sh first)');
  process.exit(1);
}
rmSync(results, { recursive: true, force: true });
mkdirSync(results, { recursive: true });

const data = mkdtempSync(join(tmpdir(), 'habeas-e2e-'));
const bin = join(data, 'habeas');
execFileSync('go', ['build', '-o', bin, './cmd/habeas'], { cwd: repo, stdio: 'inherit' });
const server = spawn(bin, ['serve'], {
  cwd: data,
  // HABEAS_NOTIFY_SCAN_INTERVAL: the reminder scan every 2 s, so the inbox has items within the run (issue 26).
  env: { ...process.env, HABEAS_DATA_DIR: data, HABEAS_ADDR: `127.0.0.1:${port}`, HABEAS_NOTIFY_SCAN_INTERVAL: '2s' },
  stdio: ['ignore', 'pipe', 'pipe'],
});
let serverLog = '';
server.stdout.on('data', (d) => (serverLog += d));
server.stderr.on('data', (d) => (serverLog += d));

let browser;
let failures = 0;
const onlyTransfer = new Error('HABEAS_E2E_ONLY=transfer');
const cleanup = async () => {
  await browser?.close().catch(() => {});
  server.kill('SIGTERM');
  rmSync(data, { recursive: true, force: true });
};

async function waitReady() {
  for (let i = 0; i < 100; i++) {
    try {
      if ((await fetch(`${base}/livez`)).ok) return;
    } catch {
      /* not yet */
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error('server did not start:\n' + serverLog);
}

try {
  await waitReady();
  const adminPassword = readFileSync(join(data, 'initial-admin-password.txt'), 'utf8').match(/^password:\s*(\S+)/m)?.[1];
  if (!adminPassword) throw new Error('no password in initial-admin-password.txt');
  // A fresh profile directory per run (launchPersistentContext passes it as --user-data-dir).
  const context = await chromium.launchPersistentContext(join(data, 'chromium-profile'), {
    executablePath: chromiumPath,
    headless: true,
    args: [
      '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update',
      '--disable-sync', '--no-first-run', '--disable-quic',
    ],
    locale: 'en-GB',
    timezoneId: 'Asia/Shanghai',
    reducedMotion: 'reduce', // no fades: axe must not judge a dialog half faded out
    viewport: { width: 1280, height: 900 },
  });
  browser = context;
  context.setDefaultTimeout(timeout);
  const page = await context.newPage();
  const consoleErrors = [];
  page.on('console', (m) => {
    if (m.type() === 'error') consoleErrors.push(m.text());
  });
  page.on('pageerror', (e) => consoleErrors.push(String(e)));
  // Every font file the browser asks for (the script fonts must load only on pages that show such text).
  const fontRequests = [];
  page.on('request', (r) => {
    if (/\.woff2(\?|$)/.test(r.url())) fontRequests.push(r.url());
  });
  await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: base });

  const step = async (name, fn) => {
    const t0 = Date.now();
    try {
      await fn();
      console.log(`ok   ${name} (${Date.now() - t0} ms)`);
      if (shots) {
        mkdirSync(shots, { recursive: true });
        const slug = name.replace(/[^a-z0-9]+/gi, '-').slice(0, 60);
        await page.screenshot({ path: join(shots, `${String(++shotN).padStart(2, '0')}-${slug}.png`) }).catch(() => {});
      }
    } catch (e) {
      failures++;
      const file = join(results, name.replace(/[^a-z0-9]+/gi, '-') + '.png');
      await page.screenshot({ path: file, fullPage: true }).catch(() => {});
      console.log(`FAIL ${name}: ${e?.message ?? e}\n     screenshot: ${file}`);
      throw e;
    }
  };
  const axe = async (label, p = page) => {
    // Let transitions finish first (a closing dialog at half opacity fails contrast checks).
    // (Endless animations such as a spinner are not waited for.)
    await p.waitForFunction(() =>
      document.getAnimations().every((a) => a.playState !== 'running' || a.effect?.getTiming().iterations === Infinity));
    await p.evaluate(axeSource); // through the debugger protocol: not an inline script, so the CSP stays on
    const res = await p.evaluate(() => window.axe.run(document, { resultTypes: ['violations'] }));
    const bad = res.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
    if (bad.length) {
      throw new Error(`axe on ${label}: ` + bad.map((v) => `${v.id} (${v.impact}): ${v.nodes.map((n) => n.target.join(' ')).slice(0, 3).join(', ')}`).join('; '));
    }
    await coverage.record(p, label, res); // what was checked, in which language (e2e/sweep.mjs)
  };
  // Landmark rules are "moderate" in axe, below the threshold above: a dialog is checked for them on their own.
  const axeLandmarks = async (label, p = page) => {
    await p.evaluate(axeSource);
    const res = await p.evaluate(() =>
      window.axe.run(document, { runOnly: { type: 'tag', values: ['best-practice'] }, resultTypes: ['violations'] }));
    const bad = res.violations.filter((v) => v.id.startsWith('landmark') || v.id === 'region');
    if (bad.length) throw new Error(`axe landmarks on ${label}: ` + bad.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).slice(0, 3).join(', ')}`).join('; '));
  };
  // WCAG contrast of an element's text on its own background (blended over white when translucent).
  const contrastOf = (locator) =>
    locator.evaluate((el) => {
      const rgb = (c) => (c.match(/[\d.]+/g) ?? []).map(Number);
      const [r1, g1, b1] = rgb(getComputedStyle(el).color);
      const box = el.closest('.mantine-Badge-root') ?? el;
      const [r2, g2, b2, a = 1] = rgb(getComputedStyle(box).backgroundColor);
      const bg = [r2, g2, b2].map((c) => c * a + 255 * (1 - a));
      const lum = ([r, g, b]) =>
        [r, g, b].map((c) => ((c /= 255) <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4)).reduce((s, c, i) => s + c * [0.2126, 0.7152, 0.0722][i], 0);
      const [l1, l2] = [lum([r1, g1, b1]), lum(bg)];
      return (Math.max(l1, l2) + 0.05) / (Math.min(l1, l2) + 0.05);
    });
  const select = async (label, option, scope = page) => {
    const input = scope.getByLabel(label, { exact: true }).first();
    // Let the page's queries land first: options that arrive after the list opened (empty), or sections
    // that load above it and move it while it is open, made this flaky on a busy machine.
    await page.waitForLoadState('networkidle', { timeout: 5000 }).catch(() => {});
    await input.scrollIntoViewIfNeeded();
    await input.focus();
    await input.press('ArrowDown');
    await page.getByRole('option', { name: option, exact: true }).click();
    await page.getByRole('listbox').waitFor({ state: 'detached' }).catch(() => {});
  };
  // A TOTP code is accepted once per 30-second window: wait for a fresh window before reusing the secret.
  let totpSecret = '';
  let lastWindow = -1;
  const totp = async (secret = totpSecret) => {
    totpSecret = secret;
    while (Math.floor(Date.now() / 30_000) === lastWindow) await new Promise((r) => setTimeout(r, 500));
    lastWindow = Math.floor(Date.now() / 30_000);
    return new OTPAuth.TOTP({ secret: OTPAuth.Secret.fromBase32(secret), digits: 6, period: 30, algorithm: 'SHA1' }).generate();
  };

  const coverage = createCoverage();
  const newPassword = 'correct horse battery staple 长城';

  // Issue 24: a phone on a filtered link. Chromium's network emulation (DevTools protocol) at 400 kbit/s down
  // and up with 400 ms latency; time from navigation to a usable sign-in form (email, password and Continue
  // present and enabled), once cold (cache disabled) and once as a repeat visit (cache warmed by an unthrottled
  // load first). Fails at 6 s cold or 2 s repeat (the issue's targets) in
  // three attempts in a row, when a script or stylesheet arrives
  // without brotli, or when a hashed asset is fetched again on the repeat visit. Prints the waterfall.
  await step('transfer: sign-in form at 400 kbps / 400 ms, cold and repeat visit', async () => {
    const slow = await context.newPage();
    const cdp = await context.newCDPSession(slow);
    await cdp.send('Network.enable');
    const throttle = (on) => cdp.send('Network.emulateNetworkConditions', on
      ? { offline: false, latency: 400, downloadThroughput: 400_000 / 8, uploadThroughput: 400_000 / 8 }
      : { offline: false, latency: 0, downloadThroughput: -1, uploadThroughput: -1 });
    let log = [];
    const byId = new Map();
    // Request start and end times (the waterfall: every round trip on the critical path costs 400 ms).
    const started = new Map();
    let navStart = 0;
    cdp.on('Network.requestWillBeSent', (e) => {
      started.set(e.requestId, e.timestamp);
      if (e.type === 'Document') navStart = e.timestamp;
    });
    cdp.on('Network.responseReceived', (e) => byId.set(e.requestId, {
      url: e.response.url.replace(base, ''), type: e.type, status: e.response.status,
      cached: Boolean(byId.get(e.requestId)?.cached || e.response.fromDiskCache || e.response.fromPrefetchCache),
      encoding: Object.entries(e.response.headers).find(([k]) => k.toLowerCase() === 'content-encoding')?.[1] ?? '',
    }));
    cdp.on('Network.loadingFinished', (e) => {
      const r = byId.get(e.requestId);
      if (r) log.push({ ...r, bytes: e.encodedDataLength, from: (started.get(e.requestId) ?? navStart) - navStart, to: e.timestamp - navStart });
    });
    cdp.on('Network.requestServedFromCache', (e) => byId.set(e.requestId, { ...byId.get(e.requestId), cached: true }));
    const signInUsable = async () => {
      const t0 = Date.now();
      await slow.goto(base + '/', { waitUntil: 'commit', timeout: 60_000 });
      const fields = [slow.getByLabel('Email'), slow.getByLabel(/^Password/), slow.getByRole('button', { name: 'Continue' })];
      for (const f of fields) await f.waitFor({ timeout: 60_000 });
      for (const f of fields) {
        while (!(await f.isEnabled())) {
          if (Date.now() - t0 > 60_000) throw new Error('the sign-in form stayed disabled');
          await new Promise((r) => setTimeout(r, 25));
        }
      }
      return Date.now() - t0;
    };
    const kb = (n) => (n / 1024).toFixed(1) + ' KB';

    for (let attempt = 1; ; attempt++) {
      await cdp.send('Network.setCacheDisabled', { cacheDisabled: true });
      await throttle(true);
      const cold = await signInUsable();
      const coldLog = log;
      log = [];
      const coldBytes = coldLog.reduce((n, r) => n + r.bytes, 0);
      // (A file that brotli would not shrink, a few hundred bytes, has no .br: it may come as it is.)
      const plain = coldLog.filter((r) => /\.(js|css)$/.test(r.url) && r.encoding !== 'br' && r.bytes > 1024);

      await cdp.send('Network.setCacheDisabled', { cacheDisabled: false });
      await throttle(false);
      await signInUsable(); // warms the cache
      await slow.goto('about:blank');
      await throttle(true);
      log = [];
      byId.clear();
      const repeat = await signInUsable();
      const fetched = log.filter((r) => !r.cached);
      const repeatBytes = fetched.reduce((n, r) => n + r.bytes, 0);

      console.log(`     cold load: ${(cold / 1000).toFixed(2)} s to a usable sign-in form, ${kb(coldBytes)} on the wire in ${coldLog.length} responses`);
      for (const r of coldLog) {
        console.log(`       ${r.status} ${r.url} ${r.encoding || 'identity'} ${kb(r.bytes)} (${r.from.toFixed(2)}-${r.to.toFixed(2)} s)`);
      }
      console.log(`     repeat visit: ${(repeat / 1000).toFixed(2)} s, ${kb(repeatBytes)} on the wire, ${fetched.length} of ${log.length} responses from the network` +
        ` (${fetched.map((r) => `${r.status} ${r.url}`).join(', ')})`);
      if (plain.length) throw new Error('sent without brotli to a browser that accepts it: ' + plain.map((r) => `${r.url} (${r.encoding || 'identity'})`).join(', '));
      if (fetched.some((r) => r.url.startsWith('/assets/'))) throw new Error('hashed assets fetched again on a repeat visit: ' + fetched.map((r) => r.url).join(', '));
      // Issue 24's targets: cold under 6 s, repeat under 2 s (measured 4.97-5.2 s and 1.6-1.9 s: docs/benchmarks.md).
      if (cold <= 6000 && repeat <= 2000) break;
      // The time includes parsing the scripts, so a busy machine (CI beside other work) can push one measurement
      // over: measure again, up to three times in all; every attempt is printed.
      if (attempt === 3) {
        if (cold > 6000) throw new Error(`cold load took ${cold} ms in the third attempt (target: under 6 s at 400 kbps / 400 ms)`);
        throw new Error(`repeat visit took ${repeat} ms in the third attempt (target: under 2 s at 400 kbps / 400 ms)`);
      }
      console.log(`     attempt ${attempt} over the targets (6 s cold, 2 s repeat): measuring again`);
      await throttle(false);
      await slow.goto('about:blank');
      log = [];
      byId.clear();
    }
    await slow.close();
  });
  // HABEAS_E2E_ONLY=transfer stops here (the measurement alone, for docs/benchmarks.md).
  if (process.env.HABEAS_E2E_ONLY === 'transfer') throw onlyTransfer;

  await step('first sign-in: TOTP enrolment, recovery codes, forced password change', async () => {
    await page.goto(base + '/');
    await page.getByLabel('Email').fill('admin@localhost');
    await page.getByLabel(/^Password/).fill(adminPassword);
    await page.getByRole('button', { name: 'Continue' }).click();
    await page.getByRole('button', { name: 'Start' }).click();
    await page.getByRole('img', { name: 'QR code of the authenticator key' }).waitFor();
    const secret = (await page.getByTestId('totp-secret').textContent()).trim();
    await page.getByRole('button', { name: 'Copy the key' }).click();
    await page.getByRole('button', { name: 'Copied' }).waitFor();
    if ((await page.evaluate(() => navigator.clipboard.readText())) !== secret) throw new Error('the key was not copied');
    await page.getByLabel('Code from your authenticator app').fill(await totp(secret));
    await page.getByRole('button', { name: 'Confirm' }).click();
    const codes = page.getByTestId('recovery-codes').locator('li');
    await codes.first().waitFor();
    if ((await codes.count()) !== 10) throw new Error('expected 10 recovery codes');
    const shown = (await codes.allTextContents()).map((c) => c.trim());
    await page.getByRole('button', { name: 'Copy the codes' }).click();
    if ((await page.evaluate(() => navigator.clipboard.readText())) !== shown.join('\n')) throw new Error('codes not copied');
    const [dl] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Download (.txt)' }).click()]);
    if (!/^habeas-recovery-codes-\d{4}-\d{2}-\d{2}\.txt$/.test(dl.suggestedFilename())) throw new Error('file name ' + dl.suggestedFilename());
    const file = readFileSync(await dl.path(), 'utf8');
    if (!shown.every((c) => file.includes(c))) throw new Error('downloaded codes differ: ' + file);
    await page.getByRole('button', { name: 'Print' }).waitFor();
    if (fontRequests.length) throw new Error('fonts loaded on the sign-in screens: ' + fontRequests.join(', '));
    await page.getByLabel('I have stored these codes safely').check();
    await page.getByRole('button', { name: 'Continue' }).click();
    await page.getByLabel(/^New password/).fill(newPassword);
    await page.getByLabel('Repeat the new password').fill(newPassword);
    await page.getByRole('button', { name: 'Change password' }).click();
    await page.getByRole('heading', { name: 'Dashboard' }).waitFor();
    await page.getByText('No cases yet.').waitFor();
  });

  await step('nothing sensitive in browser storage', async () => {
    const stored = await page.evaluate(() => ({ local: { ...localStorage }, session: { ...sessionStorage }, cookie: document.cookie }));
    const keys = Object.keys(stored.local);
    if (keys.some((k) => k !== 'habeas.lang') || Object.keys(stored.session).length || stored.cookie)
      throw new Error('unexpected browser storage: ' + JSON.stringify(stored));
  });

  await step('accessibility: dashboard', () => axe('dashboard'));

  await step('create a detainee with several name forms', async () => {
    await page.getByRole('link', { name: 'Detainees' }).click();
    await page.getByText('No detainees found.').waitFor();
    await axe('detainee list (empty)');
    await page.getByRole('button', { name: 'New detainee' }).click();
    const dlg = page.getByRole('dialog');
    await dlg.getByLabel(/^Name/).fill('伊力哈木·土赫提');
    await dlg.getByRole('button', { name: 'Add a name form' }).click();
    await dlg.getByLabel('Other name 1').fill('Ilham Tohti');
    await select('Kind of name', 'Latin transliteration', dlg);
    await dlg.getByLabel('Date of birth').fill('1969-10~');
    await select('Detention status', 'Detained', dlg);
    await select('Issue', 'Ethnic minority rights', dlg);
    await dlg.getByLabel('Home province').fill('Xinjiang');
    await axe('new detainee form');
    await dlg.getByRole('button', { name: 'Save' }).click();
    await page.getByRole('heading', { name: '伊力哈木·土赫提' }).waitFor();
    await page.getByRole('cell', { name: 'Ilham Tohti' }).waitFor();
    await page.getByText('about October 1969').waitFor();
    await axe('detainee page');
  });

  await step('search detainees in any script', async () => {
    await page.getByRole('link', { name: 'Detainees' }).click();
    for (const q of ['ilham', '土赫提']) {
      await page.getByLabel('Search').fill(q);
      await page.getByRole('link', { name: '伊力哈木·土赫提' }).waitFor();
    }
    await page.getByLabel('Search').fill('无此人');
    await page.getByText('No detainees found.').waitFor();
    await page.getByLabel('Search').fill('');
    await axe('detainee list');
  });

  await step('create a case for the detainee', async () => {
    await page.getByRole('link', { name: '伊力哈木·土赫提' }).click();
    await page.getByRole('button', { name: 'New case' }).click();
    const dlg = page.getByRole('dialog');
    await dlg.getByLabel('Title').fill('Ilham Tohti: separatism');
    await select('Stage', 'Final verdict', dlg);
    await dlg.getByLabel('Case numbers').fill('(2014) 乌中刑初字第 3 号');
    await dlg.getByLabel('Detained on').fill('2014-01-15');
    await dlg.getByRole('button', { name: 'Save' }).click();
    await page.getByRole('heading', { name: 'Ilham Tohti: separatism' }).waitFor();
    await page.getByText('No lawyer assigned.').waitFor();
    await axe('case page');
  });

  let caseUrl = '';
  let detaineeUrl = '';
  await step('record a lawyer and assign them to the case', async () => {
    caseUrl = page.url();
    await page.getByRole('link', { name: 'Lawyers' }).click();
    await page.getByText('No lawyers found.').waitFor();
    await page.getByRole('button', { name: 'New lawyer' }).click();
    const dlg = page.getByRole('dialog');
    await dlg.getByLabel(/^Name/).fill('Li Fangping');
    await dlg.getByLabel('Law firm').fill('Beijing Ruifeng');
    await dlg.getByRole('button', { name: 'Save' }).click();
    await page.getByRole('cell', { name: 'Li Fangping', exact: true }).waitFor();
    await axe('lawyer list');
    await page.goto(caseUrl);
    await select('Lawyer', 'Li Fangping — Beijing Ruifeng');
    await page.getByRole('button', { name: 'Assign' }).click();
    await page.getByRole('cell', { name: 'Li Fangping', exact: true }).waitFor();
    await page.getByRole('cell', { name: 'Appointed by the organisation' }).waitFor();
  });

  await step('move the case to another stage (PATCH with If-Match)', async () => {
    await select('Stage', 'Serving sentence', page.locator('form').filter({ has: page.getByRole('button', { name: 'Save' }) }));
    await page.getByRole('button', { name: 'Save' }).click();
    await page.getByText('Serving sentence', { exact: true }).first().waitFor();
    await page.getByRole('button', { name: 'Save' }).and(page.locator('[disabled]')).waitFor();
  });

  const statement = Buffer.from('Witness statement, 2014-01-15.\n证人陈述。\n'.repeat(200));
  const notes = Buffer.from('Lawyer meeting notes\n');
  const sha = (b) => createHash('sha256').update(b).digest('hex');

  await step('evidence: upload two files, progress per file, SHA-256 compared with the browser', async () => {
    await page.getByText('No evidence yet.').waitFor();
    await page.locator('input[type=file]:not([capture])').setInputFiles([
      { name: 'statement.txt', mimeType: 'text/plain', buffer: statement },
      { name: '会见笔记.txt', mimeType: 'text/plain', buffer: notes },
    ]);
    await page.getByLabel('Title of file 1').fill('Witness statement');
    await page.getByLabel('Title of file 2').fill('Meeting notes');
    await axe('evidence upload queue');
    await page.getByRole('button', { name: 'Upload 2 files' }).click();
    const results = page.getByTestId('upload-result');
    await results.nth(1).waitFor();
    if ((await page.getByText('Matches the SHA-256 computed in this browser').count()) !== 2) throw new Error('hash not confirmed twice');
    const shown = await results.nth(0).getByTestId('sha256').textContent();
    if (shown.trim() !== sha(statement)) throw new Error(`shown hash ${shown} != ${sha(statement)}`);
    for (const name of ['statement.txt', '会见笔记.txt']) {
      const bar = page.getByRole('progressbar', { name: `Upload progress of ${name}` });
      if ((await bar.getAttribute('aria-valuenow')) !== '100') throw new Error('progress not at 100 for ' + name);
    }
    await page.getByRole('cell', { name: /Witness statement/ }).first().waitFor();
    await page.getByRole('cell', { name: /Meeting notes/ }).first().waitFor();
    await axe('case page with evidence');
  });

  await step('evidence: download gives the same bytes under the original filename', async () => {
    const [dl] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Download Witness statement' }).click()]);
    if (dl.suggestedFilename() !== 'statement.txt') throw new Error('filename ' + dl.suggestedFilename());
    const got = readFileSync(await dl.path());
    if (!got.equals(statement)) throw new Error('downloaded bytes differ');
    await page.getByText('“Witness statement” to your downloads', { exact: false }).waitFor();
    const [dl2] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Download Meeting notes' }).click()]);
    if (dl2.suggestedFilename() !== '会见笔记.txt') throw new Error('filename ' + dl2.suggestedFilename());
  });

  await step('evidence: a 20 MB upload cut at 50% resumes from the server\'s offset (tus), stored SHA-256 matches', async () => {
    const big = randomBytes(20 * 1024 * 1024);
    const half = big.length / 2;
    const offsets = [];
    let cut = false;
    let headAfterCut = false;
    // The link drops when the upload reaches 50%: the PATCH starting there is reset before it reaches the server.
    await page.route('**/evidence/uploads/*', async (route) => {
      const req = route.request();
      if (req.method() === 'HEAD' && cut) headAfterCut = true;
      if (req.method() === 'PATCH') {
        const off = Number(req.headers()['upload-offset']);
        offsets.push(off);
        if (!cut && off >= half) {
          cut = true;
          await route.abort('connectionreset');
          return;
        }
      }
      await route.continue();
    });
    await page.getByRole('button', { name: 'Clear finished' }).click();
    // 20 MB handed to the page through the DevTools protocol: seconds on a loaded 2-core machine (timed out at
    // the default 30 s twice with a load average over 10).
    await page.locator('input[type=file]:not([capture])').setInputFiles([{ name: 'cell-video.mp4', mimeType: 'video/mp4', buffer: big }], { timeout: 90_000 });
    await page.getByLabel('Title of file 1').fill('Cell video');
    await page.getByRole('button', { name: 'Upload 1 file' }).click();
    const result = page.getByTestId('upload-result').first();
    await result.waitFor({ timeout: 120_000 });
    await page.unroute('**/evidence/uploads/*');
    const shown = (await result.getByTestId('sha256').textContent()).trim();
    if (shown !== sha(big)) throw new Error(`stored SHA-256 ${shown} != ${sha(big)}`);
    if (!cut) throw new Error('the connection was never cut');
    const resumedAt = offsets[offsets.indexOf(half) + 1];
    if (!headAfterCut || resumedAt !== half) throw new Error(`not resumed from the server's offset: PATCH offsets ${offsets.join(', ')}`);
    console.log(`    tus: PATCH offsets ${offsets.map((o) => o / 1048576 + ' MiB').join(', ')}; cut at ${half / 1048576} MiB, resumed there`);
    await page.getByText('Matches the SHA-256 computed in this browser').first().waitFor();
  });

  await step('evidence: chain of custody shows upload and download', async () => {
    await page.getByRole('button', { name: 'Custody of Witness statement' }).click();
    const dlg = page.getByRole('dialog', { name: /Chain of custody/ });
    await dlg.getByRole('cell', { name: 'Uploaded', exact: true }).waitFor();
    await dlg.getByRole('cell', { name: 'Downloaded', exact: true }).waitFor();
    await axe('custody dialog');
    await dlg.getByRole('button', { name: 'Close' }).click();
    await dlg.waitFor({ state: 'detached' });
  });

  await step('evidence: edit an item\'s metadata (captured date, description) with its version', async () => {
    await page.getByRole('button', { name: 'Edit Witness statement' }).click();
    const dlg = page.getByRole('dialog', { name: 'Edit evidence details' });
    await dlg.getByLabel(/^Captured/).fill('2014-01~');
    await dlg.getByLabel('Description').fill('Statement of a cellmate');
    await axe('edit evidence dialog');
    await dlg.getByRole('button', { name: 'Save' }).click();
    await dlg.waitFor({ state: 'detached' });
    await page.getByText(/Captured about January 2014|Captured about Jan 2014/).waitFor();
  });

  await step('evidence: a coordinator deletes an item with a reason', async () => {
    await page.getByRole('button', { name: 'Delete Meeting notes' }).click();
    const dlg = page.getByRole('dialog', { name: 'Delete evidence' });
    await dlg.getByLabel(/^Reason/).fill('Uploaded to the wrong case');
    await axe('delete evidence dialog');
    await dlg.getByRole('button', { name: 'Delete' }).click();
    await dlg.waitFor({ state: 'detached' });
    await page.getByRole('button', { name: 'Download Meeting notes' }).waitFor({ state: 'detached' });
    await page.getByRole('button', { name: 'Download Witness statement' }).waitFor();
  });

  await step('edit the case: a charge, a date (PATCH with If-Match)', async () => {
    await page.getByRole('button', { name: 'Edit case' }).click();
    const dlg = page.getByRole('dialog', { name: 'Edit case' });
    await dlg.getByRole('button', { name: 'Add a charge' }).click();
    await select('Charge 1', 'Splitting the state', dlg);
    await dlg.getByLabel('Details of charge 1').fill('lectures on Uyghur rights');
    await dlg.getByLabel('Trial', { exact: true }).fill('2014-09-17');
    await dlg.getByLabel('Court', { exact: true }).fill('Ürümqi Intermediate People’s Court');
    await axe('edit case form');
    await dlg.getByRole('button', { name: 'Save' }).click();
    await dlg.waitFor({ state: 'detached' });
    await page.getByText('Splitting the state', { exact: false }).first().waitFor();
    await page.getByText(/Sep 17, 2014|17 Sept? 2014/).first().waitFor();
  });

  await step('end an assignment (PATCH with If-Match)', async () => {
    await page.getByRole('button', { name: 'Edit assignment of Li Fangping' }).click();
    const dlg = page.getByRole('dialog', { name: 'Edit assignment' });
    await dlg.getByRole('button', { name: 'End the assignment today' }).click();
    await dlg.getByRole('button', { name: 'Save' }).click();
    await dlg.waitFor({ state: 'detached' });
    await page.getByRole('cell', { name: 'Ended', exact: true }).waitFor();
  });

  await step('timeline: log an event (month only, approximate) and see it with its obstacle badge and revisions', async () => {
    await page.goto(caseUrl);
    const tl = page.getByRole('list', { name: 'Timeline' });
    await tl.getByText('Detained', { exact: true }).first().waitFor();
    await page.getByRole('button', { name: 'Log an event' }).click();
    const form = page.getByRole('form', { name: 'Log an event' });
    await select(/^What happened/, 'Lawyer meeting denied', form);
    await form.getByText('This type is recorded as an obstacle').waitFor();
    await form.getByText('Month or year only').click();
    await form.getByLabel(/^When/).fill('2014-03');
    await form.getByLabel('Approximate date').check();
    await form.getByLabel('Description').fill('Meeting at the Ürümqi detention centre refused 会见被拒');
    await axe('log event form');
    await form.getByRole('button', { name: 'Log event' }).click();
    await page.getByText('Event logged.').waitFor();
    const item = tl.getByRole('listitem').filter({ hasText: '会见被拒' });
    await item.getByText('about March 2014').waitFor();
    await item.getByText('Obstacle', { exact: true }).waitFor();
    await item.getByText('month only', { exact: true }).waitFor();
    await page.getByLabel('Obstacles only').check();
    await tl.getByText('Detained', { exact: true }).waitFor({ state: 'detached' });
    await item.getByText('Obstacle', { exact: true }).waitFor();
    await page.getByLabel('Obstacles only').uncheck();
    await tl.getByText('Detained', { exact: true }).first().waitFor();
    await axe('case timeline');
    await item.getByRole('button', { name: /^Details and revisions/ }).click();
    const dlg = page.getByRole('dialog', { name: 'Event' });
    await dlg.getByText(/^Version 1 \(created\)/).waitFor();
    await axe('event detail');
    await dlg.getByRole('button', { name: 'Close' }).click();
    await dlg.waitFor({ state: 'detached' });
  });

  await step('timeline: correct an event (If-Match, new revision) and delete a duplicate with a reason', async () => {
    const tl = page.getByRole('list', { name: 'Timeline' });
    const item = tl.getByRole('listitem').filter({ hasText: '会见被拒' });
    await item.getByRole('button', { name: /^Details and revisions/ }).click();
    const dlg = page.getByRole('dialog', { name: 'Event' });
    await dlg.getByRole('button', { name: 'Correct', exact: true }).click();
    await dlg.getByLabel('Place', { exact: true }).fill('Ürümqi No. 1 Detention Centre');
    await dlg.getByLabel('Source', { exact: true }).fill('Lawyer Li, phone call');
    await select('Source reliability', 'B — usually reliable', dlg);
    const ev = dlg.getByLabel('Evidence', { exact: true }).first();
    await ev.focus();
    await ev.press('ArrowDown');
    await page.getByRole('option', { name: 'Witness statement', exact: true }).click();
    await ev.press('Escape');
    await axe('correct event form');
    await dlg.getByRole('button', { name: 'Save' }).click();
    await dlg.getByText(/^Version 2 \(corrected\)/).waitFor();
    await dlg.getByText('1 evidence item linked').waitFor();
    await dlg.getByRole('button', { name: 'Close' }).click();
    await dlg.waitFor({ state: 'detached' });
    await item.getByText(/Ürümqi No\. 1 Detention Centre/).waitFor();
    // A duplicate logged with "more details", then deleted with a reason: it leaves the timeline.
    await page.getByRole('button', { name: 'Log an event' }).click();
    const form = page.getByRole('form', { name: 'Log an event' });
    await select(/^What happened/, 'Lawyer meeting denied', form);
    await form.getByLabel('Description').fill('Duplicate entry');
    await form.getByRole('button', { name: /^More details/ }).click();
    await form.getByLabel('Place', { exact: true }).fill('Kashgar prison');
    await axe('log event form with more details');
    await form.getByRole('button', { name: 'Log event' }).click();
    await page.getByText('Event logged.').waitFor();
    const dup = tl.getByRole('listitem').filter({ hasText: 'Duplicate entry' });
    await dup.getByText(/Kashgar prison/).waitFor();
    await dup.getByRole('button', { name: /^Details and revisions/ }).click();
    await dlg.getByRole('button', { name: 'Delete', exact: true }).click();
    await dlg.getByLabel(/^Reason for deleting/).fill('Logged twice');
    await axe('delete event form');
    await dlg.getByRole('button', { name: 'Delete', exact: true }).click();
    await dlg.getByText('Deleted: Logged twice').waitFor();
    await dlg.getByRole('button', { name: 'Close' }).click();
    await dlg.waitFor({ state: 'detached' });
    await dup.waitFor({ state: 'detached' });
  });

  await step('time limits on the case: rule, basis, status, due date', async () => {
    const limits = page.getByRole('list', { name: 'Legal time limits' });
    await limits.getByRole('listitem').first().waitFor();
    const text = await limits.textContent();
    if (!/Overdue|Pending|Met|Unknown/.test(text)) throw new Error('no status badge: ' + text);
    if (!/CPL/.test(text)) throw new Error('no legal basis: ' + text);
    await axe('case time limits');
  });

  // Issue 19: needs the server side (custody-periods routes, sentence fields, releases) to pass.
  const pick = async (scope, name, option) => {
    const input = scope.getByRole('combobox', { name }).first();
    await page.waitForLoadState('networkidle', { timeout: 5000 }).catch(() => {});
    await input.focus();
    await input.press('ArrowDown');
    await page.getByRole('option', { name: option, exact: true }).click();
    await page.getByRole('listbox').waitFor({ state: 'detached' }).catch(() => {});
  };
  await step('custody history: add periods, see them on the strip and in the table, edit one (If-Match); key dates kept in step', async () => {
    await page.goto(caseUrl);
    const section = page.getByRole('region', { name: 'Custody history' });
    await section.getByText(/No custody period recorded/).waitFor();
    await section.getByRole('button', { name: 'Add a custody period' }).click();
    let dlg = page.getByRole('dialog', { name: 'Add a custody period' });
    await pick(dlg, /^Measure/, 'Criminal detention');
    await dlg.getByRole('textbox', { name: /^Start/ }).fill('2014-01-15');
    await dlg.getByRole('textbox', { name: /^End/ }).fill('2014-02-19');
    await dlg.getByLabel('Place (facility name)').fill('Beijing No. 1 Detention Centre');
    await pick(dlg, 'Kind of place', 'Detention centre');
    await dlg.getByLabel('City', { exact: true }).fill('Beijing');
    await dlg.getByLabel('Authority', { exact: true }).fill('Beijing PSB');
    await axe('add custody period form');
    await dlg.getByRole('button', { name: 'Save' }).click();
    await dlg.waitFor({ state: 'detached' });
    await section.getByRole('button', { name: 'Add a custody period' }).click();
    dlg = page.getByRole('dialog', { name: 'Add a custody period' });
    await pick(dlg, /^Measure/, 'Formal arrest (pre-trial custody)');
    await dlg.getByRole('textbox', { name: /^Start/ }).fill('2014-02-20');
    await dlg.getByLabel('Place (facility name)').fill('Ürümqi Detention Centre');
    await dlg.getByLabel('City', { exact: true }).fill('Ürümqi');
    await dlg.getByRole('button', { name: 'Save' }).click();
    await dlg.waitFor({ state: 'detached' });
    // The strip: one bar per period, the ongoing one open-ended to today.
    const strip = section.getByTestId('custody-strip');
    await strip.locator('[data-measure="criminal_detention"]').waitFor();
    await strip.locator('[data-measure="arrest"][data-ongoing="true"]').waitFor();
    if (!/^Chart of 2 custody periods/.test((await strip.getAttribute('aria-label')) ?? '')) throw new Error('strip summary: ' + (await strip.getAttribute('aria-label')));
    // The table: measure, place, start, end, duration.
    const table = section.getByRole('table');
    const first = table.getByRole('row').filter({ hasText: 'Criminal detention' });
    await first.getByText('Beijing No. 1 Detention Centre').waitFor();
    await first.getByText('36 days').waitFor();
    await table.getByRole('row').filter({ hasText: 'Ürümqi Detention Centre' }).getByText('ongoing').waitFor();
    await section.getByRole('list', { name: 'Legend' }).getByText('Formal arrest (pre-trial custody)').waitFor();
    await axe('custody history');
    // Edit: only the changed field, with If-Match.
    await section.getByRole('button', { name: /^Edit period: Criminal detention/ }).click();
    dlg = page.getByRole('dialog', { name: 'Edit custody period' });
    await dlg.getByLabel('Authority', { exact: true }).fill('Beijing Public Security Bureau');
    await dlg.getByRole('button', { name: 'Save' }).click();
    await dlg.waitFor({ state: 'detached' });
    await table.getByRole('cell', { name: 'Beijing Public Security Bureau' }).waitFor();
    // Key dates kept in step with the periods: arrest approved = start of the arrest period.
    await page.getByText(/Feb 20, 2014|20 Feb 2014/).first().waitFor();
  });

  await step('sentence and expected release on the case; limits name their custody period', async () => {
    await page.getByRole('button', { name: 'Edit case' }).click();
    const dlg = page.getByRole('dialog', { name: 'Edit case' });
    await pick(dlg, 'Kind of sentence', 'Life imprisonment');
    await dlg.getByLabel('Judgment in force on').fill('2014-11-21');
    await pick(dlg, 'How consent was given', 'Through the family');
    await dlg.getByRole('button', { name: 'Save' }).click();
    await dlg.waitFor({ state: 'detached' });
    const card = page.getByRole('region', { name: 'Sentence and release' });
    await card.getByText('Life imprisonment', { exact: true }).waitFor();
    await card.getByTestId('expected-release').waitFor();
    await page.getByText('Through the family').first().waitFor();
    const limits = page.getByRole('list', { name: 'Legal time limits' });
    await limits.getByRole('listitem').first().waitFor();
    const text = await limits.textContent();
    if (!/Overdue|Overdue unless extended|Pending|Met|Unknown|Not applicable/.test(text)) throw new Error('no status badge: ' + text);
    await axe('case page with custody history and sentence');
  });

  await unCommunications({ page, step, axe, caseUrl, pick }); // issue 25 (e2e/un.mjs)

  await step('documents: export the internal bilingual dossier and the WGAD draft (PDFs through the session)', async () => {
    await select('Audience', 'Internal (everything)');
    await select('Document language', 'English and Chinese');
    for (const [button, kind] of [['Export dossier (PDF)', 'dossier'], ['WGAD draft (PDF)', 'wgad']]) {
      const [dl] = await Promise.all([page.waitForEvent('download', { timeout: 60_000 }), page.getByRole('button', { name: button }).click()]);
      const buf = readFileSync(await dl.path());
      if (buf.subarray(0, 5).toString('latin1') !== '%PDF-') throw new Error(`${kind}: not a PDF`);
      if (buf.length < 1000) throw new Error(`${kind}: too small`);
      const name = dl.suggestedFilename();
      if (!/^habeas-.*\.pdf$/.test(name)) throw new Error(`${kind}: filename ${name}`);
      await page.getByText(`Saved as ${name}.`).waitFor();
    }
    await axe('documents');
  });

  await caseExports({ page, step, axe, base, caseUrl }); // issue 25 item 5 (e2e/exports.mjs)

  await step('support: a coordinator records actions; an invalid move is refused clearly (409); a valid one moves it', async () => {
    const list = page.getByRole('list', { name: 'International support' });
    const create = async (type, addressee, toMe) => {
      await page.getByRole('button', { name: 'New support action' }).click();
      const form = page.getByRole('form', { name: 'New support action' });
      await select(/^Type/, type, form);
      await form.getByLabel('Addressee').fill(addressee);
      if (!toMe) await form.getByLabel('Assign to me').uncheck();
      await axe('new support action form');
      await form.getByRole('button', { name: 'Create' }).click();
      await form.waitFor({ state: 'detached' });
      return list.getByRole('listitem').filter({ hasText: addressee });
    };
    const a = await create('Diplomatic démarche', 'Embassy of Germany', true);
    await a.getByText('Assigned', { exact: true }).waitFor();
    await select('Move to', 'In progress', a);
    await a.getByRole('button', { name: 'Change status' }).click();
    await a.getByText('In progress', { exact: true }).waitFor();
    const b = await create('Media campaign', 'Press desk', false);
    await b.getByText('Proposed', { exact: true }).waitFor();
    await select('Move to', 'Assigned', b);
    await b.getByRole('button', { name: 'Change status' }).click();
    await b.getByRole('alert').getByText('Assign the action to someone first. Nothing was changed.').waitFor();
    await b.getByText('Proposed', { exact: true }).waitFor();
    await axe('case support actions');
    // Edit the action: assign it to oneself, record the response (PATCH with If-Match).
    await b.getByRole('button', { name: /^Edit Media campaign/ }).click();
    const ed = page.getByRole('dialog', { name: 'Edit support action' });
    await select('Assigned to', /^Me \(/, ed);
    await ed.getByLabel(/^Response/).fill('Interview scheduled');
    await axe('edit support action dialog');
    await ed.getByRole('button', { name: 'Save' }).click();
    await ed.waitFor({ state: 'detached' });
    await b.getByText('Response: Interview scheduled').waitFor();
    await b.getByText(/Assigned to /).waitFor();
  });

  await step('support board: columns in workflow order, one-tap next step, filters in the URL, a phone column picker', async () => {
    await page.getByRole('link', { name: 'Support board' }).click();
    await page.getByText('2 actions, 0 overdue.').waitFor();
    const col = (name) => page.getByRole('list', { name: new RegExp('^' + name) });
    await col('In progress').getByText('Embassy of Germany').waitFor();
    const headings = await page.locator('section[data-column] h3').evaluateAll((hs) => hs.map((h) => h.firstChild.textContent.trim()));
    const want = ['Proposed', 'Assigned', 'In progress', 'Submitted', 'Response received', 'Closed', 'Declined', 'Cancelled'];
    if (headings.join('|') !== want.join('|')) throw new Error('board columns ' + headings.join(', '));
    await axe('support board');
    // One tap: the next step of the workflow, sent with If-Match; the card moves to the next column.
    await page.getByRole('button', { name: 'Move Diplomatic démarche — Embassy of Germany to Submitted' }).click();
    await col('Submitted').getByText('Embassy of Germany').waitFor();
    await col('In progress').getByText('Embassy of Germany').waitFor({ state: 'detached' });
    await page.getByRole('button', { name: 'Move Media campaign — Press desk to Assigned' }).click();
    await col('Assigned').getByText('Press desk').waitFor();
    // The column picker and the filters are kept in the URL.
    await select('Column', /^Submitted/);
    await page.waitForURL(/status=submitted/);
    await page.waitForFunction(() => document.querySelectorAll('section[data-column]').length === 1);
    await page.getByText('My work').click();
    await page.waitForURL(/mine=1/);
    await col('Submitted').getByText('Embassy of Germany').waitFor();
    // A phone: one column at a time, with the picker.
    await page.setViewportSize({ width: 390, height: 844 });
    await page.goto(page.url().replace(/\?.*$/, ''));
    await page.getByRole('combobox', { name: 'Column' }).waitFor();
    await page.getByRole('heading', { name: /^Proposed/ }).waitFor(); // empty by now: no list, a "Nothing here."
    await page.waitForFunction(() => document.querySelectorAll('section[data-column]').length === 1);
    await axe('support board on a phone');
    await page.setViewportSize({ width: 1280, height: 900 });
    await page.goto(caseUrl);
    await page.getByRole('heading', { name: 'Ilham Tohti: separatism' }).waitFor();
  });

  await step('timeline: one row per support action with its history; the time-axis view (keyboard, phone width)', async () => {
    const tl = page.getByRole('list', { name: 'Timeline' });
    const row = tl.getByRole('listitem').filter({ hasText: 'Embassy of Germany' });
    await row.getByText('Now: Submitted').waitFor();
    if ((await row.count()) !== 1) throw new Error(`action on the timeline ${await row.count()} times`);
    await row.getByRole('button', { name: /Show the history of/ }).click();
    await row.getByText(/In progress → Submitted/).waitFor();
    await row.getByText(/Assigned → In progress/).waitFor();
    await axe('case timeline with a support action history');
    const views = page.getByRole('radiogroup', { name: 'View' });
    await views.getByText('Time axis', { exact: true }).click();
    await page.waitForURL(/view=axis/);
    const chart = page.getByRole('group', { name: 'Timeline on a time axis' });
    await chart.waitFor();
    const first = chart.getByRole('img').first();
    await first.focus();
    await page.keyboard.press('End');
    const said = await page.getByTestId('axis-focused').textContent();
    if (!/Support|Event|Hearing|Key date|Custody/.test(said)) throw new Error('focused mark not described: ' + said);
    await axe('case timeline on a time axis');
    await page.setViewportSize({ width: 390, height: 844 });
    await page.reload();
    await chart.waitFor();
    const right = await chart.evaluate((el) => el.getBoundingClientRect().right);
    if (right > 390) throw new Error(`time axis at 390 px: the chart ends at ${right} px`);
    await axe('case timeline on a time axis, phone');
    await page.setViewportSize({ width: 1280, height: 900 });
    await views.getByText('List', { exact: true }).click();
    await tl.waitFor();
  });

  await step('a refused field is explained next to it, in English and in Chinese', async () => {
    await page.getByRole('link', { name: '伊力哈木·土赫提' }).first().click();
    detaineeUrl = page.url();
    // Born October 1969: a death in 1960 is refused by the server (400, field_codes died_at: before_start).
    const refuse = async ({ edit, died, save, text, calm }) => {
      await page.getByRole('button', { name: edit }).click();
      const dlg = page.getByRole('dialog', { name: edit });
      await dlg.getByLabel(died).fill('1960');
      await dlg.getByRole('button', { name: save }).click();
      await dlg.getByText(text).first().waitFor();
      // The message is the field's own error (named by its aria-describedby), not only a banner elsewhere.
      const input = dlg.getByRole('textbox', { name: died });
      if ((await input.getAttribute('aria-invalid')) !== 'true') throw new Error(`${died} is not marked invalid`);
      const ids = ((await input.getAttribute('aria-describedby')) ?? '').split(/\s+/).filter(Boolean);
      let found = false;
      for (const id of ids) if ((await page.locator(`[id="${id}"]`).textContent())?.includes(text)) found = true;
      if (!found) throw new Error(`"${text}" is not under ${died}`);
      await dlg.getByText(calm, { exact: true }).waitFor();
      if (await dlg.getByText(/Something went wrong|died_at/).count()) throw new Error('alarming title or raw field name shown');
      return dlg;
    };
    let dlg = await refuse({ edit: 'Edit detainee', died: 'Date of death', save: 'Save', text: 'The date of death is before the date of birth.', calm: 'Not done yet' });
    await axe('edit detainee form with a refused field');
    await page.getByRole('button', { name: 'Close' }).last().click();
    await dlg.waitFor({ state: 'detached' });
    await page.getByText('中文').click();
    // The Chinese texts are fetched on the first switch: let the switch finish before reloading the page.
    await page.getByRole('button', { name: '编辑被羁押人' }).waitFor();
    await page.goto(detaineeUrl);
    dlg = await refuse({ edit: '编辑被羁押人', died: '死亡日期', save: '保存', text: '死亡日期早于出生日期。', calm: '尚未完成' });
    await axe('edit detainee form with a refused field (Chinese)');
    await page.getByRole('button', { name: '关闭' }).last().click();
    await dlg.waitFor({ state: 'detached' });
    await page.getByText('English').click();
    await page.getByRole('button', { name: 'Edit detainee' }).waitFor();
    await page.goto(caseUrl);
    await page.getByRole('heading', { name: 'Ilham Tohti: separatism' }).waitFor();
  });

  await relatives({ page, step, axe, detaineeUrl, caseUrl, pick }); // issue 25 (e2e/relatives.mjs)
  await partners({ page, step, axe, caseUrl, pick }); // issue 25 (e2e/partners.mjs)
  await jobs({ page, step, axe, caseUrl }); // issue 26 item 1 (e2e/jobs.mjs)

  await step('edit a detainee with If-Match; a concurrent change is caught (412) and reloaded', async () => {
    await page.getByRole('link', { name: '伊力哈木·土赫提' }).first().click();
    await page.getByRole('button', { name: 'Edit detainee' }).click();
    let dlg = page.getByRole('dialog', { name: 'Edit detainee' });
    await dlg.getByLabel('Ethnic group').fill('Uyghur');
    await dlg.getByLabel(/^Family \(notes\)/).fill('Wife: Guzelnur');
    await axe('edit detainee form');
    await dlg.getByRole('button', { name: 'Save' }).click();
    await dlg.waitFor({ state: 'detached' });
    await page.getByText('Uyghur', { exact: true }).waitFor();
    await page.getByText('Wife: Guzelnur').waitFor();
    // Open the form, then someone else saves the record in another tab meanwhile.
    await page.getByRole('button', { name: 'Edit detainee' }).click();
    dlg = page.getByRole('dialog', { name: 'Edit detainee' });
    await dlg.getByLabel('Religion').fill('Islam');
    const other = await context.newPage();
    await other.goto(page.url());
    await other.getByRole('button', { name: 'Edit detainee' }).click();
    await other.getByRole('dialog').getByLabel('Occupation', { exact: true }).fill('Economist');
    await other.getByRole('dialog').getByRole('button', { name: 'Save' }).click();
    await other.getByRole('dialog').waitFor({ state: 'detached' });
    await other.close();
    await dlg.getByRole('button', { name: 'Save' }).click();
    await dlg.getByText('Changed meanwhile').waitFor();
    await dlg.getByRole('button', { name: 'Reload' }).click();
    await dlg.getByLabel('Occupation', { exact: true }).and(page.locator('[value="Economist"]')).waitFor();
    await dlg.getByLabel('Religion').fill('Islam');
    await dlg.getByRole('button', { name: 'Save' }).click();
    await dlg.waitFor({ state: 'detached' });
    await page.getByText('Islam', { exact: true }).waitFor();
    await page.getByText('Economist').waitFor();
  });

  await step('admin audit log: filter, entry detail with the changes, verify the chain', async () => {
    await page.getByRole('link', { name: 'Audit log' }).click();
    await page.getByRole('heading', { name: 'Audit log' }).waitFor();
    await page.getByRole('button', { name: /^Open entry/ }).first().waitFor();
    await axe('audit log');
    await page.getByLabel(/^Action/).fill('detainee.update');
    await page.getByRole('button', { name: 'Apply' }).click();
    await page.waitForURL(/action=detainee.update/);
    const rows = page.locator('tbody tr');
    await page.waitForFunction(() => {
      const trs = [...document.querySelectorAll('tbody tr')];
      return trs.length === 3 && trs.every((tr) => tr.textContent.includes('detainee.update'));
    });
    if ((await rows.count()) !== 3) throw new Error('expected 3 detainee.update entries');
    await rows.first().getByRole('button').click();
    const dlg = page.getByRole('dialog', { name: /Audit entry/ });
    const details = await dlg.getByTestId('audit-details').textContent();
    if (!details.includes('religion')) throw new Error('changes not shown: ' + details);
    await axe('audit entry');
    await axeLandmarks('audit entry dialog');
    await dlg.getByRole('button', { name: 'Close' }).click();
    await dlg.waitFor({ state: 'detached' });
    // Session renewals (auth.refresh) are left out by default; a switch shows them.
    await page.getByRole('button', { name: 'Clear' }).click();
    await page.getByRole('button', { name: /^Open entry/ }).first().waitFor();
    if (await page.getByRole('cell', { name: /auth\.refresh/ }).count()) throw new Error('auth.refresh shown by default');
    await page.getByRole('switch', { name: /Show session renewals/ }).click();
    await page.waitForURL(/refresh=shown/);
    await page.getByRole('cell', { name: /Session renewed/ }).first().waitFor();
    // The orange "Refused" badge of a refused sign-in reads at WCAG AA contrast.
    await page.evaluate(async () => {
      await fetch('/api/v1/auth/login', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ email: 'admin@localhost', password: 'not the password at all' }) });
    });
    await page.getByLabel(/^Action/).fill('auth.login');
    await page.getByRole('button', { name: 'Apply' }).click();
    const refused = page.locator('tbody').getByText('Refused', { exact: true }).first();
    await refused.waitFor();
    const ratio = await contrastOf(refused);
    console.log(`     audit "Refused" badge contrast ${ratio.toFixed(2)}:1`);
    if (ratio < 4.5) throw new Error(`refused badge contrast ${ratio.toFixed(2)}:1`);
    await axe('audit log (refused sign-in)');
    await page.getByRole('button', { name: 'Verify the chain' }).click();
    await page.getByText('The chain is intact').waitFor();
    await axe('audit log verified');
    // From a case page: the case's own entries (its evidence uploads among them).
    await page.goto(caseUrl);
    await page.getByRole('link', { name: 'Audit log of this case' }).click();
    await page.getByRole('button', { name: /^Open entry/ }).first().waitFor();
    await page.getByLabel(/^Action/).fill('custody_period.update'); // filtered: the reads of later steps (exports) push it off the first page
    await page.getByRole('button', { name: 'Apply' }).click();
    await page.getByRole('cell', { name: /custody_period\.update/ }).first().waitFor();
    await page.getByLabel(/^Action/).fill('evidence.upload');
    await page.getByRole('button', { name: 'Apply' }).click();
    await page.getByRole('cell', { name: /evidence\.upload/ }).first().waitFor();
    await page.goto(caseUrl);
    await page.getByRole('heading', { name: 'Ilham Tohti: separatism' }).waitFor();
  });

  await step('dashboard counts the case', async () => {
    await page.getByRole('link', { name: 'Dashboard' }).click();
    await page.getByText('1 case visible to you').waitFor();
    await page.getByRole('list', { name: 'Cases by stage' }).getByText('Serving sentence').waitFor();
    await page.getByRole('heading', { name: 'Time limits needing action' }).waitFor();
    const limitCounts = page.getByRole('list', { name: 'Time limits by status' });
    await limitCounts.getByRole('link', { name: /Due within 7 days/ }).waitFor();
    await limitCounts.getByRole('link', { name: /Overdue unless extended/ }).waitFor();
    await page.getByRole('link', { name: 'See all time limits' }).waitFor();
    await page.getByRole('heading', { name: 'Releases expected within 90 days' }).waitFor();
    await page.getByRole('heading', { name: 'Release date passed, no release recorded' }).waitFor();
    await page.getByRole('heading', { name: 'Open support actions' }).waitFor();
    await page.getByText('2 open, 0 overdue.').waitFor();
    const openTypes = page.getByRole('list', { name: 'Open actions by type' });
    await openTypes.getByText('Diplomatic démarche').waitFor();
    await openTypes.getByText('Media campaign').waitFor();
    await axe('dashboard with data');
  });

  await step('full time-limit list: filters in the URL, total, each limit links its case', async () => {
    await page.getByRole('link', { name: 'See all time limits' }).click();
    await page.getByRole('heading', { name: 'Time limits', exact: true }).waitFor();
    if (!/status=overdue%2Coverdue_unless_extended%2Cpending/.test(page.url())) throw new Error('see all lost its filter: ' + page.url());
    // The chips' checkboxes are visually hidden inputs: check their state, not their visibility.
    const chips = page.getByRole('group', { name: /^Status/ });
    await chips.getByRole('checkbox', { name: 'Pending' }).waitFor({ state: 'attached' });
    if (!(await chips.getByRole('checkbox', { name: 'Pending' }).isChecked()) || (await chips.getByRole('checkbox', { name: 'Met' }).isChecked()))
      throw new Error('status chips do not follow the URL');
    await page.getByText(/^(\d+\+? time limits?|No time limit matches these filters\.)$/).waitFor();
    // Every status: the case's limits (met, not applicable...) are listed, each linked to the case.
    await page.goto(`${base}/deadlines`);
    await page.getByText(/^\d+\+? time limits?$/).waitFor();
    const all = page.getByRole('list', { name: 'Time limits', exact: true });
    await all.getByRole('link', { name: '伊力哈木·土赫提' }).first().waitFor();
    await axe('time-limit list');
  });

  await step('hearings calendar and the calendar feed address (shown once, works, revoked)', async () => {
    await page.goto(caseUrl);
    await page.getByRole('button', { name: 'Schedule a hearing' }).click();
    const hf = page.getByRole('form', { name: 'Schedule a hearing' });
    const today = new Date().toLocaleDateString('en-CA', { timeZone: 'Asia/Shanghai' });
    await hf.getByLabel(/^Date and time at the court/).fill(`${today}T09:30`);
    await hf.getByLabel('Court', { exact: true }).fill('Kashgar Intermediate Court 喀什');
    await axe('schedule hearing form');
    await hf.getByRole('button', { name: 'Schedule' }).click();
    await page.getByText('Hearing scheduled.').waitFor();
    await page.getByRole('list', { name: 'Timeline' }).getByText(/Kashgar Intermediate Court/).waitFor();
    // Record the outcome: status, who was admitted, observers present.
    const hrow = page.getByRole('list', { name: 'Timeline' }).getByRole('listitem').filter({ hasText: 'Kashgar Intermediate Court' });
    await hrow.getByRole('button', { name: /^Record outcome/ }).click();
    const hd = page.getByRole('dialog', { name: 'Hearing' });
    await select(/^Status/, 'Held', hd);
    await hd.getByLabel('Outcome').fill('Adjourned after two hours');
    await select('Defence lawyer admitted', 'No', hd);
    await select('Diplomatic observers admitted', 'No', hd);
    await hd.getByLabel(/^Observers present/).fill('Embassy of Germany (turned away)');
    await axe('hearing outcome form');
    await hd.getByRole('button', { name: 'Save' }).click();
    await hd.waitFor({ state: 'detached' });
    await page.getByText('Hearing saved.').waitFor();
    await hrow.getByText(/Defence lawyer admitted: No/).waitFor();
    await hrow.getByText(/Embassy of Germany \(turned away\)/).waitFor();
    await page.getByRole('link', { name: 'Hearings' }).click();
    await page.getByRole('heading', { name: 'Hearings' }).waitFor();
    await page.getByText(/Kashgar Intermediate Court 喀什 · court time .* 09:30 \(Asia\/Shanghai\)/).waitFor();
    await axe('hearings calendar');
    await page.getByRole('button', { name: 'Previous month' }).click();
    await page.getByText('No hearing this month.').waitFor();
    await page.getByRole('link', { name: 'My account' }).click();
    await page.getByText('No feed.').waitFor();
    await page.getByRole('button', { name: 'Create a feed address' }).click();
    const url = await page.getByLabel(/^Feed address/).inputValue();
    if (!url.startsWith(base + '/api/v1/calendar-feeds/')) throw new Error('feed url ' + url);
    const res = await fetch(url);
    if (!res.ok || !(res.headers.get('content-type') ?? '').startsWith('text/calendar')) throw new Error('feed fetch ' + res.status);
    const ics = await res.text();
    if (!ics.startsWith('BEGIN:VCALENDAR') || !ics.includes('BEGIN:VEVENT')) throw new Error('not iCalendar with the hearing');
    await axe('my account');
    await page.getByRole('button', { name: 'Turn the feed off' }).click();
    await page.getByText('No feed.').waitFor();
    if ((await fetch(url)).status !== 404) throw new Error('revoked feed still served');
  });

  await step('admin: create a user, see the one-time password', async () => {
    await page.getByRole('link', { name: 'Users' }).click();
    await page.getByRole('cell', { name: 'admin@localhost', exact: true }).waitFor();
    await axe('users');
    await page.getByRole('button', { name: 'New user' }).click();
    const dlg = page.getByRole('dialog');
    await dlg.getByLabel('Email').fill('observer@example.org');
    await dlg.getByLabel('Name').fill('Embassy desk');
    await select('Role', 'Observer', dlg);
    await dlg.getByRole('button', { name: 'Save' }).click();
    const pw = (await page.getByTestId('generated-password').textContent()).trim();
    if (pw.length < 12) throw new Error('generated password too short');
    await page.getByRole('button', { name: 'Close' }).last().click();
    await page.getByRole('cell', { name: 'observer@example.org', exact: true }).waitFor();
  });

  // Issue 20: name search across scripts, CSV import that survives real files, duplicates and merge.
  let ilhamHref = '';
  await step('search: the matched name form is shown (a source that wrote • for ·)', async () => {
    await page.getByRole('link', { name: 'Detainees' }).click();
    await page.getByLabel('Search').fill('伊力哈木•土赫提');
    const link = page.getByRole('link', { name: '伊力哈木·土赫提', exact: true });
    await link.waitFor();
    ilhamHref = await link.getAttribute('href');
    await page.getByTestId('matched').filter({ hasText: 'Matched: 伊力哈木·土赫提' }).waitFor();
    await axe('detainee list (search with a matched form)');
    await page.getByLabel('Search').fill('');
  });

  const importCsv = Buffer.from(
    [
      '姓名,出生日期,Date of death,拼音,remarks',
      '刘晓波,1955-12-28,2017-07,Liu Xiaobo,Nobel Peace Prize 2010',
      '许志永,1973-03-02,,Xu Zhiyong,',
      '丁家喜,1954-02-29,,Ding Jiaxi,"impossible date, as in the source"',
      '伊力哈木•土赫提,,,,already recorded',
    ].join('\r\n') + '\r\n',
  );
  const dd = (scope, term) => scope.locator('dt', { hasText: term }).locator('+ dd');
  await step('import: upload a CSV, columns mapped, dry run with a rejected line and a possible duplicate, progress at 100', async () => {
    await page.getByRole('link', { name: 'Import CSV' }).click();
    await page.getByRole('heading', { name: 'Import detainees (CSV)' }).waitFor();
    await page.locator('input[type=file]:not([capture])').setInputFiles({ name: 'prisoners.csv', mimeType: 'text/csv', buffer: importCsv });
    await page.getByRole('heading', { name: 'Columns' }).waitFor();
    const guessed = { 姓名: 'Name (name)', 出生日期: 'Date of birth (born_at)', 'Date of death': 'Date of death (died_at)', 拼音: 'Name form: Pinyin (other_names.pinyin)', remarks: 'Ignore this column' };
    for (const [col, want] of Object.entries(guessed)) {
      const got = await page.locator(`input[aria-label="Field of column ${col}"]`).inputValue();
      if (got !== want) throw new Error(`column ${col} mapped to "${got}", want "${want}"`);
    }
    await axe('import: column mapping');
    await page.getByRole('button', { name: 'Check (dry run)' }).click();
    const dry = page.locator('.mantine-Card-root').filter({ has: page.getByRole('heading', { name: 'Dry run: nothing was stored' }) });
    await dry.waitFor();
    const bar = page.getByRole('progressbar', { name: 'Upload progress' });
    if ((await bar.getAttribute('aria-valuenow')) !== '100') throw new Error('upload progress not at 100');
    for (const [term, want] of [['Lines read', '4'], ['Would create', '3'], ['Rejected lines', '1']]) {
      const got = (await dd(dry, term).textContent()).trim();
      if (got !== want) throw new Error(`dry run ${term}: ${got}, want ${want}`);
    }
    const bad = dry.getByRole('table', { name: 'Rejected lines' }).getByRole('row').filter({ hasText: '1954-02-29 does not exist' });
    await bad.waitFor();
    if ((await bad.getByRole('cell').first().textContent()).trim() !== '4') throw new Error('rejected line number is not 4');
    if (!(await bad.textContent()).includes('出生日期')) throw new Error('rejected column not named');
    // Line 5 names the detainee recorded at the start (same folded name, birth year unknown).
    await dry.getByText(/Line 5 \(伊力哈木•土赫提\)/).waitFor();
    const dupLink = dry.getByRole('link', { name: /^record / });
    if ((await dupLink.getAttribute('href')) !== ilhamHref) throw new Error('duplicate link does not point at the recorded detainee');
    await axe('import: dry run');
  });

  await step('import: download the rejected lines as CSV (built in the browser)', async () => {
    const [dl] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Download rejected lines (CSV)' }).click()]);
    if (dl.suggestedFilename() !== 'prisoners-rejected.csv') throw new Error('rejects filename: ' + dl.suggestedFilename());
    const text = readFileSync(await dl.path(), 'utf8').replace(/^\ufeff/, '');
    const lines = text.trimEnd().split('\r\n');
    if (lines[0] !== '姓名,出生日期,Date of death,拼音,remarks,import_errors') throw new Error('rejects header: ' + lines[0]);
    if (lines.length !== 2 || !lines[1].startsWith('丁家喜,1954-02-29,,Ding Jiaxi,"impossible date, as in the source",') || !lines[1].includes('line 4: 出生日期: ') || !lines[1].includes('1954-02-29 does not exist'))
      throw new Error('rejects file:\n' + text);
  });

  await step('import: skip the rejected line, import the others; traditional characters find the new record', async () => {
    await page.getByRole('radio', { name: 'Skip it and import the other lines' }).check();
    await page.getByRole('button', { name: 'Import', exact: true }).click();
    const done = page.locator('.mantine-Card-root').filter({ has: page.getByRole('heading', { name: 'Import done' }) });
    await done.waitFor();
    for (const [term, want] of [['Created', '3'], ['Rejected lines', '1']]) {
      const got = (await dd(done, term).textContent()).trim();
      if (got !== want) throw new Error(`import ${term}: ${got}, want ${want}`);
    }
    await page.getByRole('link', { name: 'Back to the detainees' }).click();
    await page.getByLabel('Search').fill('劉曉波');
    await page.getByRole('link', { name: '刘晓波', exact: true }).waitFor();
    await page.getByTestId('matched').filter({ hasText: 'Matched: 刘晓波' }).waitFor();
    if (await page.getByRole('link', { name: '丁家喜' }).count()) throw new Error('the rejected line was imported');
  });

  await step('date of death: imported, shown on the detainee page, corrected in the form', async () => {
    await page.getByRole('link', { name: '刘晓波', exact: true }).click();
    await page.getByRole('heading', { name: '刘晓波' }).waitFor();
    await page.getByRole('cell', { name: 'Liu Xiaobo' }).waitFor();
    await dd(page, 'Date of birth').filter({ hasText: /Dec 28, 1955|28 Dec 1955/ }).waitFor();
    await dd(page, 'Date of death').filter({ hasText: 'July 2017' }).waitFor();
    await page.getByRole('button', { name: 'Edit detainee' }).click();
    const dlg = page.getByRole('dialog', { name: 'Edit detainee' });
    await dlg.getByLabel('Date of death').fill('2017-07-13');
    await dlg.getByRole('button', { name: 'Save' }).click();
    await dlg.waitFor({ state: 'detached' });
    await dd(page, 'Date of death').filter({ hasText: /Jul 13, 2017|13 Jul 2017/ }).waitFor();
  });

  await step('merge: the imported duplicate is merged into the recorded detainee (If-Match), its name form kept', async () => {
    await page.getByRole('link', { name: 'Detainees' }).click();
    await page.getByLabel('Search').fill('伊力哈木');
    await page.getByRole('link', { name: '伊力哈木•土赫提', exact: true }).click();
    await page.getByRole('heading', { name: '伊力哈木•土赫提' }).waitFor();
    await page.getByRole('button', { name: 'Merge into another record' }).click();
    const dlg = page.getByRole('dialog', { name: 'Merge this record into another' });
    await dlg.getByRole('searchbox', { name: 'Record to keep' }).fill('Ilham Tohti');
    await dlg.getByRole('radio', { name: /^伊力哈木·土赫提 · Ilham Tohti/ }).check();
    await dlg.getByLabel(/^Reason/).fill('Imported again from the public list');
    await dlg.getByRole('checkbox', { name: 'I have checked that both records are the same person' }).check();
    await axe('merge dialog');
    await dlg.getByRole('button', { name: 'Merge' }).click();
    await page.getByRole('heading', { name: '伊力哈木·土赫提' }).waitFor();
    if (new URL(page.url()).pathname !== ilhamHref) throw new Error('not on the kept record after the merge: ' + page.url());
    await page.getByRole('cell', { name: '伊力哈木•土赫提' }).waitFor();
    await page.getByRole('link', { name: 'Ilham Tohti: separatism' }).waitFor();
    await page.getByRole('link', { name: 'Detainees' }).click();
    await page.getByLabel('Search').fill('伊力哈木');
    await page.getByRole('link', { name: '伊力哈木·土赫提', exact: true }).waitFor();
    if (await page.getByRole('link', { name: '伊力哈木•土赫提', exact: true }).count()) throw new Error('the merged record is still listed');
    await page.getByLabel('Search').fill('');
  });

  await step('switch to Chinese; the choice and the session survive a reload', async () => {
    await page.goto(caseUrl);
    await page.getByRole('heading', { name: 'Ilham Tohti: separatism' }).waitFor();
    await page.getByText('中文').click();
    await page.getByRole('link', { name: '被羁押人' }).waitFor();
    await page.getByRole('heading', { name: '律师' }).waitFor();
    await page.getByRole('cell', { name: '机构指派' }).waitFor();
    await page.reload();
    await page.getByRole('heading', { name: 'Ilham Tohti: separatism' }).waitFor();
    await page.getByText('服刑').first().waitFor();
    const tlZh = page.getByRole('list', { name: '时间线' });
    await tlZh.getByText('律师会见被拒').waitFor();
    await tlZh.getByText('约 2014年3月').waitFor();
    await page.getByRole('heading', { name: '法定期限' }).waitFor();
    // Accept-Language follows the UI: the server writes the limits' citations in Chinese.
    await page.getByRole('list', { name: '法定期限' }).getByText(/刑事诉讼法/).first().waitFor();
    // The start of a limit is named, not shown as a field code ("From detained_at").
    await page.getByRole('list', { name: '法定期限' }).getByText(/自刑事拘留之日起/).first().waitFor();
    if (await page.getByText(/detained_at|arrest_approved_at/).count()) throw new Error('a start event shown as a code');
    const custodyZh = page.getByRole('region', { name: '羁押经历' });
    await custodyZh.getByRole('cell', { name: '刑事拘留', exact: true }).waitFor();
    await custodyZh.getByRole('list', { name: '图例' }).getByText('逮捕（审前羁押）').waitFor();
    await page.getByRole('region', { name: '刑罚与释放' }).getByText('无期徒刑', { exact: true }).waitFor();
    await page.getByRole('list', { name: '国际支援' }).getByText('外交交涉').waitFor();
    await page.getByRole('button', { name: '导出卷宗（PDF）' }).waitFor();
    await axe('case page (Chinese)');
    await page.getByRole('link', { name: '概览' }).click();
    await page.getByText('您可查看 1 个案件').waitFor();
    await page.getByRole('link', { name: '被羁押人' }).click();
    await page.getByRole('button', { name: '新建被羁押人' }).waitFor();
    await axe('detainee list (Chinese)');
    await page.getByText('English').click();
    await page.getByRole('link', { name: 'Detainees' }).waitFor();
  });

  await step('session end keeps a half-written form and asks to sign in again on top of it', async () => {
    await page.getByRole('button', { name: 'New detainee' }).click();
    await page.getByRole('dialog').getByLabel(/^Name/).fill('Half written');
    // The session ends elsewhere (e.g. an admin ended it): access and refresh tokens stop working.
    await page.evaluate(async () => {
      // As the app does: the refresh cookie is taken only with a JSON content type.
      const r = await fetch('/api/v1/auth/logout', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: '{}' });
      if (r.status !== 204) throw new Error(`logout: ${r.status}`);
    });
    await page.context().clearCookies();
    await page.getByRole('dialog').getByRole('button', { name: 'Save' }).click();
    await page.getByText('Your session has ended').waitFor();
    if ((await page.getByRole('dialog', { name: 'New detainee' }).getByLabel(/^Name/).inputValue()) !== 'Half written') throw new Error('form lost');
    await axe('session-expired dialog');
    // Sign in again in the dialog: the pending save goes through with the new session.
    const again = page.getByRole('dialog', { name: /session has ended/ });
    await again.getByLabel('Email').fill('admin@localhost');
    await again.getByLabel(/^Password/).fill(newPassword);
    await again.getByRole('button', { name: 'Continue' }).click();
    await again.getByLabel('Code from your authenticator app').fill(await totp());
    await again.getByRole('button', { name: 'Verify' }).click();
    await page.getByRole('heading', { name: 'Half written' }).waitFor({ timeout: 40_000 });
  });

  await step('scripts: a Uyghur and a Tibetan name load the shipped fonts on that page only, Uyghur right to left', async () => {
    if (fontRequests.length) throw new Error('fonts loaded before any Uyghur or Tibetan text: ' + fontRequests.join(', '));
    await page.getByRole('link', { name: 'Detainees' }).click();
    await page.getByRole('button', { name: 'New detainee' }).click();
    const dlg = page.getByRole('dialog');
    await dlg.getByLabel(/^Name/).fill('ئىلھام توختى');
    await dlg.getByRole('button', { name: 'Add a name form' }).click();
    await dlg.getByLabel('Other name 1').fill('བློ་བཟང་བསྟན་འཛིན།');
    await axeLandmarks('new detainee dialog');
    await dlg.getByRole('button', { name: 'Save' }).click();
    const heading = page.getByRole('heading', { name: 'ئىلھام توختى' });
    await heading.waitFor();
    await page.getByRole('cell', { name: 'བློ་བཟང་བསྟན་འཛིན།' }).waitFor();
    await page.evaluate(() => document.fonts.ready);
    await page.waitForFunction(() => document.fonts.check('16px "Habeas Arabic"', 'ئى') && document.fonts.check('16px "Habeas Tibetan"', 'བློ'));
    const arabic = fontRequests.filter((u) => /habeas-arabic/.test(u));
    const tibetan = fontRequests.filter((u) => /habeas-tibetan/.test(u));
    if (arabic.length !== 1 || tibetan.length !== 1) throw new Error('font requests: ' + fontRequests.join(', '));
    const dir = await heading.evaluate((el) => getComputedStyle(el).direction);
    if (dir !== 'rtl') throw new Error('Uyghur heading direction ' + dir);
    // Drawn with the shipped faces (not boxes): the browser reports the faces as loaded.
    const loaded = await page.evaluate(() => [...document.fonts].filter((f) => f.status === 'loaded').map((f) => f.family.replace(/"/g, '')));
    if (!loaded.includes('Habeas Arabic') || !loaded.includes('Habeas Tibetan')) throw new Error('faces loaded: ' + loaded.join(', '));
    mkdirSync(results, { recursive: true });
    await page.screenshot({ path: join(results, 'scripts-uyghur-tibetan.png') });
    await axe('detainee page (Uyghur, Tibetan)');
  });

  await step('phone-sized screen: menu, detainee page, case page', async () => {
    await page.setViewportSize({ width: 390, height: 844 });
    await page.goto(caseUrl);
    await page.getByRole('heading', { name: 'Ilham Tohti: separatism' }).waitFor();
    await axe('case page (phone)');
    await page.getByRole('button', { name: 'Open or close the menu' }).click();
    await page.getByRole('link', { name: 'Detainees' }).click();
    await page.getByRole('link', { name: '伊力哈木·土赫提' }).click();
    await page.getByRole('cell', { name: 'Ilham Tohti' }).waitFor();
    await axe('detainee page (phone)');
    // The header stays on one line on the phone, in Chinese too.
    await page.getByText('中文').click();
    await page.getByRole('link', { name: '被羁押人' }).first().waitFor({ state: 'attached' });
    const head = await page.evaluate(() => {
      const h = document.querySelector('header');
      const title = document.querySelector('[data-testid="app-title"]');
      const lh = parseFloat(getComputedStyle(title).lineHeight) || 24;
      return { height: h.getBoundingClientRect().height, scroll: h.scrollHeight, client: h.clientHeight, title: title.getBoundingClientRect().height, lh, width: document.documentElement.scrollWidth };
    });
    if (head.scroll > head.client || head.title > head.lh * 1.5 || head.width > 390) throw new Error('header wraps on the phone in Chinese: ' + JSON.stringify(head));
    await page.getByText('English').click();
    await page.getByRole('link', { name: 'Detainees' }).first().waitFor({ state: 'attached' });
    await page.setViewportSize({ width: 1280, height: 900 });
  });

  await phoneFirst({ page, step, axe, caseUrl, caseTitle: 'Ilham Tohti: separatism' }); // issue 24 item 4: e2e/phone.mjs

  await campaigns({ page, step, axe, base, caseUrl, pick }); // issue 25 item 2 (e2e/campaigns.mjs)

  const notified = await notifications({ page, step, axe, base, caseUrl }); // issue 26 (e2e/notifications.mjs)
  console.log(`e2e: the admin's inbox held ${notified.inboxItems} notification(s)`);

  // After the dashboard's case count (it adds a second case), before the sweep (which opens its dialogs).
  await caseLinks({ page, step, axe, caseUrl, pick }); // issue 25 (e2e/caselinks.mjs)
  // Every screen and dialog in both languages (issue 24), with the data created above.
  await sweep({ page, step, axe, base, lbase: `http://localhost:${port}`, caseUrl, detaineeUrl, select, coverage, chromiumPath });
  if (shots) await step('user guide screenshots', () => guideShots({ page, base, caseUrl, shots }));

  let coordPw = '';
  let zhouPw = '';
  await confidentialSetup({ page, step, axe, caseUrl, select }); // issue 25 (e2e/confidential.mjs)

  await step('role views: a lawyer sees their cases first; an observer is strictly read-only', async () => {
    const newUser = async (email, name, role) => {
      await page.getByRole('link', { name: 'Users' }).click();
      await page.getByRole('button', { name: 'New user' }).click();
      const dlg = page.getByRole('dialog');
      await dlg.getByLabel('Email').fill(email);
      await dlg.getByLabel('Name').fill(name);
      await select('Role', role, dlg);
      await dlg.getByLabel('Require two-step verification').uncheck();
      await dlg.getByRole('button', { name: 'Save' }).click();
      const pw = (await page.getByTestId('generated-password').textContent()).trim();
      await page.getByRole('button', { name: 'Close' }).last().click();
      return pw;
    };
    const lawyerPw = await newUser('wang@example.org', 'Wang Yu', 'Lawyer');
    const observerPw = await newUser('desk@example.org', 'Consular desk', 'Observer');
    // For the coordinator step below: a coordinator, and a lawyer whose record is assigned but not linked.
    coordPw = await newUser('chen@example.org', 'Chen Coordinator', 'Coordinator');
    zhouPw = await newUser('zhou@example.org', 'Zhou Lin', 'Lawyer');
    // Link a new lawyer record to the account and assign them; share the case with the observer.
    await page.getByRole('link', { name: 'Lawyers' }).click();
    await page.getByRole('button', { name: 'New lawyer' }).click();
    let dlg = page.getByRole('dialog');
    await dlg.getByLabel(/^Name/).fill('Wang Yu');
    await select("Lawyer's account", 'Wang Yu (Lawyer)', dlg);
    await dlg.getByRole('button', { name: 'Save' }).click();
    await page.getByRole('cell', { name: 'Wang Yu', exact: true }).waitFor();
    await page.goto(caseUrl);
    await select('Lawyer', 'Wang Yu');
    await page.getByRole('button', { name: 'Assign', exact: true }).click();
    await page.getByRole('cell', { name: 'Wang Yu', exact: true }).waitFor();
    // Shared by name (search as you type), listed by name and role under "Shared with".
    const picker = page.getByPlaceholder('Type a name');
    await picker.fill('consular');
    await page.getByRole('option', { name: 'Consular desk (Observer)', exact: true }).click();
    await axe('share picker');
    await page.getByRole('button', { name: 'Share', exact: true }).click();
    await page.getByText(/^Consular desk \(Observer\) ·/).waitFor();
    if (await page.getByText(/^[0-9a-f]{8}-[0-9a-f]{4}-/).count()) throw new Error('a bare user id is shown under "Shared with"');
    // A confidential item: observers must not see it.
    await page.locator('input[type=file]:not([capture])').setInputFiles([{ name: 'family.txt', mimeType: 'text/plain', buffer: Buffer.from('family contact') }]);
    await page.getByLabel('Title of file 1').fill('Family letter');
    await page.getByLabel('Confidential (hidden from observers)').check();
    await page.getByRole('button', { name: 'Upload 1 file' }).click();
    await page.getByRole('button', { name: 'Download Family letter' }).waitFor();

    const signInAs = async (email, pw) => {
      await page.getByRole('button', { name: 'Sign out' }).click();
      await page.getByLabel('Email').fill(email);
      await page.getByLabel(/^Password/).fill(pw);
      await page.getByRole('button', { name: 'Continue' }).click();
      await page.getByLabel(/^New password/).fill('violet harbour lantern 回声');
      await page.getByLabel('Repeat the new password').fill('violet harbour lantern 回声');
      await page.getByRole('button', { name: 'Change password' }).click();
      await page.getByRole('heading', { name: 'Dashboard' }).waitFor();
    };

    await signInAs('wang@example.org', lawyerPw);
    const mine = page.getByRole('list', { name: 'My cases' });
    await mine.getByRole('link', { name: 'Ilham Tohti: separatism' }).waitFor();
    await axe('lawyer dashboard');
    if (await page.getByRole('link', { name: 'Audit log' }).count()) throw new Error('lawyer sees the audit log link');
    await mine.getByRole('link', { name: 'Ilham Tohti: separatism' }).click();
    await page.getByRole('button', { name: 'Edit case' }).waitFor();
    await page.getByRole('button', { name: 'Choose files' }).waitFor();
    await page.getByRole('button', { name: 'Download Family letter' }).waitFor();
    await caseLinksHiddenFromLawyer(page); // issue 25 (e2e/caselinks.mjs)
    if (await page.getByRole('button', { name: /^Delete (?!period:|communication:)/ }).count()) throw new Error('lawyer may not delete evidence');
    // The lawyer uploads evidence to their case, with its progress bar and hash.
    await page.locator('input[type=file]:not([capture])').setInputFiles([
      { name: 'refused-meeting.txt', mimeType: 'text/plain', buffer: Buffer.from('Meeting refused at the detention centre gate.\n') },
    ]);
    await page.getByLabel('Title of file 1').fill('Refused meeting, lawyer notes');
    await page.getByRole('button', { name: 'Upload 1 file' }).click();
    await page.getByTestId('upload-result').first().waitFor();
    await page.getByText('Matches the SHA-256 computed in this browser').first().waitFor();
    const lawyerBar = page.getByRole('progressbar', { name: 'Upload progress of refused-meeting.txt' });
    if ((await lawyerBar.getAttribute('aria-valuenow')) !== '100') throw new Error('lawyer upload progress not at 100');
    await page.getByRole('cell', { name: /Refused meeting, lawyer notes/ }).first().waitFor();
    // The quick "log event" form on a phone-sized screen.
    await page.setViewportSize({ width: 390, height: 844 });
    await page.getByRole('button', { name: 'Log an event' }).click();
    const lf = page.getByRole('form', { name: 'Log an event' });
    await select(/^What happened/, 'Lawyer meeting requested', lf);
    await lf.getByLabel('Description').fill('Requested a meeting by fax');
    await axe('log event form (lawyer, phone)');
    await lf.getByRole('button', { name: 'Log event' }).click();
    await page.getByRole('list', { name: 'Timeline' }).getByText('Requested a meeting by fax').waitFor();
    await page.setViewportSize({ width: 1280, height: 900 });
    if (await page.getByRole('button', { name: 'New support action' }).count()) throw new Error('lawyer may not create support actions');

    await signInAs('desk@example.org', observerPw);
    const shared = page.getByRole('list', { name: 'Cases shared with you' });
    await shared.getByRole('link', { name: 'Ilham Tohti: separatism' }).click();
    await page.getByRole('button', { name: 'Download Witness statement' }).waitFor();
    await axe('case page (observer)');
    await confidentialHiddenFromObserver(page); // issue 25 (e2e/confidential.mjs)
    await page.getByRole('region', { name: 'Custody history' }).getByRole('cell', { name: 'Criminal detention', exact: true }).waitFor();
    if (await page.getByRole('button', { name: /^(Edit|Delete) (period|communication):/ }).count()) throw new Error('observer may edit custody periods or UN communications');
    await page.getByRole('region', { name: 'UN communications' }).getByText('UA CHN 5/2024').waitFor(); // issue 25: read-only
    for (const name of ['Add a custody period', 'Add a UN communication', 'Edit case', 'Choose files', 'Assign', 'Save', 'Download Family letter', 'Delete Witness statement', 'Edit Witness statement', 'Edit assignment of Wang Yu', 'Log an event', 'New support action', 'WGAD draft (PDF)', 'Change status']) {
      if (await page.getByRole('button', { name, exact: true }).count()) throw new Error(`observer sees "${name}"`);
    }
    if (await page.getByText('Confidential notes').count()) throw new Error('observer sees confidential notes');
    if (await page.getByRole('button', { name: /^Record outcome/ }).count()) throw new Error('observer may record a hearing outcome');
    await page.getByRole('list', { name: 'Timeline' }).getByRole('listitem').filter({ hasText: 'Requested a meeting by fax' }).getByRole('button', { name: /^Details and revisions/ }).click();
    const odlg = page.getByRole('dialog', { name: 'Event' });
    await odlg.getByText(/^Version 1 \(created\)/).waitFor();
    for (const name of ['Correct', 'Delete']) if (await odlg.getByRole('button', { name, exact: true }).count()) throw new Error(`observer sees "${name}" on an event`);
    await odlg.getByRole('button', { name: 'Close' }).click();
    await odlg.waitFor({ state: 'detached' });
    await page.getByText('Requested a meeting by fax').waitFor();
    // Observers export the external dossier only.
    await page.getByRole('combobox', { name: 'Audience' }).click();
    await page.getByRole('option', { name: 'External (no confidential material)' }).waitFor();
    if (await page.getByRole('option', { name: 'Internal (everything)' }).count()) throw new Error('observer offered the internal dossier');
    await page.keyboard.press('Escape');
    const [odl] = await Promise.all([page.waitForEvent('download', { timeout: 60_000 }), page.getByRole('button', { name: 'Export dossier (PDF)' }).click()]);
    if (readFileSync(await odl.path()).subarray(0, 5).toString('latin1') !== '%PDF-') throw new Error('observer dossier: not a PDF');
    await page.getByRole('link', { name: '伊力哈木·土赫提' }).click();
    await page.getByRole('cell', { name: 'Ilham Tohti' }).waitFor();
    if (await page.getByRole('button', { name: 'Edit detainee' }).count()) throw new Error('observer may edit the detainee');
    if (await page.getByText('Wife: Guzelnur').count()) throw new Error('observer sees family contacts');
    await axe('detainee page (observer)');
  });

  await step("a coordinator links a lawyer's account by name; the lawyer then sees the case", async () => {
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.getByLabel('Email').fill('chen@example.org');
    await page.getByLabel(/^Password/).fill(coordPw);
    await page.getByRole('button', { name: 'Continue' }).click();
    // Coordinators enrol TOTP at their first sign-in.
    const adminSecret = totpSecret;
    await page.getByRole('button', { name: 'Start' }).click();
    const secret = (await page.getByTestId('totp-secret').textContent()).trim();
    await page.getByLabel('Code from your authenticator app').fill(await totp(secret));
    totpSecret = adminSecret;
    await page.getByRole('button', { name: 'Confirm' }).click();
    await page.getByLabel('I have stored these codes safely').check();
    await page.getByRole('button', { name: 'Continue' }).click();
    await page.getByLabel(/^New password/).fill('amber meadow compass 灯塔');
    await page.getByLabel('Repeat the new password').fill('amber meadow compass 灯塔');
    await page.getByRole('button', { name: 'Change password' }).click();
    await page.getByRole('heading', { name: 'Dashboard' }).waitFor();
    // The coordinator records the lawyer and assigns them to the case, unlinked.
    await page.getByRole('link', { name: 'Lawyers' }).click();
    await page.getByRole('button', { name: 'New lawyer' }).click();
    let dlg = page.getByRole('dialog');
    await dlg.getByLabel(/^Name/).fill('Zhou Lin');
    await dlg.getByRole('button', { name: 'Save' }).click();
    await page.getByRole('cell', { name: 'Zhou Lin', exact: true }).waitFor();
    await page.goto(caseUrl);
    await select('Lawyer', 'Zhou Lin');
    await page.getByRole('button', { name: 'Assign', exact: true }).click();
    await page.getByRole('cell', { name: 'Zhou Lin', exact: true }).waitFor();
    await addCoDefendant({ page, axe }); // issue 25 (e2e/codefendants.mjs)
    // Then links the account from the lawyer's edit form, picking it by name (only unlinked lawyer accounts).
    await page.getByRole('link', { name: 'Lawyers' }).click();
    await page.getByRole('button', { name: 'Edit lawyer Zhou Lin' }).click();
    dlg = page.getByRole('dialog', { name: 'Edit lawyer' });
    const acct = dlg.getByPlaceholder('Type a name');
    await acct.fill('zhou');
    await page.getByRole('option', { name: 'Zhou Lin (Lawyer)', exact: true }).click();
    if (await page.getByRole('option', { name: 'Wang Yu (Lawyer)' }).count()) throw new Error('an account linked elsewhere is offered');
    await axe('link lawyer account dialog');
    await dlg.getByRole('button', { name: 'Save' }).click();
    await dlg.waitFor({ state: 'detached' });
    // The lawyer signs in and sees the case.
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.getByLabel('Email').fill('zhou@example.org');
    await page.getByLabel(/^Password/).fill(zhouPw);
    await page.getByRole('button', { name: 'Continue' }).click();
    await page.getByLabel(/^New password/).fill('violet harbour lantern 回声');
    await page.getByLabel('Repeat the new password').fill('violet harbour lantern 回声');
    await page.getByRole('button', { name: 'Change password' }).click();
    await page.getByRole('list', { name: 'My cases' }).getByRole('link', { name: 'Ilham Tohti: separatism' }).waitFor();
  });

  await coDefendantSeen({ page, step, axe, caseUrl, lawyerEmail: 'zhou@example.org', observerEmail: 'desk@example.org', password: 'violet harbour lantern 回声' }); // issue 25 (e2e/codefendants.mjs)

  // Passkeys: browsers refuse WebAuthn on an IP address, so these steps open the same server at
  // http://localhost (its default relying-party id, derived from HABEAS_ADDR 127.0.0.1:port).
  // Chromium's virtual authenticator (CDP WebAuthn domain) stands in for a platform authenticator
  // with user verification (screen lock) and discoverable credentials.
  const lbase = `http://localhost:${port}`;
  let pk;
  let authenticatorId = '';
  let pkCDP;
  await step('passkeys: register one on the account page (virtual authenticator)', async () => {
    pk = await context.newPage();
    pk.on('console', (m) => {
      if (m.type() === 'error') consoleErrors.push(m.text());
    });
    pk.on('pageerror', (e) => consoleErrors.push(String(e)));
    pkCDP = await context.newCDPSession(pk);
    await pkCDP.send('WebAuthn.enable', { enableUI: false });
    ({ authenticatorId } = await pkCDP.send('WebAuthn.addVirtualAuthenticator', {
      options: {
        protocol: 'ctap2', ctap2Version: 'ctap2_1', transport: 'internal',
        hasResidentKey: true, hasUserVerification: true, isUserVerified: true, automaticPresenceSimulation: true,
      },
    }));
    await pk.goto(lbase + '/');
    await pk.getByLabel('Email').fill('admin@localhost');
    await pk.getByLabel(/^Password/).fill(newPassword);
    await pk.getByRole('button', { name: 'Continue' }).click();
    await pk.getByLabel('Code from your authenticator app').fill(await totp());
    await pk.getByRole('button', { name: 'Verify' }).click();
    await pk.getByRole('heading', { name: 'Dashboard' }).waitFor();
    await pk.getByRole('link', { name: 'My account' }).click();
    await pk.getByText('You have no passkeys.').waitFor();
    await pk.getByLabel(/^Name of the passkey/).fill('Virtual key 钥匙');
    await pk.getByLabel(/^Password/).fill(newPassword);
    await pk.getByRole('button', { name: 'Add a passkey' }).click();
    await pk.getByText('Passkey "Virtual key 钥匙" added.').waitFor();
    await pk.getByRole('list', { name: 'Your passkeys' }).getByText('Virtual key 钥匙').waitFor();
    const { credentials } = await pkCDP.send('WebAuthn.getCredentials', { authenticatorId });
    if (credentials.length !== 1 || !credentials[0].isResidentCredential || credentials[0].rpId !== 'localhost')
      throw new Error('virtual authenticator: ' + JSON.stringify(credentials.map((c) => ({ rpId: c.rpId, resident: c.isResidentCredential }))));
    await axe('my account: passkeys', pk);
  });

  await step('passkeys: sign in with the passkey alone, then as the second step after the password', async () => {
    await pk.getByRole('button', { name: 'Sign out' }).click();
    await pk.getByRole('button', { name: 'Sign in with a passkey' }).waitFor();
    await axe('sign-in page with passkeys', pk);
    await pk.getByRole('button', { name: 'Sign in with a passkey' }).click();
    await pk.getByRole('heading', { name: 'Dashboard' }).waitFor();
    await pk.getByRole('button', { name: 'Sign out' }).click();
    await pk.getByLabel('Email').fill('admin@localhost');
    await pk.getByLabel(/^Password/).fill(newPassword);
    await pk.getByRole('button', { name: 'Continue' }).click();
    await pk.getByRole('button', { name: 'Use your passkey' }).waitFor();
    await axe('second step offering the passkey', pk);
    await pk.getByRole('button', { name: 'Use your passkey' }).click();
    await pk.getByRole('heading', { name: 'Dashboard' }).waitFor();
    const { credentials } = await pkCDP.send('WebAuthn.getCredentials', { authenticatorId });
    if (credentials[0].signCount < 2) throw new Error('sign count ' + credentials[0].signCount);
    // The account page lists the use; removing needs the password.
    await pk.getByRole('link', { name: 'My account' }).click();
    await pk.getByRole('button', { name: 'Remove passkey Virtual key 钥匙' }).click();
    await pk.getByLabel(/^Your password, to remove/).fill(newPassword);
    await pk.getByRole('button', { name: 'Remove passkey', exact: true }).click();
    await pk.getByText('You have no passkeys.').waitFor();
    await pk.close();
  });

  // Issue 24: offline use (offline.mjs, a page of its own; it ends signed out).
  await offlineFlow({ context, step, axe, caseUrl, signIn: async (p) => {
    await p.getByLabel('Email').fill('admin@localhost');
    await p.getByLabel(/^Password/).fill(newPassword);
    await p.getByRole('button', { name: 'Continue' }).click();
    await p.getByLabel('Code from your authenticator app').fill(await totp());
    await p.getByRole('button', { name: 'Verify' }).click();
  } });

  await step('no errors in the browser console (CSP included)', async () => {
    const bad = consoleErrors.filter((e) => !/401|Unauthorized|Failed to load resource/.test(e));
    if (bad.length) throw new Error(bad.join('\n'));
  });
} catch (e) {
  if (e === onlyTransfer) console.log('e2e: HABEAS_E2E_ONLY=transfer: the other steps were skipped');
  else if (!failures) {
    failures++;
    console.error('e2e:', e);
  }
} finally {
  await cleanup();
}
if (failures) {
  console.error(`e2e: FAILED (screenshots in ${results})`);
  process.exit(1);
}
console.log('e2e: all steps passed');
