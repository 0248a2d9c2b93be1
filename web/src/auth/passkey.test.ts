import { describe, expect, it } from 'vitest';
import { b64urlToBytes, bytesToB64url, onIPAddress } from './passkey';

describe('passkey helpers', () => {
  it('base64url round-trips every byte value, without padding', () => {
    const bytes = new Uint8Array(256).map((_, i) => i);
    const s = bytesToB64url(bytes);
    expect(s).not.toMatch(/[+/=]/);
    expect(new Uint8Array(b64urlToBytes(s))).toEqual(bytes);
    expect(bytesToB64url(new Uint8Array([0xfb, 0xff]))).toBe('-_8');
    expect(new Uint8Array(b64urlToBytes('-_8'))).toEqual(new Uint8Array([0xfb, 0xff]));
  });

  it('knows the hosts where browsers refuse passkeys', () => {
    expect(onIPAddress('127.0.0.1')).toBe(true);
    expect(onIPAddress('[::1]')).toBe(true);
    expect(onIPAddress('localhost')).toBe(false);
    expect(onIPAddress('habeas.example.org')).toBe(false);
  });
});
