import { createReadStream } from 'node:fs';
import http, { type IncomingMessage } from 'node:http';
import https from 'node:https';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { amzDate, EMPTY_SHA256, signV4, uriEncode, type SigV4Credentials } from './sigv4';
import type { ArtifactStorage, SpooledFile } from './types';

export interface S3StorageSettings {
  /** The S3-compatible endpoint, e.g. `https://s3.us-east-1.amazonaws.com` or `http://127.0.0.1:9000`. */
  endpoint: string;
  bucket: string;
  region: string;
  credentials: SigV4Credentials;
  /** Prepended to every key (e.g. `aegis/artifacts/`). */
  prefix?: string;
  /** `bucket.host/key` instead of `host/bucket/key` (the default, which every S3-compatible store takes). */
  virtualHosted?: boolean;
  timeoutMs?: number;
  /** Tests move the clock. */
  now?: () => Date;
}

/** An S3 call that did not answer as expected: the status only (the body may name the bucket). */
export class ObjectStoreError extends Error {
  constructor(
    readonly operation: string,
    readonly status: number,
  ) {
    super(`The object store answered ${status} to ${operation}`);
  }
}

/**
 * Artifacts in an S3-compatible object store through three signed (SigV4) object calls, without an SDK:
 * PUT streams the spooled file with its length and its SHA-256 as `x-amz-content-sha256` (the store
 * checks the bytes against it), GET streams the object back, DELETE removes it.
 */
export function createS3ArtifactStorage(settings: S3StorageSettings): ArtifactStorage {
  const endpoint = new URL(settings.endpoint);
  const prefix = settings.prefix ?? '';
  const timeoutMs = settings.timeoutMs ?? 30_000;
  const now = settings.now ?? (() => new Date());
  const basePath = endpoint.pathname.replace(/\/+$/, '');

  const target = (key: string) => {
    const objectPath = `${prefix}${key}`.split('/').map(uriEncode).join('/');
    const host = settings.virtualHosted ? `${settings.bucket}.${endpoint.host}` : endpoint.host;
    const path = settings.virtualHosted
      ? `${basePath}/${objectPath}`
      : `${basePath}/${uriEncode(settings.bucket)}/${objectPath}`;
    return { host, path };
  };

  const request = (method: string, key: string, body?: { file: SpooledFile }): Promise<IncomingMessage> => {
    const { host, path } = target(key);
    const date = amzDate(now());
    const payloadHash = body ? body.file.sha256 : EMPTY_SHA256;
    const headers: Record<string, string> = {
      host,
      'x-amz-content-sha256': payloadHash,
      'x-amz-date': date,
      ...(settings.credentials.sessionToken
        ? { 'x-amz-security-token': settings.credentials.sessionToken }
        : {}),
      ...(body ? { 'content-length': String(body.file.size), 'content-type': body.file.mediaType } : {}),
    };
    headers.authorization = signV4({
      method,
      path,
      headers,
      payloadHash,
      amzDate: date,
      region: settings.region,
      service: 's3',
      credentials: settings.credentials,
    });
    const transport = endpoint.protocol === 'https:' ? https : http;
    return new Promise<IncomingMessage>((resolve, reject) => {
      const req = transport.request(
        {
          protocol: endpoint.protocol,
          hostname: settings.virtualHosted ? `${settings.bucket}.${endpoint.hostname}` : endpoint.hostname,
          port: endpoint.port || undefined,
          method,
          path,
          headers,
          timeout: timeoutMs,
        },
        resolve,
      );
      req.once('timeout', () =>
        req.destroy(new Error(`The object store did not answer ${method} in ${timeoutMs} ms`)),
      );
      req.once('error', reject);
      if (body) pipeline(createReadStream(body.file.path), req).catch(reject);
      else req.end();
    });
  };

  const discard = (res: IncomingMessage) => {
    res.resume();
  };

  return {
    kind: 's3',
    put: async (key, file) => {
      const res = await request('PUT', key, { file });
      discard(res);
      if (res.statusCode !== 200) throw new ObjectStoreError('PUT', res.statusCode ?? 0);
    },
    get: async (key): Promise<Readable | undefined> => {
      const res = await request('GET', key);
      if (res.statusCode === 200) return res;
      discard(res);
      if (res.statusCode === 404) return undefined;
      throw new ObjectStoreError('GET', res.statusCode ?? 0);
    },
    delete: async (key) => {
      const res = await request('DELETE', key);
      discard(res);
      if (res.statusCode !== 204 && res.statusCode !== 200 && res.statusCode !== 404)
        throw new ObjectStoreError('DELETE', res.statusCode ?? 0);
    },
  };
}
