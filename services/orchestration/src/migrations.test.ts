import { openStore, sql, validateMigrations } from '@aegis/common';
import { describeOnBothStores } from '@aegis/testing';
import pino from 'pino';
import { CHECKLISTS_MIGRATIONS } from './checklists';
import { FILINGS_MIGRATIONS } from './filings';
import { SERVICE_MIGRATIONS } from './migrations';
import { RULES_MIGRATIONS } from './rules';
import { monitorStateMigrations } from './schedule/state';
import { ORCHESTRATION_MIGRATIONS } from './store/migrations';
import { WORKSPACES_MIGRATIONS } from './workspaces';

describe('SERVICE_MIGRATIONS', () => {
  it('holds every module’s migrations, ids ascending over the whole list (else the service does not start)', () => {
    expect(() => validateMigrations('orchestration', SERVICE_MIGRATIONS)).not.toThrow();
    const ids = SERVICE_MIGRATIONS.map((m) => m.id);
    for (const list of [
      ORCHESTRATION_MIGRATIONS,
      CHECKLISTS_MIGRATIONS,
      FILINGS_MIGRATIONS,
      RULES_MIGRATIONS,
      monitorStateMigrations,
      WORKSPACES_MIGRATIONS,
    ])
      for (const m of list) expect(ids).toContain(m.id);
    expect(ids).toContain('sweeper_0001_leases');
  });
});

describeOnBothStores('SERVICE_MIGRATIONS applied', 'orchestration.db', (url) => {
  it('creates the tables the running service reads, the schedule’s and the workspaces’ included', async () => {
    const store = await openStore({ url: url(), logger: pino({ level: 'silent' }) });
    try {
      await store.migrate('orchestration', SERVICE_MIGRATIONS);
      for (const table of [
        'runs',
        'checklists',
        'filings',
        'rule_versions',
        'monitor_agent_state',
        'sweeper_leases',
        'workspace_assessments',
      ])
        await expect(
          sql`SELECT COUNT(*) AS n FROM ${sql.table(table)}`.execute(store.db),
        ).resolves.toBeDefined();
    } finally {
      await store.close();
    }
  });
});
