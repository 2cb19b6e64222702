import fs from 'node:fs';
import { SERVICE_NAMES } from '@aegis/common';
import { parse } from 'yaml';
import { z } from 'zod';

/** The route table and service addresses the operator puts into the gateway configuration (the
 * gateway's routes.yaml format). The gateway validates every row again; this catches a broken file
 * at start-up instead of on every gateway. */
export const routesDocumentSchema = z
  .object({
    services: z.partialRecord(
      z.enum(SERVICE_NAMES),
      z.object({ url: z.url({ protocol: /^https?$/ }) }).strict(),
    ),
    routes: z
      .array(
        z.looseObject({
          prefix: z.string().regex(/^\/api\/v[0-9]+(\/[A-Za-z0-9._~-]+)*$/),
          service: z.enum(SERVICE_NAMES),
        }),
      )
      .min(1),
  })
  .superRefine((doc, ctx) => {
    doc.routes.forEach((r, i) => {
      if (!doc.services[r.service]) {
        ctx.addIssue({
          code: 'custom',
          path: ['routes', i, 'service'],
          message: `no address for service ${r.service}`,
        });
      }
    });
  });

export interface RoutesDocument {
  routes: unknown[];
  services: Record<string, { url: string }>;
}

export function parseRoutesDocument(text: string, origin: string): RoutesDocument {
  const parsed = routesDocumentSchema.safeParse(parse(text));
  if (!parsed.success) {
    const issues = parsed.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; ');
    throw new Error(`${origin}: invalid routes file: ${issues}`);
  }
  return { routes: parsed.data.routes, services: parsed.data.services };
}

export function loadRoutesFile(file: string): RoutesDocument {
  return parseRoutesDocument(fs.readFileSync(file, 'utf8'), file);
}
