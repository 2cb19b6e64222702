import { ValidationError, zodIssues, type ValidationIssue } from '@aegis/common';
import fc from 'fast-check';
import { edgeItemSchema, entityItemSchema, prepareEdge, prepareEntity } from '../domain/items';
import { prepareBatch, type BatchBody } from './batch';
import { memoryGraphStore } from './__tests__/memory-store';

/** prepareBatch checks the common item by hand before falling back to zod: what it accepts, returns
 * and refuses (issue by issue, with locations) must be what zod alone gives. */

/** prepareBatch as it was with zod alone (no managed entity types in this tenant). */
function zodOnly(body: BatchBody) {
  const issues: ValidationIssue[] = [];
  const entities: unknown[] = [];
  const edges: unknown[] = [];
  const each = (
    list: 'entities' | 'edges',
    items: unknown[],
    accept: (data: never, loc: (string | number)[]) => void,
  ) =>
    items.forEach((raw, i) => {
      if (issues.length >= 100) return;
      const loc = ['body', list, i];
      const parsed = (list === 'entities' ? entityItemSchema : edgeItemSchema).safeParse(raw);
      if (parsed.success) accept(parsed.data as never, loc);
      else
        issues.push(
          ...zodIssues(parsed.error, 'body', raw).map((x) => ({ ...x, loc: [...loc, ...x.loc.slice(1)] })),
        );
    });
  each('entities', body.entities, (item, loc) => {
    const prepared = prepareEntity(item, loc);
    if (prepared.ok) entities.push({ entity: prepared.value, loc });
    else issues.push(...prepared.issues);
  });
  each('edges', body.edges, (item, loc) => edges.push({ edge: prepareEdge(item), loc }));
  return issues.length > 0 ? { issues: issues.slice(0, 100) } : { entities, edges };
}

const id = fc.oneof(
  fc.constantFrom('op-1', 'W-2', '42-329-20001', 'a b', ' lead', 'x/y', '.', '', 'é'),
  fc.string({ maxLength: 4 }),
  fc.integer(),
);
const label = fc.constantFrom('Well', 'Operator', 'Lease', 'Field', 'Nope', 7);
const properties = fc.oneof(
  fc.dictionary(
    fc.constantFrom('name', 'latitude', 'api_number', 'constructor', '__proto__', 'x'),
    fc.oneof(fc.string({ maxLength: 3 }), fc.double(), fc.constant(null), fc.constant({ n: 1 })),
  ),
  fc.constant(undefined),
  fc.constant([1]),
  fc.constant('text'),
  fc.constant('x'.repeat(70_000)).map((big) => ({ big })),
);
/** Through JSON, as a request body arrives (a `__proto__` key becomes an own property). */
const viaJson = (v: unknown) => JSON.parse(JSON.stringify(v) ?? 'null') as unknown;
const entity = fc
  .record({ label, entity_id: id, properties, extra: fc.constant(1) }, { requiredKeys: ['label'] })
  .map(viaJson);
const edge = fc
  .record(
    {
      from_label: label,
      from_id: id,
      rel_type: fc.constantFrom('OPERATED_BY', 'operated', 'X_1'),
      to_label: label,
      to_id: id,
      properties,
      extra: fc.constant(1),
    },
    { requiredKeys: ['from_label', 'from_id', 'rel_type', 'to_label', 'to_id'] },
  )
  .map(viaJson);

describe('prepareBatch: the hand check agrees with zod', () => {
  const getStore = memoryGraphStore();

  /** prepareBatch and zod alone on the same body, passed through JSON as a request body arrives
   * (structuredClone gives objects of another realm under jest, which the hand check leaves to zod,
   * so it would test zod against itself). */
  async function bothWays(body: unknown) {
    const expected = zodOnly(viaJson(body) as BatchBody);
    const got = await prepareBatch(getStore(), 't', viaJson(body) as BatchBody).then(
      (b) => b,
      (err: unknown) => {
        if (!(err instanceof ValidationError)) throw err;
        return { issues: err.detail };
      },
    );
    expect(got).toEqual(expected);
    // Byte for byte too: toEqual passes over an own `__proto__` key.
    expect(JSON.stringify(got)).toBe(JSON.stringify(expected));
  }

  it('accepts, prepares and refuses exactly as zod alone', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(entity, { maxLength: 4 }),
        fc.array(edge, { maxLength: 4 }),
        (entities, edges) => bothWays({ entities, edges }),
      ),
      { numRuns: 300 },
    );
  });

  it('agrees with zod on properties near the size limit, where the hand check serialises to decide', async () => {
    const near = [
      { big: 'x'.repeat(65_520) },
      { big: 'x'.repeat(65_530) },
      { quoted: '"'.repeat(32_000) },
      { quoted: '"'.repeat(33_000) },
      { wide: 'é'.repeat(30_000), n: 1e21, m: -1.7976931348623157e308, b: true, z: null },
    ];
    for (const properties of near)
      await bothWays({ entities: [{ label: 'Operator', entity_id: 'op-1', properties }], edges: [] });
  });
});
