// Issue 25 item 4: UN communications on the case page. A coordinator records a WGAD urgent appeal transmitted
// ten days ago (China Standard Time): the reply clock badge says 50 days are left (60 days after transmission
// by default), a reply date before the transmission is refused under its input, and the case's time limits
// list the government's reply as a limit resting on the UN practice, not on a PRC law. axe checks the section
// and the dialog. The communication stays for the sweep (its edit and delete dialogs, in Chinese).

const day = (offset) => new Date(Date.now() + 8 * 3_600_000 + offset * 86_400_000).toISOString().slice(0, 10);

/** Runs the UN communication steps on the case at caseUrl. */
export async function unCommunications({ page, step, axe, caseUrl, pick }) {
  await step('UN communications: record one, see the reply clock on the case and in its time limits', async () => {
    await page.goto(caseUrl);
    const section = page.getByRole('region', { name: 'UN communications' });
    await section.getByText('No UN communication recorded.').waitFor();
    await section.getByRole('button', { name: 'Add a UN communication' }).click();
    const dlg = page.getByRole('dialog', { name: 'Add a UN communication' });
    await pick(dlg, /^Kind/, 'WGAD urgent appeal');
    await dlg.getByRole('textbox', { name: /^UN reference/ }).fill('UA CHN 5/2024');
    await dlg.getByRole('textbox', { name: /^UN body/ }).fill('WGAD');
    await dlg.getByRole('textbox', { name: /^Transmitted to the government/ }).fill(day(-10));
    await dlg.getByRole('textbox', { name: /^Reply received/ }).fill(day(-20));
    await dlg.getByText('This date is before the date transmitted.').waitFor();
    await axe('add UN communication form, with a field error');
    await dlg.getByRole('textbox', { name: /^Reply received/ }).fill('');
    await dlg.getByRole('button', { name: 'Save' }).click();
    await dlg.waitFor({ state: 'detached' });
    const row = section.getByRole('row').filter({ hasText: 'UA CHN 5/2024' });
    await row.getByText('Reply due in 50 days').waitFor();
    await axe('UN communications section');
    const limits = page.getByRole('list', { name: 'Legal time limits' });
    await limits.getByText('Government reply to the UN communication').first().waitFor();
    const item = limits.getByRole('listitem').filter({ hasText: 'Government reply to the UN communication' }).first();
    const text = await item.textContent();
    if (/CPL/.test(text) || !/not PRC law/.test(text)) throw new Error('the reply clock must rest on the UN practice, not PRC law: ' + text);
  });
}
