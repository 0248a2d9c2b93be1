// Issue 25 (item 3, a gap left before): partners are recorded from the web. The run's admin opens Partners from the
// navigation, the new-partner form names its required fields first, then records a confidential funder; the row
// carries the confidential badge. axe checks the page and the form. The partner stays for the sweep (its edit and
// delete dialogs, in both languages).

/** Runs the partners step on the run's page (signed in as the admin), then returns to caseUrl. */
export async function partners({ page, step, axe, caseUrl, pick }) {
  await step('partners: a coordinator records a confidential funder from the web (required fields named first)', async () => {
    await page.getByRole('navigation').getByRole('link', { name: 'Partners' }).click();
    await page.getByRole('heading', { name: 'Partners', level: 2 }).waitFor();
    await page.getByRole('button', { name: 'New partner' }).click();
    const dlg = page.getByRole('dialog', { name: 'New partner' });
    await dlg.getByRole('button', { name: 'Save' }).click();
    await dlg.getByText('Required.').first().waitFor();
    await axe('new partner form, with required fields named');
    await dlg.getByRole('textbox', { name: /^Name/ }).fill('Family legal fee fund 家属律师费基金');
    await pick(dlg, /^Kind/, 'Funder');
    await dlg.getByRole('textbox', { name: /^Country/ }).fill('nl');
    await dlg.getByRole('checkbox', { name: /Confidential partner/ }).check();
    await dlg.getByRole('button', { name: 'Save' }).click();
    await dlg.waitFor({ state: 'detached' });
    const row = page.getByRole('row').filter({ hasText: 'Family legal fee fund' });
    await row.getByText('Confidential', { exact: true }).waitFor();
    await row.getByRole('cell', { name: 'NL', exact: true }).waitFor();
    await axe('partners page');
    await page.goto(caseUrl);
  });
}
