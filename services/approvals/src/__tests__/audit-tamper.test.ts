import { sql } from '@aegis/common';
import { describeOnBothStores } from '@aegis/testing';
import { agent, newApproval, reviewer, startHarness, viewer, type Harness } from './harness';

/** GIVEN a tenant with three approvals (created, decided: five entries) WHEN a row of its audit table
 * or its snapshot is changed directly in the database THEN the audit endpoint says `verified: false`
 * and names the first entry that fails. */
describeOnBothStores('approval audit tamper detection', 'approvals-audit.db', (url) => {
  let h: Harness;
  let n = 0;
  beforeAll(async () => {
    h = await startHarness(url());
  });
  afterAll(async () => {
    await h?.close();
  });

  /** A fresh tenant with approvals A (created 1, approved 2), B (created 3, rejected 4), C (created 5). */
  async function seeded(): Promise<{ tenant: string; ids: string[] }> {
    const tenant = `tamper-${++n}`;
    const ids: string[] = [];
    for (const [i, decision] of ['approved', 'rejected', undefined].entries()) {
      const res = await h.request(
        { ...agent, tenant },
        'POST',
        '/approvals',
        newApproval({ conversation_id: `c-${i}` }),
      );
      ids.push(res.body.approval_id as string);
      if (decision) {
        const d = await h.request(reviewer('rita', tenant), 'POST', `/approvals/${ids[i]}/decide`, {
          decision,
        });
        expect(d.status).toBe(200);
      }
    }
    return { tenant, ids };
  }
  const audit = (tenant: string, id: string) =>
    h.request({ ...viewer, tenant }, 'GET', `/approvals/${id}/audit`);

  it('verifies an untouched trail and lists the approval’s entries in order', async () => {
    const { tenant, ids } = await seeded();
    const res = await audit(tenant, ids[1]);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      verified: true,
      first_failure: null,
      chain: { entries: 5, head_seq: 5 },
    });
    expect(res.body.entries.map((e: { seq: number; action: string }) => [e.seq, e.action])).toEqual([
      [3, 'created'],
      [4, 'rejected'],
    ]);
  });

  it('detects an edited entry at that entry', async () => {
    const { tenant, ids } = await seeded();
    await h.store.db
      .updateTable('audit_entries')
      .set({ actor_id: 'mallory' })
      .where('tenant_id', '=', tenant)
      .where('seq', '=', 2)
      .execute();
    const res = await audit(tenant, ids[2]);
    expect(res.body.verified).toBe(false);
    expect(res.body.first_failure).toMatchObject({
      seq: 2,
      approval_id: ids[0],
      reason: expect.stringMatching(/edited/),
    });
  });

  it('detects an edited decision in the data column', async () => {
    const { tenant, ids } = await seeded();
    await h.store.db
      .updateTable('audit_entries')
      .set({ data: JSON.stringify({ decision: 'approved', notes: null, modifications: null }) })
      .where('tenant_id', '=', tenant)
      .where('seq', '=', 4)
      .execute();
    expect((await audit(tenant, ids[1])).body.first_failure).toMatchObject({ seq: 4, approval_id: ids[1] });
  });

  it('detects a deleted entry at the entry after it', async () => {
    const { tenant, ids } = await seeded();
    await h.store.db
      .deleteFrom('audit_entries')
      .where('tenant_id', '=', tenant)
      .where('seq', '=', 3)
      .execute();
    const res = await audit(tenant, ids[0]);
    expect(res.body.verified).toBe(false);
    expect(res.body.first_failure).toMatchObject({ seq: 4, approval_id: ids[1] });
  });

  it('detects a deleted last entry at the head', async () => {
    const { tenant, ids } = await seeded();
    await h.store.db
      .deleteFrom('audit_entries')
      .where('tenant_id', '=', tenant)
      .where('seq', '=', 5)
      .execute();
    expect((await audit(tenant, ids[0])).body.first_failure).toMatchObject({ seq: 5, approval_id: null });
  });

  it('detects reordered entries at the first one moved', async () => {
    const { tenant, ids } = await seeded();
    // Swap entries 2 and 3 (through a free seq, the key is unique).
    const move = (from: number, to: number) =>
      sql`UPDATE audit_entries SET seq = ${to} WHERE tenant_id = ${tenant} AND seq = ${from}`.execute(
        h.store.db,
      );
    await move(2, 100);
    await move(3, 2);
    await move(100, 3);
    const res = await audit(tenant, ids[0]);
    expect(res.body.verified).toBe(false);
    expect(res.body.first_failure).toMatchObject({ seq: 2, approval_id: ids[1] });
  });

  it('detects an edited snapshot at the approval’s created entry', async () => {
    const { tenant, ids } = await seeded();
    const row = await h.store.db
      .selectFrom('approvals')
      .select('snapshot')
      .where('tenant_id', '=', tenant)
      .where('approval_id', '=', ids[2])
      .executeTakeFirstOrThrow();
    const snapshot = JSON.parse(row.snapshot);
    snapshot.proposed_action.arguments.spacing_ft = 1;
    await h.store.db
      .updateTable('approvals')
      .set({ snapshot: JSON.stringify(snapshot) })
      .where('tenant_id', '=', tenant)
      .where('approval_id', '=', ids[2])
      .execute();
    const res = await audit(tenant, ids[2]);
    expect(res.body.verified).toBe(false);
    expect(res.body.first_failure).toMatchObject({
      seq: 5,
      approval_id: ids[2],
      reason: expect.stringMatching(/snapshot/),
    });
    // Another tenant's chain is untouched by all of the above.
    const other = await seeded();
    expect((await audit(other.tenant, other.ids[0])).body.verified).toBe(true);
  });
});
