import { GATEWAY_CONFIG_MAP, type Logger } from '@aegis/common';
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
}

/** The Kubernetes configuration source: the operator's compiled ConfigMap, followed with the shared
 * list-then-watch informer (@aegis/kube: relist on 410 Gone, capped exponential backoff, watchdog).
 * Nothing here ever drops the running configuration: a missing, deleted or unreadable ConfigMap is
 * reported to the sink as an error, and the holder keeps serving the last good one. */
export function createKubernetesSource(options: KubernetesSourceOptions): ConfigSource {
  const { api, namespace, configMap, logger } = options;
  const resyncMs = options.resyncMs ?? 30_000;
  const origin = `kubernetes:${namespace}/${configMap}`;
  let lastVersion: string | undefined;
  let sink: ConfigSink;

  const key = GATEWAY_CONFIG_MAP.documentKey;
  const deliver = (cm: ConfigMap) => {
    const resourceVersion = cm.metadata.resourceVersion ?? '';
    if (resourceVersion === lastVersion) return;
    lastVersion = resourceVersion;
    const text = cm.data?.[key];
    if (text === undefined) {
      sink.error(new Error(`ConfigMap ${namespace}/${configMap} has no ${key}`));
      return;
    }
    let doc: unknown;
    try {
      doc = JSON.parse(text);
    } catch {
      sink.error(new Error(`ConfigMap ${namespace}/${configMap}: ${key} is not valid JSON`));
      return;
    }
    sink.document(doc, `${origin}@${resourceVersion}`);
  };

  let firstAttempt: (() => void) | undefined;
  const informer = new Informer<ConfigMap>({
    name: 'gateway-config',
    api,
    resource: configMapsResource(namespace),
    fieldSelector: `metadata.name=${configMap}`,
    watchTimeoutSeconds: Math.max(1, Math.round(resyncMs / 1000)),
    idleTimeoutMs: 2 * resyncMs,
    resyncMs: 0,
    backoff: { baseMs: options.minBackoffMs ?? 200, maxMs: options.maxBackoffMs ?? 10_000 },
    log: logger,
    onUpsert: deliver,
    onDelete: () => sink.error(new Error(`ConfigMap ${namespace}/${configMap} was deleted`)),
    onRestart: (reason) => {
      if (reason === 'list-failed') {
        logger.warn({ reason }, 'Lost the gateway configuration watch; kept the running configuration');
        firstAttempt?.();
      }
      options.onWatchRestart?.(reason);
    },
  });

  return {
    name: 'kubernetes',
    async start(s: ConfigSink) {
      sink = s;
      // Resolves after the first list, or after it failed (the informer keeps retrying): the gateway
      // starts either way and is ready once a configuration arrives.
      const synced = await new Promise<boolean>((resolve) => {
        firstAttempt = () => resolve(false);
        informer.start().then(
          () => resolve(true),
          () => resolve(false),
        );
      });
      firstAttempt = undefined;
      if (synced && !informer.get(configMap))
        sink.error(new Error(`ConfigMap ${namespace}/${configMap} does not exist yet`));
    },
    async stop() {
      await informer.stop();
    },
  };
}
