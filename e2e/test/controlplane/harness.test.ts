import { execFileSync } from 'node:child_process';
import path from 'node:path';
import {
  API_SERVER_ONLY,
  builtBinaryDir,
  type ControlPlane,
  requireBinaries,
  startControlPlane,
} from '@aegis/e2e';

describe('builtBinaryDir', () => {
  it('names the same folder as e2e/controlplane/build.sh --print-dir', () => {
    const script = path.resolve(__dirname, '..', '..', 'controlplane', 'build.sh');
    const env = { ...process.env, AEGIS_CACHE_DIR: '/tmp/aegis-cache-probe' };
    const printed = execFileSync('bash', [script, '--print-dir'], { env, encoding: 'utf8' }).trim();
    expect(builtBinaryDir(env)).toBe(printed);
  });
});

requireBinaries(API_SERVER_ONLY, 'etcd, kube-apiserver and kubectl (e2e/controlplane/build.sh)').describe(
  'startControlPlane with an existing cluster',
  () => {
    let own: ControlPlane;

    beforeAll(async () => {
      own = await startControlPlane({ components: 'api-server', kubeconfig: null });
    }, 120_000);

    afterAll(async () => {
      await own?.stop();
    }, 60_000);

    it('starts only etcd and the API server in api-server mode', () => {
      expect(own.processes().map((p) => p.name)).toEqual(['etcd', 'kube-apiserver']);
      expect(own.nodeName).toBeUndefined();
    });

    it('attaches to a kubeconfig without starting or stopping any process', async () => {
      const attached = await startControlPlane({ kubeconfig: own.kubeconfigPath });
      expect(attached.attached).toBe(true);
      expect(attached.server).toBe(own.server);
      expect(attached.processes()).toEqual([]);
      const namespaces = await attached.client().request('GET', '/api/v1/namespaces/default');
      expect(namespaces.status).toBe(200);
      await expect(attached.stopApiServer()).rejects.toThrow('existing cluster');
      await attached.stop();
      expect((await own.kubectl(['get', '--raw', '/readyz'])).stdout.trim()).toBe('ok');
    });
  },
);
