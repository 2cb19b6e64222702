import { DeliveryIndex } from './delivery-index';

const replica = (applied?: string, rejected: string[] = []) => ({
  name: 'gw-0',
  ...(applied ? { applied } : {}),
  rejected: new Set(rejected),
  more: 0,
  expiresAt: 1,
});
const piece = (name: string, rv: string) => ({
  piece: `aegis-tenant-${name}`,
  resourceVersion: rv,
  generation: 1,
});

describe('DeliveryIndex', () => {
  const index = new DeliveryIndex();
  index.record('a', piece('a', '10'), true);
  index.record('b', piece('b', '20'), false);
  index.record('c', piece('c', '30'), false);

  it('concerns no tenant when the watermark does not move (a plain renewal)', () => {
    expect([...index.affected(replica('20'), replica('20'))]).toEqual([]);
  });
  it('concerns only the tenants between the old and the new watermark', () => {
    expect([...index.affected(replica('15'), replica('25'))]).toEqual(['b']);
    expect([...index.affected(replica('25'), replica('15'))]).toEqual(['b']);
  });
  it('a replica joining concerns the tenants above its watermark; one leaving, the pending ones', () => {
    expect([...index.affected(undefined, replica('20'))]).toEqual(['c']);
    expect([...index.affected(replica('30'), undefined)].sort()).toEqual(['b', 'c']);
  });
  it('a changed refusal list concerns the owners of the pieces added or removed', () => {
    expect([...index.affected(replica('30'), replica('30', ['aegis-tenant-a']))]).toEqual(['a']);
  });
});
