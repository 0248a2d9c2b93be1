import { describe, expect, it, vi } from 'vitest';
import { screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { stubFetch, wrap } from '../test-utils';
import { LogEventForm } from './TimelineSection';
import { EventAfterPhotosError, PhotoUploadError, photoTitle, saveEventWithPhotos, type Evidence, type UploadFn } from './photoEvent';
import { HttpError } from '../api/client';

const photo = (name: string) => new File([new Uint8Array([0xff, 0xd8, 0xff, 0xe0, 1, 2, 3])], name, { type: 'image/jpeg' });
const stored = (id: string) => ({ id, title: id }) as Evidence;

describe('saveEventWithPhotos', () => {
  it('uploads each photo as a photo titled from the event, then creates the event linking them', async () => {
    const upload = vi.fn<UploadFn>(async (_c, file) => stored(`ev-${file.name}`));
    const createEvent = vi.fn(async (ids: string[]) => ({ id: 'e1', ids }));
    const out = await saveEventWithPhotos({
      caseId: 'c1',
      photos: [{ key: 1, file: photo('a.jpg') }, { key: 2, file: photo('b.jpg') }],
      uploaded: new Map(),
      upload,
      title: 'Refused at the gate',
      confidential: true,
      evidenceIds: ['picked'],
      createEvent,
    });
    expect(upload).toHaveBeenCalledTimes(2);
    expect(upload.mock.calls[0]![2]).toEqual({ title: 'Refused at the gate (1/2)', kind: 'photo', confidential: true });
    expect(createEvent).toHaveBeenCalledWith(['picked', 'ev-a.jpg', 'ev-b.jpg']);
    expect(out).toEqual({ id: 'e1', ids: ['picked', 'ev-a.jpg', 'ev-b.jpg'] });
    // The upload happened before the event.
    expect(upload.mock.invocationCallOrder[1]!).toBeLessThan(createEvent.mock.invocationCallOrder[0]!);
  });

  it('creates no event when a photo upload fails', async () => {
    const upload = vi.fn<UploadFn>(async () => {
      throw new TypeError('network error');
    });
    const createEvent = vi.fn(async () => ({}));
    const err = await saveEventWithPhotos({
      caseId: 'c1', photos: [{ key: 1, file: photo('a.jpg') }], uploaded: new Map(), upload, title: '', confidential: false, evidenceIds: [], createEvent,
    }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(PhotoUploadError);
    expect((err as PhotoUploadError).filename).toBe('a.jpg');
    expect(createEvent).not.toHaveBeenCalled();
  });

  it('keeps the stored photos when the event fails, and a retry does not upload them again', async () => {
    const upload = vi.fn<UploadFn>(async () => stored('ev1'));
    const createEvent = vi.fn<(ids: string[]) => Promise<unknown>>().mockRejectedValueOnce(new HttpError(503, undefined)).mockResolvedValueOnce({ id: 'e1' });
    const uploaded = new Map<number, Evidence>();
    const opts = { caseId: 'c1', photos: [{ key: 7, file: photo('a.jpg') }], uploaded, upload, title: '', confidential: false, evidenceIds: [], createEvent };
    const err = await saveEventWithPhotos(opts).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(EventAfterPhotosError);
    expect((err as EventAfterPhotosError).stored).toBe(1);
    await expect(saveEventWithPhotos(opts)).resolves.toEqual({ id: 'e1' });
    expect(upload).toHaveBeenCalledTimes(1);
    expect(createEvent).toHaveBeenLastCalledWith(['ev1']);
  });

  it('titles a photo from the event, else from its file name', () => {
    expect(photoTitle('', photo('IMG_0042.jpg'), 0, 1)).toBe('IMG_0042');
    expect(photoTitle('Meeting refused — 2026-12-07', photo('x.jpg'), 1, 3)).toBe('Meeting refused — 2026-12-07 (2/3)');
  });
});

describe('LogEventForm with a photo', () => {
  const vocab = { 'GET /api/v1/vocabularies': [200, { event_types: [{ value: 'meeting_denied', label: 'Lawyer meeting denied', obstacle: true }] }] as [number, unknown] };

  async function fill(upload: UploadFn) {
    const onDone = vi.fn();
    wrap(<LogEventForm caseId="c1" onDone={onDone} upload={upload} />);
    await userEvent.click(screen.getAllByLabelText(/What happened/)[0]!);
    await userEvent.click(await screen.findByRole('option', { name: 'Lawyer meeting denied' }));
    await userEvent.type(screen.getByLabelText('Description'), 'Refused at the gate');
    const input = screen.getByLabelText('Add a photo', { selector: 'input' });
    expect(input).toHaveAttribute('accept', 'image/*');
    expect(input).toHaveAttribute('capture', 'environment');
    await userEvent.upload(input, photo('gate.jpg'));
    expect(screen.getByText(/gate\.jpg/)).toBeInTheDocument();
    await userEvent.click(screen.getByRole('button', { name: 'Log event' }));
    return onDone;
  }

  it('uploads the photo, then posts the event with its evidence id, in one Save', async () => {
    const calls = stubFetch({ ...vocab, 'POST /api/v1/cases/c1/events': [201, { id: 'e1' }] });
    const upload = vi.fn<UploadFn>(async () => stored('ph1'));
    const onDone = await fill(upload);
    await vi.waitFor(() => expect(onDone).toHaveBeenCalledWith(true));
    expect(upload.mock.calls[0]![2]).toMatchObject({ title: 'Refused at the gate', kind: 'photo' });
    const post = calls.find((c) => c.method === 'POST');
    expect(post?.body).toMatchObject({ type: 'meeting_denied', description: 'Refused at the gate', evidence_ids: ['ph1'] });
  });

  it('keeps the form open with a clear error and posts no event when the upload fails', async () => {
    const calls = stubFetch({ ...vocab, 'POST /api/v1/cases/c1/events': [201, { id: 'e1' }] });
    const upload = vi.fn<UploadFn>(async () => {
      throw new TypeError('network error');
    });
    const onDone = await fill(upload);
    expect(await screen.findByText(/could not be uploaded, so the event was not saved/)).toBeInTheDocument();
    expect(onDone).not.toHaveBeenCalled();
    expect(calls.some((c) => c.method === 'POST')).toBe(false);
    expect(screen.getByRole('button', { name: 'Log event' })).toBeInTheDocument();
  });

  it('says the photo is kept in Evidence when the event fails after the upload', async () => {
    stubFetch({ ...vocab, 'POST /api/v1/cases/c1/events': [503, { code: 'unavailable', message: 'down', request_id: 'r1' }] });
    const onDone = await fill(vi.fn<UploadFn>(async () => stored('ph1')));
    expect(await screen.findByText(/The photo is kept in Evidence, but the event was not saved/)).toBeInTheDocument();
    expect(onDone).not.toHaveBeenCalled();
  });
});
