import {
  compareResourceVersions,
  GATEWAY_CONFIG_MAP,
  GATEWAY_TENANT_PIECES,
  gatewayTenantEntrySchema,
  type Logger,
} from '@aegis/common';
import {
  type ConfigMap,
  configMapsResource,
  Informer,
  type KubeApi,
  type WatchRestartReason,
} from '@aegis/kube';
import type { ConfigSink, ConfigSource } from './source';

export interface KubernetesSourceOptions {
  api: Pick<KubeApi, 'list' | 'watch'>;
  namespace: string;
  configMap: string;
  logger: Logger;
  /** The server ends each watch after this long and the source watches again from where it was; a
   * watch silent for twice as long is restarted by the watchdog (guards against a silent watch). */
  resyncMs?: number;
  /** Backoff after a failed list or watch: doubles from min to max. */
  minBackoffMs?: number;
  maxBackoffMs?: number;
  onWatchRestart?: (reason: WatchRestartReason) => void;
  /** Told whenever what the replica runs from the per-tenant pieces changes (for its Lease). */
  onApplied?: (state: AppliedState) => void;
}

/** What a replica reports to the operator: the watermark of the per-tenant pieces it runs (every
 * piece written at or below this resourceVersion is applied) and the pieces it refused. */
export interface AppliedState {
  version?: string;
  rejected: string[];
}

export interface KubernetesSource extends ConfigSource {
  applied(): AppliedState;
}

interface Piece {
  entry: object;
  resourceVersion: string;
}

/**
 * The Kubernetes configuration source (docs/adr/0022-operator-at-fleet-scale.md): the operator's small
 * global ConfigMap (routes and services; followed by name) plus every per-tenant piece (ConfigMaps
 * labelled GATEWAY_TENANT_PIECES, followed with one label-selected watch), assembled into one
 * document for the holder. Both use the shared list-then-watch informer (@aegis/kube: relist on 410
 * Gone, capped exponential backoff, watchdog). Nothing here ever drops the running configuration: a
 * missing, deleted or unreadable global ConfigMap is reported to the sink as an error, and the holder
 * keeps serving the last good one; a piece that does not validate is refused on its own (its last
 * good entry keeps running, and the replica reports the refusal) while every other tenant flows.
 */
export function createKubernetesSource(options: KubernetesSourceOptions): KubernetesSource {
  const { api, namespace, configMap, logger } = options;
  const resyncMs = options.resyncMs ?? 30_000;
  const origin = `kubernetes:${namespace}/${configMap}`;
  const key = GATEWAY_CONFIG_MAP.documentKey;
  let sink: ConfigSink;
  let started = false;
  let scheduled = false;
  let global: { doc: { tenants?: unknown }; resourceVersion: string } | undefined;
  let lastGlobalVersion: string | undefined;
  const pieces = new Map<string, Piece>();
  const rejected = new Map<string, string>();
  let seen: string | undefined;
  let applied: AppliedState = { rejected: [] };
  let lastDuplicates = '';

  const deliverGlobal = (cm: ConfigMap) => {
    const resourceVersion = cm.metadata.resourceVersion ?? '';
    if (resourceVersion === lastGlobalVersion) return;
    lastGlobalVersion = resourceVersion;
    const text = cm.data?.[key];
    if (text === undefined) {
      sink.error(new Error(`ConfigMap ${namespace}/${configMap} has no ${key}`));
      return;
    }
    try {
      global = { doc: JSON.parse(text) as { tenants?: unknown }, resourceVersion };
    } catch {
      sink.error(new Error(`ConfigMap ${namespace}/${configMap}: ${key} is not valid JSON`));
      return;
    }
    // The global document is delivered at once (pieces are coalesced, see schedule).
    if (started) deliver();
  };

  const refuse = (name: string, message: string) => {
    if (rejected.get(name) !== message)
      logger.error(
        { configMap: name, issue: message },
        'Refused a tenant configuration piece; kept its last good one',
      );
    rejected.set(name, message);
  };

  const upsertPiece = (cm: ConfigMap) => {
    const name = cm.metadata.name;
    const resourceVersion = cm.metadata.resourceVersion ?? '';
    if (seen === undefined || (compareResourceVersions(resourceVersion, seen) ?? 0) > 0)
      seen = resourceVersion;
    const text = cm.data?.[GATEWAY_TENANT_PIECES.entryKey];
    let entry: unknown;
    try {
      entry = text === undefined ? undefined : JSON.parse(text);
    } catch {
      refuse(name, `${GATEWAY_TENANT_PIECES.entryKey} is not valid JSON`);
      return schedule();
    }
    const parsed = gatewayTenantEntrySchema.safeParse(entry);
    if (!parsed.success) {
      const issues = parsed.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`);
      refuse(name, text === undefined ? `no ${GATEWAY_TENANT_PIECES.entryKey}` : issues.join('; '));
      return schedule();
    }
    rejected.delete(name);
    pieces.set(name, { entry: entry as object, resourceVersion });
    schedule();
  };

  const deletePiece = (cm: ConfigMap) => {
    pieces.delete(cm.metadata.name);
    rejected.delete(cm.metadata.name);
    schedule();
  };

  /** Coalesces a burst of changes (a relist, a watch chunk) into one delivery. */
  function schedule(): void {
    if (!started || scheduled) return;
    scheduled = true;
    setImmediate(deliver);
  }

  function deliver(): void {
    scheduled = false;
    if (!global) return;
    const watermark = seen;
    // Two pieces may not claim one tenant id (the operator never writes that: a piece is named after
    // its tenant id); if they do, the later one by name is refused, not the whole configuration.
    const ids = new Set<string>();
    const pieceEntries: unknown[] = [];
    const duplicates: string[] = [];
    for (const name of [...pieces.keys()].sort()) {
      const piece = pieces.get(name)!;
      const id = tenantIdOf(piece.entry);
      if (ids.has(id)) duplicates.push(name);
      else {
        ids.add(id);
        pieceEntries.push(piece.entry);
      }
    }
    if (duplicates.join(',') !== lastDuplicates) {
      lastDuplicates = duplicates.join(',');
      if (duplicates.length > 0)
        logger.error({ configMaps: duplicates }, 'Refused tenant pieces claiming a tenant id already served');
    }
    // Tenants inline in the global document (an operator that predates per-tenant pieces writes them
    // there, ADR 0022's upgrade path): a piece for the same tenant id wins.
    const inline = (Array.isArray(global.doc.tenants) ? (global.doc.tenants as unknown[]) : []).filter(
      (t) => !ids.has(tenantIdOf(t)),
    );
    const doc =
      pieces.size === 0 && rejected.size === 0
        ? global.doc
        : { ...global.doc, tenants: [...inline, ...pieceEntries] };
    const outcome = sink.document(
      doc,
      `${origin}@${global.resourceVersion}+${pieces.size} tenants@${watermark ?? '0'}`,
    );
    if (outcome === 'rejected') return;
    // Listed with no piece at all: '0' still says "this replica follows pieces" (ADR 0022).
    const version = watermark ?? (pieceInformer.hasSynced() ? '0' : undefined);
    const next: AppliedState = {
      ...(version !== undefined ? { version } : {}),
      rejected: [...new Set([...rejected.keys(), ...duplicates])].sort(),
    };
    if (next.version !== applied.version || next.rejected.join(',') !== applied.rejected.join(',')) {
      applied = next;
      options.onApplied?.(applied);
    }
  }

  let firstAttempt: (() => void) | undefined;
  const informerOptions = {
    api,
    resource: configMapsResource(namespace),
    watchTimeoutSeconds: Math.max(1, Math.round(resyncMs / 1000)),
    idleTimeoutMs: 2 * resyncMs,
    resyncMs: 0,
    backoff: { baseMs: options.minBackoffMs ?? 200, maxMs: options.maxBackoffMs ?? 10_000 },
    log: logger,
    onRestart: (reason: WatchRestartReason) => {
      if (reason === 'list-failed') {
        logger.warn({ reason }, 'Lost the gateway configuration watch; kept the running configuration');
        firstAttempt?.();
      }
      options.onWatchRestart?.(reason);
    },
  };
  const globalInformer = new Informer<ConfigMap>({
    ...informerOptions,
    name: 'gateway-config',
    fieldSelector: `metadata.name=${configMap}`,
    onUpsert: deliverGlobal,
    onDelete: () => sink.error(new Error(`ConfigMap ${namespace}/${configMap} was deleted`)),
  });
  const pieceInformer = new Informer<ConfigMap>({
    ...informerOptions,
    name: 'gateway-config-tenants',
    labelSelector: GATEWAY_TENANT_PIECES.labelSelector,
    onUpsert: upsertPiece,
    onDelete: deletePiece,
  });
  const firstSync = (informer: Informer<ConfigMap>) =>
    new Promise<boolean>((resolve) => {
      const previous = firstAttempt;
      firstAttempt = () => {
        previous?.();
        resolve(false);
      };
      informer.start().then(
        () => resolve(true),
        () => resolve(false),
      );
    });

  return {
    name: 'kubernetes',
    applied: () => applied,
    async start(s: ConfigSink) {
      sink = s;
      // Resolves after the first lists, or after they failed (the informers keep retrying): the
      // gateway starts either way and is ready once a configuration arrives.
      const [synced] = await Promise.all([firstSync(globalInformer), firstSync(pieceInformer)]);
      firstAttempt = undefined;
      started = true;
      if (global) deliver();
      if (synced && !globalInformer.get(configMap))
        sink.error(new Error(`ConfigMap ${namespace}/${configMap} does not exist yet`));
    },
    async stop() {
      await Promise.all([globalInformer.stop(), pieceInformer.stop()]);
    },
  };
}

function tenantIdOf(entry: unknown): string {
  const e = entry as { name?: string; spec?: { tenantId?: string } } | null;
  return e?.spec?.tenantId ?? e?.name ?? '';
}
