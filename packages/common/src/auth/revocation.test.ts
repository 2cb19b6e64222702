import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { createRevocationChecker } from './revocation';
import { RevocationState, type RevocationFeed } from './revocation-state';

const NOW = 1_700_000_000;

describe('RevocationState', () => {
  it('replaces user state on a full feed but never un-revokes an unexpired token', () => {
    const s = new RevocationState();
    s.apply(
      {
        cursor: 'a',
        full: true,
        revoked_tokens: [{ jti: 'j1', exp: NOW + 10 }],
        users: [{ user_id: 'u1', active: false, tokens_valid_from: null }],
      },
      NOW,
    );
    s.revoke('local', NOW + 10);
    s.revoke('local-expired', NOW - 1);
    s.apply({ cursor: 'b', full: true, revoked_tokens: [{ jti: 'j2', exp: NOW + 10 }], users: [] }, NOW);
    expect(s.isRevoked('j1')).toBe(true);
    expect(s.isRevoked('j2')).toBe(true);
    expect(s.isRevoked('local')).toBe(true);
    expect(s.isRevoked('local-expired')).toBe(false);
    expect(s.isUserInactive('u1')).toBe(false);
  });

  it('merges an incremental feed: reactivation clears the inactive flag, cut-offs update', () => {
    const s = new RevocationState();
    s.apply(
      {
        cursor: 'a',
        full: true,
        revoked_tokens: [],
        users: [{ user_id: 'u1', active: false, tokens_valid_from: NOW }],
      },
      NOW,
    );
    expect(s.isUserInactive('u1')).toBe(true);
    expect(s.isIssuedBeforeCutoff('u1', NOW - 1)).toBe(true);
    expect(s.isIssuedBeforeCutoff('u1', NOW)).toBe(false);
    s.apply(
      {
        cursor: 'b',
        full: false,
        revoked_tokens: [{ jti: 'j', exp: NOW + 5 }],
        users: [{ user_id: 'u1', active: true, tokens_valid_from: NOW }],
      },
      NOW,
    );
    expect(s.isUserInactive('u1')).toBe(false);
    expect(s.isIssuedBeforeCutoff('u1', NOW - 1)).toBe(true);
    expect(s.isRevoked('j')).toBe(true);
  });

  it('forgets revocations of tokens that have expired', () => {
    const s = new RevocationState();
    s.apply({ cursor: 'a', full: true, revoked_tokens: [{ jti: 'j', exp: NOW + 5 }], users: [] }, NOW);
    s.prune(NOW + 5);
    expect(s.isRevoked('j')).toBe(false);
    expect(s.sizes.revoked).toBe(0);
  });
});

describe('createRevocationChecker', () => {
  let server: http.Server;
  let url: string;
  let requests: (string | null)[];
  let answer: (since: string | null) => { status: number; body: unknown };

  beforeEach(async () => {
    requests = [];
    server = http.createServer((req, res) => {
      const since = new URL(req.url ?? '/', 'http://x').searchParams.get('since');
      requests.push(since);
      const a = answer(since);
      res.writeHead(a.status, { 'content-type': 'application/json' });
      res.end(JSON.stringify(a.body));
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/internal/revocations`;
  });

  afterEach(async () => {
    await new Promise<void>((r) => {
      server.close(() => r());
      server.closeAllConnections();
    });
  });

  it('loads the full list, then asks only for changes since its cursor', async () => {
    const exp = Math.floor(Date.now() / 1000) + 600;
    answer = (since) =>
      since === null
        ? { status: 200, body: { cursor: 'c1', full: true, revoked_tokens: [{ jti: 'j1', exp }], users: [] } }
        : {
            status: 200,
            body: {
              cursor: 'c2',
              full: false,
              revoked_tokens: [{ jti: 'j2', exp }],
              users: [{ user_id: 'u', active: false, tokens_valid_from: null }],
            },
          };
    const checker = createRevocationChecker({ url, pollIntervalMs: 60_000 });
    try {
      expect(await checker.waitReady(5000)).toBe(true);
      expect(checker.isRevoked('j1')).toBe(true);
      expect(checker.isRevoked('j2')).toBe(false);
      await checker.refresh();
      expect(requests).toEqual([null, 'c1']);
      expect(checker.isRevoked('j2')).toBe(true);
      expect(checker.isUserInactive('u')).toBe(true);
    } finally {
      checker.close();
    }
  });

  it('keeps the last known list while the feed fails, and resumes from its cursor', async () => {
    const exp = Math.floor(Date.now() / 1000) + 600;
    let down = false;
    answer = (since) => {
      if (down) return { status: 503, body: { detail: 'down' } };
      return {
        status: 200,
        body: {
          cursor: since === null ? 'c1' : 'c9',
          full: since === null,
          revoked_tokens: since === null ? [{ jti: 'j1', exp }] : [{ jti: 'j3', exp }],
          users: [],
        },
      };
    };
    const warnings: string[] = [];
    const logger = { warn: (_o: unknown, msg: string) => warnings.push(msg), info: () => undefined } as never;
    const checker = createRevocationChecker({ url, pollIntervalMs: 60_000, logger });
    try {
      await checker.waitReady(5000);
      down = true;
      await expect(checker.refresh()).rejects.toThrow();
      await expect(checker.refresh()).rejects.toThrow();
      expect(checker.ready).toBe(true);
      expect(checker.isRevoked('j1')).toBe(true);
      expect(warnings).toHaveLength(1);
      down = false;
      await checker.refresh();
      expect(requests[requests.length - 1]).toBe('c1');
      expect(checker.isRevoked('j3')).toBe(true);
      expect(checker.isRevoked('j1')).toBe(true);
    } finally {
      checker.close();
    }
  });

  it('is not ready while the feed has never answered', async () => {
    answer = () => ({ status: 500, body: {} });
    const checker = createRevocationChecker({ url, pollIntervalMs: 60_000 });
    try {
      expect(await checker.waitReady(200)).toBe(false);
      expect(checker.ready).toBe(false);
    } finally {
      checker.close();
    }
  });

  it('polls on its own at the configured interval', async () => {
    const feed: RevocationFeed = { cursor: 'c', full: false, revoked_tokens: [], users: [] };
    answer = () => ({ status: 200, body: feed });
    const checker = createRevocationChecker({ url, pollIntervalMs: 20 });
    try {
      const deadline = Date.now() + 5000;
      while (requests.length < 3 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10));
      expect(requests.length).toBeGreaterThanOrEqual(3);
    } finally {
      checker.close();
    }
  });

  it('applies a local revocation at once', async () => {
    answer = () => ({ status: 200, body: { cursor: 'c', full: true, revoked_tokens: [], users: [] } });
    const checker = createRevocationChecker({ url, pollIntervalMs: 60_000 });
    try {
      await checker.waitReady(5000);
      checker.revokeLocally('jx', Math.floor(Date.now() / 1000) + 60);
      expect(checker.isRevoked('jx')).toBe(true);
      await checker.refresh();
      expect(checker.isRevoked('jx')).toBe(true);
    } finally {
      checker.close();
    }
  });
});
