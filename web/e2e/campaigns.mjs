// Issue 25 item 2: campaigns. A manager (the run's admin) creates "709 crackdown" (an end before the start is
// refused under its field first), adds two cases to it from their case pages (the run's case and a new one),
// opens the campaign page and sees both cases, the overview, the chart over time and the same numbers as a
// table. axe checks the list, the page and the campaign dialogs in English and in Chinese (the sweep's coverage
// then finds them checked).

/** Runs the campaign steps; returns the campaign page's address. */
export async function campaigns({ page, step, axe, base, caseUrl, pick }) {
  let campaignUrl = '';
  await step('campaigns: create "709 crackdown", add two cases, see the chart and its table', async () => {
    await page.goto(base + '/campaigns');
    await page.getByRole('heading', { name: 'Campaigns' }).waitFor();
    await page.getByText('No campaigns.').waitFor();
    await page.getByRole('button', { name: 'New campaign' }).click();
    let dlg = page.getByRole('dialog', { name: 'New campaign' });
    await dlg.getByRole('textbox', { name: /^Name/ }).fill('709 crackdown');
    await dlg.getByRole('textbox', { name: /^Description/ }).fill('Rights lawyers detained from 9 July 2015');
    await dlg.getByRole('textbox', { name: /^Started/ }).fill('2015-07-09');
    await dlg.getByRole('textbox', { name: /^Ended/ }).fill('2015-01');
    await dlg.getByRole('button', { name: 'Save' }).click();
    await dlg.getByText('The end date is before the start date.').waitFor();
    await axe('new campaign form with a refused field');
    await dlg.getByRole('textbox', { name: /^Ended/ }).fill('2016');
    await dlg.getByRole('button', { name: 'Save' }).click();
    await page.waitForURL(/\/campaigns\/[0-9a-f-]{36}$/);
    campaignUrl = page.url();

    // The run's case, then a new one, each from its case page.
    const join = async () => {
      const section = page.getByRole('region', { name: 'Campaigns' });
      await section.getByText('This case is in no campaign.').waitFor();
      await pick(section, 'Add to a campaign', '709 crackdown');
      await section.getByRole('button', { name: 'Add', exact: true }).click();
      await section.getByRole('link', { name: '709 crackdown' }).waitFor();
    };
    await page.goto(caseUrl);
    await join();
    await axe('case page with its campaigns');
    await page.goto(base + '/detainees');
    await page.getByRole('button', { name: 'New detainee' }).click();
    dlg = page.getByRole('dialog');
    await dlg.getByLabel(/^Name/).fill('王全璋');
    await dlg.getByRole('button', { name: 'Save' }).click();
    await page.getByRole('heading', { name: '王全璋' }).waitFor();
    await page.getByRole('button', { name: 'New case' }).click();
    dlg = page.getByRole('dialog');
    await dlg.getByLabel('Title').fill('Wang Quanzhang: subversion');
    await dlg.getByLabel('Detained on').fill('2015-08-03');
    await dlg.getByRole('button', { name: 'Save' }).click();
    await page.getByRole('heading', { name: 'Wang Quanzhang: subversion' }).waitFor();
    await join();

    await page.goto(campaignUrl);
    await page.getByRole('heading', { name: '709 crackdown' }).waitFor();
    const cases = page.getByRole('region', { name: 'Cases of the campaign' });
    await cases.getByRole('link', { name: '王全璋' }).waitFor();
    await cases.getByRole('link', { name: '伊力哈木·土赫提' }).waitFor();
    const chart = page.getByTestId('campaign-chart');
    await chart.getByRole('img', { name: 'Cases and events per month' }).waitFor();
    const table = chart.getByRole('table', { name: 'Cases and events per month' });
    // Wang Quanzhang was detained in August 2015 (the other case in 2014: the chart starts then).
    const aug = table.getByRole('row').filter({ has: page.getByRole('rowheader', { name: '2015-08', exact: true }) });
    const cells = await aug.getByRole('cell').allTextContents();
    if (cells[1] !== '1' || !(Number(cells[0]) >= 1)) throw new Error('August 2015: 1 detained and at least 1 in custody expected, got ' + cells.join(' '));
    await page.getByText('Cases you can see').waitFor();
    await axe('campaign page');
  });

  await step('campaigns: the list, the page and their dialogs pass axe in both languages', async () => {
    const dialogs = async (names) => {
      for (const [button, title] of names) {
        await page.getByRole('button', { name: button, exact: true }).click();
        const dlg = page.getByRole('dialog', { name: title });
        await dlg.waitFor();
        await axe(`${title} dialog`);
        await page.keyboard.press('Escape');
        await dlg.waitFor({ state: 'detached' });
      }
    };
    await dialogs([['Edit campaign', 'Edit campaign'], ['Delete campaign', 'Delete campaign']]);
    await page.goto(base + '/campaigns');
    await page.getByRole('link', { name: '709 crackdown' }).waitFor();
    await axe('campaign list');
    await dialogs([['New campaign', 'New campaign']]);
    await page.getByText('中文').click();
    await page.getByRole('heading', { name: '运动与打压' }).waitFor();
    await axe('campaign list (Chinese)');
    await dialogs([['新建运动', '新建运动']]);
    await page.getByRole('link', { name: '709 crackdown' }).click();
    await page.getByRole('heading', { name: '每月案件与事件' }).waitFor();
    await axe('campaign page (Chinese)');
    await dialogs([['编辑运动', '编辑运动'], ['删除运动', '删除运动']]);
    await page.getByText('English').click();
    await page.getByRole('heading', { name: 'Cases and events per month' }).waitFor();
  });
  return campaignUrl;
}
