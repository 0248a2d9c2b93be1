import { describe, expect, it } from 'vitest';
import { filenameFrom } from './download';

describe('dossier filename', () => {
  it.each([
    ['attachment; filename=habeas-dossier-0190.pdf', 'habeas-dossier-0190.pdf'],
    ['attachment; filename="habeas dossier.pdf"', 'habeas dossier.pdf'],
    ["attachment; filename=\"x.pdf\"; filename*=UTF-8''%E5%8D%B7%E5%AE%97.pdf", '卷宗.pdf'],
    ['attachment; filename="../../etc/passwd"', '.._.._etc_passwd'],
    ['attachment', 'fallback.pdf'],
    [null, 'fallback.pdf'],
  ])('%j -> %s', (h, name) => {
    expect(filenameFrom(h, 'fallback.pdf')).toBe(name);
  });
});
