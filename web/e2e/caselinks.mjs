// Issue 25 item 2: links between cases, and a lawyer record linked to a detainee record. A manager records the
// detainee Yu Wensheng with a case, links the case at caseUrl to it as the same proceedings (picked by search),
// sees the link from both cases, then records the lawyer Yu Wensheng and marks him as detained as that detainee:
// the lawyer list says "Detained: …" and the detainee page "Also a lawyer in Habeas: …". axe checks the section
// and the dialog. caseLinksHiddenFromLawyer: a lawyer who holds only the case at caseUrl does not see the link.

const other = 'Yu Wensheng: inciting subversion';

/** Runs the link steps (as an admin or coordinator) on the case at caseUrl. */
export async function caseLinks({ page, step, axe, caseUrl, pick }) {
  await step('linked cases: link two cases as the same proceedings; a lawyer marked as detained', async () => {
    await page.getByRole('link', { name: 'Detainees' }).click();
    await page.getByRole('button', { name: 'New detainee' }).click();
    let dlg = page.getByRole('dialog');
    await dlg.getByLabel(/^Name/).fill('余文生');
    await dlg.getByRole('button', { name: 'Save' }).click();
    await page.getByRole('heading', { name: '余文生' }).waitFor();
    const detaineeUrl = page.url();
    await page.getByRole('button', { name: 'New case' }).click();
    dlg = page.getByRole('dialog');
    await dlg.getByLabel('Title').fill(other);
    await dlg.getByRole('button', { name: 'Save' }).click();
    await page.getByRole('heading', { name: other }).waitFor();
    const otherUrl = page.url();

    await page.goto(caseUrl);
    let section = page.getByRole('region', { name: 'Linked cases' });
    await section.getByText('No linked case.').waitFor();
    await section.getByRole('button', { name: 'Link a case' }).click();
    dlg = page.getByRole('dialog', { name: 'Link a case' });
    await dlg.getByRole('combobox', { name: /^Case to link/ }).fill('余文生');
    await page.getByRole('option', { name: `余文生 — ${other}` }).click();
    await axe('link a case dialog');
    await dlg.getByRole('button', { name: 'Link', exact: true }).click();
    await dlg.waitFor({ state: 'detached' });
    await section.getByRole('row').filter({ hasText: other }).getByText('Same proceedings').waitFor();
    await axe('linked cases section');
    // Stored once, shown from the other case too.
    await page.goto(otherUrl);
    section = page.getByRole('region', { name: 'Linked cases' });
    await section.getByRole('row').filter({ hasText: '伊力哈木·土赫提' }).getByText('Same proceedings').waitFor();

    // The lawyer Yu Wensheng is now detained as 余文生.
    await page.getByRole('link', { name: 'Lawyers' }).click();
    await page.getByRole('button', { name: 'New lawyer' }).click();
    dlg = page.getByRole('dialog');
    await dlg.getByLabel(/^Name/).fill('Yu Wensheng');
    await dlg.getByRole('button', { name: 'Save' }).click();
    await page.getByRole('cell', { name: 'Yu Wensheng', exact: true }).waitFor();
    await page.getByRole('button', { name: 'Edit lawyer Yu Wensheng' }).click();
    dlg = page.getByRole('dialog', { name: 'Edit lawyer' });
    await dlg.getByRole('combobox', { name: /^This lawyer is now detained as/ }).fill('余文生');
    await page.getByRole('option', { name: '余文生', exact: true }).click();
    await dlg.getByRole('button', { name: 'Save' }).click();
    await dlg.waitFor({ state: 'detached' });
    await page.getByTestId('lawyer-detained').getByRole('link', { name: '余文生' }).waitFor();
    await page.goto(detaineeUrl);
    await page.getByTestId('also-lawyer').getByRole('link', { name: 'Yu Wensheng' }).waitFor();
    await page.goto(caseUrl);
  });
}

/** On the case page of a lawyer who holds only the case at caseUrl: the link to the other case is not shown. */
export async function caseLinksHiddenFromLawyer(page) {
  const section = page.getByRole('region', { name: 'Linked cases' });
  await section.getByText('No linked case.').waitFor();
  if (await section.getByText(other).count()) throw new Error('a lawyer sees a link to a case they do not hold');
}
