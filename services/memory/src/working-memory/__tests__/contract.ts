import { serializedBytes, type WorkingMemoryBackend } from '../../domain/working-memory';

/** What the contract needs of a backend under test: one built with this TTL, and a way to let time
 * pass (a fake clock for the store, real waiting for Redis with a short TTL). */
export interface ContractTarget {
  backend: WorkingMemoryBackend;
  ttlMs: number;
  advance(ms: number): Promise<void>;
}

/** A string of exactly `bytes` UTF-8 bytes, mixing 2-byte characters in (bytes ≥ 2). */
function utf8String(bytes: number): string {
  const twoByte = 'é'.repeat(Math.floor(bytes / 4));
  return twoByte + 'a'.repeat(bytes - 2 * twoByte.length);
}

/**
 * The one working-memory contract both backends pass (spec §8 memory): merge on PUT, `null` deletes,
 * the 64 KB cap measured as the UTF-8 bytes of the JSON serialisation (exactly 65 536 accepted, one
 * more refused with nothing changed), the TTL refreshed on access, tenants apart.
 */
export function workingMemoryContract(target: () => ContractTarget): void {
  let n = 0;
  const conv = () => `conv-${process.pid}-${Date.now()}-${(n += 1)}`;
  const wm = () => target().backend;

  it('merges a PUT into the stored map: new fields added, named ones replaced whole, null deletes', async () => {
    const id = conv();
    await wm().put('default', id, { stage: 'plan', well: { api: '42-1', depth: 100 } });
    const out = await wm().put('default', id, { stage: 'tools', note: 'x', well: { api: '42-2' } });
    expect(out).toMatchObject({
      ok: true,
      memory: { fields: { stage: 'tools', note: 'x', well: { api: '42-2' } } },
    });
    await wm().put('default', id, { note: null, count: 3, flags: [true, false, null] });
    const got = await wm().get('default', id);
    expect(got?.fields).toEqual({
      stage: 'tools',
      well: { api: '42-2' },
      count: 3,
      flags: [true, false, null],
    });
    expect(got?.conversation_id).toBe(id);
    expect(got?.size_bytes).toBe(serializedBytes(got!.fields));
  });

  it('measures names with quotes, escapes, control characters and non-ASCII as JSON.stringify writes them', async () => {
    const id = conv();
    const fields = {
      'a"b': 1,
      'back\\slash': 'ü',
      'tab\tnew\nline': '€',
      '\u0001ctl\u001f': '𝄞',
      'ünï 😀': { x: '"' },
    };
    const out = await wm().put('default', id, fields);
    expect(out.ok && out.memory?.size_bytes).toBe(serializedBytes(fields));
    const got = await wm().get('default', id);
    expect(got?.fields).toEqual(fields);
    expect(got?.size_bytes).toBe(serializedBytes(fields));
  });

  it('keeps a field named __proto__ as a field', async () => {
    const id = conv();
    const patch = JSON.parse('{"__proto__": {"polluted": true}, "ok": 1}') as Record<string, never>;
    await wm().put('default', id, patch);
    const got = await wm().get('default', id);
    expect(Object.keys(got!.fields).sort()).toEqual(['__proto__', 'ok']);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('accepts a map of exactly 64 KB and refuses one byte more, changing nothing', async () => {
    const id = conv();
    await wm().put('default', id, { keep: 'me' });
    // {"keep":"me","pad":"…"} = 12 + 1 + 8 + len + 1 bytes
    const overhead = serializedBytes({ keep: 'me', pad: '' });
    const exact = await wm().put('default', id, { pad: utf8String(65_536 - overhead) });
    expect(exact).toMatchObject({ ok: true, memory: { size_bytes: 65_536 } });
    const before = await wm().get('default', id);

    const over = await wm().put('default', id, { pad: `${utf8String(65_536 - overhead)}a` });
    expect(over).toEqual({ ok: false, sizeBytes: 65_537 });
    const overByField = await wm().put('default', id, { x: null, y: 1 }); // {…,"y":1} adds 6 bytes
    expect(overByField).toEqual({ ok: false, sizeBytes: 65_542 });
    const after = await wm().get('default', id);
    expect(after?.fields).toEqual(before?.fields);
    expect(after?.size_bytes).toBe(65_536);
  });

  it('refuses a first write over the cap and stores nothing', async () => {
    const id = conv();
    const out = await wm().put('default', id, { pad: 'a'.repeat(70_000) });
    expect(out).toEqual({ ok: false, sizeBytes: 70_010 });
    expect(await wm().get('default', id)).toBeUndefined();
  });

  it('deletes the map when a PUT empties it, and DELETE says whether there was one', async () => {
    const id = conv();
    await wm().put('default', id, { a: 1 });
    expect(await wm().put('default', id, { a: null })).toEqual({ ok: true, memory: undefined });
    expect(await wm().get('default', id)).toBeUndefined();
    await wm().put('default', id, { b: 2 });
    expect(await wm().delete('default', id)).toBe(true);
    expect(await wm().delete('default', id)).toBe(false);
    expect(await wm().get('default', id)).toBeUndefined();
  });

  it('keeps tenants apart under the same conversation id', async () => {
    const id = conv();
    await wm().put('default', id, { who: 'default' });
    await wm().put('acme', id, { who: 'acme' });
    expect((await wm().get('default', id))?.fields).toEqual({ who: 'default' });
    expect((await wm().get('acme', id))?.fields).toEqual({ who: 'acme' });
    await wm().delete('acme', id);
    expect((await wm().get('default', id))?.fields).toEqual({ who: 'default' });
  });

  it('loses no field under concurrent PUTs of one conversation', async () => {
    const id = conv();
    await Promise.all(Array.from({ length: 16 }, (_, i) => wm().put('default', id, { [`f${i}`]: i })));
    const got = await wm().get('default', id);
    expect(Object.keys(got!.fields)).toHaveLength(16);
  });

  it('expires a map one TTL after its last access, each GET or PUT pushing the expiry on', async () => {
    const { ttlMs } = target();
    const id = conv();
    await wm().put('default', id, { a: 1 });
    await target().advance(ttlMs * 0.6);
    expect((await wm().get('default', id))?.fields).toEqual({ a: 1 }); // refreshed here
    await target().advance(ttlMs * 0.6);
    const put = await wm().put('default', id, { b: 2 }); // 1.2 TTL after the first PUT: still alive
    expect(put.ok && put.memory?.fields).toEqual({ a: 1, b: 2 });
    await target().advance(ttlMs * 0.6);
    expect((await wm().get('default', id))?.fields).toEqual({ a: 1, b: 2 });
    await target().advance(ttlMs * 1.2);
    expect(await wm().get('default', id)).toBeUndefined();
    // An expired map is gone for a PUT too: the merge starts from nothing.
    const fresh = await wm().put('default', id, { c: 3 });
    expect(fresh.ok && fresh.memory?.fields).toEqual({ c: 3 });
  });
}
