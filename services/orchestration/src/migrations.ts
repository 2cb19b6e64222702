import type { Migration } from '@aegis/common';
import { CHECKLISTS_MIGRATIONS } from './checklists';
import { FILINGS_MIGRATIONS } from './filings';
import { RULES_MIGRATIONS } from './rules';
import { ORCHESTRATION_MIGRATIONS } from './store/migrations';
import { WORKSPACES_MIGRATIONS } from './workspaces';

/** Every table of the service: the runs and conversations, and each module's own. Ids are prefixed by
 * their module, so they never collide, and applied in ascending order as the kit requires (no table
 * refers to another module's). */
export const SERVICE_MIGRATIONS: readonly Migration[] = [
  ...ORCHESTRATION_MIGRATIONS,
  ...CHECKLISTS_MIGRATIONS,
  ...WORKSPACES_MIGRATIONS,
  ...FILINGS_MIGRATIONS,
  ...RULES_MIGRATIONS,
].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
