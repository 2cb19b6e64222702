import { createHash } from 'node:crypto';

/** JSON with object keys sorted (undefined members dropped), so equal values always serialise alike. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

/** The hash of a gateway configuration document: sha256 (hex) of its canonical JSON. The operator
 * writes it beside the document; every gateway replica reports the hash of the document it runs. */
export function configHash(document: unknown): string {
  return createHash('sha256').update(canonicalJson(document)).digest('hex');
}
