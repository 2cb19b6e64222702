import fs from 'node:fs';
import path from 'node:path';
import { parseAllDocuments } from 'yaml';
import { aegisTenantSchema, defaultRouteTable, KIND } from '@aegis/common';
import { ConfigValidationError } from './document';
import type { ConfigSource, ConfigSink } from './source';

export interface FileSourceOptions {
  /** Empty: the registry's default route table (not watched). */
  routesFile: string;
  tenantsFile: string;
  /** Debounce for bursts of file events (editors write several times). */
  debounceMs?: number;
}

function readYamlDocuments(file: string): unknown[] {
  const text = fs.readFileSync(file, 'utf8');
  const docs = parseAllDocuments(text);
  const out: unknown[] = [];
  for (const d of docs) {
    if (d.errors.length > 0) throw new ConfigValidationError([`${file}: ${d.errors[0].message}`]);
    const value: unknown = d.toJS();
    if (value !== null && value !== undefined) out.push(value);
  }
  return out;
}

/** Reads AegisTenant resources: several YAML documents, or a List / AegisTenantList with `items`. */
export function readTenantResources(file: string): { name: string; generation?: number; spec: unknown }[] {
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
      },
    ];
  });
  if (issues.length > 0) throw new ConfigValidationError(issues);
  return tenants;
}

/** Assembles the gateway document from the route table (file or registry) and the tenant file. */
export function readFileDocument(options: FileSourceOptions): unknown {
  const [routesDoc] = (
    options.routesFile ? readYamlDocuments(options.routesFile) : [defaultRouteTable()]
  ) as [{ routes?: unknown; services?: unknown } | undefined];
  if (!routesDoc) throw new ConfigValidationError([`${options.routesFile}: empty`]);
  return {
    routes: routesDoc.routes,
    services: routesDoc.services,
    tenants: readTenantResources(options.tenantsFile),
  };
}

/** The local configuration source: two YAML files, watched. Tenants use the AegisTenant resource
 * shape (apiVersion aegis.io/v1alpha1), so the same documents can be applied to a cluster. */
export function createFileSource(options: FileSourceOptions): ConfigSource {
  const watchers: fs.FSWatcher[] = [];
  let timer: NodeJS.Timeout | undefined;
  let stopped = false;
  const files = [options.routesFile, options.tenantsFile].filter((f) => f !== '').map((f) => path.resolve(f));

  return {
    name: 'file',
    async start(sink: ConfigSink) {
      const load = () => {
        if (stopped) return;
        try {
          sink.document(readFileDocument(options), `file:${files.join(',')}`);
        } catch (err) {
          sink.error(err as Error);
        }
      };
      const schedule = () => {
        if (timer) clearTimeout(timer);
        timer = setTimeout(load, options.debounceMs ?? 100);
      };
      // Watch the folders, not the files: editors and `kubectl`-style tools replace files by rename.
      for (const dir of new Set(files.map((f) => path.dirname(f)))) {
        const names = new Set(files.filter((f) => path.dirname(f) === dir).map((f) => path.basename(f)));
        const w = fs.watch(dir, (_event, filename) => {
          if (!filename || names.has(filename.toString())) schedule();
        });
        w.on('error', (err) => sink.error(err));
        watchers.push(w);
      }
      load();
    },
    async stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
      watchers.forEach((w) => w.close());
    },
  };
}
