import { loadConfig } from '../config';

describe('events settings (flaring-monitor configuration)', () => {
  it('defaults to a 10 min dedup window, a 250 ms stream poll, 15 s heartbeats and a 5 min sweep', () => {
    expect(loadConfig({})).toMatchObject({
      eventDedupWindowMs: 600_000,
      streamPollMs: 250,
      sseHeartbeatMs: 15_000,
      sweepIntervalMs: 300_000,
      serviceClientSecret: '',
    });
  });

  it('reads each variable and stops on a bad value naming it', () => {
    expect(
      loadConfig({ STREAM_POLL_MS: '50', SSE_HEARTBEAT_MS: '200', SWEEP_INTERVAL_MS: '0' }),
    ).toMatchObject({
      streamPollMs: 50,
      sseHeartbeatMs: 200,
      sweepIntervalMs: 0,
    });
    // Spec §7: a heartbeat at least every 15 s, so a longer interval is refused.
    expect(() => loadConfig({ SSE_HEARTBEAT_MS: '20000' })).toThrow(/SSE_HEARTBEAT_MS/);
    expect(() => loadConfig({ STREAM_POLL_MS: '0' })).toThrow(/STREAM_POLL_MS/);
    expect(() => loadConfig({ EVENT_DEDUP_WINDOW_MS: 'ten' })).toThrow(/EVENT_DEDUP_WINDOW_MS/);
  });
});
