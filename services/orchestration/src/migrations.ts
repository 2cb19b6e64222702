import { sweeperMigrations, type Migration } from '@aegis/common';
import { CHECKLISTS_MIGRATIONS } from './checklists';
import { FILINGS_MIGRATIONS } from './filings';
import { RULES_MIGRATIONS } from './rules';
import { monitorStateMigrations } from './schedule/state';
import { ORCHESTRATION_MIGRATIONS } from './store/migrations';
import { WORKSPACES_MIGRATIONS } from './workspaces';

/** Every table of the service: the runs and conversations, then each module's own (their ids are
 * prefixed by the module, so they never collide), the monitor agents' state and the kit's sweeper lease
 * (the schedule's one runner). Ids must ascend over the whole list: keep it in id order. No table
 * refers to another module's. */
export const SERVICE_MIGRATIONS: readonly Migration[] = [
  ...ORCHESTRATION_MIGRATIONS,
  ...CHECKLISTS_MIGRATIONS,
  ...FILINGS_MIGRATIONS,
  ...RULES_MIGRATIONS,
  ...monitorStateMigrations,
  ...sweeperMigrations,
  ...WORKSPACES_MIGRATIONS,
];
