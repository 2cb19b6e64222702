import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { z } from 'zod';

/** Seals secrets at rest (auth's private signing keys, the approvals audit key) with AES-256-GCM when a
 * key-encryption key is configured:
 *   sealed:v1:<iv b64>:<tag b64>:<ciphertext b64>
 * Without one, values are stored as they are (local development). */
export interface Sealer {
  seal(plain: string): string;
  open(stored: string): string;
}

const PREFIX = 'sealed:v1:';

/** Length of a key-encryption key (AES-256). */
export const SEALING_KEY_BYTES = 32;

/**
 * The sealer of one key-encryption key. `variable` names the setting the key comes from, so a sealed
 * value read without it says which variable is missing.
 */
export function createSealer(key: Buffer | undefined, variable: string): Sealer {
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
      if (!key) throw new Error(`A value in the store is sealed but ${variable} is not set`);
      const [iv, tag, data] = stored.slice(PREFIX.length).split(':');
      const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(iv, 'base64'));
      decipher.setAuthTag(Buffer.from(tag, 'base64'));
      return Buffer.concat([decipher.update(Buffer.from(data, 'base64')), decipher.final()]).toString('utf8');
    },
  };
}

/** An optional key-encryption key setting: 32 bytes, base64-encoded; unset or empty → undefined. */
export const envSealingKey = () =>
  z
    .string()
    .optional()
    .transform((value, ctx) => {
      if (!value) return undefined;
      const key = Buffer.from(value, 'base64');
      if (key.length !== SEALING_KEY_BYTES) {
        ctx.addIssue({ code: 'custom', message: `must be ${SEALING_KEY_BYTES} bytes, base64-encoded` });
        return z.NEVER;
      }
      return key;
    });
