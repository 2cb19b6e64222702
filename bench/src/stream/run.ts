import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { peakRssMiB, startService, startTokenAuthority, type RunningService } from '@aegis/testing';
import { percentile } from '../stats';

/**
 * Event-stream fan-out benchmark: starts the real flaring-monitor (SQLite) with a
 * local token authority, connects BENCH_STREAM_CLIENTS clients (default 1000) to `GET /events/stream`
 * of one tenant, then records BENCH_STREAM_EVENTS events (default 30) one after another with
 * `POST /events` and measures, for each, the time from sending the POST to the moment the last
 * client has received it. Target: p99 < 250 ms. Prints the figures and writes bench/results/stream.json.
 */

const CLIENTS = Number(process.env.BENCH_STREAM_CLIENTS ?? 1000);
const EVENTS = Number(process.env.BENCH_STREAM_EVENTS ?? 30);

async function json(
  url: string,
  token: string,
  method: string,
  body: unknown,
): Promise<Record<string, unknown>> {
  const res = await fetch(url, {
    method,
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  const answer = (await res.json()) as Record<string, unknown>;
  if (res.status >= 300) throw new Error(`${method} ${url}: ${res.status} ${JSON.stringify(answer)}`);
  return answer;
}

/** One raw SSE client: reports the `n` of each bench event it sees (a regular expression, no JSON
 * parsing, so a thousand clients in this process do not become the bottleneck). */
function connect(url: string, token: string, onEvent: (n: number) => void): Promise<http.ClientRequest> {
  return new Promise((resolve, reject) => {
    const req = http.get(
      `${url}/events/stream`,
      { agent: false, headers: { authorization: `Bearer ${token}` } },
      (res) => {
        if (res.statusCode !== 200) reject(new Error(`stream answered ${res.statusCode}`));
        res.setEncoding('utf8');
        let buffer = '';
        res.on('data', (chunk: string) => {
          buffer += chunk;
          let at: number;
          while ((at = buffer.indexOf('\n\n')) >= 0) {
            const block = buffer.slice(0, at);
            buffer = buffer.slice(at + 2);
            const m = /"data":\{"n":(\d+)\}/.exec(block);
            if (m) onEvent(Number(m[1]));
          }
        });
        resolve(req);
      },
    );
    req.on('error', reject);
  });
}

async function main(): Promise<void> {
  const authority = await startTokenAuthority();
  const admin = await authority.sign({ roles: ['admin'], tenant_id: 'bench' });
  const viewer = await authority.sign({ roles: ['viewer'], tenant_id: 'bench' });
  let service: RunningService | undefined;
  const clients: http.ClientRequest[] = [];
  try {
    service = await startService({
      name: 'flaring-monitor',
      env: {
        JWKS_URL: authority.jwksUrl,
        REVOCATIONS_URL: authority.revocationsUrl,
        LOG_LEVEL: 'warn',
        SWEEP_INTERVAL_MS: '0',
      },
    });
    const url = service.url;
    const type = await json(`${url}/event-types`, admin, 'POST', {
      key: 'bench_event',
      name: 'Bench event',
      fields: [{ name: 'n', type: 'integer', required: true }],
    });
    await json(`${url}/event-types/${String(type.type_id)}/transition`, admin, 'POST', { status: 'active' });

    const seen = new Map<number, { count: number; done: () => void }>();
    const onEvent = (n: number) => {
      const entry = seen.get(n);
      if (entry && ++entry.count === CLIENTS) entry.done();
    };
    const connectStart = performance.now();
    for (let i = 0; i < CLIENTS; i += 100)
      clients.push(
        ...(await Promise.all(
          Array.from({ length: Math.min(100, CLIENTS - i) }, () => connect(url, viewer, onEvent)),
        )),
      );
    const connectSeconds = (performance.now() - connectStart) / 1000;

    const latencies: number[] = [];
    for (let n = 0; n < EVENTS; n += 1) {
      const allReceived = new Promise<void>((done) => seen.set(n, { count: 0, done }));
      const sent = performance.now();
      const created = json(`${url}/events`, admin, 'POST', { event_type: 'bench_event', data: { n } });
      let timer: NodeJS.Timeout | undefined;
      const timeout = new Promise<never>((_, reject) => {
        timer = setTimeout(
          () => reject(new Error(`event ${n} not delivered to all clients within 10 s`)),
          10_000,
        );
      });
      await Promise.race([allReceived, timeout]);
      clearTimeout(timer);
      latencies.push(performance.now() - sent);
      await created;
      seen.delete(n);
    }
    const sorted = [...latencies].sort((a, b) => a - b);
    const result = {
      date: new Date().toISOString(),
      cpus: (await import('node:os')).cpus().length,
      clients: CLIENTS,
      events: EVENTS,
      connect_seconds: Number(connectSeconds.toFixed(2)),
      last_client_ms: {
        p50: Number(percentile(sorted, 50).toFixed(1)),
        p99: Number(percentile(sorted, 99).toFixed(1)),
        max: Number(sorted[sorted.length - 1].toFixed(1)),
      },
      target_p99_ms: 250,
      service_peak_rss_mib: Math.round(peakRssMiB(service.process.child.pid!)),
    };
    console.log(JSON.stringify(result, null, 2));
    const out = path.join(__dirname, '..', '..', 'results', 'stream.json');
    fs.writeFileSync(out, `${JSON.stringify(result, null, 2)}\n`);
  } finally {
    for (const c of clients) c.destroy();
    await service?.stop();
    await authority.close();
  }
}

void main();
