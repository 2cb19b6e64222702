import fs from 'node:fs';
import path from 'node:path';
import { parseAllDocuments } from 'yaml';
import { aegisTenantSchema, KIND } from './v1alpha1';

/** The local tenant file (`config/tenants.yaml`): AegisTenant resources as YAML documents, or a List /
 * AegisTenantList with `items`. The gateway reads it for its configuration and the auth service for
 * tenant suspension, with this one reader, so both see the same tenants. */

/** A file that cannot be read as tenants; `issues` name each bad document and field. */
export class TenantFileError extends Error {
  constructor(readonly issues: string[]) {
    super(`invalid tenant file: ${issues.join('; ')}`);
    this.name = 'TenantFileError';
  }
}

/** Every non-empty YAML document of a file; a syntax error throws TenantFileError naming the file. */
export function readYamlDocuments(file: string): unknown[] {
  const text = fs.readFileSync(file, 'utf8');
  const out: unknown[] = [];
  for (const d of parseAllDocuments(text)) {
    if (d.errors.length > 0) throw new TenantFileError([`${file}: ${d.errors[0].message}`]);
    const value: unknown = d.toJS();
    if (value !== null && value !== undefined) out.push(value);
  }
  return out;
}

export interface TenantResource {
  name: string;
  generation?: number;
  /** The spec as written (defaults not applied), as the gateway document carries it. */
  spec: unknown;
  /** The tenant id in use (spec.tenantId, else the name) and whether it is suspended. */
  tenantId: string;
  suspended: boolean;
}

/** Reads and validates the AegisTenant resources of a file; any invalid one throws TenantFileError. */
export function readTenantResources(file: string): TenantResource[] {
  const docs = readYamlDocuments(file).flatMap((d) => {
    const obj = d as { kind?: string; items?: unknown[] };
    return obj && (obj.kind === 'List' || obj.kind === `${KIND}List`) && Array.isArray(obj.items)
      ? obj.items
      : [d];
  });
  const issues: string[] = [];
  const tenants = docs.flatMap((doc, i) => {
    const parsed = aegisTenantSchema.safeParse(doc);
    if (!parsed.success) {
      for (const issue of parsed.error.issues) {
        issues.push(`${path.basename(file)}[${i}].${issue.path.join('.')}: ${issue.message}`);
      }
      return [];
    }
    const t = parsed.data;
    return [
      {
        name: t.metadata.name,
        ...(t.metadata.generation !== undefined ? { generation: t.metadata.generation } : {}),
        spec: (doc as { spec: unknown }).spec,
        tenantId: t.spec.tenantId ?? t.metadata.name,
        suspended: t.spec.suspended,
      },
    ];
  });
  if (issues.length > 0) throw new TenantFileError(issues);
  return tenants;
}
