import { createCipheriv, createDecipheriv, randomFillSync } from 'node:crypto';
import { LoomError } from '../../kernel/errors.js';

/**
 * AES-256-GCM for payloads at rest. An encrypted payload is self-describing, so the key id is
 * stored with every row: MAGIC · keyId length (1 byte) · keyId (UTF-8) · IV (12) · tag (16) · ciphertext.
 * MAGIC and the key id are authenticated (GCM additional data). Bytes without MAGIC are plaintext
 * from before encryption was switched on and pass through, so a store can be encrypted in place
 * (`loom rekey`).
 */
export const MAGIC = Uint8Array.from([0x00, 0x4c, 0x45, 0x4e, 0x43, 0x01]); // NUL "LENC" v1: no text payload starts with NUL
const IV_BYTES = 12;
const TAG_BYTES = 16;

// One random IV per payload, drawn from a pool refilled 4,096 IVs at a time: a randomBytes(12)
// call per payload costs about as much CPU as encrypting 1 KB (bench/RESULTS.md, encryption).
const IV_POOL = Buffer.alloc(IV_BYTES * 4096);
let ivOffset = IV_POOL.length;
function nextIv(): Buffer {
  if (ivOffset >= IV_POOL.length) {
    randomFillSync(IV_POOL);
    ivOffset = 0;
  }
  const iv = Buffer.from(IV_POOL.subarray(ivOffset, ivOffset + IV_BYTES));
  ivOffset += IV_BYTES;
  return iv;
}

export interface PayloadKey {
  id: string;
  /** 32 bytes. */
  key: Buffer;
}

/**
 * Read key material: 32 bytes as 64 hex characters or base64 (44 characters). Throws
 * `store.encryption.key-invalid` naming where otherwise.
 *
 * @example parseKey(process.env.LOOM_KEY ?? '', 'store.encryption.key') // Buffer(32)
 */
export function parseKey(text: string, location: string): Buffer {
  const trimmed = text.trim();
  const bytes = /^[0-9a-fA-F]{64}$/.test(trimmed) ? Buffer.from(trimmed, 'hex') : /^[A-Za-z0-9+/]{43}=$/.test(trimmed) ? Buffer.from(trimmed, 'base64') : undefined;
  if (!bytes || bytes.length !== 32) {
    throw new LoomError('store.encryption.key-invalid', 'an AES-256 key is 32 bytes, written as 64 hex characters or 44 base64 characters', {
      location, hint: 'make one with: node -e "console.log(require(\'crypto\').randomBytes(32).toString(\'hex\'))" and reference it as ${env:LOOM_PAYLOAD_KEY} or ${file:...}',
    });
  }
  return bytes;
}

const startsWithMagic = (b: Uint8Array): boolean => b.length > MAGIC.length && MAGIC.every((v, i) => b[i] === v);

/** The key id an encrypted payload was written with; undefined for plaintext. */
export function keyIdOf(bytes: Uint8Array): string | undefined {
  if (!startsWithMagic(bytes)) return undefined;
  const n = bytes[MAGIC.length] ?? 0;
  return Buffer.from(bytes.subarray(MAGIC.length + 1, MAGIC.length + 1 + n)).toString('utf8');
}

/**
 * Encrypts with the current key, decrypts with any configured key by the id in the payload.
 *
 * @example const cipher = new PayloadCipher({ id: 'k2', key }, [{ id: 'k1', key: old }]);
 */
export class PayloadCipher {
  private readonly keys: Map<string, Buffer>;

  constructor(readonly current: PayloadKey, previous: readonly PayloadKey[] = []) {
    if (Buffer.byteLength(current.id, 'utf8') > 255 || current.id === '') throw new LoomError('store.encryption.key-id-invalid', 'a key id is 1 to 255 bytes', { location: 'store.encryption.keyId' });
    this.keys = new Map([...previous.map((k) => [k.id, k.key] as const), [current.id, current.key]]);
  }

  encrypt(plain: Uint8Array): Uint8Array {
    const id = Buffer.from(this.current.id, 'utf8');
    const header = Buffer.concat([MAGIC, Uint8Array.of(id.length), id]);
    const iv = nextIv();
    const cipher = createCipheriv('aes-256-gcm', this.current.key, iv);
    cipher.setAAD(header);
    const body = Buffer.concat([cipher.update(plain), cipher.final()]);
    return new Uint8Array(Buffer.concat([header, iv, cipher.getAuthTag(), body]));
  }

  /** Plaintext passes through; an unknown key id or a failed tag check is a LoomError. */
  decrypt(bytes: Uint8Array): Uint8Array {
    const id = keyIdOf(bytes);
    if (id === undefined) return bytes;
    const key = this.keys.get(id);
    if (!key) {
      throw new LoomError('store.encryption.key-unknown', `a payload is encrypted with key "${id}", which is not configured`, {
        location: 'store.encryption', hint: `add { keyId: ${id}, key: ... } to store.encryption.previous`,
      });
    }
    const headerLength = MAGIC.length + 1 + Buffer.byteLength(id, 'utf8');
    const iv = bytes.subarray(headerLength, headerLength + IV_BYTES);
    const tag = bytes.subarray(headerLength + IV_BYTES, headerLength + IV_BYTES + TAG_BYTES);
    const decipher = createDecipheriv('aes-256-gcm', key, iv);
    decipher.setAAD(bytes.subarray(0, headerLength));
    decipher.setAuthTag(tag);
    try {
      return new Uint8Array(Buffer.concat([decipher.update(bytes.subarray(headerLength + IV_BYTES + TAG_BYTES)), decipher.final()]));
    } catch (cause) {
      throw new LoomError('store.encryption.tampered', `a payload encrypted with key "${id}" failed its integrity check`, { location: 'store.encryption', hint: 'the row was altered or the key is wrong; restore it from a backup', cause });
    }
  }

  /** Whether a payload is already under the current key (rekey skips it). */
  isCurrent(bytes: Uint8Array): boolean {
    return keyIdOf(bytes) === this.current.id;
  }
}
