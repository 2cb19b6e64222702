import { randomUUID } from 'node:crypto';
import {
  ConflictError,
  NotFoundError,
  PLATFORM_ADMIN_ROLE,
  UnauthorizedError,
  type Identity,
  type Logger,
  type RevocationChecker,
  type Role,
  type Store,
  type TokenClaims,
} from '@aegis/common';
import { SignJWT } from 'jose';
import { buildClaims, cutoffAfter, waitForCutoffMs, type TokenSubject } from './domain/claims';
import { clientCredentialsValid, serviceSubject, userTokenRoles } from './domain/client-credentials';
import { checkAssignableRoles, checkPlatformGrant, type Actor } from './domain/grants';
import {
  afterFailure,
  afterSuccess,
  isLocked,
  type LockoutPolicy,
  type LockoutState,
} from './domain/lockout';
import type { PasswordHasher } from './domain/password';
import type { KeyRing } from './store/keyring';
import { isUniqueViolation } from './store/migrations';
import { purgeExpiredRevocations, revokeToken } from './store/revocations';
import { tenantSuspended } from './tenant-states';
import {
  countUsers,
  findUser,
  findUserByEmail,
  insertUser,
  listUsers,
  updateUser,
  writeLoginState,
  type UserRecord,
} from './store/users';

export type LoginOutcome =
  'success' | 'unknown_email' | 'wrong_password' | 'inactive' | 'locked' | 'tenant_suspended';

export interface AccountsDeps {
  store: Store;
  hasher: PasswordHasher;
  keyRing: KeyRing;
  /** The service's own in-process revocation state: refreshed right after every change. */
  revocation: RevocationChecker;
  tokenTtlSec: number;
  /** `SERVICE_CLIENT_SECRET`: the client-credentials grant is refused while unset (ADR 0019). */
  serviceClientSecret?: string;
  /** Lifetime of an internal service's token (capped at tokenTtlSec, which the key ring plans for). */
  serviceTokenTtlSec?: number;
  lockout: LockoutPolicy;
  logger: Logger;
  onLogin?: (outcome: LoginOutcome) => void;
  /** Whether the user's tenant is suspended (TenantStates); unset: no tenant is. */
  isSuspended?: (tenantId: string) => Promise<boolean>;
  /** Called after this process rotated the keys (the in-process verifier reloads them). */
  onKeysRotated?: () => Promise<void>;
  now?: () => number;
  sleep?: (ms: number) => Promise<void>;
}

export interface IssuedToken {
  token: string;
  claims: TokenClaims;
  user: UserRecord;
}

/** A signed token and its claims (a client-credentials token has no user record behind it). */
export interface SignedToken {
  token: string;
  claims: TokenClaims;
}

/** Default lifetime of an internal service's token: short, since it is renewed automatically. */
export const SERVICE_TOKEN_TTL_SEC = 600;

export const invalidClient = () => new UnauthorizedError('Invalid client credentials', 'invalid_client');

export interface NewUserInput {
  email: string;
  password: string;
  displayName: string | null;
  roles: Role[];
  tenantId: string;
  active?: boolean;
}

export interface UserChanges {
  displayName?: string | null;
  roles?: Role[];
  active?: boolean;
  password?: string;
}

export const invalidCredentials = () =>
  new UnauthorizedError('Invalid email or password', 'invalid_credentials');

/** The roles an admin cannot take away from themself (a lock-out, or no platform admin left). */
const ADMIN_ROLES = ['admin', PLATFORM_ADMIN_ROLE] as const;

const lockState = (u: UserRecord): LockoutState => ({
  failedLogins: u.failedLogins,
  lockedUntil: u.lockedUntil,
});

export function createAccounts(deps: AccountsDeps) {
  const now = deps.now ?? Date.now;
  const sleep = deps.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));
  const { store, hasher, logger } = deps;

  const refused = (outcome: LoginOutcome, userId?: string): never => {
    deps.onLogin?.(outcome);
    logger.info({ outcome, userId }, 'Refused login');
    throw invalidCredentials();
  };

  /** Counts a failure with compare-and-set, re-reading on a lost race so concurrent failures all count. */
  const recordFailure = async (email: string): Promise<void> => {
    for (let attempt = 0; attempt < 10; attempt += 1) {
      const u = await findUserByEmail(store, email);
      if (!u) return;
      if (isLocked(lockState(u), now())) return; // attempts during a lock neither count nor extend it
      const next = afterFailure(lockState(u), now(), deps.lockout);
      if (await writeLoginState(store, u, next, {})) {
        if (isLocked(next, now()))
          logger.warn(
            { userId: u.id, lockedUntil: next.lockedUntil },
            'Locked account after repeated failed logins',
          );
        return;
      }
    }
  };

  const recordSuccess = async (user: UserRecord, password: string): Promise<UserRecord> => {
    const rehash = hasher.needsRehash(user.passwordHash) ? await hasher.hash(password) : undefined;
    let u: UserRecord | undefined = user;
    for (let attempt = 0; attempt < 10 && u; attempt += 1) {
      if (await writeLoginState(store, u, afterSuccess(), { lastLoginAt: now(), passwordHash: rehash }))
        break;
      u = await findUser(store, user.tenantId, user.id);
    }
    return u ?? user;
  };

  const signFor = async (subject: TokenSubject, ttlSec: number): Promise<SignedToken> => {
    const claims = buildClaims(subject, Math.floor(now() / 1000), ttlSec, randomUUID());
    const { kid, key } = await deps.keyRing.signingKey();
    const token = await new SignJWT({ ...claims })
      .setProtectedHeader({ alg: 'EdDSA', kid, typ: 'JWT' })
      .sign(key);
    return { token, claims };
  };

  const sign = async (user: UserRecord): Promise<IssuedToken> => {
    // Timers can fire a little before the wall clock reaches the cut-off: check again after waiting.
    for (let wait = waitForCutoffMs(user.tokensValidFrom, now()); wait > 0;) {
      await sleep(wait + 1);
      wait = waitForCutoffMs(user.tokensValidFrom, now());
    }
    const { token, claims } = await signFor({ ...user, roles: userTokenRoles(user.roles) }, deps.tokenTtlSec);
    return { token, claims, user };
  };

  const upgradeBootstrapAdmin = async (email: string, tenantId: string): Promise<undefined> => {
    const holders = await listUsers(
      store,
      { tenantId: undefined, role: PLATFORM_ADMIN_ROLE, active: true },
      { limit: 1, offset: 0, sortBy: 'created_at', sortDir: 'asc' },
    );
    if (holders.total > 0) return undefined;
    const user = await findUserByEmail(store, email);
    if (!user?.active || user.tenantId !== tenantId || !user.roles.includes('admin')) return undefined;
    await accounts.updateUser(tenantId, user.id, { roles: [...user.roles, PLATFORM_ADMIN_ROLE] });
    logger.warn(
      { userId: user.id, email: user.email, tenant: tenantId },
      'Granted platform_admin to the bootstrap admin: no user held it',
    );
    return undefined;
  };

  const accounts = {
    /** Same 401 for unknown email, wrong password, inactive or locked account; the password hash runs
     * in every case (against a dummy hash for an unknown email) so the timing matches too. */
    async login(email: string, password: string): Promise<IssuedToken> {
      const found = await findUserByEmail(store, email);
      const ok = await hasher.verify(password, found ? found.passwordHash : await hasher.dummyHash());
      if (!found) return refused('unknown_email');
      // Re-read: the account may have been locked or deactivated while the hash ran.
      const user = (await findUser(store, found.tenantId, found.id)) ?? found;
      if (!user.active) return refused('inactive', user.id);
      if (isLocked(lockState(user), now())) return refused('locked', user.id);
      if (!ok) {
        await recordFailure(email);
        return refused('wrong_password', user.id);
      }
      // Only after the right password: a suspended tenant's users learn why, others learn nothing
      // (ADR 0023). Nothing is recorded: the failure count is untouched and last_login_at stays.
      if (await deps.isSuspended?.(user.tenantId)) {
        deps.onLogin?.('tenant_suspended');
        logger.info({ userId: user.id, tenant: user.tenantId }, 'Refused login: tenant suspended');
        throw tenantSuspended(user.tenantId);
      }
      const fresh = await recordSuccess(user, password);
      deps.onLogin?.('success');
      logger.info({ userId: user.id, tenant: user.tenantId }, 'Logged in');
      return sign(fresh);
    },

    /** The client-credentials grant (ADR 0019): an internal service's own short-lived token, role
     * `service`, tenant `default`. Unknown client, wrong or unconfigured secret: the same 401. */
    async issueServiceToken(clientId: string, clientSecret: string): Promise<SignedToken> {
      if (!clientCredentialsValid(deps.serviceClientSecret, clientId, clientSecret)) {
        logger.warn({ clientId: clientId.slice(0, 64) }, 'Refused client credentials');
        throw invalidClient();
      }
      const ttl = Math.min(deps.serviceTokenTtlSec ?? SERVICE_TOKEN_TTL_SEC, deps.tokenTtlSec);
      const issued = await signFor(serviceSubject(clientId), ttl);
      logger.info({ clientId }, 'Issued service token');
      return issued;
    },

    /** Revokes the token's jti until it expires. */
    async logout(identity: Identity): Promise<void> {
      const nowMs = now();
      await revokeToken(
        store,
        { jti: identity.jti, tenantId: identity.tenantId, userId: identity.userId, exp: identity.exp },
        nowMs,
      );
      deps.revocation.revokeLocally(identity.jti, identity.exp);
      await purgeExpiredRevocations(store, Math.floor(nowMs / 1000));
      logger.info({ userId: identity.userId, jti: identity.jti }, 'Logged out');
    },

    /** Creates a user; `actor` is the API caller (none for the account tool and the bootstrap). */
    async createUser(input: NewUserInput, actor?: Actor): Promise<UserRecord> {
      checkAssignableRoles(input.roles);
      checkPlatformGrant(actor, undefined, input.roles);
      const passwordHash = await hasher.hash(input.password);
      try {
        return await insertUser(
          store,
          {
            id: randomUUID(),
            tenantId: input.tenantId,
            email: input.email,
            displayName: input.displayName,
            passwordHash,
            roles: input.roles,
            active: input.active ?? true,
          },
          now(),
        );
      } catch (err) {
        if (isUniqueViolation(err))
          throw new ConflictError('A user with this email already exists', 'duplicate_email');
        throw err;
      }
    },

    /** Applies an admin change. Deactivation, a password reset and a role change refuse the user's
     * existing tokens (a cut-off); the in-process revocation state is refreshed before returning. */
    async updateUser(tenantId: string, id: string, changes: UserChanges, actor?: Actor): Promise<UserRecord> {
      const user = await findUser(store, tenantId, id);
      if (!user) throw new NotFoundError('User not found', 'user_not_found');
      if (changes.roles) checkAssignableRoles(changes.roles);
      checkPlatformGrant(actor, user, changes.roles);
      const self = actor?.userId === id;
      if (self && changes.active === false) {
        throw new ConflictError('You cannot deactivate your own account', 'self_lockout');
      }
      const dropped = ADMIN_ROLES.find(
        (r) => changes.roles && !changes.roles.includes(r) && user.roles.includes(r),
      );
      if (self && dropped !== undefined) {
        throw new ConflictError(`You cannot remove your own ${dropped} role`, 'self_lockout');
      }
      const rolesChanged =
        changes.roles !== undefined &&
        [...new Set(changes.roles)].sort().join() !== [...user.roles].sort().join();
      const activeChanged = changes.active !== undefined && changes.active !== user.active;
      const cutOff = changes.password !== undefined || rolesChanged || changes.active === false;
      const nowMs = now();
      await updateUser(
        store,
        tenantId,
        id,
        {
          displayName: changes.displayName,
          roles: changes.roles,
          active: changes.active,
          passwordHash: changes.password === undefined ? undefined : await hasher.hash(changes.password),
          tokensValidFrom: cutOff ? cutoffAfter(nowMs) : undefined,
          statusChanged: cutOff || activeChanged,
          unlock: changes.password !== undefined,
        },
        nowMs,
      );
      if (cutOff || activeChanged) {
        await deps.revocation
          .refresh()
          .catch((err: Error) => logger.error({ err }, 'Failed to refresh revocations'));
      }
      const updated = await findUser(store, tenantId, id);
      if (!updated) throw new NotFoundError('User not found', 'user_not_found');
      logger.info(
        {
          userId: id,
          tenant: tenantId,
          fields: Object.keys(changes)
            .filter((k) => k !== 'password')
            .concat(changes.password ? ['password'] : []),
        },
        'Updated user',
      );
      return updated;
    },

    async rotateKeys() {
      const result = await deps.keyRing.rotate();
      await deps.onKeysRotated?.();
      logger.info(
        { kid: result.kid, activatesAt: result.activatesAt, retired: result.retired },
        'Rotated signing keys',
      );
      return result;
    },

    /** Creates the configured admin, an admin and platform admin of `tenantId`, when the store has no
     * user at all (first start). On a store with users but no active platform admin (one created before
     * the role existed), grants `platform_admin` to the configured admin if it is an admin of
     * `tenantId` — and to nobody else (ADR 0018). */
    async bootstrap(
      admin: { email: string; password: string } | undefined,
      tenantId: string,
    ): Promise<UserRecord | undefined> {
      if (!admin) return undefined;
      if ((await countUsers(store)) > 0) return upgradeBootstrapAdmin(admin.email, tenantId);
      try {
        const user = await accounts.createUser({
          email: admin.email,
          password: admin.password,
          displayName: 'Administrator',
          roles: ['admin', PLATFORM_ADMIN_ROLE],
          tenantId,
        });
        logger.info({ userId: user.id, email: user.email, tenant: tenantId }, 'Created bootstrap admin');
        return user;
      } catch (err) {
        if (err instanceof ConflictError) return undefined; // another replica created it first
        throw err;
      }
    },
  };
  return accounts;
}

export type Accounts = ReturnType<typeof createAccounts>;
