import { z } from 'zod';
import { envInt, envString } from '../config/load';
import type { VerifierSettings } from './run';

export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

/** The settings every service has, with its own port (admin port = port + 1000) and store default. */
export function serviceEnv(port: number, databaseUrl: string) {
  return {
    HOST: envString('127.0.0.1'),
    PORT: envInt(port, 0, 65535),
    ADMIN_PORT: envInt(port + 1000, 0, 65535),
    DATABASE_URL: envString(databaseUrl),
    LOG_LEVEL: z.enum(LOG_LEVELS).default('info'),
  };
}

/** Where a service verifies tokens: the auth service's JWKS and revocation feed (or explicit URLs). */
export const authClientEnv = {
  AUTH_URL: envString('http://127.0.0.1:8009'),
  JWKS_URL: envString(''),
  REVOCATIONS_URL: envString(''),
  REVOCATION_POLL_MS: envInt(1000, 100, 60_000),
};

export function authClientSettings(e: {
  AUTH_URL: string;
  JWKS_URL: string;
  REVOCATIONS_URL: string;
  REVOCATION_POLL_MS: number;
}): VerifierSettings {
  const authUrl = e.AUTH_URL.replace(/\/$/, '');
  return {
    jwksUrl: e.JWKS_URL || `${authUrl}/auth/.well-known/jwks.json`,
    revocationsUrl: e.REVOCATIONS_URL || `${authUrl}/internal/revocations`,
    revocationPollMs: e.REVOCATION_POLL_MS,
  };
}
