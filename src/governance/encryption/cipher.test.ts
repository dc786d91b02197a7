import { randomBytes } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { keyIdOf, parseKey, PayloadCipher } from './cipher.js';

const k1 = { id: 'k1', key: randomBytes(32) };
const k2 = { id: 'k2', key: randomBytes(32) };

describe('payload cipher (AES-256-GCM)', () => {
  it('round-trips any payload and never leaves the plaintext in the ciphertext', () => {
    const cipher = new PayloadCipher(k1);
    fc.assert(fc.property(fc.uint8Array({ minLength: 8, maxLength: 2000 }), (plain) => {
      const sealed = cipher.encrypt(plain);
      expect(cipher.decrypt(sealed)).toEqual(plain);
      expect(keyIdOf(sealed)).toBe('k1');
      expect(Buffer.from(sealed).includes(Buffer.from(plain))).toBe(false);
    }));
    const name = new TextEncoder().encode('PID|1||MRN123||DOE^JANE');
    expect(Buffer.from(cipher.encrypt(name)).toString('latin1')).not.toContain('DOE^JANE');
  });

  it('uses a fresh IV per payload', () => {
    const cipher = new PayloadCipher(k1);
    const plain = new TextEncoder().encode('same');
    expect(Buffer.from(cipher.encrypt(plain)).equals(Buffer.from(cipher.encrypt(plain)))).toBe(false);
  });

  it('passes plaintext from before encryption through, and decrypts rows of previous keys by their id', () => {
    const plain = new TextEncoder().encode('MSH|^~\\&|old row');
    const rotated = new PayloadCipher(k2, [k1]);
    expect(rotated.decrypt(plain)).toEqual(plain);
    const old = new PayloadCipher(k1).encrypt(plain);
    expect(rotated.decrypt(old)).toEqual(plain);
    expect(rotated.isCurrent(old)).toBe(false);
    expect(rotated.isCurrent(rotated.encrypt(plain))).toBe(true);
  });

  it('refuses an unknown key id and a tampered payload with clear errors', () => {
    const sealed = new PayloadCipher(k1).encrypt(new TextEncoder().encode('hello world'));
    expect(() => new PayloadCipher(k2).decrypt(sealed)).toThrow(expect.objectContaining({ code: 'store.encryption.key-unknown' }));
    const tampered = Uint8Array.from(sealed);
    tampered[tampered.length - 1] = (tampered[tampered.length - 1] ?? 0) ^ 1;
    expect(() => new PayloadCipher(k1).decrypt(tampered)).toThrow(expect.objectContaining({ code: 'store.encryption.tampered' }));
    const relabelled = Uint8Array.from(sealed);
    relabelled[7] = 'x'.charCodeAt(0); // key id "k1" → "x1": the id is authenticated too
    expect(() => new PayloadCipher({ id: 'x1', key: k1.key }).decrypt(relabelled)).toThrow(expect.objectContaining({ code: 'store.encryption.tampered' }));
  });

  it('reads keys as 64 hex or 44 base64 characters and names a bad one', () => {
    const key = randomBytes(32);
    expect(parseKey(key.toString('hex'), 'k')).toEqual(key);
    expect(parseKey(key.toString('base64'), 'k')).toEqual(key);
    expect(() => parseKey('too-short', 'store.encryption.key')).toThrow(expect.objectContaining({ code: 'store.encryption.key-invalid', location: 'store.encryption.key' }));
  });
});
