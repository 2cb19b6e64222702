import { openStore, type Store } from '@aegis/common';
import { demoScenario } from '@aegis/demo';
import { prepareEntity } from '../domain/items';
import { requireEntity, replaceEntity } from './entities';
import { KG_MIGRATIONS } from './migrations';
import { seedDemoData } from './seed';

describe('seedDemoData', () => {
  let store: Store;
  const scenario = demoScenario('2025-06-01');
  const producing = scenario.production[0];

  beforeAll(async () => {
    store = await openStore({ url: 'sqlite::memory:' });
    await store.migrate('knowledge-graph', KG_MIGRATIONS);
  });
  afterAll(() => store.close());

  it('stores every well’s monthly production of the scenario on the well', async () => {
    await seedDemoData(store, 'seed-a', '2025-06-01', '2025-06-01T12:00:00.000Z');
    for (const p of scenario.production) {
      const well = await requireEntity(store, 'seed-a', 'Well', p.well_id);
      expect(well.properties.production).toEqual(p.records);
    }
  });

  it('merges the production by period into what a well already has when seeded again', async () => {
    // GIVEN a well with a month of production the demo does not have and a demo month overwritten
    const well = await requireEntity(store, 'seed-a', 'Well', producing.well_id);
    const extra = { period: '2001-01', oil_bbl: 7 };
    const changed = { ...producing.records[0], oil_bbl: 1 };
    const prepared = prepareEntity(
      {
        label: 'Well',
        entity_id: producing.well_id,
        properties: { ...well.properties, production: [extra, changed, ...producing.records.slice(1)] },
      },
      ['test'],
    );
    if (!prepared.ok) throw new Error('invalid');
    await store.transaction((tx) => replaceEntity(tx, 'seed-a', prepared.value, '2025-06-02T00:00:00.000Z'));
    // WHEN the demo is seeded again
    await seedDemoData(store, 'seed-a', '2025-06-01', '2025-06-03T00:00:00.000Z');
    // THEN the demo's months are back and the other month stays
    const after = await requireEntity(store, 'seed-a', 'Well', producing.well_id);
    expect(after.properties.production).toEqual([extra, ...producing.records]);
  });
});
