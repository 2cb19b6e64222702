import { openStore, type Store } from '@aegis/common';
import { describeOnBothStores } from '@aegis/testing';
import { graphCoreContract } from './contract-core';
import { graphQueryContract } from './contract-queries';

/** The knowledge-graph store contract, run on SQLite and on a throwaway PostgreSQL server (skipped with
 * the reason when its binaries are missing, failing under AEGIS_REQUIRE_ALL=1). */
describeOnBothStores('knowledge graph store', 'kg.db', (url) => {
  let store: Store;

  beforeAll(async () => {
    store = await openStore({ url: url() });
  });

  afterAll(async () => {
    await store?.close();
  });

  graphCoreContract(() => store);
  graphQueryContract(() => store);
});
