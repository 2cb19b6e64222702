import { randomBytes } from 'node:crypto';
import { createSealer, openStore } from '@aegis/common';
import { describeOnBothStores } from '@aegis/testing';
import { createAuditKeys } from '../../audit/keys';
import { keyIdOf } from '../../audit/chain';
import { createApproval } from '../../operations/create';
import { OutboxSignal } from '../../outbox/signal';
import { updatePendingApproval } from '../approvals';
import { APPROVALS_MIGRATIONS } from '../migrations';
import type { ApprovalsDatabase, ApprovalsStore } from '../schema';

const VAR = 'AUDIT_KEY_ENCRYPTION_KEY';

describeOnBothStores('approvals store', 'approvals-store.db', (url) => {
  let store: ApprovalsStore;
  beforeAll(async () => {
    store = await openStore<ApprovalsDatabase>({ url: url() });
    await store.migrate('approvals', APPROVALS_MIGRATIONS);
  });
  afterAll(async () => {
    await store?.close();
  });

  it('lets exactly one of two writers at the same version change a pending approval', async () => {
    const keys = createAuditKeys({
      store,
      configured: randomBytes(32),
      sealer: createSealer(undefined, VAR),
    });
    const deps = { store, keys, now: Date.now, signal: new OutboxSignal(), escalationTimeoutHours: 24 };
    const approval = await createApproval(deps, 'store-t', 'agent', {
      conversation_id: 'c',
      agent_type: 'rule_32',
      checkpoint_type: 'emissions_review',
      payload: { filing_type: 'R-32', entity_id: 'w', summary: 's' },
      proposed_action: { tool_name: 'submit_filing', arguments: {} },
      context: {},
      reviewer_strategy: 'any_reviewer',
    });
    // Two transactions, no tenant lock: only the conditional UPDATE decides.
    const attempt = (who: string) =>
      store.transaction((tx) =>
        updatePendingApproval(tx, 'store-t', approval.approval_id, approval.version, {
          status: 'approved',
          decided_by: who,
          updated_at: new Date().toISOString(),
        }),
      );
    const results = await Promise.all([attempt('a'), attempt('b'), attempt('c')]);
    expect(results.filter(Boolean)).toHaveLength(1);
    const row = await store.db
      .selectFrom('approvals')
      .selectAll()
      .where('approval_id', '=', approval.approval_id)
      .executeTakeFirstOrThrow();
    expect(row).toMatchObject({ status: 'approved', version: approval.version + 1 });
  });

  const kek = randomBytes(32);

  it('generates one audit key, stores it sealed, and reads it back on the next start', async () => {
    const first = createAuditKeys({ store, sealer: createSealer(kek, VAR) });
    const { id, key } = await first.current();
    expect(id).toBe(keyIdOf(key));
    const row = await store.db
      .selectFrom('audit_keys')
      .selectAll()
      .where('key_id', '=', id)
      .executeTakeFirstOrThrow();
    expect(row.secret).toMatch(/^sealed:v1:/);
    expect(row.secret).not.toContain(key.toString('base64'));
    const again = await createAuditKeys({ store, sealer: createSealer(kek, VAR) }).current();
    expect(again.key.equals(key)).toBe(true);
    await expect(createAuditKeys({ store, sealer: createSealer(undefined, VAR) }).current()).rejects.toThrow(
      /AUDIT_KEY_ENCRYPTION_KEY/,
    );
  });

  it('uses a configured key and still knows the stored ones', async () => {
    const configured = randomBytes(32);
    const stored = await createAuditKeys({ store, sealer: createSealer(kek, VAR) }).current();
    const keys = createAuditKeys({ store, configured, sealer: createSealer(kek, VAR) });
    expect((await keys.current()).id).toBe(keyIdOf(configured));
    expect([...(await keys.all()).keys()].sort()).toEqual([stored.id, keyIdOf(configured)].sort());
  });
});
