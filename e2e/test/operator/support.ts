import fs from 'node:fs';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { configHash } from '@aegis/common';
import { freePort, repoRoot, type RunningProcess, startNodeProcess } from '@aegis/testing';
import { type ControlPlane, type KubeClient } from '@aegis/e2e';

/** Helpers of the operator suites: run the built operator as a process, read its metrics, play a
 * gateway replica by keeping a Lease the way the contract says a replica does. */

export const NS = 'aegis';
export const GATEWAY_CM = 'aegis-gateway-config';
export const tenantsPath = `/apis/aegis.io/v1alpha1/namespaces/${NS}/aegistenants`;
export const configMapsPath = `/api/v1/namespaces/${NS}/configmaps`;
export const leasesPath = `/apis/coordination.k8s.io/v1/namespaces/${NS}/leases`;
export const operatorDir = path.join(repoRoot, 'operator');

/** Polls until `check` returns a value, failing with `what` (and the last error) after `timeoutMs`. */
export async function eventually<T>(
  what: string,
  timeoutMs: number,
  check: () => Promise<T | undefined>,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const value = await check();
      if (value !== undefined) return value;
    } catch (err) {
      last = err;
    }
    if (Date.now() > deadline) {
      throw new Error(
        `timed out after ${timeoutMs} ms: ${what}${last ? ` (last error: ${(last as Error).message})` : ''}`,
      );
    }
    await sleep(200);
  }
}

/** Installs what `kubectl apply -f operator/config/{crd,rbac}` installs and waits for the CRD. */
export async function installOperatorConfig(cp: ControlPlane): Promise<void> {
  await cp.kubectl(['apply', '-f', path.join(operatorDir, 'config', 'samples', '00-namespace.yaml')]);
  await cp.kubectl(['apply', '--server-side', '-f', path.join(operatorDir, 'config', 'crd')]);
  await cp.kubectl(['apply', '-f', path.join(operatorDir, 'config', 'rbac')]);
  await cp.kubectl(['wait', '--for=condition=Established', '--timeout=60s', 'crd/aegistenants.aegis.io']);
  const k = cp.client();
  await eventually('the AegisTenant resource to be served', 30_000, async () =>
    (await k.request('GET', tenantsPath)).status === 200 ? true : undefined,
  );
}

/** A kubeconfig for the operator's own ServiceAccount (a TokenRequest), so the suite runs it with
 * exactly the generated RBAC. */
export async function serviceAccountKubeconfig(cp: ControlPlane, dir: string): Promise<string> {
  const res = await cp
    .client()
    .request('POST', `/api/v1/namespaces/${NS}/serviceaccounts/aegis-operator/token`, {
      body: {
        apiVersion: 'authentication.k8s.io/v1',
        kind: 'TokenRequest',
        spec: { expirationSeconds: 7200 },
      },
    });
  if (res.status !== 201) throw new Error(`TokenRequest: ${res.status} ${JSON.stringify(res.body)}`);
  const token = res.body.status.token as string;
  const ca = fs.readFileSync(cp.caCertPath!).toString('base64');
  const file = path.join(dir, 'operator-kubeconfig');
  fs.writeFileSync(
    file,
    [
      'apiVersion: v1',
      'kind: Config',
      'clusters:',
      `- name: test\n  cluster:\n    server: ${cp.server}\n    certificate-authority-data: ${ca}`,
      'users:',
      `- name: aegis-operator\n  user:\n    token: ${token}`,
      'contexts:',
      '- name: test\n  context:\n    cluster: test\n    user: aegis-operator\n    namespace: aegis',
      'current-context: test',
      '',
    ].join('\n'),
    { mode: 0o600 },
  );
  return file;
}

export interface OperatorProcess {
  name: string;
  port: number;
  proc: RunningProcess;
  metrics(): Promise<Map<string, number>>;
  /** Sum of a metric over the series whose labels contain every `match` pair. */
  metric(name: string, match?: Record<string, string>): Promise<number>;
}

export async function startOperator(
  name: string,
  kubeconfig: string,
  extraEnv: Record<string, string> = {},
): Promise<OperatorProcess> {
  const port = await freePort();
  const proc = await startNodeProcess({
    name,
    entry: 'operator/dist/main.js',
    env: {
      KUBECONFIG: kubeconfig,
      ADMIN_PORT: String(port),
      POD_NAME: name,
      LOG_LEVEL: 'info',
      LEASE_DURATION_SECONDS: '4',
      RENEW_DEADLINE_SECONDS: '3',
      RETRY_PERIOD_SECONDS: '1',
      BACKOFF_BASE_MS: '200',
      BACKOFF_MAX_MS: '2000',
      ...extraEnv,
    },
    readyUrl: `http://127.0.0.1:${port}/readyz`,
    timeoutMs: 30_000,
  });
  const metrics = async () => {
    const text = await (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
    const out = new Map<string, number>();
    for (const line of text.split('\n')) {
      if (!line || line.startsWith('#')) continue;
      const i = line.lastIndexOf(' ');
      out.set(line.slice(0, i), Number(line.slice(i + 1)));
    }
    return out;
  };
  return {
    name,
    port,
    proc,
    metrics,
    async metric(metricName, match = {}) {
      let sum = 0;
      for (const [series, value] of await metrics()) {
        if (series !== metricName && !series.startsWith(`${metricName}{`)) continue;
        if (Object.entries(match).every(([k, v]) => series.includes(`${k}="${v}"`))) sum += value;
      }
      return sum;
    },
  };
}

const microTime = (ms: number) => new Date(ms).toISOString().replace(/\.(\d{3})Z$/, '.$1000Z');

/** The labelled per-tenant pieces the gateways follow (docs/adr/0022). */
const PIECES_SELECTOR = 'aegis.io/gateway-config%3Dtenant';

interface ConfigMapBody {
  metadata: { name: string; resourceVersion: string; annotations?: Record<string, string> };
  data?: Record<string, string>;
}

/** What a gateway assembles: the global document's routes and services and every piece's entry, in
 * the order of the pieces' names; with the resourceVersion of the list (every piece written at or
 * below it is included). */
async function assembledConfig(k: KubeClient, timeoutMs?: number) {
  const global = await k.request('GET', `${configMapsPath}/${GATEWAY_CM}`, timeoutMs ? { timeoutMs } : {});
  if (global.status !== 200 || !global.body.data?.['config.json']) return undefined;
  const list = await k.request(
    'GET',
    `${configMapsPath}?labelSelector=${PIECES_SELECTOR}`,
    timeoutMs ? { timeoutMs } : {},
  );
  if (list.status !== 200) return undefined;
  const pieces = (list.body.items as ConfigMapBody[]).sort((a, b) =>
    a.metadata.name.localeCompare(b.metadata.name),
  );
  const globalDoc = JSON.parse(global.body.data['config.json']);
  const document = {
    ...globalDoc,
    tenants: [...globalDoc.tenants, ...pieces.map((p) => JSON.parse(p.data!['gateway.json']))],
  };
  return {
    global: global.body as ConfigMapBody,
    pieces,
    document,
    hash: configHash(document),
    version: list.body.metadata.resourceVersion as string,
  };
}

/**
 * Plays one gateway replica as the contract describes: a Lease `aegis-gateway-<replica>` with the
 * gateway labels, leaseDurationSeconds 15, renewTime refreshed every 5 s and at once after it
 * "loads" a new configuration (the global ConfigMap plus the labelled per-tenant pieces), reporting
 * the hash of what it runs and the watermark of the pieces it applied.
 */
export class FakeGatewayReplica {
  private timer: NodeJS.Timeout | undefined;
  private hash: string | undefined;
  private applied: string | undefined;
  private lastRenew = 0;
  private busy = false;
  readonly leaseName: string;

  constructor(
    private readonly k: KubeClient,
    readonly replica: string,
  ) {
    this.leaseName = `aegis-gateway-${replica}`;
  }

  start(): void {
    this.timer = setInterval(() => void this.tick(), 250);
  }

  private async tick(): Promise<void> {
    if (this.busy) return;
    this.busy = true;
    try {
      const config = await assembledConfig(this.k, 2000);
      let loaded = false;
      if (config) {
        loaded = config.hash !== this.hash || config.version !== this.applied;
        this.hash = config.hash;
        this.applied = config.version;
      }
      if (this.hash && (loaded || Date.now() - this.lastRenew >= 5000)) await this.renew();
    } catch {
      // the API server may be down: the replica keeps running its last configuration
    } finally {
      this.busy = false;
    }
  }

  private async renew(): Promise<void> {
    const now = Date.now();
    const lease = {
      apiVersion: 'coordination.k8s.io/v1',
      kind: 'Lease',
      metadata: {
        name: this.leaseName,
        namespace: NS,
        labels: { 'app.kubernetes.io/name': 'aegis', 'app.kubernetes.io/component': 'gateway' },
        annotations: { 'aegis.io/config-hash': this.hash!, 'aegis.io/config-applied': this.applied! },
      },
      spec: { holderIdentity: this.replica, leaseDurationSeconds: 15, renewTime: microTime(now) },
    };
    const res = await this.k.request(
      'PATCH',
      `${leasesPath}/${this.leaseName}?fieldManager=fake-gateway&force=true`,
      {
        body: lease,
        contentType: 'application/apply-patch+yaml',
        timeoutMs: 2000,
      },
    );
    if (res.status === 200 || res.status === 201) this.lastRenew = now;
  }

  runningHash(): string | undefined {
    return this.hash;
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    while (this.busy) await sleep(20);
    await this.k.request('DELETE', `${leasesPath}/${this.leaseName}`).catch(() => undefined);
  }
}

export interface TenantView {
  generation: number;
  resourceVersion: string;
  observedGeneration?: number;
  conditions: Record<
    string,
    { status: string; reason: string; message: string; observedGeneration?: number }
  >;
  configHash?: string;
  finalizers: string[];
}

export async function getTenant(k: KubeClient, name: string): Promise<TenantView | undefined> {
  const res = await k.request('GET', `${tenantsPath}/${name}`);
  if (res.status === 404) return undefined;
  if (res.status !== 200) throw new Error(`GET tenant ${name}: ${res.status}`);
  const t = res.body;
  return {
    generation: t.metadata.generation,
    resourceVersion: t.metadata.resourceVersion,
    observedGeneration: t.status?.observedGeneration,
    conditions: Object.fromEntries((t.status?.conditions ?? []).map((c: { type: string }) => [c.type, c])),
    configHash: t.status?.configHash,
    finalizers: t.metadata.finalizers ?? [],
  };
}

/** Waits until the tenant's status is Accepted and Programmed for its current generation. */
export function programmed(k: KubeClient, name: string, timeoutMs = 60_000): Promise<TenantView> {
  return eventually(
    `AegisTenant ${name} Accepted and Programmed at its current generation`,
    timeoutMs,
    async () => {
      const t = await getTenant(k, name);
      if (!t || t.observedGeneration !== t.generation) return undefined;
      const ok = (type: string) =>
        t.conditions[type]?.status === 'True' && t.conditions[type]?.observedGeneration === t.generation;
      return ok('Accepted') && ok('Programmed') ? t : undefined;
    },
  );
}

export interface GatewayDoc {
  /** configHash of the assembled document (what a gateway replica runs). */
  hash: string;
  /** The global ConfigMap's hash key and annotation (routes and services only). */
  globalHash: string;
  globalAnnotation: string;
  /** Each piece's annotation (the hash of its entry), by tenant name. */
  entryHashes: Record<string, string>;
  document: {
    tenants: { name: string; generation?: number; spec: { rateLimit: { requestsPerMinute: number } } }[];
  };
}

/** The gateway configuration as the gateways assemble it from the global ConfigMap and the pieces. */
export async function gatewayConfig(k: KubeClient): Promise<GatewayDoc | undefined> {
  const config = await assembledConfig(k);
  if (!config) return undefined;
  return {
    hash: config.hash,
    globalHash: config.global.data!.hash,
    globalAnnotation: config.global.metadata.annotations?.['aegis.io/config-hash'] ?? '',
    entryHashes: Object.fromEntries(
      config.pieces.map((p) => [
        JSON.parse(p.data!['gateway.json']).name as string,
        p.metadata.annotations?.['aegis.io/config-hash'] ?? '',
      ]),
    ),
    document: config.document,
  };
}
