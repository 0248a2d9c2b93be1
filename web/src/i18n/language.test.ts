import { describe, expect, it, vi } from 'vitest';
import * as language from './language';
import { loadResources, storageKey } from './language';
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

describe('a failed switch', () => {
  it('keeps the old language, the page lang and the stored preference when the texts cannot be fetched', async () => {
    await setLanguage('en');
    localStorage.setItem(storageKey, 'en');
    i18n.removeResourceBundle('zh-Hans', 'translation');
    const spy = vi.spyOn(language, 'loadResources').mockRejectedValueOnce(new TypeError('Failed to fetch'));
    await expect(setLanguage('zh-Hans')).rejects.toThrow('Failed to fetch');
    expect(spy).toHaveBeenCalledWith('zh-Hans');
    expect(i18n.language).toBe('en');
    expect(document.documentElement.lang).toBe('en');
    expect(localStorage.getItem(storageKey)).toBe('en');
    expect(i18n.t('app.name')).toBe((en as { app: { name: string } }).app.name);
    // Once the link is back, the same switch works and is stored.
    await setLanguage('zh-Hans');
    expect(localStorage.getItem(storageKey)).toBe('zh-Hans');
    expect(document.documentElement.lang).toBe('zh-Hans');
    await setLanguage('en');
  });
});
