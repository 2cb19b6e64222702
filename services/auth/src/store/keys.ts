import { deleteRows, insertRow, selectRows, updateRows, type Queryable } from '@aegis/common';
import type { JWK } from 'jose';
import type { KeyTimes } from '../domain/keys';
import type { Sealer } from '../domain/seal';

export interface SigningKeyRecord extends KeyTimes {
  alg: string;
  publicJwk: JWK;
  privateJwk: JWK;
}

interface KeyRow {
  kid: string;
  alg: string;
  public_jwk: string;
  private_jwk: string;
  created_at: number;
  activates_at: number;
  retires_at: number | null;
}

/** Signing keys are platform-wide (one issuer for every tenant), so this table has no tenant_id. */
export async function loadKeys(db: Queryable, sealer: Sealer): Promise<SigningKeyRecord[]> {
  const rows = await selectRows<KeyRow>(db, 'signing_keys', { orderBy: { column: 'activates_at' } });
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

export async function insertKey(db: Queryable, key: SigningKeyRecord, sealer: Sealer): Promise<void> {
  await insertRow(db, 'signing_keys', {
    kid: key.kid,
    alg: key.alg,
    public_jwk: JSON.stringify(key.publicJwk),
    private_jwk: sealer.seal(JSON.stringify(key.privateJwk)),
    created_at: key.createdAt,
    activates_at: key.activatesAt,
    retires_at: key.retiresAt,
  });
}

export async function setKeyRetirement(db: Queryable, kid: string, retiresAt: number): Promise<void> {
  await updateRows(db, 'signing_keys', { retires_at: retiresAt }, { kid, retires_at: null });
}

export async function deleteKey(db: Queryable, kid: string): Promise<void> {
  await deleteRows(db, 'signing_keys', { kid });
}
