import { createHash, timingSafeEqual } from 'node:crypto';
import { isServiceName, PLATFORM_TENANT, SERVICE_ROLE, type ServiceName } from '@aegis/common';
import type { TokenSubject } from './claims';

/** `sub` of an internal service's token: `service:<registry name>` (never a user id, which is a UUID). */
export const SERVICE_SUBJECT_PREFIX = 'service:';

/** The shortest `SERVICE_CLIENT_SECRET` auth accepts. */
export const MIN_SERVICE_SECRET_LENGTH = 16;

/**
 * Whether the client-credentials grant holds (ADR 0019): `clientId` names a service of the registry and
 * `secret` equals the configured `SERVICE_CLIENT_SECRET`. Both sides are hashed first, so the
 * constant-time comparison also hides the length; an unset secret refuses every client.
 */
export function clientCredentialsValid(
  configured: string | undefined,
  clientId: string,
  secret: string,
): clientId is ServiceName {
  const digest = (s: string) => createHash('sha256').update(s, 'utf8').digest();
  // Compared even for an unknown client or no configured secret: the time taken says nothing.
  const same = timingSafeEqual(digest(configured ?? ''), digest(secret));
  return configured !== undefined && configured.length > 0 && same && isServiceName(clientId);
}

/** Who an internal service's token names: tenant `default`, role `service` only. */
export function serviceSubject(name: ServiceName): TokenSubject {
  return {
    id: `${SERVICE_SUBJECT_PREFIX}${name}`,
    email: `${name}@services.aegis.internal`,
    displayName: name,
    roles: [SERVICE_ROLE],
    tenantId: PLATFORM_TENANT,
  };
}

/** The roles a user's token carries: never `service`, whatever the store holds (only the
 * client-credentials grant mints it). */
export function userTokenRoles<R extends string>(roles: readonly R[]): R[] {
  return roles.filter((r) => r !== SERVICE_ROLE);
}
