import { clientOptionsFromKubeconfig, type FlatKubeconfig } from './attach';

const b64 = (text: string): string => Buffer.from(text).toString('base64');

function kubeconfig(user: Record<string, string>): FlatKubeconfig {
  return {
    'current-context': 'c',
    contexts: [{ name: 'c', context: { cluster: 'k', user: 'u' } }],
    clusters: [
      { name: 'k', cluster: { server: 'https://127.0.0.1:7443', 'certificate-authority-data': b64('CA') } },
    ],
    users: [{ name: 'u', user }],
  };
}

describe('clientOptionsFromKubeconfig', () => {
  it('takes server, CA and token from the current context', () => {
    const options = clientOptionsFromKubeconfig(kubeconfig({ token: 'tok' }));
    expect(options.server).toBe('https://127.0.0.1:7443');
    expect(options.caPem?.toString()).toBe('CA');
    expect(options.token).toBe('tok');
  });

  it('takes a client certificate and key', () => {
    const options = clientOptionsFromKubeconfig(
      kubeconfig({ 'client-certificate-data': b64('CERT'), 'client-key-data': b64('KEY') }),
    );
    expect(options.certPem?.toString()).toBe('CERT');
    expect(options.keyPem?.toString()).toBe('KEY');
    expect(options.token).toBeUndefined();
  });

  it('refuses a user without credentials', () => {
    expect(() => clientOptionsFromKubeconfig(kubeconfig({}))).toThrow('neither a token');
  });

  it('refuses a kubeconfig without a current context', () => {
    expect(() => clientOptionsFromKubeconfig({ contexts: [] })).toThrow('no current context');
  });
});
