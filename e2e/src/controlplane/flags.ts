/** Ports and files the control-plane processes are started with; all ports are on 127.0.0.1. */
export interface Layout {
  dir: string;
  ports: {
    etcdClient: number;
    etcdPeer: number;
    apiServer: number;
    controllerManager: number;
    scheduler: number;
  };
  caCert: string;
  servingCert: string;
  servingKey: string;
  serviceAccountKey: string;
  serviceAccountPub: string;
  tokenFile: string;
  kubeconfigs: { controllerManager: string; scheduler: string; kwok: string };
  kwokConfig: string;
}

/** Fake pod IPs kwok hands out; nothing routes them, and nothing in the harness connects to them. */
export const KWOK_POD_CIDR = '10.244.0.0/16';
/** Service ClusterIP range (the built-in `kubernetes` Service takes the first address). */
export const SERVICE_CIDR = '10.96.0.0/16';
/** Name of the fake node kwok manages. */
export const FAKE_NODE_NAME = 'kwok-node-0';

const loopback = '127.0.0.1';

export function etcdArgs(l: Layout, dataDir: string): string[] {
  const client = `http://${loopback}:${l.ports.etcdClient}`;
  const peer = `http://${loopback}:${l.ports.etcdPeer}`;
  return [
    '--name=aegis-test',
    `--data-dir=${dataDir}`,
    `--listen-client-urls=${client}`,
    `--advertise-client-urls=${client}`,
    `--listen-peer-urls=${peer}`,
    `--initial-advertise-peer-urls=${peer}`,
    `--initial-cluster=aegis-test=${peer}`,
    '--initial-cluster-state=new',
    // A throw-away test store: skipping fsync keeps the shared 2-core machine's disk out of the way.
    '--unsafe-no-fsync',
    '--listen-metrics-urls=',
    '--log-level=warn',
  ];
}

export function apiServerArgs(l: Layout): string[] {
  return [
    `--etcd-servers=http://${loopback}:${l.ports.etcdClient}`,
    `--bind-address=${loopback}`,
    `--advertise-address=${loopback}`,
    `--secure-port=${l.ports.apiServer}`,
    `--cert-dir=${l.dir}/apiserver`,
    `--tls-cert-file=${l.servingCert}`,
    `--tls-private-key-file=${l.servingKey}`,
    `--client-ca-file=${l.caCert}`,
    `--token-auth-file=${l.tokenFile}`,
    '--authorization-mode=RBAC',
    '--anonymous-auth=true',
    '--service-account-issuer=https://kubernetes.default.svc.cluster.local',
    `--service-account-key-file=${l.serviceAccountPub}`,
    `--service-account-signing-key-file=${l.serviceAccountKey}`,
    `--service-cluster-ip-range=${SERVICE_CIDR}`,
    '--allow-privileged=true',
    '--v=1',
  ];
}

/** What the controller manager and the scheduler both take: their kubeconfig, a loopback secure port
 * and a certificate folder of their own. */
function componentArgs(l: Layout, component: 'controllerManager' | 'scheduler', certDir: string): string[] {
  return [
    `--kubeconfig=${l.kubeconfigs[component]}`,
    `--bind-address=${loopback}`,
    `--secure-port=${l.ports[component]}`,
    `--cert-dir=${l.dir}/${certDir}`,
  ];
}

export function controllerManagerArgs(l: Layout): string[] {
  return [
    ...componentArgs(l, 'controllerManager', 'controller-manager'),
    // No leader election: a stopped API server must not make the controllers exit (watch-recovery tests).
    '--leader-elect=false',
    '--controllers=*',
    '--use-service-account-credentials=true',
    `--service-account-private-key-file=${l.serviceAccountKey}`,
    `--root-ca-file=${l.caCert}`,
    `--service-cluster-ip-range=${SERVICE_CIDR}`,
    '--v=1',
  ];
}

export function schedulerArgs(l: Layout): string[] {
  return [...componentArgs(l, 'scheduler', 'scheduler'), '--leader-elect=false', '--v=1'];
}

export function kwokArgs(l: Layout): string[] {
  return [
    `--config=${l.kwokConfig}`,
    `--kubeconfig=${l.kubeconfigs.kwok}`,
    '--manage-all-nodes=false',
    '--manage-nodes-with-annotation-selector=kwok.x-k8s.io/node=fake',
    `--cidr=${KWOK_POD_CIDR}`,
    // The node's address is loopback, so anything the API server sends "to the kubelet" stays local.
    `--node-ip=${loopback}`,
    '--node-lease-duration-seconds=40',
  ];
}

/** The fake Node kwok manages (selected by its annotation), as the API server accepts it on create. */
export function fakeNode(name = FAKE_NODE_NAME): Record<string, unknown> {
  return {
    apiVersion: 'v1',
    kind: 'Node',
    metadata: {
      name,
      annotations: { 'kwok.x-k8s.io/node': 'fake', 'node.alpha.kubernetes.io/ttl': '0' },
      labels: {
        'kubernetes.io/arch': 'amd64',
        'kubernetes.io/hostname': name,
        'kubernetes.io/os': 'linux',
        'kubernetes.io/role': 'agent',
        'node-role.kubernetes.io/agent': '',
        type: 'kwok',
      },
    },
    spec: {},
    status: {
      allocatable: { cpu: '32', memory: '256Gi', pods: '110' },
      capacity: { cpu: '32', memory: '256Gi', pods: '110' },
    },
  };
}
