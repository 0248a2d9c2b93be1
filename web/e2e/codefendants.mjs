// Issue 25 item 2: several detainees per case. A coordinator adds 许志永 (imported from the CSV earlier) to
// the case as a co-defendant, found by name in "Detainees in this case"; the case's assigned lawyer then sees
// him on the case and opens his record, which lists the case under "Co-defendant in"; the observer the case
// is shared with sees his name on the case, read-only. axe checks the dialog and both sections.

/** On the case page, signed in as a coordinator: adds 许志永 as a co-defendant. */
export async function addCoDefendant({ page, axe }) {
  const section = page.getByRole('region', { name: 'Detainees in this case' });
  await section.getByText('Principal defendant', { exact: true }).waitFor();
  await section.getByRole('button', { name: 'Add a detainee' }).click();
  const dlg = page.getByRole('dialog', { name: 'Add a detainee' });
  await dlg.getByRole('searchbox', { name: /^Find a detainee by name/ }).fill('许志永');
  await dlg.getByRole('radio', { name: /许志永/ }).check();
  await axe('add a detainee to a case');
  await dlg.getByRole('button', { name: 'Add to the case' }).click();
  await dlg.waitFor({ state: 'detached' });
  const role = section.getByRole('combobox', { name: 'Role of 许志永' });
  await role.waitFor();
  if ((await role.inputValue()) !== 'Co-defendant') throw new Error('co-defendant role not shown: ' + (await role.inputValue()));
  await axe('detainees in this case');
}

/** Signed in as the case's assigned lawyer (lawyerEmail): the lawyer, then the observer, see the co-defendant. */
export async function coDefendantSeen({ page, step, axe, caseUrl, lawyerEmail, observerEmail, password }) {
  await step('co-defendants: the assigned lawyer sees the co-defendant and his case list; the observer his name', async () => {
    const signIn = async (email) => {
      await page.getByRole('button', { name: 'Sign out' }).click();
      await page.getByLabel('Email').fill(email);
      await page.getByLabel(/^Password/).fill(password);
      await page.getByRole('button', { name: 'Continue' }).click();
      await page.getByRole('heading', { name: 'Dashboard' }).waitFor();
    };
    await page.goto(caseUrl);
    const section = page.getByRole('region', { name: 'Detainees in this case' });
    await section.getByRole('link', { name: /许志永/ }).click();
    const coIn = page.getByRole('region', { name: 'Co-defendant in' });
    await coIn.getByRole('link', { name: 'Ilham Tohti: separatism' }).waitFor();
    await coIn.getByText(/Co-defendant/).first().waitFor();
    await axe('detainee page: co-defendant in');
    await signIn(observerEmail);
    await page.goto(caseUrl);
    await section.getByRole('link', { name: /许志永/ }).waitFor();
    if (await section.getByRole('button', { name: /^(Add a detainee|Remove)/ }).count()) throw new Error('observer may change the detainees of the case');
    if (await section.getByRole('combobox').count()) throw new Error('observer may change a role');
    await signIn(lawyerEmail);
  });
}
