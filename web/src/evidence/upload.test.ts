import { beforeEach, describe, expect, it, vi } from 'vitest';
import { compareHash, formatBytes, guessKind, percent, sha256Hex, shortHash, uploadEvidence, uploadForm, type Progress } from './upload';
import { reprDigestHex } from './download';
import { authStore } from '../auth/store';
import { HttpError } from '../api/client';

/** A scripted XMLHttpRequest: reports upload progress in steps, then answers with `status` and `body`. */
class FakeXhr {
  static sent: FakeXhr[] = [];
  static answers: Array<{ status: number; body: unknown }> = [];
  headers: Record<string, string> = {};
  method = '';
  url = '';
  body: FormData | null = null;
  status = 0;
  responseText = '';
  withCredentials = false;
  upload: { onprogress: ((e: ProgressEvent) => void) | null } = { onprogress: null };
  onload: (() => void) | null = null;
  onerror: (() => void) | null = null;
  onabort: (() => void) | null = null;
  open(method: string, url: string) {
    this.method = method;
    this.url = url;
  }
  setRequestHeader(k: string, v: string) {
    this.headers[k] = v;
  }
  abort() {
    this.onabort?.();
  }
  send(body: FormData) {
    this.body = body;
    FakeXhr.sent.push(this);
    const answer = FakeXhr.answers.shift() ?? { status: 500, body: {} };
    queueMicrotask(() => {
      for (const loaded of [0, 50, 100]) this.upload.onprogress?.({ loaded, total: 100, lengthComputable: true } as ProgressEvent);
      if (answer.status === 0) return this.onerror?.();
      this.status = answer.status;
      this.responseText = JSON.stringify(answer.body);
      this.onload?.();
    });
  }
}
const makeXhr = () => new FakeXhr() as unknown as XMLHttpRequest;
const evidence = { id: 'e1', sha256: 'a'.repeat(64), case_id: 'c1' };

describe('uploadEvidence', () => {
  beforeEach(() => {
    FakeXhr.sent = [];
    FakeXhr.answers = [];
    authStore.signedIn('tok');
  });

  it('posts the metadata and the file with the token and an idempotency key, reporting progress', async () => {
    FakeXhr.answers.push({ status: 201, body: evidence });
    const seen: Progress[] = [];
    const file = new File(['hello'], 'report.pdf', { type: 'application/pdf' });
    const ev = await uploadEvidence('c1', file, { title: 'Report', kind: 'document', confidential: true }, (p) => seen.push(p), { makeXhr });
    expect(ev.id).toBe('e1');
    const x = FakeXhr.sent[0]!;
    expect(x.method).toBe('POST');
    expect(x.url).toBe('http://localhost/api/v1/cases/c1/evidence');
    expect(x.headers.Authorization).toBe('Bearer tok');
    expect(x.headers['Idempotency-Key']).toMatch(/^[0-9a-f-]{36}$/);
    expect(x.body?.get('title')).toBe('Report');
    expect(x.body?.get('kind')).toBe('document');
    expect(x.body?.get('confidential')).toBe('true');
    expect((x.body?.get('file') as File).name).toBe('report.pdf');
    expect(seen.map(percent)).toEqual([0, 50, 100]);
  });

  it('refreshes the session on 401 and retries with the same idempotency key', async () => {
    FakeXhr.answers.push({ status: 401, body: { code: 'token_expired', message: 'x', request_id: 'r' } }, { status: 201, body: evidence });
    const fetchSpy = vi.spyOn(globalThis, 'fetch').mockResolvedValue(
      new Response(JSON.stringify({ state: 'ok', access_token: 'new', token_type: 'Bearer', expires_in: 900, must_change_password: false }), { status: 200 }),
    );
    try {
      await uploadEvidence('c1', new File(['x'], 'a.txt'), { title: 'A' }, () => {}, { makeXhr });
    } finally {
      fetchSpy.mockRestore();
    }
    expect(FakeXhr.sent).toHaveLength(2);
    expect(FakeXhr.sent[1]!.headers.Authorization).toBe('Bearer new');
    expect(FakeXhr.sent[1]!.headers['Idempotency-Key']).toBe(FakeXhr.sent[0]!.headers['Idempotency-Key']);
  });

  it('raises the API error (e.g. 413) as an HttpError', async () => {
    FakeXhr.answers.push({ status: 413, body: { code: 'evidence_too_large', message: 'big', request_id: 'r' } });
    const err = await uploadEvidence('c1', new File(['x'], 'a.txt'), { title: 'A' }, () => {}, { makeXhr }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(HttpError);
    expect((err as HttpError).status).toBe(413);
    expect((err as HttpError).body?.code).toBe('evidence_too_large');
  });

  it('fails with a TypeError on a network failure', async () => {
    FakeXhr.answers.push({ status: 0, body: null });
    await expect(uploadEvidence('c1', new File(['x'], 'a.txt'), { title: 'A' }, () => {}, { makeXhr })).rejects.toBeInstanceOf(TypeError);
  });
});

describe('upload helpers', () => {
  it('leaves out empty metadata and defaults the title to the filename', () => {
    const f = uploadForm(new File(['x'], 'scan.jpg'), { title: ' ', source: '' });
    expect(f.get('title')).toBe('scan.jpg');
    expect(f.has('source')).toBe(false);
    expect(f.has('confidential')).toBe(false);
    expect([...f.keys()].at(-1)).toBe('file');
  });

  it('computes percentages safely', () => {
    expect(percent(null)).toBe(0);
    expect(percent({ loaded: 5, total: 0 })).toBe(0);
    expect(percent({ loaded: 1, total: 3 })).toBe(33);
    expect(percent({ loaded: 9, total: 3 })).toBe(100);
  });

  it('hashes small files in the browser and compares with the server', async () => {
    const abc = await sha256Hex(new Blob(['abc']));
    expect(abc).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
    expect(await sha256Hex(new Blob(['abc']), 2)).toBeNull();
    expect(compareHash(abc, abc!.toUpperCase())).toBe('match');
    expect(compareHash(abc, 'f'.repeat(64))).toBe('mismatch');
    expect(compareHash(null, 'f'.repeat(64))).toBe('serverOnly');
  });

  it('reads the RFC 9530 Repr-Digest header', () => {
    // base64 of the SHA-256 of "abc"
    expect(reprDigestHex('sha-256=:ungWv48Bz+pBQUDeXa4iI7ADYaOWF3qctBD/YfIAFa0=:')).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
    expect(reprDigestHex(null)).toBeNull();
    expect(reprDigestHex('md5=:xx:')).toBeNull();
  });

  it('formats kinds, hashes and sizes', () => {
    expect(guessKind('image/jpeg')).toBe('photo');
    expect(guessKind('application/pdf')).toBe('document');
    expect(shortHash('0123456789abcdef0123456789')).toBe('01234567…23456789');
    expect(formatBytes(512, 'en')).toBe('512 B');
    expect(formatBytes(1536, 'en')).toBe('1.5 KiB');
  });
});
