import fs from 'node:fs';
import path from 'node:path';
import {
  defaultRouteTable,
  readTenantResources as readTenants,
  readYamlDocuments as readYaml,
  TenantFileError,
} from '@aegis/common';
import { ConfigValidationError } from './document';
import type { ConfigSource, ConfigSink } from './source';

export interface FileSourceOptions {
  /** Empty: the registry's default route table (not watched). */
  routesFile: string;
  tenantsFile: string;
  /** Debounce for bursts of file events (editors write several times). */
  debounceMs?: number;
}

/** The shared tenant-file reader (@aegis/common), its errors reported as configuration errors. */
function asConfigError<T>(read: () => T): T {
  try {
    return read();
  } catch (err) {
    if (err instanceof TenantFileError) throw new ConfigValidationError(err.issues);
    throw err;
  }
}
const readYamlDocuments = (file: string): unknown[] => asConfigError(() => readYaml(file));

/** Reads AegisTenant resources: several YAML documents, or a List / AegisTenantList with `items`. */
export function readTenantResources(file: string): { name: string; generation?: number; spec: unknown }[] {
  return asConfigError(() => readTenants(file)).map(({ name, generation, spec }) => ({
    name,
    ...(generation !== undefined ? { generation } : {}),
    spec,
  }));
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
