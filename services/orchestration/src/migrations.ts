import type { Migration } from '@aegis/common';
import { CHECKLISTS_MIGRATIONS } from './checklists';
import { RULES_MIGRATIONS } from './rules';
import { ORCHESTRATION_MIGRATIONS } from './store/migrations';

/** Every table of the service: the runs and conversations, then each module's own (their ids are
 * prefixed by the module, so they never collide). */
export const SERVICE_MIGRATIONS: readonly Migration[] = [
  ...ORCHESTRATION_MIGRATIONS,
  ...CHECKLISTS_MIGRATIONS,
  ...RULES_MIGRATIONS,
];
