/** Signing-key lifecycle, pure. A key is *pending* before `activatesAt` (published, not signing),
 * *current* while it is the newest active key, *previous* after a successor took over (published until
 * `retiresAt`, when every token it signed has expired) and *retired* after that (not published). */

export interface KeyTimes {
  kid: string;
  /** Epoch ms. */
  createdAt: number;
  activatesAt: number;
  /** Epoch ms after which the key is no longer published; null while it may still sign. */
  retiresAt: number | null;
}

export function isPublished(key: KeyTimes, nowMs: number): boolean {
  return key.retiresAt === null || key.retiresAt > nowMs;
}

/** The later of two keys: activated later, else created later, else the larger kid (determinism). */
function newer<K extends KeyTimes>(a: K | undefined, b: K): K {
  if (!a) return b;
  if (b.activatesAt !== a.activatesAt) return b.activatesAt > a.activatesAt ? b : a;
  if (b.createdAt !== a.createdAt) return b.createdAt > a.createdAt ? b : a;
  return b.kid > a.kid ? b : a;
}

/** The key that signs now: the newest active key that no rotation has superseded; while a
 * successor is still pending, the newest active superseded one keeps signing. */
export function signingKey<K extends KeyTimes>(keys: readonly K[], nowMs: number): K | undefined {
  let current: K | undefined;
  let previous: K | undefined;
  for (const k of keys) {
    if (k.activatesAt > nowMs || !isPublished(k, nowMs)) continue;
    if (k.retiresAt === null) current = newer(current, k);
    else previous = newer(previous, k);
  }
  return current ?? previous;
}

export function publishedKeys<K extends KeyTimes>(keys: readonly K[], nowMs: number): K[] {
  return keys
    .filter((k) => isPublished(k, nowMs))
    .sort((a, b) => b.activatesAt - a.activatesAt || (a.kid < b.kid ? 1 : -1));
}

export interface RotationPlan {
  /** When the new key starts signing. */
  activatesAt: number;
  /** New `retiresAt` for each key still without one: published until its last token has expired. */
  retire: { kid: string; retiresAt: number }[];
  /** Keys retired long ago whose rows (and private keys) can be deleted. */
  purge: string[];
}

export interface RotationPolicy {
  tokenTtlSec: number;
  /** Clock tolerance verifiers allow past `exp`. */
  toleranceSec: number;
  /** Publish the new key this long before it signs, so every verifier's JWKS has it first. */
  activationDelaySec: number;
}

/** Plans a rotation: the new key signs from `now + activationDelay`; every older key that may still
 * sign keeps signing until then and stays published until its last token (exp ≤ activation + TTL)
 * has expired, plus the tolerance. */
export function planRotation(keys: readonly KeyTimes[], nowMs: number, policy: RotationPolicy): RotationPlan {
  const activatesAt = nowMs + policy.activationDelaySec * 1000;
  const retiresAt = activatesAt + (policy.tokenTtlSec + policy.toleranceSec) * 1000;
  return {
    activatesAt,
    retire: keys.filter((k) => k.retiresAt === null).map((k) => ({ kid: k.kid, retiresAt })),
    purge: keys.filter((k) => k.retiresAt !== null && k.retiresAt <= nowMs).map((k) => k.kid),
  };
}
