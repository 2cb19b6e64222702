import { loadConfig } from './config';

describe('loadConfig', () => {
  it('has defaults that work against a local cluster', () => {
    const c = loadConfig({});
    expect(c.controller).toMatchObject({
      namespace: 'aegis',
      gatewayConfigMap: 'aegis-gateway-config',
      leaderElection: {
        enabled: true,
        leaseName: 'aegis-operator-leader',
        leaseDurationMs: 15_000,
        renewDeadlineMs: 10_000,
      },
    });
    expect(c.admin).toEqual({ host: '127.0.0.1', port: 8080 });
    expect(c.auth).toBeUndefined();
    expect(c.inCluster).toBe(false);
    expect(c.routesFile).toBe(''); // the registry's default route table
  });
  it('uses the pod service account inside a cluster unless KUBECONFIG is set', () => {
    expect(loadConfig({ KUBERNETES_SERVICE_HOST: '10.0.0.1' }).inCluster).toBe(true);
    expect(loadConfig({ KUBERNETES_SERVICE_HOST: '10.0.0.1', KUBECONFIG: '/k' })).toMatchObject({
      inCluster: false,
      kubeconfig: '/k',
    });
  });
  it('serves the admission webhook only when WEBHOOK_PORT is set', () => {
    expect(loadConfig({}).webhook).toBeUndefined();
    expect(loadConfig({ WEBHOOK_PORT: '9443', WEBHOOK_HOST: '0.0.0.0' }).webhook).toEqual({
      host: '0.0.0.0',
      port: 9443,
      certDir: '/etc/aegis/webhook',
    });
  });
  it('stops with a message naming the variable', () => {
    expect(() => loadConfig({ ADMIN_PORT: 'x' })).toThrow(/ADMIN_PORT/);
    expect(() => loadConfig({ LOG_LEVEL: 'verbose' })).toThrow(/LOG_LEVEL:/);
    expect(() => loadConfig({ RENEW_DEADLINE_SECONDS: '20' })).toThrow(/RENEW_DEADLINE_SECONDS/);
    expect(() => loadConfig({ AUTH_URL: 'http://a' })).toThrow(/AUTH_ADMIN_EMAIL/);
  });
});
