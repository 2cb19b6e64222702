import { z } from 'zod';
import { SERVICE_NAMES } from '../registry/services';
import { aegisTenantSpecSchema } from '../tenant/v1alpha1';

/**
 * The gateway configuration document: the route table, the service addresses and every tenant's spec.
 * The operator writes it (compiled, into one ConfigMap) and the gateway reads it (from that ConfigMap,
 * or assembled from two files locally); both validate it with these schemas, so they cannot disagree
 * on what a valid document is.
 */

/** The ConfigMap the operator writes and the gateway watches: its default name, the key holding the
 * document (JSON) and the key holding its configHash. */
export const GATEWAY_CONFIG_MAP = {
  name: 'aegis-gateway-config',
  documentKey: 'config.json',
  hashKey: 'hash',
} as const;
/** Annotation with configHash of the document: on the ConfigMap (operator) and on each gateway
 * replica's Lease (the configuration it runs). */
export const CONFIG_HASH_ANNOTATION = 'aegis.io/config-hash';

/**
 * Per-tenant delivery (docs/adr/0022-operator-at-fleet-scale.md): besides the small global ConfigMap
 * above (routes and services), each accepted tenant's compiled entry travels in its own ConfigMap,
 * labelled so the gateway follows all of them with one label-selected watch. No object holds every
 * tenant, so the fleet has no size ceiling; each piece is bounded by `maxBytes`.
 */
export const GATEWAY_TENANT_PIECES = {
  /** Label on every per-tenant piece; the gateway watches `labelSelector`. */
  label: 'aegis.io/gateway-config',
  value: 'tenant',
  labelSelector: 'aegis.io/gateway-config=tenant',
  /** Data key holding the tenant's gateway entry (gatewayTenantEntrySchema, JSON). */
  entryKey: 'gateway.json',
  /** Annotation with the tenant generation the piece carries. */
  generationAnnotation: 'aegis.io/tenant-generation',
  /** The API server refuses a ConfigMap whose data (keys and values) exceeds 1 MiB. */
  maxBytes: 1_048_576,
} as const;

/** On each gateway replica's Lease: the highest resourceVersion of the per-tenant pieces it has
 * applied (a watermark: every piece written at or below it is running), and the pieces it refused
 * (at most REJECTED_REPORT_LIMIT names, then `+N`). Both stay bounded whatever the fleet size. */
export const CONFIG_APPLIED_ANNOTATION = 'aegis.io/config-applied';
export const CONFIG_REJECTED_ANNOTATION = 'aegis.io/config-rejected';
export const REJECTED_REPORT_LIMIT = 16;

/** Compares two resourceVersions. They are opaque strings to clients, but the API server's (etcd's)
 * are increasing integers, which the watermark relies on; a non-numeric one compares as unknown. */
export function compareResourceVersions(a: string, b: string): number | undefined {
  if (!/^\d+$/.test(a) || !/^\d+$/.test(b)) return undefined;
  const x = BigInt(a);
  const y = BigInt(b);
  return x === y ? 0 : x < y ? -1 : 1;
}

/** The rejected-pieces annotation value: the first names, sorted, then `+N` for the rest. */
export function rejectedAnnotation(names: Iterable<string>): string {
  const all = [...names].sort();
  const shown = all.slice(0, REJECTED_REPORT_LIMIT);
  return all.length > shown.length ? [...shown, `+${all.length - shown.length}`].join(',') : shown.join(',');
}

/** The methods a route row may be restricted to (docs/adr/0028-method-aware-routes.md). HEAD follows
 * GET and OPTIONS is the gateway's own (the CORS preflight), so neither is listed. */
export const ROUTE_METHODS = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'] as const;
export type RouteMethod = (typeof ROUTE_METHODS)[number];

const routeMethodSchema = z.enum(ROUTE_METHODS, {
  error: (issue) =>
    `unknown method ${JSON.stringify(issue.input)}: must be one of ${ROUTE_METHODS.join(', ')} ` +
    '(upper case; HEAD follows GET, OPTIONS is answered by the gateway)',
});

/** One row of the route table (spec/api.md §1). */
export const gatewayRouteSchema = z
  .object({
    prefix: z
      .string()
      .regex(/^\/api\/v[0-9]+(\/[A-Za-z0-9._~-]+)*$/, 'must be a public path such as /api/v1/auth')
      .describe('Public path prefix, matched segment by segment; the longest matching prefix wins.'),
    service: z.enum(SERVICE_NAMES).describe('Service the route forwards to.'),
    stripPrefix: z
      .string()
      .regex(/^\/api\/v[0-9]+$/, 'must be a version prefix such as /api/v1')
      .optional()
      .describe('Prefix removed before forwarding; defaults to the version prefix of `prefix`.'),
    maxBodyBytes: z
      .number()
      .int()
      .min(0)
      .optional()
      .describe('Body limit for this route; the gateway default otherwise.'),
    timeoutMs: z.number().int().min(1).optional().describe('Upstream response timeout for this route.'),
    methods: z
      .array(routeMethodSchema)
      .min(1)
      .max(ROUTE_METHODS.length)
      .refine((m) => new Set(m).size === m.length, { message: 'must not name a method twice' })
      .optional()
      .describe(
        'Methods this row accepts (HEAD follows GET); every method when absent. A request whose method ' +
          'the longest matching row does not accept falls back to the next-longest row that does.',
      ),
  })
  .strict()
  .refine((r) => !r.stripPrefix || r.prefix === r.stripPrefix || r.prefix.startsWith(`${r.stripPrefix}/`), {
    message: 'stripPrefix must be a leading segment of prefix',
    path: ['stripPrefix'],
  });
export type GatewayRoute = z.infer<typeof gatewayRouteSchema>;

/** Where each service listens, as the gateway reaches it. */
export const gatewayServicesSchema = z.partialRecord(
  z.enum(SERVICE_NAMES),
  z.object({ url: z.url({ protocol: /^https?$/ }) }).strict(),
);

export const gatewayTenantEntrySchema = z
  .object({
    /** The AegisTenant's object name. */
    name: z.string().min(1).max(63),
    generation: z.number().int().min(0).optional(),
    spec: aegisTenantSpecSchema,
  })
  .strict();

/** The methods a row accepts, for overlap checks: every one when it lists none. */
const rowMethods = (r: { methods?: readonly string[] }): readonly string[] => r.methods ?? ROUTE_METHODS;

/** Two rows with the same prefix must not both accept a method: which of them serves it would depend
 * on their order. Rows of one prefix with disjoint `methods` are fine (GET to one service, POST to
 * another). */
function noOverlappingRows(
  doc: { routes: { prefix: string; methods?: readonly string[] }[] },
  ctx: z.RefinementCtx,
): void {
  const seen = new Map<string, { index: number; methods: readonly string[] }[]>();
  doc.routes.forEach((r, i) => {
    const earlier = seen.get(r.prefix) ?? [];
    const methods = rowMethods(r);
    for (const e of earlier) {
      const shared = methods.filter((m) => e.methods.includes(m));
      if (shared.length > 0) {
        ctx.addIssue({
          code: 'custom',
          path: ['routes', i, r.methods ? 'methods' : 'prefix'],
          message: `duplicate route prefix ${r.prefix} for ${shared.join(', ')} (routes.${e.index} accepts it too)`,
        });
        return;
      }
    }
    seen.set(r.prefix, [...earlier, { index: i, methods }]);
  });
}

/** The refinements of every document holding routes. */
function checkRoutes(
  doc: {
    routes: { prefix: string; service: string; methods?: readonly string[] }[];
    services: Partial<Record<string, unknown>>;
  },
  ctx: z.RefinementCtx,
): void {
  everyRouteHasAnAddress(doc, ctx);
  noOverlappingRows(doc, ctx);
}

const routesShape = {
  routes: z.array(gatewayRouteSchema).min(1).max(10_000),
  services: gatewayServicesSchema,
};

function everyRouteHasAnAddress(
  doc: { routes: { service: string }[]; services: Partial<Record<string, unknown>> },
  ctx: z.RefinementCtx,
): void {
  doc.routes.forEach((r, i) => {
    if (!doc.services[r.service]) {
      ctx.addIssue({
        code: 'custom',
        path: ['routes', i, 'service'],
        message: `no address for service ${r.service}`,
      });
    }
  });
}

/** The route table and service addresses alone (the gateway's routes.yaml, the operator's routes
 * ConfigMap): the document without tenants. */
export const gatewayRoutesSchema = z.object(routesShape).strict().superRefine(checkRoutes);
export type GatewayRoutes = z.infer<typeof gatewayRoutesSchema>;

/** The document's outer shape with the tenant entries left unparsed: the gateway validates each
 * entry on its own (gatewayTenantEntrySchema) and caches the result per entry. */
export const gatewayDocumentShellSchema = z
  .object({ ...routesShape, tenants: z.array(z.unknown()).max(100_000) })
  .strict()
  .superRefine(checkRoutes);
export const gatewayConfigDocumentSchema = z
  .object({ ...routesShape, tenants: z.array(gatewayTenantEntrySchema).max(100_000) })
  .strict()
  .superRefine(checkRoutes);
/** The document as written: tenant specs as stored, before defaults are applied. */
export type GatewayConfigDocument = z.input<typeof gatewayConfigDocumentSchema>;

/** "path: message" for each issue, the form both sides report a bad document in. */
export const describeIssues = (error: z.ZodError): string[] =>
  error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`);
