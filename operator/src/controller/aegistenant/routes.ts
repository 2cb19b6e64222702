import fs from 'node:fs';
import { describeIssues, gatewayRoutesSchema, type GatewayRoutes } from '@aegis/common';
import { parse } from 'yaml';

/** The route table and service addresses the operator puts into the gateway configuration (the
 * gateway's routes.yaml format), validated with the schema the gateway uses: a broken file stops the
 * operator at start-up instead of every gateway refusing the document. */
export type RoutesDocument = GatewayRoutes;

export function parseRoutesDocument(text: string, origin: string): RoutesDocument {
  const parsed = gatewayRoutesSchema.safeParse(parse(text));
  if (!parsed.success) {
    throw new Error(`${origin}: invalid routes file: ${describeIssues(parsed.error).join('; ')}`);
  }
  return parsed.data;
}

export function loadRoutesFile(file: string): RoutesDocument {
  return parseRoutesDocument(fs.readFileSync(file, 'utf8'), file);
}
