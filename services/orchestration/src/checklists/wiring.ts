import type { Logger } from '@aegis/common';
import type { ApprovalsClient } from '@aegis/approvals';
import type { KnowledgeGraphClient } from '@aegis/graph-client';
import type { ChecklistsSettings } from './config';
import type { ChecklistRouteDeps } from './routes/checklists';
import { createArtifactStore } from './storage/factory';
import type { ChecklistsStore } from './store/schema';
import { loadChecklistTemplates } from './templates/catalog';

export interface ChecklistWiring {
  settings: ChecklistsSettings;
  store: ChecklistsStore;
  /** The approvals client calling with the service token (the one the engine uses). */
  approvals: ApprovalsClient;
  /** The knowledge-graph client; new checklists' entities are checked in it. */
  kg?: KnowledgeGraphClient;
  /** The tool registry's names (`TOOL_NAMES`): a template naming another tool stops the start. */
  toolNames?: readonly string[];
  logger?: Logger;
  now?: () => number;
}

/** The dependencies of `checklistRoutes`, from the configuration and the service's clients. */
export function checklistDeps(w: ChecklistWiring): ChecklistRouteDeps {
  return {
    store: w.store,
    templates: loadChecklistTemplates({ toolNames: w.toolNames }),
    kg: w.kg,
    approvals: w.approvals,
    artifacts: createArtifactStore(w.settings.storage),
    artifactMaxBytes: w.settings.artifactMaxBytes,
    logger: w.logger,
    now: w.now ?? Date.now,
  };
}
