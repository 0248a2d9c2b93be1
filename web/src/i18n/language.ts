// The UI language: which one to use and its resources, loaded on demand (issue 24: only the active language
// is fetched; the other one when the user switches). No dependencies, so the boot script can use it before
// the app's scripts arrive.

export const languages = ['en', 'zh-Hans'] as const;
export type Language = (typeof languages)[number];
/** The translations of one language (the contents of en.json or zh-Hans.json). */
export type Resources = Record<string, unknown>;

// Only the language preference is stored in the browser; nothing else.
export const storageKey = 'habeas.lang';

/** The stored preference, else Chinese when the browser prefers it, else English. */
export function initialLanguage(): Language {
  try {
    const saved = localStorage.getItem(storageKey);
    if (saved && (languages as readonly string[]).includes(saved)) return saved as Language;
  } catch {
    /* storage unavailable */
  }
  return typeof navigator !== 'undefined' && navigator.language?.toLowerCase().startsWith('zh') ? 'zh-Hans' : 'en';
}

/** Fetches a language's resources (a chunk of its own per language). */
export function loadResources(lang: Language): Promise<Resources> {
  const m = lang === 'zh-Hans' ? import('./zh-Hans.json') : import('./en.json');
  return m.then((x) => x.default as Resources);
}
