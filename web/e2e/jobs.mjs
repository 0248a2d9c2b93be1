// Issue 26 item 1: the admin's view of the background job queue. The run's admin opens Background jobs from the
// navigation and sees the counts by state (every state named, a number under each) and the job list (or its empty
// state); axe checks the page. No job is made to fail here: failures, their errors and the retry are covered by
// internal/httpapi TestAdminJobView and src/jobs/JobsPage.test.tsx.

/** Runs the jobs step on the run's page (signed in as the admin), then returns to caseUrl. */
export async function jobs({ page, step, axe, caseUrl }) {
  await step('jobs: the admin opens Background jobs and sees the counts by state', async () => {
    await page.getByRole('navigation').getByRole('link', { name: 'Background jobs' }).click();
    await page.getByRole('heading', { name: 'Background jobs', level: 2 }).waitFor();
    const counts = page.getByRole('table', { name: 'Jobs by state' });
    for (const state of ['Waiting', 'Running', 'Failed, will retry', 'Completed', 'Failed, given up']) {
      await counts.getByRole('columnheader', { name: state, exact: true }).waitFor();
    }
    // A number (not the loading mark) under each state.
    await counts.getByRole('cell').first().filter({ hasText: /^\d+$/ }).waitFor();
    await page.getByLabel('Show', { exact: true }).first().waitFor();
    await axe('background jobs page');
    await page.goto(caseUrl);
  });
}
