import i18n from 'i18next';
import { initReactI18next } from 'react-i18next';
import { initialLanguage, loadResources, storageKey, type Language, type Resources } from './language';

export { languages, type Language } from './language';

// Resources are added per language as they are loaded (startI18n, setLanguage): both files are ~13 KB each
// on the wire, and only the active one is on the sign-in path (issue 24).
void i18n.use(initReactI18next).init({
  resources: {},
  partialBundledLanguages: true,
  lng: initialLanguage(),
  fallbackLng: 'en',
  interpolation: { escapeValue: false },
});
if (typeof document !== 'undefined') document.documentElement.lang = i18n.language;

/** Adds a language's resources (loaded by the boot script or by a test). */
export function addLanguage(lang: Language, resources: Resources) {
  if (!i18n.hasResourceBundle(lang, 'translation')) i18n.addResourceBundle(lang, 'translation', resources);
}

/** Starts in `lang` with its resources: called once before the first render. */
export function startI18n(lang: Language, resources: Resources) {
  addLanguage(lang, resources);
  void i18n.changeLanguage(lang);
  if (typeof document !== 'undefined') document.documentElement.lang = lang;
}

/** Switches the UI language, fetching its resources first when they are not loaded yet. The choice is
 * stored (and the page's `lang` changed) only once the texts are there: when the fetch fails (a dropped
 * link), the promise rejects and the UI, the page and the stored preference keep the old language. */
export async function setLanguage(lang: Language) {
  if (!i18n.hasResourceBundle(lang, 'translation')) addLanguage(lang, await loadResources(lang));
  await i18n.changeLanguage(lang);
  try {
    localStorage.setItem(storageKey, lang);
  } catch {
    /* storage unavailable */
  }
  document.documentElement.lang = lang;
}

export default i18n;
