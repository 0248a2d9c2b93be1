import i18n from 'i18next';
import { initReactI18next } from 'react-i18next';
import en from './en.json';
import zh from './zh-Hans.json';

export const languages = ['en', 'zh-Hans'] as const;
export type Language = (typeof languages)[number];
// Only the language preference is stored in the browser; nothing else.
const storageKey = 'habeas.lang';

function initialLanguage(): Language {
  try {
    const saved = localStorage.getItem(storageKey);
    if (saved && (languages as readonly string[]).includes(saved)) return saved as Language;
  } catch {
    /* storage unavailable */
  }
  return typeof navigator !== 'undefined' && navigator.language?.toLowerCase().startsWith('zh') ? 'zh-Hans' : 'en';
}

void i18n.use(initReactI18next).init({
  resources: { en: { translation: en }, 'zh-Hans': { translation: zh } },
  lng: initialLanguage(),
  fallbackLng: 'en',
  interpolation: { escapeValue: false },
});
if (typeof document !== 'undefined') document.documentElement.lang = i18n.language;

export function setLanguage(lang: Language) {
  void i18n.changeLanguage(lang);
  try {
    localStorage.setItem(storageKey, lang);
  } catch {
    /* storage unavailable */
  }
  document.documentElement.lang = lang;
}

export default i18n;
