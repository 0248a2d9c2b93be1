import type { Schemas } from '../api/client';
import type { Progress, UploadMeta } from '../evidence/upload';
import { enqueue, isNetworkError, postEvent, type Attachment, type AttachmentUploader, type EventBody } from '../offline/queue';

/**
 * An event logged with photos in one Save (issue 24): the photos are uploaded first, as evidence of the
 * case (kind photo), then the event is created with `evidence_ids` linking them. A failed upload stops
 * everything before the event exists; a failed event after the uploads leaves the photos in Evidence (and
 * a second Save does not upload them again: `uploaded` keeps what is already stored, by photo key).
 */

export type Evidence = Schemas['Evidence'];

/** Uploads one file to the case (the resumable tus upload in the app; a stub in tests). */
export type UploadFn = (caseId: string, file: File, meta: UploadMeta, onProgress: (p: Progress) => void) => Promise<Evidence>;

/** A photo chosen in the form. */
export type Photo = { key: number; file: File };

/** The upload of a photo failed: nothing was created for the event. */
export class PhotoUploadError extends Error {
  constructor(
    readonly filename: string,
    readonly reason: unknown,
  ) {
    super(`upload of ${filename} failed`);
    this.name = 'PhotoUploadError';
  }
}

/** The photos are stored (in Evidence) but the event could not be created. */
export class EventAfterPhotosError extends Error {
  constructor(
    readonly stored: number,
    readonly reason: unknown,
  ) {
    super('the event could not be created after its photos were stored');
    this.name = 'EventAfterPhotosError';
  }
}

/** A title for a photo: from the event (its description's first line, else its type and date), else the
 * file's name; numbered when the event has several photos. At most 200 characters. */
export function photoTitle(eventTitle: string, file: File, index: number, count: number): string {
  const base = eventTitle.trim() || file.name.replace(/\.[^.]{1,8}$/, '') || 'photo';
  const titled = count > 1 ? `${base} (${index + 1}/${count})` : base;
  return titled.length > 200 ? `${titled.slice(0, 199)}…` : titled;
}

/** The event part of a photo title: the first line of the description (up to 80 characters), else the type and date. */
export function eventTitle(description: string, typeLabel: string, when: string): string {
  const line = description.trim().split('\n')[0]?.trim() ?? '';
  if (line) return line.length > 80 ? `${line.slice(0, 79)}…` : line;
  return [typeLabel, when].filter(Boolean).join(' — ');
}

/**
 * Uploads the photos not yet stored (one after the other, kinder to a slow link), then creates the event
 * with every photo's evidence id added to `evidenceIds` (those picked under "More details").
 */
export async function saveEventWithPhotos<E>(opts: {
  caseId: string;
  photos: Photo[];
  uploaded: Map<number, Evidence>;
  upload: UploadFn;
  title: string;
  confidential: boolean;
  evidenceIds: string[];
  createEvent: (evidenceIds: string[]) => Promise<E>;
  onProgress?: (key: number, p: Progress) => void;
}): Promise<E> {
  const { photos, uploaded } = opts;
  for (const [i, ph] of photos.entries()) {
    if (uploaded.has(ph.key)) continue;
    try {
      const ev = await opts.upload(
        opts.caseId,
        ph.file,
        { title: photoTitle(opts.title, ph.file, i, photos.length), kind: 'photo', confidential: opts.confidential },
        (p) => opts.onProgress?.(ph.key, p),
      );
      uploaded.set(ph.key, ev);
    } catch (err) {
      throw new PhotoUploadError(ph.file.name, err);
    }
  }
  const ids = [...opts.evidenceIds];
  for (const ph of photos) {
    const id = uploaded.get(ph.key)?.id;
    if (id && !ids.includes(id)) ids.push(id);
  }
  const stored = photos.filter((ph) => uploaded.has(ph.key)).length;
  try {
    return await opts.createEvent(ids);
  } catch (err) {
    if (stored > 0) throw new EventAfterPhotosError(stored, err);
    throw err;
  }
}

/** The resumable upload, loaded with the first photo (tus-js-client stays out of the timeline's chunk). */
export const lazyUpload: UploadFn = async (caseId, file, meta, onProgress) =>
  (await import('../evidence/tus')).uploadResumable(caseId, file, meta, onProgress);

/**
 * The offline queue's uploader for the photos of a queued entry (registered when the signed-in app starts):
 * the same resumable upload as the form's, with the file rebuilt under its name, type and date so that a cut
 * upload resumes (tus fingerprint) instead of starting again. The queue keeps each returned id on the entry.
 */
export function queuedPhotoUploader(upload: UploadFn = lazyUpload): AttachmentUploader {
  return async (caseId, a) => {
    const file = new File([a.blob], a.name, { type: a.type, lastModified: a.meta?.lastModified ?? 0 });
    const meta = a.meta ?? { title: a.name, kind: 'photo' };
    const ev = await upload(caseId, file, { title: meta.title, kind: meta.kind ?? 'photo', confidential: meta.confidential }, () => {});
    return ev.id;
  };
}

/**
 * The log-event form's Save (issue 24): online, the photos then the event (saveEventWithPhotos), the event
 * with `key` as its Idempotency-Key. Without a network (the browser says offline, or an upload or the event
 * got no answer) the entry is kept on the device instead, encrypted (offline/queue.ts): the event's body with
 * the ids of the photos already stored, and the photos not yet stored as files, sent later with the same key.
 * A refusal throws as before.
 */
export async function saveOrQueueEventWithPhotos(opts: {
  caseId: string;
  key: string;
  body: EventBody;
  photos: Photo[];
  uploaded: Map<number, Evidence>;
  upload: UploadFn;
  title: string;
  onProgress?: (key: number, p: Progress) => void;
}): Promise<{ queued: boolean }> {
  const { caseId, key, body, photos, uploaded } = opts;
  const confidential = body.confidential ?? false;
  const withIds = (ids: string[]): EventBody => (ids.length ? { ...body, evidence_ids: ids } : body);
  const queue = async () => {
    const ids = [...(body.evidence_ids ?? [])];
    for (const ph of photos) {
      const id = uploaded.get(ph.key)?.id;
      if (id && !ids.includes(id)) ids.push(id);
    }
    const files: Attachment[] = [];
    for (const [i, ph] of photos.entries()) {
      if (uploaded.has(ph.key)) continue;
      files.push({
        name: ph.file.name,
        type: ph.file.type,
        blob: ph.file,
        meta: { title: photoTitle(opts.title, ph.file, i, photos.length), kind: 'photo', confidential, lastModified: ph.file.lastModified },
      });
    }
    await enqueue(key, caseId, withIds(ids), files);
    return { queued: true };
  };
  if (!navigator.onLine) return queue();
  try {
    await saveEventWithPhotos({
      caseId,
      photos,
      uploaded,
      upload: opts.upload,
      title: opts.title,
      confidential,
      evidenceIds: body.evidence_ids ?? [],
      createEvent: (ids) => postEvent(caseId, withIds(ids), key),
      onProgress: opts.onProgress,
    });
    return { queued: false };
  } catch (e) {
    const reason = e instanceof PhotoUploadError || e instanceof EventAfterPhotosError ? e.reason : e;
    if (!isNetworkError(reason)) throw e;
    return queue();
  }
}
