// The user guide's screenshots (docs/user-guide.md, "Screenshots"), taken from the test's data when
// HABEAS_E2E_SHOTS=DIR is set: DIR/guide/<name>.png, the names docs/img uses (copy them there). Fixed names,
// whatever steps are added to the run; 1280x900 views of the signed-in admin.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';

export async function guideShots({ page, base, caseUrl, shots }) {
  if (!shots) return;
  const dir = join(shots, 'guide');
  mkdirSync(dir, { recursive: true });
  const settle = async () => {
    await page.locator('main h1, main h2').first().waitFor();
    await page.waitForLoadState('networkidle', { timeout: 5000 }).catch(() => {});
    await page.waitForFunction(() => !document.querySelector('.mantine-Loader-root'), null, { timeout: 10_000 }).catch(() => {});
  };
  const shot = async (name) => {
    await page.mouse.move(0, 0); // no hover highlight
    await page.screenshot({ path: join(dir, `${name}.png`) });
  };
  const lang = async (label, code) => {
    await page.getByText(label, { exact: true }).first().click();
    await page.waitForFunction((x) => document.documentElement.lang === x, code);
  };
  await page.setViewportSize({ width: 1280, height: 900 });
  await page.goto(base + '/');
  await settle();
  await shot('dashboard');
  await page.goto(base + '/detainees');
  await settle();
  await shot('detainees');
  await page.goto(caseUrl);
  await settle();
  await shot('case-page');
  // The timeline section at the top of the view (below the fixed header).
  await page.getByRole('heading', { name: 'Timeline', exact: true }).first().evaluate((el) => {
    el.scrollIntoView({ block: 'start' });
    window.scrollBy(0, -(document.querySelector('header')?.getBoundingClientRect().height ?? 0) - 24);
  });
  await shot('case-timeline');
  await page.goto(base + '/support');
  await settle();
  await shot('support-board');
  await lang('中文', 'zh-Hans');
  await page.goto(caseUrl);
  await settle();
  await shot('case-page-zh');
  await lang('English', 'en');
}
