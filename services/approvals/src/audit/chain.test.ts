import { randomBytes } from 'node:crypto';
import { GENESIS_MAC, keyIdOf, macOf, verifyChain, type AuditEntry } from './chain';

const key = randomBytes(32);
const keys = new Map([[keyIdOf(key), key]]);

function chain(n: number): AuditEntry[] {
  const out: AuditEntry[] = [];
  for (let seq = 1; seq <= n; seq++) {
    const content = {
      tenant_id: 't',
      seq,
      approval_id: `apr-${seq}`,
      action: 'created',
      actor_id: 'u',
      at: '2026-01-01T00:00:00.000Z',
      data: { n: seq },
      key_id: keyIdOf(key),
      prev_mac: out.at(-1)?.mac ?? GENESIS_MAC,
    };
    out.push({ ...content, mac: macOf(key, content) });
  }
  return out;
}
const headOf = (c: AuditEntry[]) => ({ seq: c.length, mac: c.at(-1)?.mac ?? GENESIS_MAC });

describe('verifyChain', () => {
  it('verifies an intact chain and an empty one', () => {
    const c = chain(4);
    expect(verifyChain(c, headOf(c), keys)).toEqual({ verified: true, first_failure: null, entries: 4 });
    expect(verifyChain([], { seq: 0, mac: GENESIS_MAC }, keys).verified).toBe(true);
  });

  it('finds an edited entry', () => {
    const c = chain(4);
    const head = headOf(c);
    c[1] = { ...c[1], data: { n: 99 } };
    expect(verifyChain(c, head, keys).first_failure).toMatchObject({
      seq: 2,
      reason: expect.stringMatching(/edited/),
    });
  });

  it('finds a deleted entry at the entry after it, and a deleted tail at the head', () => {
    const c = chain(4);
    const head = headOf(c);
    expect(verifyChain([c[0], c[2], c[3]], head, keys).first_failure).toMatchObject({ seq: 3 });
    expect(verifyChain(c.slice(0, 3), head, keys).first_failure).toMatchObject({ seq: 4, approval_id: null });
  });

  it('finds reordered entries', () => {
    const c = chain(4);
    const head = headOf(c);
    const swapped = [c[0], { ...c[2], seq: 2 }, { ...c[1], seq: 3 }, c[3]];
    expect(verifyChain(swapped, head, keys).first_failure).toMatchObject({ seq: 2 });
  });

  it('refuses an entry made with an unknown key', () => {
    const c = chain(2);
    expect(verifyChain(c, headOf(c), new Map()).first_failure?.reason).toMatch(/unknown key/);
  });
});
