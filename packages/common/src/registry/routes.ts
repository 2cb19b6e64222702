import type { RouteMethod } from '../gateway-config/document';
import { SERVICES, type Service, type ServiceName } from './services';

/** One row of the gateway's route table (the gateway validates it with its own schema). */
export interface RouteRow {
  prefix: string;
  service: ServiceName;
  timeoutMs?: number;
  methods?: RouteMethod[];
}

/** The route table document the gateway reads (spec/api.md §1): service addresses and route rows. */
export interface RouteTableDocument {
  services: Record<ServiceName, { url: string }>;
  routes: RouteRow[];
}

export interface RouteTableOptions {
  /** Address of a service; loopback on its registry port by default (the local platform). */
  serviceUrl?: (service: Service) => string;
}

/** The default route table, from the registry: every service, implemented or planned (the gateway
 * answers 503 for a planned one), and every prefix it owns. A fresh object on each call. */
export function defaultRouteTable(options: RouteTableOptions = {}): RouteTableDocument {
  const url = options.serviceUrl ?? ((s: Service) => `http://127.0.0.1:${s.port}`);
  const services = Object.fromEntries(SERVICES.map((s) => [s.name, { url: url(s) }])) as Record<
    ServiceName,
    { url: string }
  >;
  const routes = SERVICES.flatMap((s) =>
    s.routes.map((r): RouteRow => ({
      prefix: r.prefix,
      service: s.name,
      ...(r.timeoutMs ? { timeoutMs: r.timeoutMs } : {}),
      ...(r.methods ? { methods: [...r.methods] } : {}),
    })),
  );
  return { services, routes };
}
