/**
 * Filing checklists: templates as versioned data, checklists with items and
 * artifacts, submit → a pre_filing approval, exception, reject. Self-contained: its own tables
 * (migration ids `checklists_…`), routes on the service's ServiceApi, storage behind an interface.
 */
export { checklistRoutes, type ChecklistRouteDeps } from './routes/checklists';
export { artifactRoutes } from './routes/artifacts';
export { CHECKLISTS_MIGRATIONS } from './store/migrations';
export type { ChecklistsDatabase, ChecklistsDb, ChecklistsStore } from './store/schema';
export {
  loadChecklistTemplates,
  BUNDLED_TEMPLATES,
  type TemplateCatalog,
  type LoadTemplatesOptions,
} from './templates/catalog';
export { ITEM_TYPES, type ChecklistTemplate, type TemplateItem, type ItemType } from './templates/schema';
export {
  CHECKLIST_STATUSES,
  ITEM_STATUSES,
  ITEM_TRANSITIONS,
  type ChecklistStatus,
  type ItemStatus,
} from './domain';
export { onChecklistApprovalDecided, SUBMIT_TOOL } from './submit';
export { getChecklist, patchItem, assertEditable, type ChecklistOpsDeps } from './operations';
export { listArtifacts } from './artifacts';
export type { ChecklistView, ItemView, ArtifactView, ExceptionView } from './views';
export {
  checklistsEnv,
  checklistsSettings,
  type ChecklistsSettings,
  type ArtifactStorageSettings,
} from './config';
export { createArtifactStore, type ArtifactStore } from './storage/factory';
export type { ArtifactStorage, SpooledFile } from './storage/types';
export { createLocalArtifactStorage } from './storage/local';
export { createS3ArtifactStorage, type S3StorageSettings } from './storage/s3';
export { checklistDeps, type ChecklistWiring } from './wiring';
export { checklistsInReview } from './in-review';
