// Kept apart from tus.ts so that the app shell, which wipes resume information on sign-out, does not load
// tus-js-client (the upload code is a lazy chunk).

/** The localStorage prefix tus-js-client keeps resume information under. */
const resumePrefix = 'tus::';

/** Removes every stored resume URL (called on sign-out: the next user must not find them). */
export function clearResumeInfo(storage: Storage | undefined = globalThis.localStorage) {
  if (!storage) return;
  const keys: string[] = [];
  for (let i = 0; i < storage.length; i++) {
    const k = storage.key(i);
    if (k?.startsWith(resumePrefix)) keys.push(k);
  }
  for (const k of keys) storage.removeItem(k);
}
