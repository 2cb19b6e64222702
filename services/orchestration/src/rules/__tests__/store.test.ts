import { AppError, openStore } from '@aegis/common';
import { describeOnBothStores } from '@aegis/testing';
import { BUNDLED_RULES, RULE_37 } from '../bundled';
import { createRuleParameters } from '../parameters';
import { RULES_MIGRATIONS } from '../store/migrations';
import {
  addVersion,
  createRule,
  ensureBundledRules,
  ruleDetail,
  transitionVersion,
} from '../store/operations';
import { activeByKey, listRules } from '../store/rules';
import type { RulesDatabase, RulesStore } from '../store/schema';
import { snapshotRows } from './harness';

const now = () => Date.UTC(2026, 10, 1);
const page = { limit: 50, offset: 0, sortBy: 'rule_key' as const, sortDir: 'asc' as const };

async function codeOf(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
  } catch (err) {
    if (err instanceof AppError) return `${err.status} ${err.code}`;
    throw err;
  }
  throw new Error('expected a refusal');
}

describeOnBothStores('rules store', 'rules-store.db', (url) => {
  let store: RulesStore;
  beforeAll(async () => {
    store = await openStore<RulesDatabase>({ url: url() });
    // Appended to another migration list of the same service: the ids still ascend.
    await store.migrate('orchestration', [
      { id: '0001_other', up: 'CREATE TABLE other_things (tenant_id TEXT)' },
      ...RULES_MIGRATIONS,
    ]);
  });
  afterAll(async () => {
    await store?.close();
  });

  it('gives a tenant the bundled rules once, whoever asks and however often', async () => {
    const results = await Promise.all([1, 2, 3].map(() => ensureBundledRules(store, 'seed-t', now)));
    expect(results.flat().sort()).toEqual(BUNDLED_RULES.map((r) => r.rule_key).sort());
    expect(await ensureBundledRules(store, 'seed-t', now)).toEqual([]);
    const { rows, total } = await listRules(store, 'seed-t', {}, page);
    expect(total).toBe(4);
    expect(rows.map((r) => [r.rule_key, r.status, r.active_version, r.source])).toEqual([
      ['form_pr', 'active', 1, 'bundled'],
      ['nsps_oooob', 'active', 1, 'bundled'],
      ['rule_32', 'active', 1, 'bundled'],
      ['rule_37', 'active', 1, 'bundled'],
    ]);
    const versions = await store.db
      .selectFrom('rule_versions')
      .selectAll()
      .where('tenant_id', '=', 'seed-t')
      .execute();
    expect(versions).toHaveLength(4);
    expect(versions.every((v) => v.status === 'active' && Number(v.version) === 1)).toBe(true);
  });

  it('leaves a tenant’s changed bundled rule alone when seeding again', async () => {
    await ensureBundledRules(store, 'keep-t', now);
    await addVersion(
      store,
      'keep-t',
      'ada',
      'rul-rule-37',
      { parameters: { ...RULE_37.parameters, lease_line_min_ft: 500 } },
      now,
    );
    await transitionVersion(store, 'keep-t', 'ada', 'rul-rule-37', { to: 'active' }, now);
    const before = await snapshotRows(store, 'keep-t');
    expect(await ensureBundledRules(store, 'keep-t', now)).toEqual([]);
    expect(await snapshotRows(store, 'keep-t')).toEqual(before);
  });

  it('activates a draft and supersedes the active version in one step', async () => {
    await ensureBundledRules(store, 'life-t', now);
    const v2 = await addVersion(
      store,
      'life-t',
      'ada',
      'rul-rule-37',
      { parameters: { ...RULE_37.parameters, between_well_min_ft: 1_320 }, note: 'field rule' },
      now,
    );
    expect(v2).toMatchObject({ version: 2, status: 'draft' });
    const outcome = await transitionVersion(
      store,
      'life-t',
      'ada',
      'rul-rule-37',
      { to: 'active', version: 2 },
      now,
    );
    expect(outcome).toMatchObject({ version: 2, superseded: 1 });
    expect(outcome.rule).toMatchObject({ status: 'active', active_version: 2, latest_version: 2 });
    expect(outcome.rule.versions.map((v) => [v.version, v.status])).toEqual([
      [1, 'superseded'],
      [2, 'active'],
    ]);
    expect(outcome.rule.current?.parameters).toMatchObject({ between_well_min_ft: 1_320 });
  });

  it('keeps one active version when two activations race (serialised on SQLite, one refused on PostgreSQL)', async () => {
    await ensureBundledRules(store, 'race-t', now);
    for (const ft of [500, 600]) {
      await addVersion(
        store,
        'race-t',
        'ada',
        'rul-rule-37',
        { parameters: { ...RULE_37.parameters, lease_line_min_ft: ft } },
        now,
      );
    }
    const attempt = async (version: number) => {
      try {
        await transitionVersion(store, 'race-t', 'ada', 'rul-rule-37', { to: 'active', version }, now);
        return 'ok';
      } catch (err) {
        if (err instanceof AppError) return `${err.status} ${err.code}`;
        throw err;
      }
    };
    const results = await Promise.all([attempt(2), attempt(3)]);
    expect(results).toContain('ok');
    for (const r of results) expect(['ok', '409 concurrent_change', '409 stale_version']).toContain(r);
    const active = await store.db
      .selectFrom('rule_versions')
      .select('version')
      .where('tenant_id', '=', 'race-t')
      .where('rule_id', '=', 'rul-rule-37')
      .where('status', '=', 'active')
      .execute();
    expect(active).toHaveLength(1);
    const rule = await ruleDetail(store, 'race-t', 'rul-rule-37');
    expect(rule.active_version).toBe(Number(active[0].version));
  });

  it('refuses a second active version of a rule even from a writer that skips the checks', async () => {
    await ensureBundledRules(store, 'index-t', now);
    await addVersion(
      store,
      'index-t',
      'ada',
      'rul-rule-32',
      { parameters: BUNDLED_RULES[0].parameters },
      now,
    );
    await expect(
      store.db
        .updateTable('rule_versions')
        .set({ status: 'active' })
        .where('tenant_id', '=', 'index-t')
        .where('rule_id', '=', 'rul-rule-32')
        .where('version', '=', 2)
        .execute(),
      // Not toThrow: better-sqlite3's error class is bound once per process, to the first test file's
      // realm, so in a later file of the same jest worker it is no `Error` of this one.
    ).rejects.toHaveProperty('message', expect.stringMatching(/unique|duplicate key/i));
  });

  it('refuses illegal transitions and a duplicate rule key without changing anything', async () => {
    await ensureBundledRules(store, 'refuse-t', now);
    const created = await createRule(
      store,
      'refuse-t',
      'ada',
      {
        rule_key: 'w10',
        kind: 'generic',
        title: 'W-10',
        citation: '16 TAC §3.28',
        parameters: { due: 'annual' },
      },
      now,
    );
    const before = await snapshotRows(store, 'refuse-t');
    expect(
      await codeOf(transitionVersion(store, 'refuse-t', 'ada', created.rule_id, { to: 'retired' }, now)),
    ).toBe('409 illegal_transition');
    expect(
      await codeOf(transitionVersion(store, 'refuse-t', 'ada', 'rul-rule-32', { to: 'active' }, now)),
    ).toBe('409 illegal_transition');
    expect(
      await codeOf(
        transitionVersion(store, 'refuse-t', 'ada', 'rul-rule-32', { to: 'active', version: 9 }, now),
      ),
    ).toBe('404 version_not_found');
    expect(
      await codeOf(
        createRule(
          store,
          'refuse-t',
          'ada',
          { rule_key: 'w10', kind: 'generic', title: 'again', citation: 'x', parameters: {} },
          now,
        ),
      ),
    ).toBe('409 duplicate_rule_key');
    expect(await codeOf(ruleDetail(store, 'other-t', created.rule_id))).toBe('404 not_found');
    expect(await snapshotRows(store, 'refuse-t')).toEqual(before);
  });

  it('refuses to activate a draft older than the active version', async () => {
    await ensureBundledRules(store, 'stale-t', now);
    for (const ft of [500, 600]) {
      await addVersion(
        store,
        'stale-t',
        'ada',
        'rul-rule-37',
        { parameters: { ...RULE_37.parameters, lease_line_min_ft: ft } },
        now,
      );
    }
    await transitionVersion(store, 'stale-t', 'ada', 'rul-rule-37', { to: 'active', version: 3 }, now);
    const before = await snapshotRows(store, 'stale-t');
    expect(
      await codeOf(
        transitionVersion(store, 'stale-t', 'ada', 'rul-rule-37', { to: 'active', version: 2 }, now),
      ),
    ).toBe('409 stale_version');
    expect(await snapshotRows(store, 'stale-t')).toEqual(before);
  });

  it('serves the tools the active parameters, and the new ones after a transition', async () => {
    const parameters = createRuleParameters(store, { ttlMs: 60_000, now });
    expect(await parameters.active('tools-t', 'rule_37')).toMatchObject({
      lease_line_min_ft: 467,
      between_well_min_ft: 1_200,
    });
    await addVersion(
      store,
      'tools-t',
      'ada',
      'rul-rule-37',
      { parameters: { ...RULE_37.parameters, lease_line_min_ft: 330 } },
      now,
    );
    await transitionVersion(store, 'tools-t', 'ada', 'rul-rule-37', { to: 'active' }, now);
    // Cached until the transition invalidates it.
    expect((await parameters.active('tools-t', 'rule_37')).lease_line_min_ft).toBe(467);
    parameters.invalidate('tools-t', 'rule_37');
    expect((await parameters.active('tools-t', 'rule_37')).lease_line_min_ft).toBe(330);
    expect(await parameters.activeRule('tools-t', 'rule_37', 'rule_37')).toMatchObject({
      version: 2,
      citation: '16 TAC §3.37',
    });
    await transitionVersion(store, 'tools-t', 'ada', 'rul-rule-37', { to: 'retired' }, now);
    parameters.invalidate('tools-t');
    expect(await codeOf(parameters.active('tools-t', 'rule_37'))).toBe('404 no_active_rule');
    expect(await activeByKey(store, 'tools-t', 'rule_37')).toBeUndefined();
    expect(await codeOf(parameters.activeRule('tools-t', 'rule_32', 'rule_37'))).toBe(
      '409 rule_kind_mismatch',
    );
  });
});
