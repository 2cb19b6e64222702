import type { JWK } from 'jose';
import type { KeyTimes } from '../domain/keys';
import type { Sealer } from '@aegis/common';
import type { AuthDb } from './schema';

export interface SigningKeyRecord extends KeyTimes {
  alg: string;
  publicJwk: JWK;
  privateJwk: JWK;
}

/** Signing keys are platform-wide (one issuer for every tenant), so this table has no tenant_id. */
export async function loadKeys({ db }: AuthDb, sealer: Sealer): Promise<SigningKeyRecord[]> {
  const rows = await db.selectFrom('signing_keys').selectAll().orderBy('activates_at').execute();
  return rows.map((r) => ({
    kid: r.kid,
    alg: r.alg,
    publicJwk: JSON.parse(r.public_jwk) as JWK,
    privateJwk: JSON.parse(sealer.open(r.private_jwk)) as JWK,
    createdAt: Number(r.created_at),
    activatesAt: Number(r.activates_at),
    retiresAt: r.retires_at === null ? null : Number(r.retires_at),
  }));
}

export async function insertKey({ db }: AuthDb, key: SigningKeyRecord, sealer: Sealer): Promise<void> {
  await db
    .insertInto('signing_keys')
    .values({
      kid: key.kid,
      alg: key.alg,
      public_jwk: JSON.stringify(key.publicJwk),
      private_jwk: sealer.seal(JSON.stringify(key.privateJwk)),
      created_at: key.createdAt,
      activates_at: key.activatesAt,
      retires_at: key.retiresAt,
    })
    .execute();
}

export async function setKeyRetirement({ db }: AuthDb, kid: string, retiresAt: number): Promise<void> {
  await db
    .updateTable('signing_keys')
    .set({ retires_at: retiresAt })
    .where('kid', '=', kid)
    .where('retires_at', 'is', null)
    .execute();
}

export async function deleteKey({ db }: AuthDb, kid: string): Promise<void> {
  await db.deleteFrom('signing_keys').where('kid', '=', kid).execute();
}
