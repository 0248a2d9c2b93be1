// The page's only script tag (issue 24). It is small and imports nothing heavy, so it runs while the app's
// scripts are still downloading (index.html preloads them: see vite.config.ts) and starts the two requests
// that would otherwise wait for them: the session refresh and the active language's resources.
import { startupRefresh } from './api/refresh';
import { initialLanguage, loadResources } from './i18n/language';

const lang = initialLanguage();
const resources = loadResources(lang);
void startupRefresh();
void Promise.all([import('./main'), resources]).then(([main, res]) => main.start(lang, res));
