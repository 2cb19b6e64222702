import type { OpenApiInfo, ServiceApi } from '@aegis/common';

export const OPENAPI_INFO: OpenApiInfo = {
  title: 'AEGIS memory service',
  version: '1.0.0',
  service: 'memory',
  description:
    'Internal: not routed by the gateway. Services call it directly with their own tokens (a client-credentials service token, ADR 0019; a service token names the tenant with `tenant_id`).',
};

/** The document generated from the routes, at /openapi.json. */
export function openApiRoutes(api: ServiceApi): void {
  api.serveDocument(OPENAPI_INFO, ['/openapi.json']);
}
