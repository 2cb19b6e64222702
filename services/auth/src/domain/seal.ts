import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';

/** Seals private signing keys at rest with AES-256-GCM when a key-encryption key is configured:
 *   sealed:v1:<iv b64>:<tag b64>:<ciphertext b64>
 * Without one, values are stored as they are (local development). */
export interface Sealer {
  seal(plain: string): string;
  open(stored: string): string;
}

const PREFIX = 'sealed:v1:';

export function createSealer(key: Buffer | undefined): Sealer {
  return {
    seal(plain) {
      if (!key) return plain;
      const iv = randomBytes(12);
      const cipher = createCipheriv('aes-256-gcm', key, iv);
      const data = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
      return `${PREFIX}${iv.toString('base64')}:${cipher.getAuthTag().toString('base64')}:${data.toString('base64')}`;
    },
    open(stored) {
      if (!stored.startsWith(PREFIX)) return stored;
      if (!key)
        throw new Error('A signing key in the store is sealed but SIGNING_KEY_ENCRYPTION_KEY is not set');
      const [iv, tag, data] = stored.slice(PREFIX.length).split(':');
      const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(iv, 'base64'));
      decipher.setAuthTag(Buffer.from(tag, 'base64'));
      return Buffer.concat([decipher.update(Buffer.from(data, 'base64')), decipher.final()]).toString('utf8');
    },
  };
}
