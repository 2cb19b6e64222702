import { openStore, type Store } from '@aegis/common';
import { createJob, finishJob, getJob, listJobs, recordProgress } from './jobs';
import { INGESTION_MIGRATIONS } from './migrations';
import { describeOnBothStores } from '@aegis/testing';

/** The ingestion job store against a real store: create, progress, finish, read, list with filters,
 * sorting and paging, tenant isolation. */
function jobStoreContract(url: () => string): void {
  let store: Store;

  beforeAll(async () => {
    store = await openStore({ url: url() });
    await store.migrate('ingestion', INGESTION_MIGRATIONS);
    await store.migrate('ingestion', INGESTION_MIGRATIONS); // idempotent
  });

  afterAll(async () => {
    await store.close();
  });

  const newJob = (tenantId: string, dataType = 'wells') => ({
    tenantId,
    kind: 'csv_upload' as const,
    dataType,
    mode: 'all_or_nothing',
    source: 'wells.csv',
    createdBy: 'user-1',
  });

  it('records a job from running to its outcome, with its capped errors', async () => {
    const id = await createJob(store, newJob('t1'), 1_000);
    expect(await getJob(store, 't1', id)).toMatchObject({
      status: 'running',
      totalRows: 0,
      finishedAt: null,
    });
    await recordProgress(
      store,
      't1',
      id,
      { totalRows: 10, acceptedRows: 8, rejectedRows: 2, bytesReceived: 5_000_000_000 },
      2_000,
    );
    expect(await getJob(store, 't1', id)).toMatchObject({ totalRows: 10, bytesReceived: 5_000_000_000 });
    await finishJob(
      store,
      't1',
      id,
      {
        status: 'partially_succeeded',
        totalRows: 12,
        acceptedRows: 11,
        rejectedRows: 1,
        errors: [
          { row: 3, line: 3, field: 'api_number', reason: 'must have 10, 12 or 14 digits', value: '12' },
        ],
        errorCount: 1,
        errorsTruncated: false,
        counts: { created: 11, updated: 0, edges_created: 5, edges_updated: 1 },
      },
      3_000,
    );
    const job = await getJob(store, 't1', id);
    expect(job).toMatchObject({
      status: 'partially_succeeded',
      acceptedRows: 11,
      errors: [{ row: 3, field: 'api_number' }],
      counts: { created: 11, edges_created: 5, edges_updated: 1 },
      createdAt: 1_000,
      finishedAt: 3_000,
      failure: null,
    });
    // Progress never overwrites a finished job.
    await recordProgress(store, 't1', id, { totalRows: 1, acceptedRows: 0, rejectedRows: 0 }, 4_000);
    expect((await getJob(store, 't1', id))?.totalRows).toBe(12);
  });

  it("lists a tenant's jobs with filters, sorting and paging, never another tenant's", async () => {
    const ids: string[] = [];
    for (let i = 0; i < 5; i += 1)
      ids.push(await createJob(store, newJob('t2', i % 2 === 0 ? 'wells' : 'permits'), 10_000 + i));
    await finishJob(
      store,
      't2',
      ids[0],
      {
        status: 'failed',
        totalRows: 0,
        acceptedRows: 0,
        rejectedRows: 0,
        errors: [],
        errorCount: 0,
        errorsTruncated: false,
        failure: { code: 'empty_file', detail: 'the file is empty' },
      },
      20_000,
    );
    await createJob(store, newJob('t3'), 10_002);
    const page = { limit: 2, offset: 0, sortBy: 'created_at' as const, sortDir: 'desc' as const };
    const first = await listJobs(store, { tenantId: 't2' }, page);
    expect(first.total).toBe(5);
    expect(first.jobs.map((j) => j.id)).toEqual([ids[4], ids[3]]);
    expect(first.jobs[0].errors).toEqual([]);
    const wells = await listJobs(
      store,
      { tenantId: 't2', dataType: 'wells' },
      { ...page, limit: 10, sortDir: 'asc' },
    );
    expect(wells.jobs.map((j) => j.id)).toEqual([ids[0], ids[2], ids[4]]);
    const failed = await listJobs(store, { tenantId: 't2', status: 'failed' }, { ...page, limit: 10 });
    expect(failed.jobs).toEqual([
      expect.objectContaining({ id: ids[0], failure: { code: 'empty_file', detail: 'the file is empty' } }),
    ]);
    const window = await listJobs(
      store,
      { tenantId: 't2', from: 10_001, to: 10_003 },
      { ...page, limit: 10 },
    );
    expect(window.jobs.map((j) => j.id)).toEqual([ids[2], ids[1]]);
    expect(await getJob(store, 't3', ids[0])).toBeUndefined();
  });
}

describeOnBothStores('ingestion job store', 'ingestion.db', jobStoreContract);
