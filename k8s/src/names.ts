/** Names, labels and ports shared by every object (docs/kubernetes.md; the operator and the gateway
 * use the same names: /tmp contract "Contracts between the operator, the gateway and the manifests"). */

import { GATEWAY_CONFIG_MAP } from '@aegis/common';

export const APP = 'aegis';

/** Every component of the platform; the label app.kubernetes.io/component. */
export type Component = 'platform' | 'gateway' | 'operator' | 'redis' | 'postgresql' | ServiceComponent;

/** The eight backend services (the same list as SERVICE_NAMES in @aegis/common, checked by a test). */
export const BACKEND_SERVICES = [
  { name: 'auth', port: 8009 },
  { name: 'orchestration', port: 8001 },
  { name: 'memory', port: 8002 },
  { name: 'knowledge-graph', port: 8003 },
  { name: 'approvals', port: 8004 },
  { name: 'ingestion', port: 8005 },
  { name: 'compliance-monitor', port: 8006 },
  { name: 'flaring-monitor', port: 8007 },
] as const;
export type ServiceComponent = (typeof BACKEND_SERVICES)[number]['name'];

/** Admin port (metrics) of a backend service: port + 1000. */
export const adminPortOf = (port: number): number => port + 1000;

export const GATEWAY_PORT = 8000;
export const GATEWAY_ADMIN_PORT = 9000;
/** The operator serves /metrics, /health and /ready here. */
export const OPERATOR_ADMIN_PORT = 8080;
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

/** The one image's working directory; commands are relative to it. */
export const APP_DIR = '/app';
/** Unprivileged user of the image (Dockerfile USER). */
export const APP_UID = 10001;

/** The entry point of a component in the image (node <entry>). */
export function entryOf(component: 'gateway' | 'operator' | ServiceComponent): string {
  if (component === 'gateway' || component === 'operator') return `${component}/dist/main.js`;
  return `services/${component}/dist/main.js`;
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
