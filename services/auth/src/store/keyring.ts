import { generateKeyPairSync } from 'node:crypto';
import { TOKEN_ALGORITHM, type JsonWebKeySet, type Sealer, type Store } from '@aegis/common';
import { calculateJwkThumbprint, importJWK, type JWK, type KeyLike } from 'jose';
import { planRotation, publishedKeys, signingKey, type RotationPolicy } from '../domain/keys';
import { deleteKey, insertKey, loadKeys, setKeyRetirement, type SigningKeyRecord } from './keys';

export interface KeyRing {
  /** The key that signs now (creates the first key when the store has none). */
  signingKey(): Promise<{ kid: string; key: KeyLike | Uint8Array }>;
  /** Public keys of every non-retired key (current, pending and previous). */
  jwks(): Promise<JsonWebKeySet>;
  /** Creates a key when none can sign (first start). */
  ensureKey(): Promise<void>;
  /** Creates a new signing key; older keys stay published until their last token expired. */
  rotate(): Promise<{ kid: string; activatesAt: number; retired: { kid: string; retiresAt: number }[] }>;
}

export interface KeyRingOptions {
  store: Store;
  sealer: Sealer;
  policy: RotationPolicy;
  /** Keys are re-read from the store at most this often (other replicas may rotate). */
  cacheMs?: number;
  now?: () => number;
}

export async function generateSigningKey(nowMs: number, activatesAt = nowMs): Promise<SigningKeyRecord> {
  const { publicKey, privateKey } = generateKeyPairSync('ed25519');
  const pub = publicKey.export({ format: 'jwk' }) as JWK;
  const priv = privateKey.export({ format: 'jwk' }) as JWK;
  const kid = await calculateJwkThumbprint(pub);
  return {
    kid,
    alg: TOKEN_ALGORITHM,
    publicJwk: { kty: pub.kty, crv: pub.crv, x: pub.x, kid, alg: TOKEN_ALGORITHM, use: 'sig' },
    privateJwk: { ...priv, kid, alg: TOKEN_ALGORITHM },
    createdAt: nowMs,
    activatesAt,
    retiresAt: null,
  };
}

export function createKeyRing(options: KeyRingOptions): KeyRing {
  const now = options.now ?? Date.now;
  const cacheMs = options.cacheMs ?? 5000;
  const { store, sealer } = options;
  let cached: { at: number; keys: SigningKeyRecord[] } | undefined;
  const imported = new Map<string, KeyLike | Uint8Array>();

  const keys = async (): Promise<SigningKeyRecord[]> => {
    if (cached && now() - cached.at < cacheMs) return cached.keys;
    const loaded = await loadKeys(store, sealer);
    cached = { at: now(), keys: loaded };
    return loaded;
  };

  const ring: KeyRing = {
    async ensureKey() {
      const current = signingKey(await keys(), now());
      if (current) return;
      await store.transaction(async (tx) => {
        // Re-check inside the transaction: another replica may have just created one.
        if (signingKey(await loadKeys(tx, sealer), now())) return;
        await insertKey(tx, await generateSigningKey(now()), sealer);
      });
      cached = undefined;
    },
    async signingKey() {
      let current = signingKey(await keys(), now());
      if (!current) {
        await ring.ensureKey();
        current = signingKey(await keys(), now());
        if (!current) throw new Error('No signing key available');
      }
      let key = imported.get(current.kid);
      if (!key) {
        key = await importJWK(current.privateJwk, TOKEN_ALGORITHM);
        imported.set(current.kid, key);
      }
      return { kid: current.kid, key };
    },
    async jwks() {
      return { keys: publishedKeys(await keys(), now()).map((k) => ({ ...k.publicJwk })) };
    },
    async rotate() {
      const result = await store.transaction(async (tx) => {
        const existing = await loadKeys(tx, sealer);
        const plan = planRotation(existing, now(), options.policy);
        for (const kid of plan.purge) await deleteKey(tx, kid);
        for (const r of plan.retire) await setKeyRetirement(tx, r.kid, r.retiresAt);
        const key = await generateSigningKey(now(), plan.activatesAt);
        await insertKey(tx, key, sealer);
        return { kid: key.kid, activatesAt: plan.activatesAt, retired: plan.retire };
      });
      cached = undefined;
      return result;
    },
  };
  return ring;
}
