import fs from 'node:fs';
import path from 'node:path';
import type { Logger } from '@aegis/common';
import type { TenantObject } from '../controller/aegistenant/desired';
import { startWebhookServer, type WebhookServer } from './server';

export * from './admission';
export { startWebhookServer, type WebhookServer, type WebhookServerOptions } from './server';

export interface WebhookSettings {
  host: string;
  port: number;
  /** Folder with tls.crt and tls.key (the chart mounts its Secret here). */
  certDir: string;
}

/** Starts the admission webhook when its certificate is there; without one it logs why and serves
 * nothing (plain manifests mount the Secret as optional; the reconciler still refuses collisions). */
export async function startAdmissionWebhook(
  settings: WebhookSettings,
  tenants: () => readonly TenantObject[] | undefined,
  log: Logger,
): Promise<WebhookServer | undefined> {
  const certFile = path.join(settings.certDir, 'tls.crt');
  const keyFile = path.join(settings.certDir, 'tls.key');
  if (!fs.existsSync(certFile) || !fs.existsSync(keyFile)) {
    log.warn(
      { certDir: settings.certDir },
      'Skipped the admission webhook: no tls.crt and tls.key; tenant id collisions are refused by reconcile only',
    );
    return undefined;
  }
  return startWebhookServer({ host: settings.host, port: settings.port, certFile, keyFile, tenants, log });
}
export { validatingWebhookConfiguration } from './configuration';
