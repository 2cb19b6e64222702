import { randomBytes } from 'node:crypto';
import { ConflictError, isUniqueViolation, NotFoundError, type Store, type Updateable } from '@aegis/common';
import { BUNDLED_RULES } from '../bundled';
import type { GraphEntityRef } from '../impact';
import { parseParameters, type RuleKind } from '../kinds';
import { transitionRefusal, type RequestedStatus, type VersionStatus } from '../lifecycle';
import {
  findRuleByKey,
  findVersionRow,
  ruleRow,
  toRule,
  toRuleVersion,
  versionRows,
  type Rule,
  type RuleRow,
  type RuleVersion,
} from './rules';
import { asRulesStore, type RulesDb, type RulesStore, type RulesTable } from './schema';

/** A rule with its current (active) version and the summary of all its versions. */
export interface RuleDetail extends Rule {
  current: RuleVersion | null;
  versions: VersionSummary[];
}

export interface VersionSummary {
  version: number;
  status: VersionStatus;
  note: string | null;
  effective_from: string | null;
  created_at: string;
  activated_at: string | null;
}

export interface NewRule {
  rule_key: string;
  kind: RuleKind;
  title: string;
  citation: string;
  agency?: string;
  description?: string;
  graph_entity?: GraphEntityRef;
  parameters: unknown;
  note?: string;
  effective_from?: string;
}

export interface NewVersion {
  parameters: unknown;
  note?: string;
  effective_from?: string;
}

export interface TransitionRequest {
  to: RequestedStatus;
  /** Default: the latest version to activate, the active version to retire. */
  version?: number;
}

/** `rul-` and 24 hex digits (96 random bits); bundled rules have fixed ids (`rul-rule-37`). */
export function newRuleId(): string {
  return `rul-${randomBytes(12).toString('hex')}`;
}

const iso = (now: () => number) => new Date(now()).toISOString();

export async function ruleDetail(db: RulesDb, tenant: string, ruleId: string): Promise<RuleDetail> {
  const rule = await ruleRow(db, tenant, ruleId);
  const versions = await versionRows(db, tenant, ruleId);
  const active = versions.find((v) => v.status === 'active');
  return {
    ...toRule(rule),
    current: active ? toRuleVersion(active) : null,
    versions: versions.map((v) => ({
      version: Number(v.version),
      status: v.status as VersionStatus,
      note: v.note,
      effective_from: v.effective_from,
      created_at: v.created_at,
      activated_at: v.activated_at,
    })),
  };
}

/** Applies `set` to the rule only if it is still at `revision` (and bumps it); a concurrent writer that
 * changed it first makes this a 409, and the caller's transaction rolls back. */
async function updateRule(
  { db }: RulesDb,
  rule: RuleRow,
  set: Omit<Updateable<RulesTable>, 'tenant_id' | 'rule_id' | 'revision'>,
): Promise<void> {
  const result = await db
    .updateTable('rules')
    .set({ ...set, revision: Number(rule.revision) + 1 })
    .where('tenant_id', '=', rule.tenant_id)
    .where('rule_id', '=', rule.rule_id)
    .where('revision', '=', Number(rule.revision))
    .executeTakeFirst();
  if (Number(result.numUpdatedRows) !== 1)
    throw new ConflictError(
      'The rule was changed by another request; read it again and retry',
      'concurrent_change',
    );
}

/** Runs `fn` in one transaction; a unique violation (a concurrent insert of the same key or version)
 * becomes a 409 with `message`. */
async function inTransaction<T>(
  store: RulesStore,
  message: string,
  code: string,
  fn: (tx: RulesDb) => Promise<T>,
): Promise<T> {
  try {
    return await store.transaction(fn);
  } catch (err) {
    if (isUniqueViolation(err)) throw new ConflictError(message, code);
    throw err;
  }
}

/** Creates a tenant rule with a draft version 1 (parameters validated by the kind: 422). A rule key
 * the tenant already has is a 409 `duplicate_rule_key`. */
export async function createRule(
  store: RulesStore,
  tenant: string,
  by: string,
  input: NewRule,
  now: () => number,
): Promise<RuleDetail> {
  const parameters = parseParameters(input.kind, input.parameters);
  const duplicate = `The tenant already has a rule with key ${input.rule_key}`;
  return inTransaction(store, duplicate, 'duplicate_rule_key', async (tx) => {
    if (await findRuleByKey(tx, tenant, input.rule_key))
      throw new ConflictError(duplicate, 'duplicate_rule_key');
    const at = iso(now);
    const ruleId = newRuleId();
    await tx.db
      .insertInto('rules')
      .values({
        tenant_id: tenant,
        rule_id: ruleId,
        rule_key: input.rule_key,
        kind: input.kind,
        title: input.title,
        citation: input.citation,
        agency: input.agency ?? 'RRC',
        description: input.description ?? '',
        graph_label: input.graph_entity?.label ?? null,
        graph_id: input.graph_entity?.id ?? null,
        source: 'tenant',
        status: 'draft',
        active_version: null,
        latest_version: 1,
        revision: 1,
        created_by: by,
        created_at: at,
        updated_at: at,
      })
      .execute();
    await insertVersion(tx, tenant, ruleId, 1, 'draft', parameters, by, at, input);
    return ruleDetail(tx, tenant, ruleId);
  });
}

async function insertVersion(
  { db }: RulesDb,
  tenant: string,
  ruleId: string,
  version: number,
  status: 'draft' | 'active',
  parameters: unknown,
  by: string,
  at: string,
  extra: { note?: string; effective_from?: string },
): Promise<void> {
  await db
    .insertInto('rule_versions')
    .values({
      tenant_id: tenant,
      rule_id: ruleId,
      version,
      status,
      parameters: JSON.stringify(parameters),
      note: extra.note ?? null,
      effective_from: extra.effective_from ?? null,
      created_by: by,
      created_at: at,
      activated_at: status === 'active' ? at : null,
      activated_by: status === 'active' ? by : null,
      superseded_at: null,
      retired_at: null,
      retired_by: null,
      updated_at: at,
    })
    .execute();
}

/** Adds the next version of a rule as a draft, its parameters validated by the rule's kind (422). */
export async function addVersion(
  store: RulesStore,
  tenant: string,
  by: string,
  ruleId: string,
  input: NewVersion,
  now: () => number,
): Promise<RuleVersion> {
  return inTransaction(
    store,
    'Another version was added at the same time; retry',
    'concurrent_change',
    async (tx) => {
      const rule = await ruleRow(tx, tenant, ruleId);
      const parameters = parseParameters(rule.kind as RuleKind, input.parameters);
      const version = Number(rule.latest_version) + 1;
      const at = iso(now);
      await updateRule(tx, rule, { latest_version: version, updated_at: at });
      await insertVersion(tx, tenant, ruleId, version, 'draft', parameters, by, at, input);
      const row = await findVersionRow(tx, tenant, ruleId, version);
      if (!row) throw new Error('Inserted rule version not found');
      return toRuleVersion(row);
    },
  );
}

export interface TransitionOutcome {
  rule: RuleDetail;
  /** The version that changed and the one it superseded (activation), for cache invalidation. */
  version: number;
  superseded: number | null;
}

/**
 * Moves a version along the lifecycle in one transaction: activating a draft supersedes the rule's
 * active version (never an older draft over a newer active one: 409 `stale_version`); retiring the
 * active version leaves the rule without one (`retired`). Illegal transitions are a 409
 * `illegal_transition` and change nothing.
 */
export async function transitionVersion(
  store: RulesStore,
  tenant: string,
  by: string,
  ruleId: string,
  request: TransitionRequest,
  now: () => number,
): Promise<TransitionOutcome> {
  return inTransaction(
    store,
    'The rule was changed by another request; retry',
    'concurrent_change',
    async (tx) => {
      const rule = await ruleRow(tx, tenant, ruleId);
      const active = rule.active_version === null ? null : Number(rule.active_version);
      // Default: activate the latest version; retire the active one.
      const number =
        request.version ?? (request.to === 'active' ? null : active) ?? Number(rule.latest_version);
      const row = await findVersionRow(tx, tenant, ruleId, number);
      if (!row) throw new NotFoundError(`Rule ${ruleId} has no version ${number}`, 'version_not_found');
      const from = row.status as VersionStatus;
      const refusal = transitionRefusal(from, request.to);
      if (refusal !== undefined)
        throw new ConflictError(`Version ${number}: ${refusal}`, 'illegal_transition');
      const at = iso(now);
      let superseded: number | null = null;
      if (request.to === 'active') {
        if (active !== null && number < active)
          throw new ConflictError(
            `Version ${number} is older than the active version ${active}; add its parameters as a new version instead`,
            'stale_version',
          );
        await updateRule(tx, rule, { status: 'active', active_version: number, updated_at: at });
        if (active !== null) {
          await setVersion(tx, tenant, ruleId, active, 'active', {
            status: 'superseded',
            superseded_at: at,
            updated_at: at,
          });
          superseded = active;
        }
        await setVersion(tx, tenant, ruleId, number, 'draft', {
          status: 'active',
          activated_at: at,
          activated_by: by,
          updated_at: at,
        });
      } else {
        await updateRule(tx, rule, { status: 'retired', active_version: null, updated_at: at });
        await setVersion(tx, tenant, ruleId, number, 'active', {
          status: 'retired',
          retired_at: at,
          retired_by: by,
          updated_at: at,
        });
      }
      return { rule: await ruleDetail(tx, tenant, ruleId), version: number, superseded };
    },
  );
}

/** Changes one version if it is still in `from` (otherwise a concurrent change: 409). */
async function setVersion(
  { db }: RulesDb,
  tenant: string,
  ruleId: string,
  version: number,
  from: VersionStatus,
  set: {
    status: VersionStatus;
    updated_at: string;
    activated_at?: string;
    activated_by?: string;
    superseded_at?: string;
    retired_at?: string;
    retired_by?: string;
  },
): Promise<void> {
  const result = await db
    .updateTable('rule_versions')
    .set(set)
    .where('tenant_id', '=', tenant)
    .where('rule_id', '=', ruleId)
    .where('version', '=', version)
    .where('status', '=', from)
    .executeTakeFirst();
  if (Number(result.numUpdatedRows) !== 1)
    throw new ConflictError(
      'The rule was changed by another request; read it again and retry',
      'concurrent_change',
    );
}

/**
 * Gives `tenant` the bundled rules it does not have yet, each as an active version 1 (idempotent: a
 * rule key the tenant already has, bundled or its own, is left alone; concurrent callers insert each
 * rule once). Returns the keys it added.
 */
export async function ensureBundledRules(
  anyStore: Store,
  tenant: string,
  now: () => number = Date.now,
): Promise<string[]> {
  return asRulesStore(anyStore).transaction(async (tx) => {
    const existing = await tx.db
      .selectFrom('rules')
      .select('rule_key')
      .where('tenant_id', '=', tenant)
      .where(
        'rule_key',
        'in',
        BUNDLED_RULES.map((r) => r.rule_key),
      )
      .execute();
    const have = new Set(existing.map((r) => r.rule_key));
    const added: string[] = [];
    const at = iso(now);
    for (const rule of BUNDLED_RULES) {
      if (have.has(rule.rule_key)) continue;
      const inserted = await tx.db
        .insertInto('rules')
        .values({
          tenant_id: tenant,
          rule_id: rule.rule_id,
          rule_key: rule.rule_key,
          kind: rule.kind,
          title: rule.title,
          citation: rule.citation,
          agency: rule.agency,
          description: rule.description,
          graph_label: rule.graph_entity.label,
          graph_id: rule.graph_entity.id,
          source: 'bundled',
          status: 'active',
          active_version: 1,
          latest_version: 1,
          revision: 1,
          created_by: 'system',
          created_at: at,
          updated_at: at,
        })
        .onConflict((oc) => oc.doNothing())
        .executeTakeFirst();
      if (Number(inserted.numInsertedOrUpdatedRows ?? 0) !== 1) continue;
      const parameters = parseParameters(rule.kind, rule.parameters, 'stored');
      await insertVersion(tx, tenant, rule.rule_id, 1, 'active', parameters, 'system', at, {
        note: 'Bundled with AEGIS',
      });
      added.push(rule.rule_key);
    }
    return added;
  });
}

/** `ensureBundledRules` at most once per tenant and process (retried after a failure). */
export function bundledSeeder(store: Store, now: () => number = Date.now): (tenant: string) => Promise<void> {
  const seeded = new Map<string, Promise<void>>();
  return (tenant) => {
    let pending = seeded.get(tenant);
    if (!pending) {
      pending = ensureBundledRules(store, tenant, now).then(
        () => undefined,
        (err: unknown) => {
          seeded.delete(tenant);
          throw err;
        },
      );
      seeded.set(tenant, pending);
    }
    return pending;
  };
}
