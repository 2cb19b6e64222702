import type { ServiceApi } from '@aegis/common';
import { jobRoutes, type JobRouteDeps } from './jobs';
import { recordRoutes, type RecordRouteDeps } from './records';
import { rrcRoutes, type RrcRouteDeps } from './rrc';
import { OPENAPI_INFO } from './schemas';
import { uploadRoutes, type UploadRouteDeps } from './upload';

export interface IngestionRouteDeps extends Omit<
  UploadRouteDeps & RrcRouteDeps & RecordRouteDeps & JobRouteDeps,
  'maxRecords'
> {
  /** Most records (or readings) per /extract or /ingest/scada request. */
  maxRecordsPerRequest: number;
}

/** Every route of the ingestion service, and the OpenAPI document generated from them at
 * /openapi.json (where the gateway reads it). */
export function ingestionRoutes(api: ServiceApi, deps: IngestionRouteDeps): void {
  uploadRoutes(api, deps);
  rrcRoutes(api, deps);
  recordRoutes(api, { ...deps, maxRecords: deps.maxRecordsPerRequest });
  jobRoutes(api, deps);
  api.serveDocument(OPENAPI_INFO, ['/openapi.json']);
}

export { OPENAPI_INFO };
