import { waitFor } from '@aegis/testing';
import { WorkQueue } from './queue';

const tick = (ms = 0) => new Promise((r) => setTimeout(r, ms));
const until = (check: () => boolean, timeoutMs = 5000): Promise<true> =>
  waitFor('condition', () => Promise.resolve(check()), timeoutMs, 5);

describe('WorkQueue', () => {
  it('processes nothing while paused, then each queued key once', async () => {
    const seen: string[] = [];
    const q = new WorkQueue({
      concurrency: 2,
      backoff: { baseMs: 10, maxMs: 100 },
      process: async (k) => void seen.push(k),
    });
    q.add('a');
    q.add('b');
    q.add('a');
    await tick(10);
    expect(seen).toEqual([]);
    q.resume();
    await until(() => seen.length === 2);
    await q.idle();
    expect(seen.sort()).toEqual(['a', 'b']);
    await q.stop();
  });

  it('never processes one key twice at once, and processes it again when it changed meanwhile', async () => {
    let running = 0;
    let maxRunning = 0;
    let calls = 0;
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    const q = new WorkQueue({
      concurrency: 4,
      backoff: { baseMs: 10, maxMs: 100 },
      process: async () => {
        calls++;
        running++;
        maxRunning = Math.max(maxRunning, running);
        if (calls === 1) await gate;
        running--;
      },
    });
    q.resume();
    q.add('k');
    await until(() => calls === 1);
    q.add('k');
    q.add('k');
    release();
    await until(() => calls === 2);
    await q.idle();
    await tick(20);
    expect(calls).toBe(2);
    expect(maxRunning).toBe(1);
    await q.stop();
  });

  it('retries a failing key with backoff while the other keys go on', async () => {
    const attempts: Record<string, number> = {};
    const q = new WorkQueue({
      concurrency: 1,
      backoff: { baseMs: 20, maxMs: 40, jitter: 0 },
      process: async (k) => {
        attempts[k] = (attempts[k] ?? 0) + 1;
        if (k === 'broken' && attempts[k] < 3) throw new Error('transient');
      },
    });
    q.resume();
    q.add('broken');
    q.add('fine');
    await until(() => attempts.fine === 1);
    await until(() => attempts.broken === 3);
    expect(attempts.fine).toBe(1);
    await tick(100);
    expect(attempts.broken).toBe(3); // succeeded: no more retries
    await q.stop();
  });

  it('requeues after the requested delay and keeps the earliest of two', async () => {
    const times: number[] = [];
    const q = new WorkQueue({
      concurrency: 1,
      backoff: { baseMs: 10, maxMs: 10 },
      process: async () => void times.push(Date.now()),
    });
    q.resume();
    const started = Date.now();
    q.addAfter('k', 5000);
    q.addAfter('k', 30);
    await until(() => times.length === 1, 4000);
    // The 30 ms request decided when the key ran, not the 5 s one (a generous bound: the point is
    // which of the two won, not how fast).
    expect(times[0] - started).toBeLessThan(4000);
    expect(times[0] - started).toBeGreaterThanOrEqual(25);
    await q.stop();
    expect(times).toHaveLength(1);
  });

  it('drops a pending delayed add when the key is processed meanwhile (its run decides afresh)', async () => {
    let runs = 0;
    const q = new WorkQueue({
      concurrency: 1,
      backoff: { baseMs: 10, maxMs: 10 },
      process: async () => void runs++,
    });
    q.resume();
    q.addAfter('k', 100);
    q.add('k');
    await until(() => runs === 1);
    await tick(250);
    expect(runs).toBe(1);
    await q.stop();
  });
});
