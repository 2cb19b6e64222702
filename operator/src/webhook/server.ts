import fs from 'node:fs';
import type { IncomingMessage } from 'node:http';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import type { Logger } from '@aegis/common';
import type { TenantObject } from '../controller/aegistenant/desired';
import { ADMISSION_API_VERSION, type AdmissionReview, reviewTenant, VALIDATE_PATH } from './admission';

/** Largest AdmissionReview read: a tenant and its old version, well inside the API server's limits. */
const MAX_BODY_BYTES = 3 * 1024 * 1024;

export interface WebhookServerOptions {
  host: string;
  port: number;
  /** PEM files of the serving certificate and its key (the chart's Secret, mounted). */
  certFile: string;
  keyFile: string;
  /** The namespace's tenants from the watch cache, undefined until it has synced. */
  tenants: () => readonly TenantObject[] | undefined;
  log: Logger;
}

export interface WebhookServer {
  port: number;
  close(): Promise<void>;
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    let size = 0;
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY_BYTES) {
        reject(new Error('body too large'));
        req.destroy();
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

/** The validating admission webhook over HTTPS (the API server calls webhooks over TLS only). */
export async function startWebhookServer(options: WebhookServerOptions): Promise<WebhookServer> {
  const { log } = options;
  const server = https.createServer(
    { cert: fs.readFileSync(options.certFile), key: fs.readFileSync(options.keyFile) },
    (req, res) => {
      const answer = (status: number, body: unknown) => {
        res.writeHead(status, { 'content-type': 'application/json' });
        res.end(JSON.stringify(body));
      };
      const url = new URL(req.url ?? '/', 'https://webhook');
      if (req.method !== 'POST' || url.pathname !== VALIDATE_PATH) {
        answer(404, { message: 'not found' });
        return;
      }
      readBody(req).then(
        (text) => {
          let review: AdmissionReview;
          try {
            review = JSON.parse(text) as AdmissionReview;
          } catch {
            answer(400, { message: 'body is not JSON' });
            return;
          }
          if (!review.request?.uid) {
            answer(400, { message: 'not an AdmissionReview with a request' });
            return;
          }
          const response = reviewTenant(review.request, options.tenants());
          if (!response.allowed) {
            log.info(
              { name: review.request.name, reason: response.status?.message },
              'Refused AegisTenant at admission',
            );
          }
          answer(200, { apiVersion: ADMISSION_API_VERSION, kind: 'AdmissionReview', response });
        },
        (err: unknown) => answer(413, { message: (err as Error).message }),
      );
    },
  );
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host, resolve);
  });
  const port = (server.address() as AddressInfo).port;
  log.info({ host: options.host, port, path: VALIDATE_PATH }, 'Started admission webhook');
  return {
    port,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
