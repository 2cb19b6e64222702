import http from 'node:http';

/** A fixed-rate client (not saturating): sends `rate` requests per second for `durationSec` over
 * keep-alive connections and prints the latency percentiles as JSON. Run as its own process:
 * `tsx paced.ts <url> <rate> <durationSec> [authorization]`. */
async function main(): Promise<void> {
  const [url, rateArg, durArg, auth] = process.argv.slice(2);
  const rate = Number(rateArg);
  const durationMs = Number(durArg) * 1000;
  const agent = new http.Agent({ keepAlive: true, maxSockets: 32 });
  const latencies: number[] = [];
  let failures = 0;
  const one = () =>
    new Promise<void>((resolve) => {
      const started = process.hrtime.bigint();
      const req = http.get(url, { agent, headers: auth ? { authorization: auth } : {} }, (res) => {
        res.resume();
        res.on('end', () => {
          if (res.statusCode === 200) latencies.push(Number(process.hrtime.bigint() - started) / 1e6);
          else failures += 1;
          resolve();
        });
      });
      req.on('error', () => {
        failures += 1;
        resolve();
      });
    });
  const pending: Promise<void>[] = [];
  const start = Date.now();
  let sent = 0;
  while (Date.now() - start < durationMs) {
    const due = Math.floor(((Date.now() - start) / 1000) * rate);
    while (sent < due) {
      pending.push(one());
      sent += 1;
    }
    await new Promise((r) => setTimeout(r, 2));
  }
  await Promise.all(pending);
  agent.destroy();
  latencies.sort((a, b) => a - b);
  const at = (p: number) =>
    latencies[Math.min(latencies.length - 1, Math.floor((p / 100) * latencies.length))] ?? NaN;
  process.stdout.write(
    JSON.stringify({ sent, ok: latencies.length, failures, p50Ms: at(50), p99Ms: at(99) }) + '\n',
  );
}

void main();
