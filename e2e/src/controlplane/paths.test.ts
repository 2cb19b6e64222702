import fc from 'fast-check';
import path from 'node:path';
import {
  BUILD_INPUTS,
  binaryFolderName,
  cacheRoot,
  CONTROL_PLANE_BINARIES,
  inputsListing,
  parseVersionsEnv,
  resolveBinaries,
  testAssetVariable,
} from './paths';

const versions = { kubernetes: 'v1.35.4', etcd: 'v3.6.16', kwok: 'v0.8.0', helm: 'v3.22.0' };

describe('parseVersionsEnv', () => {
  it('reads the four pinned versions and ignores comments and blank lines', () => {
    const text =
      '# pinned\nK8S_VERSION=v1.35.4\n\nETCD_VERSION=v3.6.16\nKWOK_VERSION=v0.8.0\nHELM_VERSION=v3.22.0\n';
    expect(parseVersionsEnv(text)).toEqual(versions);
  });

  it('names the missing key', () => {
    expect(() =>
      parseVersionsEnv('K8S_VERSION=v1.35.4\nETCD_VERSION=v3.6.16\nKWOK_VERSION=v0.8.0\n'),
    ).toThrow('HELM_VERSION');
  });

  it('rejects a line without a key', () => {
    expect(() => parseVersionsEnv('=v1\n')).toThrow('cannot parse');
  });
});

describe('inputsListing', () => {
  it('lists every build input in order in sha256sum format', () => {
    const hashes = new Map(BUILD_INPUTS.map((file, i) => [file, `${i}`.padStart(64, '0')]));
    const lines = inputsListing(hashes).split('\n').filter(Boolean);
    expect(lines).toHaveLength(BUILD_INPUTS.length);
    expect(lines[0]).toBe(`${'0'.padStart(64, '0')}  build.sh`);
  });

  it('refuses a listing with an input missing', () => {
    expect(() => inputsListing(new Map([['build.sh', 'a'.repeat(64)]]))).toThrow('versions.env');
  });
});

describe('binaryFolderName', () => {
  it('carries the versions and 12 hex digits of the hash', () => {
    expect(binaryFolderName(versions, 'abcdef0123456789')).toBe(
      'v1.35.4-etcdv3.6.16-kwokv0.8.0-helmv3.22.0-abcdef012345',
    );
  });
});

describe('cacheRoot', () => {
  it('prefers AEGIS_CACHE_DIR, then XDG_CACHE_HOME, then ~/.cache', () => {
    expect(cacheRoot({ AEGIS_CACHE_DIR: '/c', XDG_CACHE_HOME: '/x' }, '/home/u')).toBe('/c');
    expect(cacheRoot({ XDG_CACHE_HOME: '/x' }, '/home/u')).toBe('/x/aegis');
    expect(cacheRoot({}, '/home/u')).toBe('/home/u/.cache/aegis');
  });
});

describe('testAssetVariable', () => {
  it('uses the envtest names', () => {
    expect(testAssetVariable('kube-apiserver')).toBe('TEST_ASSET_KUBE_APISERVER');
    expect(testAssetVariable('etcd')).toBe('TEST_ASSET_ETCD');
    expect(testAssetVariable('kubectl')).toBe('TEST_ASSET_KUBECTL');
  });
});

describe('resolveBinaries', () => {
  it('finds everything in the built folder when nothing overrides it', () => {
    const { paths, missing } = resolveBinaries({}, '/built', () => true);
    expect(missing).toEqual([]);
    expect(paths['kube-apiserver']).toEqual({ path: '/built/kube-apiserver', source: 'built' });
  });

  it('ranks TEST_ASSET_* over KUBEBUILDER_ASSETS over the built folder', () => {
    const env = { TEST_ASSET_ETCD: '/mine/etcd', KUBEBUILDER_ASSETS: '/assets' };
    const { paths } = resolveBinaries(env, '/built', () => true);
    expect(paths.etcd).toEqual({ path: '/mine/etcd', source: 'TEST_ASSET_ETCD' });
    expect(paths['kube-apiserver']).toEqual({ path: '/assets/kube-apiserver', source: 'KUBEBUILDER_ASSETS' });
  });

  it('falls back past a candidate that is not executable', () => {
    const env = { KUBEBUILDER_ASSETS: '/assets' };
    const { paths } = resolveBinaries(env, '/built', (file) => !file.startsWith('/assets/kwok'));
    expect(paths.kwok).toEqual({ path: '/built/kwok', source: 'built' });
  });

  it('reports exactly the binaries that exist nowhere (property)', () => {
    fc.assert(
      fc.property(fc.subarray([...CONTROL_PLANE_BINARIES]), (present) => {
        const { paths, missing } = resolveBinaries({}, '/b', (file) =>
          present.includes(path.basename(file) as never),
        );
        expect(new Set(missing)).toEqual(new Set(CONTROL_PLANE_BINARIES.filter((b) => !present.includes(b))));
        expect(Object.keys(paths).sort()).toEqual([...present].sort());
      }),
    );
  });
});
