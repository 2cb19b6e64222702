import http from 'node:http';

export interface Timed {
  status: number;
  ms: number;
  error?: string;
  body?: string;
}

const agent = new http.Agent({ keepAlive: true, maxSockets: 64 });

/** One request with its latency; network errors are results, not exceptions. */
export function timedRequest(
  url: string,
  options: {
    method?: string;
    headers?: http.OutgoingHttpHeaders;
    body?: string | Buffer;
    keepBody?: boolean;
  } = {},
): Promise<Timed> {
  const started = process.hrtime.bigint();
  const ms = () => Number(process.hrtime.bigint() - started) / 1e6;
  return new Promise((resolve) => {
    const req = http.request(
      url,
      { method: options.method ?? 'GET', headers: options.headers, agent },
      (res) => {
        let body = '';
        res.on('data', (d: Buffer) => {
          if (options.keepBody) body += d.toString();
        });
        res.on('end', () =>
          resolve({ status: res.statusCode ?? 0, ms: ms(), ...(options.keepBody ? { body } : {}) }),
        );
        res.on('error', (err) => resolve({ status: 0, ms: ms(), error: err.message }));
      },
    );
    req.on('error', (err: NodeJS.ErrnoException) =>
      resolve({ status: 0, ms: ms(), error: err.code ?? err.message }),
    );
    req.end(options.body);
  });
}

/** Runs `total` calls of `fn` with at most `concurrency` in flight. */
export async function pool<T>(
  total: number,
  concurrency: number,
  fn: (i: number) => Promise<T>,
): Promise<T[]> {
  const results: T[] = new Array<T>(total);
  let next = 0;
  const worker = async () => {
    while (next < total) {
      const i = next;
      next += 1;
      results[i] = await fn(i);
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, total) }, worker));
  return results;
}
