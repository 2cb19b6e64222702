import { GATEWAY, implementedServices, serviceByName } from '@aegis/common';
import { synthManifests } from '@aegis/k8s';
import { containerPlans, dockerRunArgs, envFileOf, toLoopback } from './plan';

const secrets = {
  'aegis-secrets/bootstrap-admin-password': 'admin-pw',
  'aegis-secrets/signing-key-encryption-key': 'a2V5',
  'aegis-service-credentials/service-client-secret': 'client-secret',
};
const DATASTORES = ['DATABASE_URL', 'POSTGRES_PASSWORD', 'REDIS_URL'];
const plans = containerPlans(synthManifests(), { offset: 20_000, secrets, dropEnv: DATASTORES });
const planOf = (entry: string) => plans.find((p) => p.entry === entry)!;

describe('the smoke run of the manifests as containers', () => {
  it('runs one container per component of the manifests: the gateway, the operator, each implemented service', () => {
    expect(plans.map((p) => p.entry).sort()).toEqual(
      [GATEWAY.entry, 'operator/dist/main.js', ...implementedServices().map((s) => s.entry)].sort(),
    );
  });

  it('keeps the pods’ security: their user, a read-only root, no capabilities, no privilege escalation', () => {
    for (const p of plans) {
      expect(p).toMatchObject({
        user: '10001:10001',
        readOnlyRootFilesystem: true,
        capDrop: ['ALL'],
        noNewPrivileges: true,
      });
      // The only writable places are the pods' emptyDirs.
      expect(p.mounts.filter((m) => !m.readOnly).map((m) => [m.target, m.source.kind])).toEqual([
        ['/tmp', 'empty'],
        ['/app/.data', 'empty'],
      ]);
    }
  });

  it('moves ports by the offset, binds loopback and points in-cluster URLs at loopback', () => {
    const auth = serviceByName('auth');
    const gw = planOf(GATEWAY.entry);
    expect(gw.env).toMatchObject({
      PORT: String(GATEWAY.port + 20_000),
      ADMIN_PORT: String(GATEWAY.adminPort + 20_000),
      HOST: '127.0.0.1',
      AUTH_URL: `http://127.0.0.1:${auth.port + 20_000}`,
      POD_NAME: 'aegis-gateway-0',
      AEGIS_NAMESPACE: 'aegis',
    });
    expect(gw.readyUrl).toBe(`http://127.0.0.1:${GATEWAY.port + 20_000}/ready`);
    expect(planOf(auth.entry).env).toMatchObject({
      BOOTSTRAP_ADMIN_PASSWORD: 'admin-pw',
      SERVICE_CLIENT_SECRET: 'client-secret',
    });
    for (const p of plans) for (const name of DATASTORES) expect(p.env[name]).toBeUndefined();
  });

  it("gives the operator its route table from the manifests' ConfigMap, with loopback URLs", () => {
    const routes = planOf('operator/dist/main.js').mounts.find((m) => m.target === '/etc/aegis/routes')!;
    expect(routes.readOnly).toBe(true);
    const files = routes.source.kind === 'files' ? routes.source.files : {};
    const text = Object.values(files).join('\n');
    expect(text).toContain(`http://127.0.0.1:${serviceByName('knowledge-graph').port + 20_000}`);
    expect(text).not.toMatch(/\.svc\b/);
  });

  it('refuses to run a pod whose secret it does not have', () => {
    expect(() => containerPlans(synthManifests(), { offset: 0, secrets: {}, dropEnv: DATASTORES })).toThrow(
      /needs the secret aegis-/,
    );
  });

  it('turns a plan into docker run flags, with the env in a file', () => {
    const gw = planOf(GATEWAY.entry);
    const args = dockerRunArgs(gw, {
      image: 'aegis:local',
      hostDirs: { '/tmp': '/h/tmp', '/app/.data': '/h/data' },
      envFile: '/h/env',
    });
    expect(args).toEqual(
      expect.arrayContaining([
        '--network',
        'host',
        '--user',
        '10001:10001',
        '--read-only',
        '--cap-drop',
        'ALL',
      ]),
    );
    expect(args).toContain('type=bind,source=/h/data,target=/app/.data');
    expect(args.slice(-2)).toEqual(['aegis:local', GATEWAY.entry]);
    expect(envFileOf(gw)).toContain(`PORT=${GATEWAY.port + 20_000}\n`);
  });

  it('rewrites in-cluster Service URLs only', () => {
    expect(toLoopback('http://aegis-auth.aegis.svc:8009/x', 5)).toBe('http://127.0.0.1:8014/x');
    expect(toLoopback('https://example.com:8009', 5)).toBe('https://example.com:8009');
  });
});
