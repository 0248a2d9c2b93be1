import { describe, expect, it } from 'vitest';
import { loadResources } from './language';
import i18n, { setLanguage } from '.';
import en from './en.json';
import zh from './zh-Hans.json';

describe('language resources', () => {
  it('loads each language from its own file', async () => {
    expect(await loadResources('en')).toEqual(en);
    expect(await loadResources('zh-Hans')).toEqual(zh);
  });

  it('setLanguage fetches a language that is not loaded yet before switching to it', async () => {
    i18n.removeResourceBundle('zh-Hans', 'translation');
    expect(i18n.hasResourceBundle('zh-Hans', 'translation')).toBe(false);
    await setLanguage('zh-Hans');
    expect(i18n.language).toBe('zh-Hans');
    expect(i18n.t('app.name')).toBe((zh as { app: { name: string } }).app.name);
    await setLanguage('en');
    expect(i18n.t('app.name')).toBe((en as { app: { name: string } }).app.name);
  });
});
