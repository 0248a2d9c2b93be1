// Issue 25 item 1: relatives and contacts on the detainee page. A coordinator adds the detainee's wife (the
// form names the required fields first), the row says she is confidential and that every consent is unknown;
// the consent dialog records a consent to a UN submission, then its withdrawal (a new record: the history keeps
// both, the state is the latest). axe checks the section and both dialogs. The relative stays for the sweep
// (its edit, delete and consent dialogs, in Chinese).

/** Runs the relatives steps on the detainee page at detaineeUrl, then returns to caseUrl. */
export async function relatives({ page, step, axe, detaineeUrl, caseUrl, pick }) {
  await step('relatives: add one (confidential by default), record a consent and its withdrawal', async () => {
    await page.goto(detaineeUrl);
    const section = page.getByRole('region', { name: 'Relatives and contacts' });
    await section.getByText('No relative or contact recorded.').waitFor();
    await section.getByRole('button', { name: 'Add a relative or contact' }).click();
    const dlg = page.getByRole('dialog', { name: 'Add a relative or contact' });
    await dlg.getByRole('button', { name: 'Save' }).click();
    await dlg.getByText('Required.').first().waitFor();
    await axe('add relative form, with required fields named');
    await pick(dlg, /^Relation/, 'Spouse or partner');
    await dlg.getByRole('textbox', { name: /^Name\W*$/ }).fill('Guzelnur');
    await dlg.getByRole('textbox', { name: /^Contact/ }).fill('+86 139 0000 1111');
    await dlg.getByRole('textbox', { name: /^Lives in/ }).fill('Beijing');
    await dlg.getByRole('button', { name: 'Save' }).click();
    await dlg.waitFor({ state: 'detached' });
    const row = section.getByRole('row').filter({ hasText: 'Guzelnur' });
    await row.getByText('Confidential', { exact: true }).waitFor();
    await row.getByText('UN submission: unknown').waitFor();
    await row.getByText('+86 139 0000 1111').waitFor();
    await axe('relatives section');

    await row.getByRole('button', { name: 'Consent and pressure: Guzelnur' }).click();
    const det = page.getByRole('dialog', { name: 'Consent and pressure: Guzelnur' });
    await det.getByText('No consent recorded: every kind is unknown.').waitFor();
    for (const status of ['given', 'withdrawn']) {
      await pick(det, /^Consent to/, 'UN submission');
      if (status === 'withdrawn') await pick(det, /^Given or withdrawn\W*$/, 'withdrawn');
      await det.getByRole('textbox', { name: /^Given or withdrawn by/ }).fill('Guzelnur');
      await det.getByRole('textbox', { name: /^When/ }).fill(status === 'given' ? '2019-05' : '2019-06-02');
      await det.getByRole('button', { name: 'Record', exact: true }).click();
      await det.getByRole('list').getByText(`UN submission: ${status}`).first().waitFor();
    }
    await det.getByText('UN submission: withdrawn', { exact: true }).first().waitFor();
    if ((await det.getByRole('list').first().getByRole('listitem').count()) !== 2) throw new Error('the consent history must keep both records');
    await axe('relative consent and pressure dialog');
    await page.keyboard.press('Escape');
    await det.waitFor({ state: 'detached' });
    await row.getByText('UN submission: withdrawn').waitFor();
    await page.goto(caseUrl);
  });
}
