/* eslint-disable @typescript-eslint/no-explicit-any -- the synthesised manifests are untyped JSON walked
 * by the assertions, which check their shape. */
import { defaultRouteTable, implementedServices, serviceByName, SERVICES } from '@aegis/common';
import { generatedFiles } from '@aegis/operator';
import { parse, parseAllDocuments } from 'yaml';
import { DEPLOYED_SERVICES, GATEWAY_CONFIGMAP } from './names';
import type { Manifest } from './objects';
import { readCrds, readOperatorRbac } from './operator-config';
import { synthManifests } from './synth';

type Obj = Manifest & { spec?: any; data?: Record<string, string>; stringData?: Record<string, string> };

const find = (docs: Obj[], kind: string, name: string): Obj => {
  const found = docs.find((d) => d.kind === kind && d.metadata.name === name);
  if (!found) throw new Error(`no ${kind} ${name}`);
  return found;
};
const podTemplates = (docs: Obj[]) =>
  docs
    .filter((d) => d.kind === 'Deployment' || d.kind === 'StatefulSet')
    .map((d) => ({ owner: d, pod: d.spec.template.spec }));
const envOf = (container: any): Record<string, any> =>
  Object.fromEntries((container.env ?? []).map((e: any) => [e.name, e.value ?? e.valueFrom]));

describe('the cdk8s app with default values', () => {
  const docs = synthManifests() as Obj[];

  it('matches the committed snapshot (the CRD is checked against the operator instead)', () => {
    expect(docs.filter((d) => d.kind !== 'CustomResourceDefinition')).toMatchSnapshot();
  });

  it('starts with the operator-generated CRD, then the namespace', () => {
    const crds = readCrds();
    expect(docs.slice(0, crds.length)).toEqual(crds);
    // The same objects the operator writes to operator/config (its own test keeps that file fresh).
    expect(crds).toEqual([parse(generatedFiles()['crd/aegis.io_aegistenants.yaml'])]);
    expect(readOperatorRbac()).toEqual(
      parseAllDocuments(generatedFiles()['rbac/role.yaml']).map((d) => d.toJS()),
    );
    expect(docs[crds.length]).toMatchObject({ kind: 'Namespace', metadata: { name: 'aegis' } });
  });

  it('runs the gateway, the operator and the implemented services from one image, each by its command', () => {
    const deployments = docs.filter((d) => d.kind === 'Deployment');
    const commands = Object.fromEntries(
      deployments.map((d) => [d.metadata.name, d.spec.template.spec.containers[0].args]),
    );
    expect(commands['aegis-gateway']).toEqual(['gateway/dist/main.js']);
    expect(commands['aegis-operator']).toEqual(['operator/dist/main.js']);
    for (const s of implementedServices())
      expect(commands[`aegis-${s.name}`]).toEqual([`services/${s.name}/dist/main.js`]);
    const images = new Set(
      deployments
        .filter((d) => d.metadata.name !== 'aegis-redis')
        .map((d) => d.spec.template.spec.containers[0].image),
    );
    expect([...images]).toEqual(['ghcr.io/aegis-platform/aegis:0.1.0']);
  });

  it('deploys the implemented services of the registry on their registry ports; a planned one has only its Service', () => {
    expect(DEPLOYED_SERVICES.map((s) => s.name)).toEqual([
      'auth',
      'orchestration',
      'memory',
      'knowledge-graph',
      'approvals',
      'ingestion',
      'compliance-monitor',
      'flaring-monitor',
    ]);
    for (const s of DEPLOYED_SERVICES) {
      const svc = find(docs, 'Service', `aegis-${s.name}`);
      expect(svc.spec.ports.map((p: any) => p.port)).toEqual([s.port, s.adminPort]);
    }
    for (const s of SERVICES.filter((x) => !x.implemented)) {
      const objects = docs.filter((d) => d.metadata.name === `aegis-${s.name}`);
      expect(objects.map((d) => d.kind)).toEqual(['Service']);
      expect(objects[0].spec.ports.map((p: any) => p.port)).toEqual([s.port, s.adminPort]);
    }
    expect(find(docs, 'Service', 'aegis-gateway').spec.ports.map((p: any) => p.port)).toEqual([8000, 9000]);
  });

  it('points the services that read the knowledge graph at it in the cluster', () => {
    for (const name of ['ingestion', 'compliance-monitor', 'flaring-monitor']) {
      const env = find(docs, 'Deployment', `aegis-${name}`).spec.template.spec.containers[0].env;
      expect(env).toContainEqual({
        name: 'KNOWLEDGE_GRAPH_URL',
        value: 'http://aegis-knowledge-graph.aegis.svc:8003',
      });
    }
  });

  it('points the services that post to the flaring monitor at it in the cluster', () => {
    for (const name of ['ingestion', 'compliance-monitor']) {
      const env = find(docs, 'Deployment', `aegis-${name}`).spec.template.spec.containers[0].env;
      expect(env).toContainEqual({
        name: 'FLARING_MONITOR_URL',
        value: 'http://aegis-flaring-monitor.aegis.svc:8007',
      });
    }
  });

  it('points the orchestration at the monitors, approvals and memory in the cluster', () => {
    const env = find(docs, 'Deployment', 'aegis-orchestration').spec.template.spec.containers[0].env;
    for (const [name, service] of [
      ['KNOWLEDGE_GRAPH_URL', 'knowledge-graph'],
      ['FLARING_MONITOR_URL', 'flaring-monitor'],
      ['COMPLIANCE_MONITOR_URL', 'compliance-monitor'],
      ['APPROVALS_URL', 'approvals'],
      ['MEMORY_URL', 'memory'],
    ] as const)
      expect(env).toContainEqual({
        name,
        value: `http://aegis-${service}.aegis.svc:${serviceByName(service).port}`,
      });
  });

  it('hardens every pod: non-root, RuntimeDefault seccomp, read-only root, no escalation, no capabilities', () => {
    for (const { owner, pod } of podTemplates(docs)) {
      expect({ owner: owner.metadata.name, ...pod.securityContext }).toMatchObject({
        runAsNonRoot: true,
        seccompProfile: { type: 'RuntimeDefault' },
      });
      expect(pod.securityContext.runAsUser).toBeGreaterThan(0);
      for (const c of pod.containers) {
        expect(c.securityContext).toEqual({
          allowPrivilegeEscalation: false,
          readOnlyRootFilesystem: true,
          runAsNonRoot: true,
          privileged: false,
          capabilities: { drop: ['ALL'] },
          seccompProfile: { type: 'RuntimeDefault' },
        });
        const mounts = c.volumeMounts.map((m: any) => m.mountPath);
        expect(mounts).toContain('/tmp');
        const claims = (owner.spec.volumeClaimTemplates ?? []).map((t: any) => t.metadata.name);
        const volumes = [...pod.volumes.map((v: any) => v.name), ...claims];
        for (const m of c.volumeMounts) expect(volumes).toContain(m.name);
        expect(c.resources.requests).toBeDefined();
      }
    }
  });

  it('probes /health for liveness and /ready for readiness on a port the container declares', () => {
    for (const { owner, pod } of podTemplates(docs)) {
      const c = pod.containers[0];
      if (c.livenessProbe.exec) continue; // the data stores answer their own clients' checks
      const ports = c.ports.map((p: any) => p.containerPort);
      expect([owner.metadata.name, c.livenessProbe.httpGet.path]).toEqual([owner.metadata.name, '/health']);
      expect(c.readinessProbe.httpGet.path).toBe('/ready');
      expect(ports).toContain(c.livenessProbe.httpGet.port);
      expect(ports).toContain(c.readinessProbe.httpGet.port);
    }
  });

  it('gives every workload a Service and a PodDisruptionBudget selecting its pods', () => {
    for (const { owner } of podTemplates(docs)) {
      const selector = owner.spec.selector.matchLabels;
      expect(owner.spec.template.metadata.labels).toMatchObject(selector);
      expect(find(docs, 'Service', owner.metadata.name).spec.selector).toEqual(selector);
      expect(find(docs, 'PodDisruptionBudget', owner.metadata.name).spec).toEqual({
        maxUnavailable: 1,
        selector: { matchLabels: selector },
      });
    }
  });

  it('runs the gateway on the Kubernetes source with its pod name and read access to one ConfigMap', () => {
    const gateway = find(docs, 'Deployment', 'aegis-gateway').spec.template.spec;
    const env = envOf(gateway.containers[0]);
    expect(env.CONFIG_SOURCE).toBe('kubernetes');
    expect(env.POD_NAME).toEqual({ fieldRef: { fieldPath: 'metadata.name' } });
    expect(env.GATEWAY_CONFIGMAP).toBe(GATEWAY_CONFIGMAP);
    expect(env.REDIS_URL).toBe('redis://aegis-redis.aegis.svc:6379');
    expect(gateway.serviceAccountName).toBe('aegis-gateway');
    const role = find(docs, 'Role', 'aegis-gateway');
    expect(role.rules).toContainEqual(
      expect.objectContaining({ resources: ['configmaps'], resourceNames: [GATEWAY_CONFIGMAP] }),
    );
    expect(role.rules).toContainEqual(expect.objectContaining({ resources: ['leases'] }));
  });

  it('mounts the registry route table with in-cluster service URLs into the operator', () => {
    const table = parse(find(docs, 'ConfigMap', 'aegis-routes').data!['routes.yaml']);
    expect(table.routes).toEqual(defaultRouteTable().routes);
    expect(Object.keys(table.services)).toEqual(SERVICES.map((s) => s.name));
    expect(table.services.auth).toEqual({ url: 'http://aegis-auth.aegis.svc:8009' });
    expect(table.services['flaring-monitor']).toEqual({ url: 'http://aegis-flaring-monitor.aegis.svc:8007' });
    const operator = find(docs, 'Deployment', 'aegis-operator').spec.template.spec;
    expect(envOf(operator.containers[0]).ROUTES_FILE).toBe('/etc/aegis/routes/routes.yaml');
    expect(operator.volumes).toContainEqual({ name: 'routes', configMap: { name: 'aegis-routes' } });
  });

  it('points the services at the bundled PostgreSQL with the password from the Secret', () => {
    const auth = envOf(find(docs, 'Deployment', 'aegis-auth').spec.template.spec.containers[0]);
    expect(auth.POSTGRES_PASSWORD).toEqual({
      secretKeyRef: { name: 'aegis-secrets', key: 'postgres-password' },
    });
    expect(auth.DATABASE_URL).toBe(
      'postgres://aegis:$(POSTGRES_PASSWORD)@aegis-postgresql.aegis.svc:5432/aegis',
    );
    expect(auth.BOOTSTRAP_ADMIN_PASSWORD).toEqual({
      secretKeyRef: { name: 'aegis-secrets', key: 'bootstrap-admin-password' },
    });
    expect(find(docs, 'StatefulSet', 'aegis-postgresql').spec.volumeClaimTemplates).toHaveLength(1);
  });

  it('closes the namespace to outside traffic except the gateway API port', () => {
    const policies = docs.filter((d) => d.kind === 'NetworkPolicy');
    expect(find(docs, 'NetworkPolicy', 'aegis-default-deny').spec).toEqual({
      podSelector: {},
      policyTypes: ['Ingress'],
    });
    const open = policies.flatMap((p) =>
      (p.spec.ingress ?? []).filter((r: any) => !r.from).map((r: any) => [p.metadata.name, r.ports]),
    );
    expect(open).toEqual([['aegis-gateway', [{ protocol: 'TCP', port: 8000 }]]]);
    const backends = find(docs, 'NetworkPolicy', 'aegis-backends').spec;
    expect(backends.podSelector.matchExpressions[0].values).toEqual(
      expect.arrayContaining([...DEPLOYED_SERVICES.map((s) => s.name), 'operator', 'redis', 'postgresql']),
    );
  });

  it('gives auth and every service SERVICE_CLIENT_SECRET from aegis-service-credentials, the gateway and operator none', () => {
    for (const { owner, pod } of podTemplates(docs)) {
      const env = envOf(pod.containers[0]);
      const component = owner.metadata.labels?.['app.kubernetes.io/component'];
      if (DEPLOYED_SERVICES.some((s) => s.name === component)) {
        expect({ component, secret: env.SERVICE_CLIENT_SECRET }).toEqual({
          component,
          secret: { secretKeyRef: { name: 'aegis-service-credentials', key: 'service-client-secret' } },
        });
      } else {
        expect({ component, secret: env.SERVICE_CLIENT_SECRET }).toEqual({ component, secret: undefined });
      }
    }
    // The plain manifests never carry a generated secret: the installer creates it (docs/kubernetes.md).
    expect(docs.filter((d) => d.kind === 'Secret')).toEqual([]);
  });

  it('reads SERVICE_CLIENT_SECRET from serviceCredentials.existingSecret when set', () => {
    const withExisting = synthManifests({ serviceCredentials: { existingSecret: 'corp-creds' } }) as Obj[];
    const auth = find(withExisting, 'Deployment', 'aegis-auth');
    expect(envOf(auth.spec.template.spec.containers[0]).SERVICE_CLIENT_SECRET).toEqual({
      secretKeyRef: { name: 'corp-creds', key: 'service-client-secret' },
    });
  });

  it('has no Ingress and no external-URL Secret unless asked', () => {
    expect(docs.some((d) => d.kind === 'Ingress' || d.metadata.name === 'aegis-external-urls')).toBe(false);
  });
});

describe('the cdk8s app with external stores and an ingress', () => {
  const docs = synthManifests({
    namespace: 'prod',
    redis: { enabled: false, url: 'redis://cache.example:6379' },
    postgresql: { enabled: false, url: 'postgres://u:p@db.example:5432/aegis' },
    ingress: {
      enabled: true,
      host: 'api.example.com',
      className: 'nginx',
      tls: [{ secretName: 't', hosts: ['api.example.com'] }],
    },
    image: { registry: '', repository: 'aegis', tag: 'e2e' },
  }) as Obj[];

  it('matches the committed snapshot', () => {
    expect(docs.filter((d) => d.kind !== 'CustomResourceDefinition')).toMatchSnapshot();
  });

  it('runs no Redis or PostgreSQL and reads their URLs from a Secret', () => {
    expect(docs.some((d) => /redis|postgresql/.test(d.metadata.name) && d.kind !== 'Secret')).toBe(false);
    expect(find(docs, 'Secret', 'aegis-external-urls').stringData).toEqual({
      'redis-url': 'redis://cache.example:6379',
      'database-url': 'postgres://u:p@db.example:5432/aegis',
    });
    const env = envOf(find(docs, 'Deployment', 'aegis-knowledge-graph').spec.template.spec.containers[0]);
    expect(env.DATABASE_URL).toEqual({ secretKeyRef: { name: 'aegis-external-urls', key: 'database-url' } });
    expect(env.REDIS_URL).toEqual({ secretKeyRef: { name: 'aegis-external-urls', key: 'redis-url' } });
    expect(env.POSTGRES_PASSWORD).toBeUndefined();
  });

  it('routes the ingress host to the gateway API port', () => {
    const ingress = find(docs, 'Ingress', 'aegis-gateway');
    expect(ingress.metadata.namespace).toBe('prod');
    expect(ingress.spec).toMatchObject({
      ingressClassName: 'nginx',
      tls: [{ secretName: 't', hosts: ['api.example.com'] }],
      rules: [
        {
          host: 'api.example.com',
          http: { paths: [{ backend: { service: { name: 'aegis-gateway', port: { number: 8000 } } } }] },
        },
      ],
    });
    expect(find(docs, 'Deployment', 'aegis-gateway').spec.template.spec.containers[0].image).toBe(
      'aegis:e2e',
    );
  });
});

describe('values', () => {
  it('gives each service its own replicas and resources', () => {
    const docs = synthManifests({
      services: {
        ingestion: { replicas: 3, resources: { limits: { memory: '2Gi' } } },
        auth: { replicas: 1 },
      },
    }) as Obj[];
    const spec = (name: string) => find(docs, 'Deployment', `aegis-${name}`).spec;
    expect([spec('ingestion').replicas, spec('auth').replicas, spec('knowledge-graph').replicas]).toEqual([
      3, 1, 2,
    ]);
    expect(spec('ingestion').template.spec.containers[0].resources).toEqual({
      requests: { cpu: '100m', memory: '128Mi' },
      limits: { memory: '2Gi' },
    });
    expect(spec('auth').template.spec.containers[0].resources.limits).toEqual({ memory: '512Mi' });
  });

  it('refuses settings for a service the chart does not deploy', () => {
    // Every service of the registry is implemented now: a name outside it stands for a planned one.
    expect(() => synthManifests({ services: { billing: { replicas: 1 } } })).toThrow(/services/);
  });

  it('refuses an external store without its URL, naming the field', () => {
    expect(() => synthManifests({ redis: { enabled: false } })).toThrow(/redis\.url: required/);
    expect(() => synthManifests({ replicas: { gateway: -1 } })).toThrow(/replicas\.gateway/);
  });

  it('places every pod with the scheduling values', () => {
    const docs = synthManifests({
      scheduling: { nodeSelector: { type: 'kwok' }, tolerations: [{ key: 'k', operator: 'Exists' }] },
      postgresql: { persistence: { enabled: false } },
    }) as Obj[];
    for (const { pod } of podTemplates(docs)) {
      expect(pod.nodeSelector).toEqual({ type: 'kwok' });
      expect(pod.tolerations).toEqual([{ key: 'k', operator: 'Exists' }]);
    }
    const pg = find(docs, 'StatefulSet', 'aegis-postgresql').spec;
    expect(pg.volumeClaimTemplates).toBeUndefined();
    expect(pg.template.spec.volumes).toContainEqual({ name: 'pgdata', emptyDir: {} });
  });
});
