// Issue 25 item 5: exports for other tools. On the case page "WGAD draft (editable ODT)" saves an OpenDocument
// file (mimetype stored first) and the "Download JSON" button saves the case's full
// record (schema habeas.case-export/1, this case, its time limits and events); on the case list "Export CSV"
// saves the visible cases with the list's filters (English machine headers, the case on its row). axe checks
// the list with its export buttons. The import (coordinators) is covered by the Go round trip (internal/caseexport): an
// imported copy here would change the counts the later steps check.
import { readFileSync } from 'node:fs';

/** Runs the export steps; page is signed in as a coordinator or admin on the case at caseUrl. */
export async function caseExports({ page, step, axe, base, caseUrl }) {
  await step('exports: the case as JSON and the case list as CSV, downloaded through the session', async () => {
    // Starts on the case page (after the documents step).
    const caseId = new URL(caseUrl).pathname.split('/').pop();
    const [dl] = await Promise.all([page.waitForEvent('download', { timeout: 60_000 }), page.getByRole('button', { name: 'Download JSON' }).click()]);
    const doc = JSON.parse(readFileSync(await dl.path(), 'utf8'));
    if (doc.schema !== 'habeas.case-export/1' || doc.case?.id !== caseId) throw new Error(`JSON export: schema ${doc.schema}, case ${doc.case?.id}`);
    if (!doc.confidential_included || !Array.isArray(doc.events) || doc.events.length === 0 || doc.time_limits.length === 0)
      throw new Error('JSON export lacks events or time limits');
    if (dl.suggestedFilename() !== `habeas-case-${caseId}.json`) throw new Error('JSON filename ' + dl.suggestedFilename());
    await page.getByText(`Saved as ${dl.suggestedFilename()}.`).waitFor();
    const [odt] = await Promise.all([page.waitForEvent('download', { timeout: 60_000 }), page.getByRole('button', { name: 'WGAD draft (editable ODT)' }).click()]);
    const zip = readFileSync(await odt.path());
    if (zip.subarray(0, 2).toString('latin1') !== 'PK' || !zip.subarray(0, 80).toString('latin1').includes('mimetypeapplication/vnd.oasis.opendocument.text'))
      throw new Error('the WGAD draft is not an ODT: ' + odt.suggestedFilename());

    await page.goto(`${base}/cases`);
    const [csv] = await Promise.all([page.waitForEvent('download', { timeout: 60_000 }), page.getByRole('button', { name: 'Export CSV' }).click()]);
    const lines = readFileSync(await csv.path(), 'utf8').trim().split('\n');
    if (!lines[0].startsWith('id,reference,title,detainee_id,detainee_name,status,stage,charges')) throw new Error('CSV header: ' + lines[0]);
    if (!lines.some((l) => l.startsWith(caseId + ','))) throw new Error('CSV lacks the case: ' + lines.join('\n'));
    await page.getByRole('button', { name: 'Import case (JSON)' }).waitFor();
    await axe('case list with its exports');
    await page.goto(caseUrl); // the next steps start on the case page
    await page.getByRole('button', { name: 'Download JSON' }).waitFor();
  });
}
