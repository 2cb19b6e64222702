/** The regulatory rules library: rules with versioned, typed parameters and a lifecycle, the bundled
 * statewide rules, the `/rules` routes and the reader the tools use. */
export * from './kinds';
export * from './lifecycle';
export * from './bundled';
export * from './impact';
export {
  createRuleParameters,
  type ActiveRule,
  type RuleParameters,
  type RuleParametersOptions,
} from './parameters';
export { rulesRoutes, type RulesRouteDeps } from './routes';
export { createRulesLibrary, type RulesLibrary } from './library';
export { RULES_MIGRATIONS } from './store/migrations';
export {
  asRulesStore,
  type RulesDatabase,
  type RulesDb,
  type RulesStore,
  type RulesTable,
  type RuleVersionsTable,
} from './store/schema';
export {
  listRules,
  listVersions,
  activeByKey,
  RULE_SORTABLE,
  VERSION_SORTABLE,
  type Rule,
  type RuleVersion,
  type RuleFilter,
  type RuleSource,
} from './store/rules';
export {
  addVersion,
  bundledSeeder,
  createRule,
  ensureBundledRules,
  newRuleId,
  ruleDetail,
  transitionVersion,
  type NewRule,
  type NewVersion,
  type RuleDetail,
  type TransitionOutcome,
  type TransitionRequest,
  type VersionSummary,
} from './store/operations';
export {
  createRuleBody,
  graphEntitySchema,
  newVersionBody,
  ruleDetailSchema,
  ruleSchema,
  ruleVersionSchema,
  transitionBody,
} from './api-schemas';
