import '@testing-library/jest-dom/vitest';
import i18n, { addLanguage } from './i18n';
import en from './i18n/en.json';
import zh from './i18n/zh-Hans.json';

// The app loads one language at a time (boot.ts); tests have both, and start in English.
addLanguage('en', en);
addLanguage('zh-Hans', zh);
void i18n.changeLanguage('en');

// Mantine reads these browser APIs that jsdom lacks.
Object.defineProperty(window, 'matchMedia', {
  writable: true,
  value: (query: string) => ({
    matches: false,
    media: query,
    onchange: null,
    addListener: () => {},
    removeListener: () => {},
    addEventListener: () => {},
    removeEventListener: () => {},
    dispatchEvent: () => false,
  }),
});
class RO {
  observe() {}
  unobserve() {}
  disconnect() {}
}
(window as unknown as { ResizeObserver: typeof RO }).ResizeObserver = RO;
window.HTMLElement.prototype.scrollIntoView = () => {};

import { afterEach } from 'vitest';
import { cleanup } from '@testing-library/react';
afterEach(() => cleanup());
