import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { createKubeClient, type KubeClientOptions } from './api';
import type { ControlPlane } from './controlplane';
import { FAKE_NODE_NAME } from './flags';
import type { PinnedVersions } from './paths';

const runFile = promisify(execFile);

/** The parts of a flattened kubeconfig (`kubectl config view --raw --minify --flatten -o json`) used. */
export interface FlatKubeconfig {
  'current-context'?: string;
  contexts?: { name: string; context?: { cluster?: string; user?: string } }[];
  clusters?: { name: string; cluster?: { server?: string; 'certificate-authority-data'?: string } }[];
  users?: {
    name: string;
    user?: { token?: string; 'client-certificate-data'?: string; 'client-key-data'?: string };
  }[];
}

/** Client options from a flattened kubeconfig: the current context's server, CA and token or client cert. */
export function clientOptionsFromKubeconfig(config: FlatKubeconfig): KubeClientOptions {
  const context = config.contexts?.find((c) => c.name === config['current-context'])?.context;
  if (!context) throw new Error('kubeconfig has no current context');
  const cluster = config.clusters?.find((c) => c.name === context.cluster)?.cluster;
  const user = config.users?.find((u) => u.name === context.user)?.user ?? {};
  if (!cluster?.server) throw new Error(`kubeconfig cluster ${context.cluster} has no server`);
  const decode = (data: string | undefined): Buffer | undefined =>
    data ? Buffer.from(data, 'base64') : undefined;
  const options: KubeClientOptions = { server: cluster.server };
  const ca = decode(cluster['certificate-authority-data']);
  if (ca) options.caPem = ca;
  if (user.token) options.token = user.token;
  const cert = decode(user['client-certificate-data']);
  const key = decode(user['client-key-data']);
  if (cert && key) {
    options.certPem = cert;
    options.keyPem = key;
  }
  if (!options.token && !options.certPem) {
    throw new Error('kubeconfig user has neither a token nor a client certificate');
  }
  return options;
}

/** Reads the current context of a kubeconfig through kubectl (which resolves files and YAML). */
export async function readKubeconfig(kubectl: string, kubeconfigPath: string): Promise<KubeClientOptions> {
  const { stdout } = await runFile(kubectl, [
    '--kubeconfig',
    kubeconfigPath,
    'config',
    'view',
    '--raw',
    '--minify',
    '--flatten',
    '-o',
    'json',
  ]);
  return clientOptionsFromKubeconfig(JSON.parse(stdout));
}

/**
 * A ControlPlane handle for a cluster that is already running (AEGIS_KUBECONFIG, or the kubeconfig
 * option): nothing is started, stop() leaves the cluster alone, and the API server cannot be restarted.
 */
export async function attachControlPlane(
  kubeconfigPath: string,
  kubectlBinary: string,
  versions: PinnedVersions,
): Promise<ControlPlane> {
  const options = await readKubeconfig(kubectlBinary, kubeconfigPath);
  const client = createKubeClient(options);
  const ready = await client.request('GET', '/readyz');
  if (ready.status !== 200)
    throw new Error(
      `cluster of ${kubeconfigPath} is not ready: HTTP ${ready.status} ${JSON.stringify(ready.body)}`,
    );
  const hasFakeNode = (await client.request('GET', `/api/v1/nodes/${FAKE_NODE_NAME}`)).status === 200;
  const unsupported = async (): Promise<void> => {
    throw new Error(`cannot restart the API server of an existing cluster (${kubeconfigPath})`);
  };
  return {
    attached: true,
    server: options.server,
    kubeconfigPath,
    ...(options.token ? { token: options.token } : {}),
    dir: path.dirname(kubeconfigPath),
    binDir: path.dirname(kubectlBinary),
    binaries: { kubectl: kubectlBinary },
    versions,
    components: 'full',
    ...(hasFakeNode ? { nodeName: FAKE_NODE_NAME } : {}),
    processes: () => [],
    client: () => client,
    kubectl: async (args, input) => runKubectl(kubectlBinary, kubeconfigPath, args, input),
    stopApiServer: unsupported,
    startApiServer: unsupported,
    stop: async () => undefined,
  };
}

/** Runs kubectl with a kubeconfig; rejects on a non-zero exit (the error carries stdout and stderr). */
export function runKubectl(
  binary: string,
  kubeconfig: string,
  args: string[],
  input?: string,
): Promise<{ stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = execFile(
      binary,
      ['--kubeconfig', kubeconfig, ...args],
      { maxBuffer: 64 * 1024 * 1024 },
      (error, stdout, stderr) => {
        if (!error) return resolve({ stdout, stderr });
        const failure: Error & { stdout?: string; stderr?: string } = new Error(
          `kubectl ${args.join(' ')}: ${stderr.trim() || error.message}`,
          { cause: error },
        );
        failure.stdout = stdout;
        failure.stderr = stderr;
        return reject(failure);
      },
    );
    child.stdin?.end(input ?? '');
  });
}
