import { describe, expect, it } from 'vitest';
import { clearResumeInfo, shouldRetry, tusMetadata } from './tus';

describe('tus uploads', () => {
  it('sends the form fields as tus metadata, with the file name and type', () => {
    const f = new File(['x'], '判决书.pdf', { type: 'application/pdf' });
    expect(tusMetadata(f, { title: ' Judgment ', kind: 'court_document', description: '  ', confidential: false })).toEqual({
      title: 'Judgment',
      filename: '判决书.pdf',
      filetype: 'application/pdf',
      kind: 'court_document',
      confidential: 'false',
    });
    expect(tusMetadata(new File(['x'], 'a.txt'), { title: '' }).title).toBe('a.txt');
  });

  it('retries a dropped link, a 401 (after a refresh), an offset conflict and server failures, not a named 4xx', () => {
    expect([undefined, 0, 401, 409, 423, 429, 500, 503].map(shouldRetry)).toEqual([true, true, true, true, true, true, true, true]);
    expect([400, 403, 404, 413].map(shouldRetry)).toEqual([false, false, false, false]);
  });

  it('wipes every stored resume URL and nothing else', () => {
    localStorage.setItem('tus::habeas/c1/a.pdf::1', '{"uploadUrl":"/api/v1/cases/c1/evidence/uploads/x"}');
    localStorage.setItem('tus::habeas/c2/b.mp4::2', '{}');
    localStorage.setItem('habeas.lang', 'zh-Hans');
    clearResumeInfo();
    expect(Object.keys(localStorage)).toEqual(['habeas.lang']);
    localStorage.clear();
  });
});
