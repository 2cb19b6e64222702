import { defaultRouteTable, type RouteTableDocument } from '@aegis/common';
import { stringify } from 'yaml';
import { labelsOf, ROUTES_CONFIGMAP, serviceUrl } from '../names';
import type { AegisBaseChart } from '../objects';

/**
 * The route table of the cluster: the registry's default table, with every service's URL its Service
 * in the namespace. Planned services keep their rows (the gateway answers 503 for them). Pure.
 */
export function clusterRoutes(namespace: string): RouteTableDocument {
  return defaultRouteTable({ serviceUrl: (s) => serviceUrl(s.name, namespace, s.port) });
}

/** The routes ConfigMap the operator mounts (ROUTES_FILE) and compiles into the gateway configuration. */
export function addRoutesConfig(chart: AegisBaseChart): void {
  const b = chart.binder;
  chart.add('operator', {
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: { name: ROUTES_CONFIGMAP, namespace: b.namespace, labels: labelsOf('operator') },
    data: { 'routes.yaml': stringify(clusterRoutes(b.namespace), { lineWidth: 0 }) },
  });
}
