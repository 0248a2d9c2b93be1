import type { Schemas } from '../api/client';
import type { Progress, UploadMeta } from '../evidence/upload';

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
