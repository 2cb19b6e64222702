import { GATEWAY, implementedServices, type Service, type ServiceName, serviceByName } from '@aegis/common';

/** Names, labels and ports shared by every object (docs/kubernetes.md); services, their ports and entry
 * points come from the service registry in @aegis/common. */

import { GATEWAY_CONFIG_MAP } from '@aegis/common';

export const APP = 'aegis';

/** Every component of the platform; the label app.kubernetes.io/component. */
export type Component = 'platform' | 'gateway' | 'operator' | 'redis' | 'postgresql' | ServiceComponent;
export type ServiceComponent = ServiceName;

/** The services the manifests deploy: the registry's implemented ones (a planned service has no entry
 * point in the image; its routes stay in the route table and answer 503). */
export const DEPLOYED_SERVICES: readonly Service[] = implementedServices();

export const GATEWAY_PORT = GATEWAY.port;
export const GATEWAY_ADMIN_PORT = GATEWAY.adminPort;
/** The operator serves /metrics, /health and /ready here. */
export const OPERATOR_ADMIN_PORT = 8080;
/** The operator's admission webhook (HTTPS) port, and its Service port (ADR 0023). */
export const OPERATOR_WEBHOOK_PORT = 9443;
export const OPERATOR_WEBHOOK_SERVICE_PORT = 443;
/** The webhook's serving certificate (the Helm chart makes it), and where the operator mounts it. */
export const WEBHOOK_TLS_SECRET = 'aegis-operator-webhook-tls';
export const WEBHOOK_CERT_MOUNT = '/etc/aegis/webhook';
export const REDIS_PORT = 6379;
export const POSTGRES_PORT = 5432;

/** The compiled gateway configuration the operator writes and the gateway watches. */
export const GATEWAY_CONFIGMAP = GATEWAY_CONFIG_MAP.name;
/** The route table (service URLs in the cluster) the operator compiles into the gateway configuration. */
export const ROUTES_CONFIGMAP = 'aegis-routes';
/** Where the routes ConfigMap is mounted in the operator. */
export const ROUTES_MOUNT = '/etc/aegis/routes';
/** External Redis/PostgreSQL URLs, rendered from the values into a Secret. */
export const EXTERNAL_URLS_SECRET = 'aegis-external-urls';

/** The Secret with the internal services' client-credentials secret when `serviceCredentials.
 * existingSecret` names none (the Helm chart creates it), and its key. */
export const SERVICE_CREDENTIALS_SECRET = 'aegis-service-credentials';
export const SERVICE_CREDENTIALS_KEY = 'service-client-secret';

/** The one image's working directory; commands are relative to it. */
export const APP_DIR = '/app';
/** Unprivileged user of the image (Dockerfile USER). */
export const APP_UID = 10001;

/** The entry point of a component in the image (node <entry>), relative to APP_DIR. */
export function entryOf(component: 'gateway' | 'operator' | ServiceComponent): string {
  if (component === 'gateway') return GATEWAY.entry;
  if (component === 'operator') return 'operator/dist/main.js';
  return serviceByName(component).entry;
}

/** Object name of a component: aegis-<component>. */
export const nameOf = (component: Component): string => `${APP}-${component}`;

/** The labels every object carries. */
export function labelsOf(component: Component): Record<string, string> {
  return {
    'app.kubernetes.io/name': APP,
    'app.kubernetes.io/part-of': APP,
    'app.kubernetes.io/component': component,
  };
}

/** The (immutable) selector of a component's pods. */
export function selectorOf(component: Component): Record<string, string> {
  return { 'app.kubernetes.io/name': APP, 'app.kubernetes.io/component': component };
}

/** In-cluster URL of a component's Service. */
export function serviceUrl(component: Component, namespace: string, port: number): string {
  return `http://${nameOf(component)}.${namespace}.svc:${port}`;
}
