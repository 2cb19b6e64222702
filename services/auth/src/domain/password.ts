import { randomBytes, scrypt, timingSafeEqual, type ScryptOptions } from 'node:crypto';

/** scrypt (memory-hard) password hashes. The string carries its parameters:
 *   scrypt$ln=<log2 N>,r=<r>,p=<p>$<salt base64>$<hash base64>
 * so the cost can be raised later and old hashes still verify (and are re-hashed on login). */

export interface ScryptParams {
  logN: number;
  r: number;
  p: number;
}

export interface PasswordHasher {
  hash(password: string): Promise<string>;
  /** Constant-time comparison; false for a malformed hash. */
  verify(password: string, hash: string): Promise<boolean>;
  /** True when the hash was made with other parameters than the current ones. */
  needsRehash(hash: string): boolean;
  /** A hash of a random password with the current parameters: verified against for unknown users so
   * every login attempt costs the same. */
  dummyHash(): Promise<string>;
}

const KEY_LENGTH = 32;
const SALT_LENGTH = 16;
const FORMAT =
  /^scrypt\$ln=(\d{1,2}),r=(\d{1,2}),p=(\d{1,2})\$([A-Za-z0-9+/]+={0,2})\$([A-Za-z0-9+/]+={0,2})$/;

function derive(password: string, salt: Buffer, params: ScryptParams, keyLength: number): Promise<Buffer> {
  const N = 2 ** params.logN;
  const options: ScryptOptions = { N, r: params.r, p: params.p, maxmem: 256 * N * params.r + 1024 * 1024 };
  return new Promise((resolve, reject) => {
    scrypt(password.normalize('NFC'), salt, keyLength, options, (err, key) =>
      err ? reject(err) : resolve(key),
    );
  });
}

export function parseHash(hash: string): { params: ScryptParams; salt: Buffer; key: Buffer } | undefined {
  const m = FORMAT.exec(hash);
  if (!m) return undefined;
  const params = { logN: Number(m[1]), r: Number(m[2]), p: Number(m[3]) };
  if (params.logN < 1 || params.logN > 22 || params.r < 1 || params.p < 1) return undefined;
  const salt = Buffer.from(m[4], 'base64');
  const key = Buffer.from(m[5], 'base64');
  if (salt.length < 8 || key.length < 16) return undefined;
  return { params, salt, key };
}

export function createPasswordHasher(params: ScryptParams = { logN: 15, r: 8, p: 1 }): PasswordHasher {
  let dummy: Promise<string> | undefined;
  const hasher: PasswordHasher = {
    async hash(password) {
      const salt = randomBytes(SALT_LENGTH);
      const key = await derive(password, salt, params, KEY_LENGTH);
      return `scrypt$ln=${params.logN},r=${params.r},p=${params.p}$${salt.toString('base64')}$${key.toString('base64')}`;
    },
    async verify(password, hash) {
      const parsed = parseHash(hash);
      if (!parsed) return false;
      const key = await derive(password, parsed.salt, parsed.params, parsed.key.length);
      return timingSafeEqual(key, parsed.key);
    },
    needsRehash(hash) {
      const parsed = parseHash(hash);
      return (
        !parsed ||
        parsed.params.logN !== params.logN ||
        parsed.params.r !== params.r ||
        parsed.params.p !== params.p
      );
    },
    dummyHash() {
      dummy ??= hasher.hash(randomBytes(24).toString('base64'));
      return dummy;
    },
  };
  return hasher;
}
