import { openStore, type Store } from '@aegis/common';
import {
  createJob,
  finishJob,
  getJob,
  interruptJobs,
  listJobs,
  markCommitting,
  recordProgress,
  renewLeases,
} from './jobs';
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

  it('marks running jobs whose lease lapsed as interrupted, never those a live process holds', async () => {
    // GIVEN jobs of a dead process (one mid-file, one in its final commit), an unleased one, a live
    // replica's, and a finished one of the dead process
    const dead = { owner: 'dead-process', leaseMs: 100 };
    const live = { owner: 'live-replica', leaseMs: 1_000 };
    const midFile = await createJob(store, newJob('lease'), 10_000, dead);
    await recordProgress(store, 'lease', midFile, { totalRows: 9, acceptedRows: 8, rejectedRows: 1 }, 10_050);
    const inCommit = await createJob(store, newJob('lease'), 10_000, dead);
    await markCommitting(store, 'lease', inCommit);
    const unleased = await createJob(store, newJob('lease'), 10_000);
    const running = await createJob(store, newJob('lease'), 10_000, live);
    const done = await createJob(store, newJob('lease'), 10_000, dead);
    const outcome = { totalRows: 1, acceptedRows: 1, rejectedRows: 0, errors: [], errorCount: 0 };
    await finishJob(
      store,
      'lease',
      done,
      { ...outcome, status: 'succeeded', errorsTruncated: false },
      10_020,
    );

    // WHEN another process starts after the dead one's lease lapsed, while the live one renewed
    await renewLeases(store, live, 10_900);
    // (the other tests' running jobs are unleased: this marks them too)
    expect(await interruptJobs(store, 11_500, { lapsed: true })).toBeGreaterThanOrEqual(3);

    // THEN
    const job = (id: string) => getJob(store, 'lease', id);
    expect(await job(midFile)).toMatchObject({
      status: 'failed',
      acceptedRows: 0,
      failure: { code: 'interrupted', detail: expect.stringContaining('Nothing of it was stored') },
      finishedAt: 11_500,
    });
    expect(await job(inCommit)).toMatchObject({
      status: 'failed',
      failure: { code: 'interrupted', detail: expect.stringContaining('either every row or none') },
    });
    expect(await job(unleased)).toMatchObject({ status: 'failed', failure: { code: 'interrupted' } });
    expect(await job(running)).toMatchObject({ status: 'running', failure: null });
    expect(await job(done)).toMatchObject({ status: 'succeeded', failure: null });

    // AND the live replica's job is marked only once its lease lapses, or when it shuts down
    expect(await interruptJobs(store, 11_800, { lapsed: true })).toBe(0);
    expect(await interruptJobs(store, 11_800, { owner: live.owner })).toBe(1);
    expect(await job(running)).toMatchObject({ status: 'failed', failure: { code: 'interrupted' } });
  });
}

describeOnBothStores('ingestion job store', 'ingestion.db', jobStoreContract);
