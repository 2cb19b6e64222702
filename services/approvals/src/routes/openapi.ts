import type { OpenApiInfo, ServiceApi } from '@aegis/common';

export const OPENAPI_INFO: OpenApiInfo = {
  title: 'AEGIS approvals service',
  version: '1.0.0',
  service: 'approvals',
  description: 'Service paths; through the gateway they are under /api/v1.',
};

/** The document generated from the routes, at /openapi.json and under /approvals so it is reachable
 * through the gateway (/api/v1/approvals/openapi.json). */
export function openApiRoutes(api: ServiceApi): void {
  api.serveDocument(OPENAPI_INFO, ['/openapi.json', '/approvals/openapi.json']);
}
