// Issue 24, item 4: the phone-first case page. On a 390x844 screen, from the case page to a saved event with a
// photo: counts the taps (clicks the test makes; typing is not counted, the tap that opens the photo picker is),
// fails over 4, prints the count; checks the event's card shows a thumbnail that loaded; axe on the phone case
// page and the phone log-event form.
import { crc32, deflateSync } from 'node:zlib';

/** A w×h PNG (RGB, a diagonal gradient) made here: a real image for the server to make a thumbnail of. */
export function pngBytes(w = 800, h = 600) {
  const chunk = (type, data) => {
    const len = Buffer.alloc(4);
    len.writeUInt32BE(data.length);
    const td = Buffer.concat([Buffer.from(type, 'ascii'), data]);
    const crc = Buffer.alloc(4);
    crc.writeUInt32BE(crc32(td) >>> 0);
    return Buffer.concat([len, td, crc]);
  };
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(w, 0);
  ihdr.writeUInt32BE(h, 4);
  ihdr[8] = 8; // bit depth
  ihdr[9] = 2; // RGB
  const raw = Buffer.alloc((w * 3 + 1) * h);
  for (let y = 0; y < h; y++) {
    const row = y * (w * 3 + 1);
    for (let x = 0; x < w; x++) {
      raw[row + 1 + x * 3] = (x * 255) / w;
      raw[row + 2 + x * 3] = (y * 255) / h;
      raw[row + 3 + x * 3] = 160;
    }
  }
  return Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), chunk('IHDR', ihdr), chunk('IDAT', deflateSync(raw)), chunk('IEND', Buffer.alloc(0))]);
}

/** Runs the phone steps as the signed-in user (a lawyer or admin who may log events on the case at caseUrl). */
export async function phoneFirst({ page, step, axe, caseUrl, caseTitle }) {
  const results = {};
  await step('phone-first case page: log an event with a photo in at most 4 taps, thumbnail on the card', async () => {
    await page.setViewportSize({ width: 390, height: 844 });
    try {
      await page.goto(caseUrl);
      await page.getByRole('heading', { name: caseTitle }).waitFor();
      const tl = page.getByRole('list', { name: 'Timeline' });
      await tl.waitFor();
      // The timeline comes before the profile; the empty profile fields are folded away.
      const order = await page.evaluate(() => {
        const heads = [...document.querySelectorAll('h3')].map((h) => h.textContent);
        return { timeline: heads.indexOf('Timeline'), profile: heads.indexOf('Case profile') };
      });
      if (!(order.timeline >= 0 && order.timeline < order.profile)) throw new Error('timeline not before the profile on a phone: ' + JSON.stringify(order));
      await page.getByRole('button', { name: /^Show \d+ empty fields?$/ }).waitFor();
      // The sticky button: in the viewport at the bottom, a big enough touch target.
      const logButton = page.getByRole('button', { name: 'Log an event' });
      const box = await logButton.boundingBox();
      if (!box || box.y + box.height > 844 || box.y < 844 - 120 || box.height < 44) throw new Error('"Log an event" is not a touch target at the bottom of the screen: ' + JSON.stringify(box));
      await axe('case page (phone, timeline first)');

      let taps = 0;
      const tap = async (locator) => {
        taps++;
        await locator.click();
      };
      await tap(logButton);
      const form = page.getByRole('form', { name: 'Log an event' });
      const type = form.getByRole('combobox', { name: /^What happened/ }).or(form.getByRole('textbox', { name: /^What happened/ })).first();
      // The form opens with its first field focused (typing only); were it not, the test would have to tap it.
      if (!(await type.evaluate((el) => el === document.activeElement))) await tap(type);
      await page.keyboard.type('meeting denied');
      await tap(page.getByRole('option', { name: 'Lawyer meeting denied', exact: true }));
      const [chooser] = await Promise.all([page.waitForEvent('filechooser'), tap(form.getByRole('button', { name: 'Add a photo' }))]);
      const input = form.locator('input[type=file]');
      if ((await input.getAttribute('capture')) !== 'environment' || (await input.getAttribute('accept')) !== 'image/*') throw new Error('the photo input does not ask for the camera');
      if (!chooser.isMultiple()) throw new Error('the photo picker does not allow several photos');
      await input.setInputFiles({ name: 'cell-door.png', mimeType: 'image/png', buffer: pngBytes() });
      await form.getByText(/cell-door\.png/).waitFor();
      await axe('log event form with a photo (phone)');
      const thumbResponse = page.waitForResponse((r) => /\/evidence\/[^/]+\/thumbnail$/.test(new URL(r.url()).pathname));
      await tap(form.getByRole('button', { name: 'Log event' }));
      await page.getByText('Event logged.').waitFor();
      if (taps > 4) throw new Error(`${taps} taps to log an event with a photo (at most 4)`);
      console.log(`     taps to log an event with a photo: ${taps}`);
      results.taps = taps;

      // The card shows the photo's thumbnail, loaded (the server's JPEG, never cached).
      const res = await thumbResponse;
      if (res.status() !== 200 || res.headers()['content-type'] !== 'image/jpeg' || res.headers()['cache-control'] !== 'private, no-store') {
        throw new Error(`thumbnail: ${res.status()} ${res.headers()['content-type']} ${res.headers()['cache-control']}`);
      }
      const img = tl.getByRole('img', { name: /^Lawyer meeting denied/ }).first();
      await img.waitFor();
      await page.waitForFunction((el) => el.complete && el.naturalWidth > 0, await img.elementHandle());
      const size = await img.evaluate((el) => ({ w: el.naturalWidth, h: el.naturalHeight, src: el.src }));
      if (Math.max(size.w, size.h) > 320 || !size.src.startsWith('blob:')) throw new Error('thumbnail: ' + JSON.stringify(size));
      await axe('case timeline with a thumbnail (phone)');
      // A tap on it opens the item.
      await tl.getByRole('button', { name: /^Open Lawyer meeting denied/ }).first().click();
      const dlg = page.getByRole('dialog', { name: /^Photo: Lawyer meeting denied/ });
      await dlg.getByRole('button', { name: /^Download / }).waitFor();
      await dlg.getByRole('img').first().waitFor();
      await axe('photo dialog (phone)');
      await dlg.getByRole('button', { name: 'Close' }).click();
      await dlg.waitFor({ state: 'detached' });
    } finally {
      await page.setViewportSize({ width: 1280, height: 900 });
    }
  });
  return results;
}
