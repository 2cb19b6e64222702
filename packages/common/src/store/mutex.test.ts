import { AsyncMutex } from './mutex';

describe('AsyncMutex', () => {
  it('runs callers one at a time in arrival order', async () => {
    const mutex = new AsyncMutex();
    const events: string[] = [];
    const task = (name: string, ticks: number) =>
      mutex.run(async () => {
        events.push(`${name}:start`);
        for (let i = 0; i < ticks; i += 1) await Promise.resolve();
        events.push(`${name}:end`);
        return name;
      });
    const results = await Promise.all([task('a', 5), task('b', 1), task('c', 3)]);
    expect(results).toEqual(['a', 'b', 'c']);
    expect(events).toEqual(['a:start', 'a:end', 'b:start', 'b:end', 'c:start', 'c:end']);
    expect(mutex.busy).toBe(false);
  });

  it('releases the lock when a caller throws', async () => {
    const mutex = new AsyncMutex();
    await expect(mutex.run(() => Promise.reject(new Error('boom')))).rejects.toThrow('boom');
    await expect(mutex.run(() => 'next')).resolves.toBe('next');
  });
});
