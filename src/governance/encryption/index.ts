/**
 * Payload encryption at rest: AES-256-GCM with the key id in every encrypted payload, a Store
 * decorator, and rekeying of stored rows.
 *
 * @example const store = encryptStore(await openSqliteStore({ dataDir }), config.store.encryption);
 */
import type { Store } from '../../kernel/store.js';
import type { StoreEncryption } from '../config.js';
import { parseKey, PayloadCipher } from './cipher.js';
import { EncryptedStore } from './store.js';

export { PayloadCipher, parseKey, keyIdOf, MAGIC, type PayloadKey } from './cipher.js';
export { EncryptedStore } from './store.js';
export { rekeyStore, type RekeyProgress } from './rekey.js';

/** The configured cipher, or undefined when `store.encryption` is absent. */
export function cipherFor(encryption: StoreEncryption | undefined): PayloadCipher | undefined {
  if (!encryption) return undefined;
  return new PayloadCipher(
    { id: encryption.keyId, key: parseKey(encryption.key, 'store.encryption.key') },
    encryption.previous.map((k, i) => ({ id: k.keyId, key: parseKey(k.key, `store.encryption.previous[${i}].key`) })),
  );
}

/** The store itself without `store.encryption`, else the store with payloads encrypted at rest. */
export function encryptStore(store: Store, encryption: StoreEncryption | undefined): Store {
  const cipher = cipherFor(encryption);
  return cipher ? new EncryptedStore(store, cipher) : store;
}
