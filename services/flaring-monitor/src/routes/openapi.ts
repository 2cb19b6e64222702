import type { OpenApiInfo, ServiceApi } from '@aegis/common';

export const OPENAPI_INFO: OpenApiInfo = {
  title: 'AEGIS flaring-monitor service',
  version: '1.0.0',
  service: 'flaring-monitor',
  description: 'Service paths; through the gateway they are under /api/v1.',
};

/** The document generated from the routes, at /openapi.json and under /flaring so it is reachable
 * through the gateway (/api/v1/flaring/openapi.json). */
export function openApiRoutes(api: ServiceApi): void {
  api.serveDocument(OPENAPI_INFO, ['/openapi.json', '/flaring/openapi.json']);
}
