import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import './styles/sign-in.css';
import { startI18n } from './i18n';
import type { Language, Resources } from './i18n/language';
import { App } from './App';

/** Renders the app in `lang` once its resources are loaded (called by boot.ts). */
export function start(lang: Language, resources: Resources) {
  startI18n(lang, resources);
  createRoot(document.getElementById('root')!).render(
    <StrictMode>
      <App />
    </StrictMode>,
  );
}
