import { createHash } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { signV4 } from './sigv4';

/**
 * Test support (never exported from the module's index): an in-process S3 object store that checks what
 * S3 checks — the SigV4 signature over the signed headers, `x-amz-content-sha256` against the bytes,
 * Content-Length — and keeps objects in memory by path.
 */
export interface FakeS3 {
  url: string;
  objects: Map<string, { body: Buffer; contentType: string }>;
  requests: { method: string; path: string; status: number }[];
  close(): Promise<void>;
}

export async function startFakeS3(
  credentials: { accessKeyId: string; secretAccessKey: string },
  region: string,
): Promise<FakeS3> {
  const objects = new Map<string, { body: Buffer; contentType: string }>();
  const requests: FakeS3['requests'] = [];
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const path = req.url ?? '/';
      const answer = (status: number, body = '') => {
        requests.push({ method: req.method ?? '', path, status });
        res.writeHead(status, { 'content-type': 'application/xml' });
        res.end(body);
      };
      const body = Buffer.concat(chunks);
      const auth = req.headers.authorization ?? '';
      const signed = /SignedHeaders=([^,]+)/.exec(auth)?.[1]?.split(';') ?? [];
      const date = String(req.headers['x-amz-date'] ?? '');
      const payloadHash = String(req.headers['x-amz-content-sha256'] ?? '');
      const expected = signV4({
        method: req.method ?? '',
        path,
        headers: Object.fromEntries(signed.map((h) => [h, String(req.headers[h] ?? '')])),
        payloadHash,
        amzDate: date,
        region,
        service: 's3',
        credentials,
      });
      if (auth !== expected || !signed.includes('host'))
        return answer(403, '<Error><Code>SignatureDoesNotMatch</Code></Error>');
      if (req.method === 'PUT') {
        if (createHash('sha256').update(body).digest('hex') !== payloadHash)
          return answer(400, '<Error><Code>XAmzContentSHA256Mismatch</Code></Error>');
        if (Number(req.headers['content-length']) !== body.length) return answer(400);
        objects.set(path, { body, contentType: String(req.headers['content-type'] ?? '') });
        return answer(200);
      }
      const found = objects.get(path);
      if (req.method === 'GET') {
        if (!found) return answer(404, '<Error><Code>NoSuchKey</Code></Error>');
        requests.push({ method: 'GET', path, status: 200 });
        res.writeHead(200, { 'content-type': found.contentType, 'content-length': found.body.length });
        res.end(found.body);
        return undefined;
      }
      if (req.method === 'DELETE') {
        objects.delete(path);
        return answer(204);
      }
      return answer(405);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    objects,
    requests,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
