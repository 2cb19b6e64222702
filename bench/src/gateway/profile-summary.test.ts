import { areaOf, summarizeProfile } from './profile-summary';
import { roundRobinScript } from './wrk';

describe('summarizeProfile', () => {
  it('sums self time per frame and per area, leaving idle time out', () => {
    const frame = (id: number, functionName: string, url: string, lineNumber = 0) => ({
      id,
      callFrame: { functionName, url, lineNumber },
    });
    const summary = summarizeProfile({
      nodes: [
        frame(1, '(idle)', ''),
        frame(2, 'forward', 'file:///repo/gateway/dist/proxy/upstream-proxy.js', 9),
        { ...frame(3, 'dispatch', 'file:///repo/node_modules/koa-compose/index.js', 39), children: [2] },
        frame(4, 'writev', ''),
      ],
      samples: [1, 2, 2, 3, 4, 1],
      timeDeltas: [5000, 1000, 1000, 500, 1500, 5000],
    });
    expect(summary.totalMs).toBe(4);
    expect(summary.frames[0]).toEqual({
      frame: 'forward gateway/dist/proxy/upstream-proxy.js:10',
      selfMs: 2,
      share: 50,
    });
    expect(summary.areas.map((a) => a.frame)).toEqual(['gateway', '(native)', 'koa-compose']);
    // dispatch calls forward: its inclusive time is its own and forward's.
    expect(summary.inclusive[0]).toEqual({
      frame: 'dispatch node_modules/koa-compose/index.js:40',
      selfMs: 2.5,
      share: 62.5,
    });
  });

  it('names the area of node internals, scoped packages and the common package', () => {
    expect(areaOf('node:internal/streams/readable', 'read')).toBe('node:streams');
    expect(areaOf('file:///r/node_modules/@scope/pkg/x.js', 'f')).toBe('@scope/pkg');
    expect(areaOf('file:///r/packages/common/dist/auth/lru.js', 'get')).toBe('@aegis/common');
    expect(areaOf('', '(garbage collector)')).toBe('(garbage collector)');
  });
});

describe('roundRobinScript', () => {
  it('points each wrk thread at the next port in turn', () => {
    const script = roundRobinScript([4001, 4002]);
    expect(script).toContain('local ports = { 4001, 4002 }');
    expect(script).toContain(
      'thread.addr = wrk.lookup("127.0.0.1", tostring(ports[((n - 1) % #ports) + 1]))[1]',
    );
  });
});
