import { GATEWAY_CONFIG_KEY as CONFIG_KEY, type Logger } from '@aegis/common';
import type { GatewayKubeApi, WatchHandle } from '../k8s/kube-api';
import type { ConfigSink, ConfigSource } from './source';

export interface KubernetesSourceOptions {
  api: GatewayKubeApi;
  namespace: string;
  configMap: string;
  logger: Logger;
  /** Full re-read even while the watch looks healthy (guards against a silent watch). */
  resyncMs?: number;
  /** Backoff after a failed list or watch: doubles from min to max. */
  minBackoffMs?: number;
  maxBackoffMs?: number;
  onWatchRestart?: (reason: string) => void;
}

export { CONFIG_KEY };

/** The Kubernetes configuration source: the operator's compiled ConfigMap, read with list-then-watch.
 * A failed list or watch is retried with capped exponential backoff (an expired resourceVersion means
 * relist); a periodic resync re-reads it anyway. Nothing here ever drops the running configuration:
 * a missing or unreadable ConfigMap is reported to the sink as an error, and the holder keeps serving
 * the last good one. */
export function createKubernetesSource(options: KubernetesSourceOptions): ConfigSource {
  const { api, namespace, configMap, logger } = options;
  const resyncMs = options.resyncMs ?? 30_000;
  const minBackoff = options.minBackoffMs ?? 200;
  const maxBackoff = options.maxBackoffMs ?? 10_000;
  let stopped = false;
  let watch: WatchHandle | undefined;
  let timer: NodeJS.Timeout | undefined;
  let resync: NodeJS.Timeout | undefined;
  let backoff = minBackoff;
  let lastVersion: string | undefined;
  let sink: ConfigSink;
  const origin = `kubernetes:${namespace}/${configMap}`;

  const deliver = (resourceVersion: string, data: Record<string, string>) => {
    if (resourceVersion === lastVersion) return;
    lastVersion = resourceVersion;
    const text = data[CONFIG_KEY];
    if (text === undefined) {
      sink.error(new Error(`ConfigMap ${namespace}/${configMap} has no ${CONFIG_KEY}`));
      return;
    }
    let doc: unknown;
    try {
      doc = JSON.parse(text);
    } catch {
      sink.error(new Error(`ConfigMap ${namespace}/${configMap}: ${CONFIG_KEY} is not valid JSON`));
      return;
    }
    sink.document(doc, `${origin}@${resourceVersion}`);
  };

  const schedule = (reason: string, delay: number) => {
    if (stopped) return;
    watch?.stop();
    watch = undefined;
    if (timer) clearTimeout(timer);
    options.onWatchRestart?.(reason);
    timer = setTimeout(() => void listAndWatch(), delay);
  };

  const failed = (reason: string) => {
    const delay = backoff;
    backoff = Math.min(maxBackoff, backoff * 2);
    logger.warn(
      { reason, retryInMs: delay },
      'Lost the gateway configuration watch; kept the running configuration',
    );
    schedule(reason, delay);
  };

  const listAndWatch = async (): Promise<void> => {
    if (stopped) return;
    let resourceVersion: string;
    try {
      const listed = await api.getConfigMap(namespace, configMap);
      resourceVersion = listed.resourceVersion;
      if (listed.configMap) deliver(listed.configMap.resourceVersion, listed.configMap.data);
      else sink.error(new Error(`ConfigMap ${namespace}/${configMap} does not exist yet`));
    } catch (err) {
      failed(`list failed: ${(err as Error).message}`);
      return;
    }
    if (stopped) return;
    try {
      let expired = false;
      watch = await api.watchConfigMap(
        namespace,
        configMap,
        resourceVersion,
        (event) => {
          backoff = minBackoff;
          if (event.type === 'ADDED' || event.type === 'MODIFIED') {
            deliver(event.configMap.resourceVersion, event.configMap.data);
          } else if (event.type === 'DELETED') {
            sink.error(new Error(`ConfigMap ${namespace}/${configMap} was deleted`));
          } else if (event.type === 'EXPIRED') {
            expired = true;
          }
        },
        (err) => {
          if (stopped) return;
          if (expired) schedule('resourceVersion expired', 0);
          else if (err) failed(`watch failed: ${err.message}`);
          // A server-side close (timeoutSeconds) is routine: watch again from a fresh list.
          else schedule('watch closed by the server', 0);
        },
      );
    } catch (err) {
      failed(`watch failed: ${(err as Error).message}`);
    }
  };

  return {
    name: 'kubernetes',
    async start(s: ConfigSink) {
      sink = s;
      await listAndWatch();
      resync = setInterval(() => schedule('periodic resync', 0), resyncMs);
      resync.unref();
    },
    async stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
      if (resync) clearInterval(resync);
      watch?.stop();
    },
  };
}
