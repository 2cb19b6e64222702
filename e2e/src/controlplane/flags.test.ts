import {
  apiServerArgs,
  controllerManagerArgs,
  etcdArgs,
  fakeNode,
  kwokArgs,
  type Layout,
  schedulerArgs,
} from './flags';
import { tokenFileLine } from './pki';

const layout: Layout = {
  dir: '/d',
  ports: { etcdClient: 1001, etcdPeer: 1002, apiServer: 1003, controllerManager: 1004, scheduler: 1005 },
  caCert: '/d/ca.crt',
  servingCert: '/d/s.crt',
  servingKey: '/d/s.key',
  serviceAccountKey: '/d/sa.key',
  serviceAccountPub: '/d/sa.pub',
  tokenFile: '/d/tokens.csv',
  kubeconfigs: { controllerManager: '/d/kcm', scheduler: '/d/sched', kwok: '/d/kwok' },
  kwokConfig: '/d/stages.yaml',
};

const all = [
  etcdArgs(layout, '/d/data'),
  apiServerArgs(layout),
  controllerManagerArgs(layout),
  schedulerArgs(layout),
  kwokArgs(layout),
];

describe('control-plane flags', () => {
  it('bind and advertise nothing but 127.0.0.1', () => {
    for (const args of all) {
      for (const arg of args.filter((a) => /address|urls|servers/.test(a.split('=')[0] ?? ''))) {
        const value = arg.slice(arg.indexOf('=') + 1);
        if (value === '') continue;
        for (const part of value.split(/[,=]/).filter((p) => /\d+\.\d+\.\d+\.\d+/.test(p)))
          expect(part).toMatch(/(^|\/\/)127\.0\.0\.1(:\d+)?$/);
      }
    }
  });

  it('wire the API server to etcd, the token file and the service-account keys', () => {
    const args = apiServerArgs(layout);
    expect(args).toEqual(
      expect.arrayContaining([
        '--etcd-servers=http://127.0.0.1:1001',
        '--secure-port=1003',
        '--token-auth-file=/d/tokens.csv',
        '--service-account-signing-key-file=/d/sa.key',
        '--service-account-key-file=/d/sa.pub',
        '--authorization-mode=RBAC',
      ]),
    );
  });

  it('run controllers and scheduler without leader election so an API-server restart does not stop them', () => {
    expect(controllerManagerArgs(layout)).toContain('--leader-elect=false');
    expect(schedulerArgs(layout)).toContain('--leader-elect=false');
    expect(controllerManagerArgs(layout)).toContain('--service-account-private-key-file=/d/sa.key');
  });

  it('let kwok manage only nodes annotated as fake', () => {
    expect(kwokArgs(layout)).toEqual(
      expect.arrayContaining([
        '--manage-all-nodes=false',
        '--manage-nodes-with-annotation-selector=kwok.x-k8s.io/node=fake',
      ]),
    );
    expect(
      (fakeNode().metadata as { annotations: Record<string, string> }).annotations['kwok.x-k8s.io/node'],
    ).toBe('fake');
  });
});

describe('tokenFileLine', () => {
  it('quotes the group list and omits it when empty', () => {
    expect(tokenFileLine('t', 'u', ['a', 'b'])).toBe('t,u,u,"a,b"');
    expect(tokenFileLine('t', 'u', [])).toBe('t,u,u');
  });
});
