// Issue 25 item 3: confidentiality of support actions and lawyers. A coordinator starts a legal-fee grant to the
// family: the Confidential box ticks itself when the type is chosen (a foreign grant to a family is dangerous for
// it), the row carries the Confidential badge. A lawyer recorded as "must not be named outside" carries the badge
// in the lawyer list and is assigned to the case. Then (confidentialHiddenFromObserver, called in the role views
// step once the observer has the shared case open) neither appears anywhere on the observer's case page.

/** The coordinator's part: a confidential grant and an unnamed lawyer on the case at caseUrl. */
export async function confidentialSetup({ page, step, axe, caseUrl, select }) {
  await step('confidential: a grant to the family is confidential by default; a lawyer who must not be named; badges', async () => {
    await page.goto(caseUrl);
    await page.getByRole('button', { name: 'New support action' }).click();
    const form = page.getByRole('form', { name: 'New support action' });
    const box = form.getByLabel(/^Confidential \(never shown/);
    if (await box.isChecked()) throw new Error('confidential before a type is chosen');
    await select(/^Type/, 'Legal fee grant', form);
    if (!(await box.isChecked())) throw new Error('a legal-fee grant is not confidential by default');
    await form.getByLabel('Addressee').fill('Family of the detainee');
    await form.getByLabel('Assign to me').uncheck();
    await form.getByRole('button', { name: 'Create' }).click();
    await form.waitFor({ state: 'detached' });
    const row = page.getByRole('list', { name: 'International support' }).getByRole('listitem').filter({ hasText: 'Family of the detainee' });
    await row.getByText('Confidential', { exact: true }).waitFor();
    await page.mouse.move(0, 0); // no button left hovered under the pointer
    await axe('case support actions with a confidential grant');
    await page.getByRole('link', { name: 'Lawyers' }).click();
    await page.getByRole('button', { name: 'New lawyer' }).click();
    const dlg = page.getByRole('dialog');
    await dlg.getByLabel(/^Name/).fill('Hidden Counsel');
    await dlg.getByLabel(/^Must not be named outside/).check();
    await dlg.getByRole('button', { name: 'Save' }).click();
    await page.getByRole('row').filter({ hasText: 'Hidden Counsel' }).getByText('Confidential', { exact: true }).waitFor();
    await axe('lawyers, one confidential');
    await page.goto(caseUrl);
    await select('Lawyer', 'Hidden Counsel');
    await page.getByRole('button', { name: 'Assign', exact: true }).click();
    await page.getByRole('cell', { name: /^Hidden Counsel/ }).getByText('Confidential', { exact: true }).waitFor();
  });
}

/** The observer's part, on the shared case's page: no grant, no unnamed lawyer, once both lists have loaded. */
export async function confidentialHiddenFromObserver(page) {
  await page.getByRole('cell', { name: 'Wang Yu', exact: true }).waitFor(); // the assignments have loaded
  await page.getByText('No support action for this case.').waitFor(); // so has the support list
  for (const text of ['Hidden Counsel', 'Family of the detainee', 'Legal fee grant']) {
    if (await page.getByText(text).count()) throw new Error(`observer sees "${text}"`);
  }
}
