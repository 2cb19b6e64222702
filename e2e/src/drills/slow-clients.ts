import net from 'node:net';
import { startDrillEnv } from './env';
import { pool, timedRequest } from './http';
import { msPercentile, type DrillResult } from './types';

/** Opens a connection and sends a request head one byte at a time; resolves with how long the
 * gateway let it live and what it answered, if anything. */
function slowLoris(
  port: number,
  intervalMs: number,
  limitMs: number,
): Promise<{ ms: number; answer: string }> {
  return new Promise((resolve) => {
    const started = Date.now();
    const head = 'GET /api/v1/events/echo HTTP/1.1\r\nHost: x\r\nX-Padding: ' + 'a'.repeat(10_000);
    let i = 0;
    let answer = '';
    const socket = net.connect(port, '127.0.0.1');
    const timer = setInterval(() => {
      if (i < head.length && !socket.destroyed) socket.write(head[i++]);
    }, intervalMs);
    const done = () => {
      clearInterval(timer);
      clearTimeout(guard);
      resolve({ ms: Date.now() - started, answer: answer.split('\r\n')[0] ?? '' });
    };
    const guard = setTimeout(() => {
      socket.destroy();
      done();
    }, limitMs);
    socket.on('data', (d) => (answer += d.toString()));
    socket.on('close', done);
    socket.on('error', () => undefined);
  });
}

/** Slow-loris clients and oversized headers and bodies: connections are cut by the configured
 * timeouts and limits, and other clients are unaffected (their latency during the drill is reported). */
export async function slowClientsDrill(): Promise<DrillResult> {
  const headersTimeoutMs = 2000;
  const env = await startDrillEnv({
    env: { HEADERS_TIMEOUT_MS: String(headersTimeoutMs), MAX_HEADER_BYTES: '16384' },
  });
  try {
    const port = Number(new URL(env.gateway.url).port);
    const auth = { authorization: `Bearer ${await env.token()}` };
    let stop = false;
    const bystander: { status: number; ms: number }[] = [];
    const background = (async () => {
      while (!stop)
        bystander.push(await timedRequest(`${env.gateway.url}/api/v1/events/echo`, { headers: auth }));
    })();
    const lorises = await Promise.all(
      Array.from({ length: 50 }, () => slowLoris(port, 100, headersTimeoutMs + 8000)),
    );
    const bigHeader = await timedRequest(`${env.gateway.url}/api/v1/events/echo`, {
      headers: { ...auth, 'x-big': 'b'.repeat(32 * 1024) },
    });
    const declared = await timedRequest(`${env.gateway.url}/api/v1/ingest/upload`, {
      method: 'POST',
      headers: {
        ...auth,
        'content-type': 'application/octet-stream',
        'content-length': String(64 * 1024 * 1024),
      },
    });
    const streamed = await timedRequest(`${env.gateway.url}/api/v1/ingest/upload`, {
      method: 'POST',
      // Chunked: no declared length, so the gateway has to count the bytes as they stream.
      headers: { ...auth, 'content-type': 'application/octet-stream', 'transfer-encoding': 'chunked' },
      body: Buffer.alloc(3 * 1024 * 1024, 1),
    });
    const burst = await pool(200, 20, () =>
      timedRequest(`${env.gateway.url}/api/v1/events/echo`, { headers: auth }),
    );
    stop = true;
    await background;
    const all = [...bystander, ...burst];
    const cutIn = lorises.map((l) => l.ms);
    return {
      name: 'slow clients and oversized requests',
      outcomes: {
        'every slow-loris connection cut': lorises.every((l) => l.ms < headersTimeoutMs + 8000),
        'oversized header → 431': bigHeader.status === 431,
        'declared oversized body → 413': declared.status === 413,
        'streamed oversized body → 413': streamed.status === 413,
        'other clients all served': all.every((r) => r.status === 200),
      },
      measured: {
        'slow-loris cut within the headers timeout + 1.5 s': Math.max(...cutIn) < headersTimeoutMs + 1500,
      },
      figures: {
        'slow-loris connections': lorises.length,
        'cut after (max) ms': Math.max(...cutIn),
        'slow-loris answer': lorises[0]?.answer || '(closed)',
        'other clients requests': all.length,
        'other clients p50 ms': msPercentile(all, 50),
        'other clients p99 ms': msPercentile(all, 99),
      },
    };
  } finally {
    await env.stop();
  }
}
