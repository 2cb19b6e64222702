import type { Logger } from 'pino';
import { createRevocationChecker, type RevocationChecker } from '../auth/revocation';
import { createTokenVerifier, type TokenVerifier } from '../auth/verifier';

/** Where a service verifies tokens (`authClientSettings` reads them from the environment). */
export interface VerifierSettings {
  jwksUrl: string;
  revocationsUrl: string;
  revocationPollMs: number;
}

/** True for a configuration that carries token-verification settings. */
export function hasVerifierSettings(config: object): config is VerifierSettings {
  const c: Partial<Record<keyof VerifierSettings, unknown>> = config;
  return (
    typeof c.jwksUrl === 'string' &&
    typeof c.revocationsUrl === 'string' &&
    typeof c.revocationPollMs === 'number'
  );
}

/** Token verification against the auth service's JWKS and revocation feed (defence in depth: every
 * service verifies the forwarded token itself). */
export function createServiceVerifier(
  settings: VerifierSettings,
  logger: Logger,
): { verifier: TokenVerifier; revocation: RevocationChecker; close(this: void): void } {
  const revocation = createRevocationChecker({
    url: settings.revocationsUrl,
    pollIntervalMs: settings.revocationPollMs,
    logger,
  });
  const verifier = createTokenVerifier({ jwksUrl: settings.jwksUrl, revocation, logger });
  return {
    verifier,
    revocation,
    close() {
      verifier.close();
      revocation.close();
    },
  };
}
