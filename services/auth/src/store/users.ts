import { containsText, isRole, listPage, type PageParams, type Role, type Selectable } from '@aegis/common';
import type { LockoutState } from '../domain/lockout';
import type { AuthDb, UsersTable } from './schema';

export interface UserRecord {
  id: string;
  tenantId: string;
  email: string;
  displayName: string | null;
  passwordHash: string;
  roles: Role[];
  active: boolean;
  failedLogins: number;
  lockedUntil: number | null;
  loginVersion: number;
  tokensValidFrom: number | null;
  statusChangedAt: number;
  lastLoginAt: number | null;
  createdAt: number;
  updatedAt: number;
}

type UserRow = Selectable<UsersTable>;

/** Roles are stored delimited on both sides (`,admin,viewer,`) so a role filter is an exact
 * substring match (`viewer` must not match `reviewer`). */
export function encodeRoles(roles: readonly Role[]): string {
  return `,${[...new Set(roles)].sort().join(',')},`;
}

export function decodeRoles(text: string): Role[] {
  return text.split(',').filter(isRole);
}

/** Emails are compared case-insensitively: stored and looked up lower-cased and trimmed. */
export function normaliseEmail(email: string): string {
  return email.trim().toLowerCase();
}

const num = (v: unknown): number => Number(v);
const numOrNull = (v: unknown): number | null => (v === null || v === undefined ? null : Number(v));

function fromRow(r: UserRow): UserRecord {
  return {
    id: r.id,
    tenantId: r.tenant_id,
    email: r.email,
    displayName: r.display_name,
    passwordHash: r.password_hash,
    roles: decodeRoles(r.roles),
    active: num(r.active) === 1,
    failedLogins: num(r.failed_logins),
    lockedUntil: numOrNull(r.locked_until),
    loginVersion: num(r.login_version),
    tokensValidFrom: numOrNull(r.tokens_valid_from),
    statusChangedAt: num(r.status_changed_at),
    lastLoginAt: numOrNull(r.last_login_at),
    createdAt: num(r.created_at),
    updatedAt: num(r.updated_at),
  };
}

export type NewUser = Pick<
  UserRecord,
  'id' | 'tenantId' | 'email' | 'displayName' | 'passwordHash' | 'roles' | 'active'
>;

export async function insertUser({ db }: AuthDb, user: NewUser, nowMs: number): Promise<UserRecord> {
  const row: UserRow = {
    id: user.id,
    tenant_id: user.tenantId,
    email: normaliseEmail(user.email),
    display_name: user.displayName,
    password_hash: user.passwordHash,
    roles: encodeRoles(user.roles),
    active: user.active ? 1 : 0,
    failed_logins: 0,
    locked_until: null,
    login_version: 0,
    tokens_valid_from: null,
    status_changed_at: nowMs,
    last_login_at: null,
    created_at: nowMs,
    updated_at: nowMs,
  };
  await db.insertInto('users').values(row).execute();
  return fromRow(row);
}

/** The first user matching every column of `where`. */
async function oneUser(
  { db }: AuthDb,
  where: Partial<Pick<UserRow, 'tenant_id' | 'id' | 'email'>>,
): Promise<UserRecord | undefined> {
  const row = await db
    .selectFrom('users')
    .selectAll()
    .where((eb) => eb.and(where))
    .limit(1)
    .executeTakeFirst();
  return row && fromRow(row);
}

/** Login lookup. Emails are unique across tenants, so this is the one query not scoped to a tenant. */
export function findUserByEmail(db: AuthDb, email: string): Promise<UserRecord | undefined> {
  return oneUser(db, { email: normaliseEmail(email) });
}

/** A user of `tenantId`; a user of another tenant is indistinguishable from a missing one. */
export function findUser(db: AuthDb, tenantId: string, id: string): Promise<UserRecord | undefined> {
  return oneUser(db, { tenant_id: tenantId, id });
}

/** Operator tooling (CLI): every tenant. */
export function findUserAnyTenant(db: AuthDb, id: string): Promise<UserRecord | undefined> {
  return oneUser(db, { id });
}

export const USER_SORTABLE = ['created_at', 'email', 'display_name', 'last_login_at'] as const;
export type UserSort = (typeof USER_SORTABLE)[number];

export interface UserFilter {
  /** Undefined only for operator tooling listing every tenant. */
  tenantId: string | undefined;
  active?: boolean;
  role?: Role;
  email?: string;
}

export async function listUsers(
  { db }: AuthDb,
  filter: UserFilter,
  params: PageParams<UserSort>,
): Promise<{ users: UserRecord[]; total: number }> {
  let query = db.selectFrom('users').selectAll();
  if (filter.tenantId !== undefined) query = query.where('tenant_id', '=', filter.tenantId);
  if (filter.active !== undefined) query = query.where('active', '=', filter.active ? 1 : 0);
  if (filter.role !== undefined) query = query.where(containsText('roles', `,${filter.role},`));
  if (filter.email !== undefined) query = query.where(containsText('email', normaliseEmail(filter.email)));
  if (!(USER_SORTABLE as readonly string[]).includes(params.sortBy)) throw new TypeError('unsortable column');
  const { rows, total } = await listPage(query, params, { tiebreaker: 'id', nulls: 'portable' });
  return { users: rows.map(fromRow), total };
}

export async function countUsers({ db }: AuthDb): Promise<number> {
  const row = await db
    .selectFrom('users')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirst();
  return Number(row?.n ?? 0);
}

export interface UserPatch {
  displayName?: string | null;
  roles?: Role[];
  active?: boolean;
  passwordHash?: string;
  /** Refuse this user's tokens issued before this second (deactivation, password reset). */
  tokensValidFrom?: number;
  /** Set when something the revocation feed carries changed (active, tokens_valid_from). */
  statusChanged?: boolean;
  /** Clears the lockout (admin password reset). */
  unlock?: boolean;
}

export async function updateUser(
  { db }: AuthDb,
  tenantId: string,
  id: string,
  patch: UserPatch,
  nowMs: number,
): Promise<boolean> {
  const result = await db
    .updateTable('users')
    .set({
      display_name: patch.displayName,
      roles: patch.roles && encodeRoles(patch.roles),
      active: patch.active === undefined ? undefined : patch.active ? 1 : 0,
      password_hash: patch.passwordHash,
      tokens_valid_from: patch.tokensValidFrom,
      status_changed_at: patch.statusChanged ? nowMs : undefined,
      failed_logins: patch.unlock ? 0 : undefined,
      locked_until: patch.unlock ? null : undefined,
      updated_at: nowMs,
    })
    .where((eb) => eb.and({ tenant_id: tenantId, id }))
    .executeTakeFirst();
  return result.numUpdatedRows > 0n;
}

/** Writes a new lockout state only if nobody else changed it since `expectedVersion` was read
 * (compare-and-set, so concurrent failures are all counted). Returns false on a lost race. */
export async function writeLoginState(
  { db }: AuthDb,
  user: Pick<UserRecord, 'id' | 'tenantId' | 'loginVersion'>,
  state: LockoutState,
  extra: { lastLoginAt?: number; passwordHash?: string },
): Promise<boolean> {
  const result = await db
    .updateTable('users')
    .set({
      failed_logins: state.failedLogins,
      locked_until: state.lockedUntil,
      login_version: user.loginVersion + 1,
      last_login_at: extra.lastLoginAt,
      password_hash: extra.passwordHash,
    })
    .where((eb) => eb.and({ tenant_id: user.tenantId, id: user.id, login_version: user.loginVersion }))
    .executeTakeFirst();
  return result.numUpdatedRows > 0n;
}

/** The tenants that have at least one user (every onboarded tenant has its admin), one page in
 * tenant-id order, and how many there are. */
export async function listTenants(
  { db }: AuthDb,
  params: Pick<PageParams, 'limit' | 'offset' | 'sortDir'>,
): Promise<{ tenants: string[]; total: number }> {
  const rows = await db
    .selectFrom('users')
    .select('tenant_id')
    .distinct()
    .orderBy('tenant_id', params.sortDir)
    .limit(params.limit)
    .offset(params.offset)
    .execute();
  const count = await db
    .selectFrom('users')
    .select((eb) => eb.fn.count<number>('tenant_id').distinct().as('n'))
    .executeTakeFirst();
  return { tenants: rows.map((r) => r.tenant_id), total: Number(count?.n ?? 0) };
}
