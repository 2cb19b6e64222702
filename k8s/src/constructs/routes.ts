import fs from 'node:fs';
import path from 'node:path';
import { parse, stringify } from 'yaml';
import { BACKEND_SERVICES, labelsOf, ROUTES_CONFIGMAP, serviceUrl } from '../names';
import type { AegisBaseChart } from '../objects';
import { REPO_ROOT } from '../operator-config';

/** The repository's route table (the gateway's default, with loopback URLs). */
export const ROUTES_FILE = path.join(REPO_ROOT, 'gateway', 'config', 'routes.yaml');

interface RouteTable {
  services: Record<string, { url: string }>;
  routes: unknown[];
}

/**
 * The route table of the cluster: the repository's routes, with every service's URL replaced by its
 * Service in the namespace. Pure: the caller reads the file.
 */
export function clusterRoutes(source: string, namespace: string): RouteTable {
  const table = parse(source) as RouteTable;
  if (!table || typeof table.services !== 'object' || !Array.isArray(table.routes)) {
    throw new Error('route table must have services and routes');
  }
  const services: RouteTable['services'] = {};
  for (const name of Object.keys(table.services)) {
    const known = BACKEND_SERVICES.find((s) => s.name === name);
    if (!known) throw new Error(`route table names an unknown service ${JSON.stringify(name)}`);
    services[name] = { url: serviceUrl(known.name, namespace, known.port) };
  }
  return { services, routes: table.routes };
}

/** The routes ConfigMap the operator mounts (ROUTES_FILE) and compiles into the gateway configuration. */
export function addRoutesConfig(chart: AegisBaseChart, source = fs.readFileSync(ROUTES_FILE, 'utf8')): void {
  const b = chart.binder;
  const table = clusterRoutes(source, b.namespace);
  chart.add('operator', {
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: { name: ROUTES_CONFIGMAP, namespace: b.namespace, labels: labelsOf('operator') },
    data: { 'routes.yaml': stringify(table, { lineWidth: 0 }) },
  });
}
