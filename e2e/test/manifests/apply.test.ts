import { type ControlPlane, requireBinaries, FULL_CONTROL_PLANE, startControlPlane } from '@aegis/e2e';
import { implementedServices } from '@aegis/common';
import { CHART_DIR, readCrds, synthManifests, synthYaml, type ValuesInput } from '@aegis/k8s';
import { stringify } from 'yaml';
import { helmEnv, helmTemplate, run, valuesFile } from './helpers';

const bins = requireBinaries(
  [...FULL_CONTROL_PLANE, 'helm'],
  'the Kubernetes control-plane binaries and helm',
);

/** Values the fake node needs: pods go to the kwok node (label type=kwok) and PostgreSQL keeps its data in
 * an emptyDir (the control plane has no storage provisioner). Images are never pulled: kwok fakes pods. */
const KWOK: ValuesInput = {
  scheduling: { nodeSelector: { type: 'kwok' } },
  postgresql: { persistence: { enabled: false } },
};
const VARIANT: ValuesInput = {
  redis: { enabled: false, url: 'redis://cache.example:6379' },
  postgresql: { enabled: false, url: 'postgres://u:p@db.example:5432/aegis' },
  ingress: {
    enabled: true,
    host: 'api.example.com',
    className: 'nginx',
    tls: [{ secretName: 't', hosts: ['api.example.com'] }],
  },
};

/** The Deployments of an install: the platform's own and one per implemented service of the registry
 * (a planned service has no entry point in the image, so no Deployment). */
const DEPLOYMENTS = ['gateway', 'operator', 'redis', ...implementedServices().map((s) => s.name)]
  .map((c) => `aegis-${c}`)
  .sort();

/** A namespace enforcing the restricted Pod Security Standard, as the plain manifests create theirs. */
const namespaceYaml = (name: string): string =>
  stringify({
    apiVersion: 'v1',
    kind: 'Namespace',
    metadata: { name, labels: { 'pod-security.kubernetes.io/enforce': 'restricted' } },
  });

/** The Secret an installer creates before installing (docs/kubernetes.md). */
const secretYaml = (namespace: string): string =>
  stringify({
    apiVersion: 'v1',
    kind: 'Secret',
    metadata: { name: 'aegis-secrets', namespace },
    stringData: {
      'postgres-password': 'e2e-postgres-password',
      'bootstrap-admin-password': 'e2e-admin-password-123',
      'signing-key-encryption-key': Buffer.alloc(32, 7).toString('base64'),
    },
  });

/** The service secret an installer of the plain manifests creates (docs/kubernetes.md; the Helm chart
 * creates its own). */
const serviceCredentialsYaml = (namespace: string): string =>
  stringify({
    apiVersion: 'v1',
    kind: 'Secret',
    metadata: { name: 'aegis-service-credentials', namespace },
    stringData: { 'service-client-secret': 'e2e-service-client-secret' },
  });

bins.describe('the platform manifests against a real API server', () => {
  let cp: ControlPlane;
  const helm = bins.paths.helm!;
  const env = helmEnv();

  /** Waits for every Deployment of a namespace to be Available and StatefulSets to be ready. */
  const waitAvailable = async (namespace: string): Promise<void> => {
    try {
      await cp.kubectl([
        '-n',
        namespace,
        'wait',
        '--for=condition=Available',
        'deployment',
        '--all',
        '--timeout=180s',
      ]);
      await cp.kubectl(['-n', namespace, 'rollout', 'status', 'statefulset', '--timeout=120s']);
    } catch (err) {
      const rs = await cp
        .kubectl(['-n', namespace, 'get', 'deploy,rs,sts,pods', '-o', 'wide'])
        .catch((e: Error) => e);
      const events = await cp
        .kubectl(['-n', namespace, 'get', 'events', '--sort-by=.lastTimestamp'])
        .catch((e: Error) => e);
      throw new Error(`${(err as Error).message}\n${JSON.stringify(rs)}\n${JSON.stringify(events)}`);
    }
  };

  beforeAll(async () => {
    cp = await startControlPlane();
    // The CRD for real first, then the namespaces (server-side dry runs need both to exist).
    await cp.kubectl(
      ['apply', '--server-side', '-f', '-'],
      readCrds()
        .map((c) => stringify(c))
        .join('---\n'),
    );
    await cp.kubectl(['wait', '--for=condition=Established', 'crd', '--all', '--timeout=60s']);
    const ns = synthManifests().find((m) => m.kind === 'Namespace');
    await cp.kubectl(['apply', '-f', '-'], stringify(ns));
    for (const name of ['aegis-helm', 'aegis-dry'])
      await cp.kubectl(['apply', '-f', '-'], namespaceYaml(name));
  }, 240_000);

  afterAll(async () => {
    await cp?.stop();
  }, 60_000);

  it.each([
    ['default values', {}],
    ['external stores and an ingress', VARIANT],
  ])('the cdk8s output passes kubectl apply --dry-run=server: %s', async (_name, values) => {
    const { stdout } = await cp.kubectl(['apply', '--dry-run=server', '-f', '-'], synthYaml(values));
    expect(stdout).toMatch(
      /deployment\.apps\/aegis-gateway (created|configured|unchanged) \(server dry run\)/,
    );
    expect(stdout).toMatch(/deployment\.apps\/aegis-operator .*\(server dry run\)/);
  });

  it.each([
    ['default values', {}],
    ['external stores and an ingress', VARIANT],
  ])('helm template charts/aegis passes kubectl apply --dry-run=server: %s', async (_name, values) => {
    const rendered = await helmTemplate(helm, env, 'aegis-dry', values);
    const { stdout } = await cp.kubectl(['apply', '--dry-run=server', '-f', '-'], rendered);
    expect(stdout).toMatch(/deployment\.apps\/aegis-gateway created \(server dry run\)/);
    expect(stdout).toMatch(
      /rolebinding\.rbac\.authorization\.k8s\.io\/aegis-gateway created \(server dry run\)/,
    );
  });

  it('with kwok, every Deployment of the cdk8s output becomes Available under the restricted pod policy', async () => {
    await cp.kubectl(['apply', '-f', '-'], secretYaml('aegis'));
    await cp.kubectl(['apply', '-f', '-'], serviceCredentialsYaml('aegis'));
    await cp.kubectl(['apply', '--server-side', '--field-manager=aegis-e2e', '-f', '-'], synthYaml(KWOK));
    await waitAvailable('aegis');
    const { stdout } = await cp.kubectl(['-n', 'aegis', 'get', 'deployments', '-o', 'json']);
    const deployments = (
      JSON.parse(stdout) as {
        items: { metadata: { name: string }; status: { availableReplicas?: number } }[];
      }
    ).items;
    expect(deployments.map((d) => d.metadata.name).sort()).toEqual(DEPLOYMENTS);
    for (const d of deployments) expect(d.status.availableReplicas ?? 0).toBeGreaterThan(0);
    const pods = await cp.kubectl(['-n', 'aegis', 'get', 'pods', '-o', 'jsonpath={.items[*].spec.nodeName}']);
    expect(new Set(pods.stdout.split(' '))).toEqual(new Set([cp.nodeName]));
    // The namespace really enforces the policy the pods passed: a root pod is refused.
    const rootPod = stringify({
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: 'root', namespace: 'aegis' },
      spec: { containers: [{ name: 'c', image: 'busybox', securityContext: { runAsUser: 0 } }] },
    });
    await expect(cp.kubectl(['apply', '--dry-run=server', '-f', '-'], rootPod)).rejects.toThrow(
      /violates PodSecurity "restricted/,
    );
  }, 300_000);

  it('lets the gateway read only its ConfigMap and manage Leases', async () => {
    const can = async (verb: string, resource: string): Promise<string> => {
      const args = [
        'auth',
        'can-i',
        verb,
        resource,
        '-n',
        'aegis',
        '--as=system:serviceaccount:aegis:aegis-gateway',
      ];
      return (
        await cp.kubectl(args).catch((e: { stdout?: string }) => ({ stdout: e.stdout ?? '' }))
      ).stdout.trim();
    };
    expect(await can('watch', 'configmaps/aegis-gateway-config')).toBe('yes');
    expect(await can('list', 'configmaps/aegis-gateway-config')).toBe('yes');
    expect(await can('get', 'configmaps/aegis-routes')).toBe('no');
    expect(await can('update', 'configmaps/aegis-gateway-config')).toBe('no');
    expect(await can('create', 'leases.coordination.k8s.io')).toBe('yes');
    expect(await can('get', 'secrets')).toBe('no');
    expect(await can('list', 'aegistenants.aegis.io')).toBe('no');
  });

  it('with kwok, helm install of charts/aegis makes every Deployment Available', async () => {
    await cp.kubectl(['apply', '-f', '-'], secretYaml('aegis-helm'));
    /** `helm install` / `helm upgrade` of the release aegis in namespace aegis-helm. */
    const release = (command: 'install' | 'upgrade', ...extra: string[]) =>
      run(
        helm,
        [
          command,
          'aegis',
          CHART_DIR,
          '--kubeconfig',
          cp.kubeconfigPath,
          '-n',
          'aegis-helm',
          '-f',
          valuesFile(KWOK),
          ...extra,
        ],
        env,
      );
    await release('install', '--wait', '--timeout', '4m');
    await waitAvailable('aegis-helm');
    const { stdout } = await cp.kubectl(['-n', 'aegis-helm', 'get', 'deployments', '-o', 'name']);
    expect(stdout.trim().split('\n')).toHaveLength(DEPLOYMENTS.length);

    // The chart made the service secret (ADR 0019) and an upgrade keeps it, so auth and the services
    // started before and after the upgrade keep agreeing.
    const serviceSecret = async (): Promise<string> =>
      (
        await cp.kubectl([
          '-n',
          'aegis-helm',
          'get',
          'secret',
          'aegis-service-credentials',
          '-o',
          'jsonpath={.data.service-client-secret}',
        ])
      ).stdout;
    const installed = Buffer.from(await serviceSecret(), 'base64').toString();
    expect(installed).toMatch(/^[A-Za-z0-9]{48}$/);
    await release('upgrade');
    expect(Buffer.from(await serviceSecret(), 'base64').toString()).toBe(installed);
  }, 330_000);
});
