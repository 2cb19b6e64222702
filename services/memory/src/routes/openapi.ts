import { serviceByName, type OpenApiInfo, type ServiceApi } from '@aegis/common';

export const OPENAPI_INFO: OpenApiInfo = {
  title: 'AEGIS memory service',
  version: '1.0.0',
  service: 'memory',
  description:
    'Internal: not routed by the gateway. Services call it directly with their own tokens (a client-credentials service token, ADR 0019; a service token names the tenant with `tenant_id`).',
  servers: [
    {
      url: `http://127.0.0.1:${serviceByName('memory').port}`,
      description: 'directly, on its own port (loopback by default)',
    },
  ],
};

/** The document generated from the routes, at /openapi.json. */
export function openApiRoutes(api: ServiceApi): void {
  api.serveDocument(OPENAPI_INFO, ['/openapi.json']);
}
