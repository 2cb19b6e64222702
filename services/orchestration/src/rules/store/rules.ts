import { containsText, listPage, NotFoundError, type PageParams, type Selectable } from '@aegis/common';
import type { GraphEntityRef, GraphLabel } from '../impact';
import type { RuleKind } from '../kinds';
import type { RuleStatus, VersionStatus } from '../lifecycle';
import type { RulesDb, RulesTable, RuleVersionsTable } from './schema';

export type RuleSource = 'bundled' | 'tenant';

/** A rule as the API shows it. */
export interface Rule {
  rule_id: string;
  rule_key: string;
  kind: RuleKind;
  title: string;
  citation: string;
  agency: string;
  description: string;
  /** The knowledge-graph entity the rule is about, or null. */
  graph_entity: GraphEntityRef | null;
  source: RuleSource;
  status: RuleStatus;
  active_version: number | null;
  latest_version: number;
  created_by: string;
  created_at: string;
  updated_at: string;
}

/** One version of a rule as the API shows it: its row without the tenant, parameters parsed. */
export type RuleVersion = Omit<RuleVersionsTable, 'tenant_id' | 'status' | 'parameters'> & {
  status: VersionStatus;
  parameters: Record<string, unknown>;
};

export type RuleRow = Selectable<RulesTable>;
export type RuleVersionRow = Selectable<RuleVersionsTable>;

export function toRule(row: RuleRow): Rule {
  return {
    rule_id: row.rule_id,
    rule_key: row.rule_key,
    kind: row.kind as RuleKind,
    title: row.title,
    citation: row.citation,
    agency: row.agency,
    description: row.description,
    graph_entity:
      row.graph_label === null || row.graph_id === null
        ? null
        : { label: row.graph_label as GraphLabel, id: row.graph_id },
    source: row.source as RuleSource,
    status: row.status as RuleStatus,
    active_version: row.active_version === null ? null : Number(row.active_version),
    latest_version: Number(row.latest_version),
    created_by: row.created_by,
    created_at: row.created_at,
    updated_at: row.updated_at,
  };
}

export function toRuleVersion(row: RuleVersionRow): RuleVersion {
  return {
    rule_id: row.rule_id,
    version: Number(row.version),
    status: row.status as VersionStatus,
    parameters: JSON.parse(row.parameters) as Record<string, unknown>,
    note: row.note,
    effective_from: row.effective_from,
    created_by: row.created_by,
    created_at: row.created_at,
    activated_at: row.activated_at,
    activated_by: row.activated_by,
    superseded_at: row.superseded_at,
    retired_at: row.retired_at,
    retired_by: row.retired_by,
    updated_at: row.updated_at,
  };
}

export async function findRuleRow(
  { db }: RulesDb,
  tenant: string,
  ruleId: string,
): Promise<RuleRow | undefined> {
  return db
    .selectFrom('rules')
    .selectAll()
    .where('tenant_id', '=', tenant)
    .where('rule_id', '=', ruleId)
    .executeTakeFirst();
}

/** The rule's row; 404 when the tenant has no rule of that id (another tenant's is indistinguishable). */
export async function ruleRow(db: RulesDb, tenant: string, ruleId: string): Promise<RuleRow> {
  const row = await findRuleRow(db, tenant, ruleId);
  if (!row) throw new NotFoundError('Rule not found');
  return row;
}

export async function findRuleByKey(
  { db }: RulesDb,
  tenant: string,
  ruleKey: string,
): Promise<RuleRow | undefined> {
  return db
    .selectFrom('rules')
    .selectAll()
    .where('tenant_id', '=', tenant)
    .where('rule_key', '=', ruleKey)
    .executeTakeFirst();
}

export async function findVersionRow(
  { db }: RulesDb,
  tenant: string,
  ruleId: string,
  version: number,
): Promise<RuleVersionRow | undefined> {
  return db
    .selectFrom('rule_versions')
    .selectAll()
    .where('tenant_id', '=', tenant)
    .where('rule_id', '=', ruleId)
    .where('version', '=', version)
    .executeTakeFirst();
}

/** Every version of a rule, oldest first. */
export async function versionRows(
  { db }: RulesDb,
  tenant: string,
  ruleId: string,
): Promise<RuleVersionRow[]> {
  return db
    .selectFrom('rule_versions')
    .selectAll()
    .where('tenant_id', '=', tenant)
    .where('rule_id', '=', ruleId)
    .orderBy('version')
    .execute();
}

export const RULE_SORTABLE = ['rule_key', 'title', 'citation', 'status', 'created_at', 'updated_at'] as const;
export type RuleSortable = (typeof RULE_SORTABLE)[number];

export interface RuleFilter {
  status?: RuleStatus;
  kind?: RuleKind;
  source?: RuleSource;
  rule_key?: string;
  /** Case-insensitive substring of the citation (`3.37` finds 16 TAC §3.37). */
  citation?: string;
  agency?: string;
}

export async function listRules(
  { db }: RulesDb,
  tenant: string,
  filter: RuleFilter,
  params: PageParams<RuleSortable>,
): Promise<{ rows: Rule[]; total: number }> {
  let query = db.selectFrom('rules').selectAll().where('tenant_id', '=', tenant);
  for (const column of ['status', 'kind', 'source', 'rule_key', 'agency'] as const) {
    const value = filter[column];
    if (value !== undefined) query = query.where(column, '=', value);
  }
  if (filter.citation !== undefined) query = query.where(containsText('citation', filter.citation));
  const { rows, total } = await listPage(query, params, { tiebreaker: 'rule_id' });
  return { rows: rows.map(toRule), total };
}

export const VERSION_SORTABLE = ['version', 'created_at', 'status'] as const;
export type VersionSortable = (typeof VERSION_SORTABLE)[number];

export async function listVersions(
  { db }: RulesDb,
  tenant: string,
  ruleId: string,
  filter: { status?: VersionStatus },
  params: PageParams<VersionSortable>,
): Promise<{ rows: RuleVersion[]; total: number }> {
  let query = db
    .selectFrom('rule_versions')
    .selectAll()
    .where('tenant_id', '=', tenant)
    .where('rule_id', '=', ruleId);
  if (filter.status !== undefined) query = query.where('status', '=', filter.status);
  const { rows, total } = await listPage(query, params, { tiebreaker: 'version' });
  return { rows: rows.map(toRuleVersion), total };
}

/** The active version of the tenant's rule `ruleKey` with its rule, or undefined when it has none. */
export async function activeByKey(
  { db }: RulesDb,
  tenant: string,
  ruleKey: string,
): Promise<{ rule: RuleRow; version: RuleVersionRow } | undefined> {
  const rule = await db
    .selectFrom('rules')
    .selectAll()
    .where('tenant_id', '=', tenant)
    .where('rule_key', '=', ruleKey)
    .executeTakeFirst();
  if (!rule || rule.active_version === null) return undefined;
  const version = await db
    .selectFrom('rule_versions')
    .selectAll()
    .where('tenant_id', '=', tenant)
    .where('rule_id', '=', rule.rule_id)
    .where('status', '=', 'active')
    .executeTakeFirst();
  return version ? { rule, version } : undefined;
}
