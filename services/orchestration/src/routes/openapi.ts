import type { OpenApiInfo, ServiceApi } from '@aegis/common';

export const OPENAPI_INFO: OpenApiInfo = {
  title: 'AEGIS orchestration service',
  version: '1.0.0',
  service: 'orchestration',
  description:
    'Agents, their runs and conversations. Service paths; through the gateway they are under /api/v1.',
};

/** The document generated from the routes, at /openapi.json and under /agents so it is reachable
 * through the gateway (/api/v1/agents/openapi.json). */
export function openApiRoutes(api: ServiceApi): void {
  api.serveDocument(OPENAPI_INFO, ['/openapi.json', '/agents/openapi.json']);
}
