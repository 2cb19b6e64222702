import { renderKubeconfig } from './kubeconfig';

describe('renderKubeconfig', () => {
  it('points the current context at the server with the token and the embedded CA', () => {
    const config = JSON.parse(
      renderKubeconfig({ server: 'https://127.0.0.1:6443', caPem: 'PEM', token: 't0k' }),
    );
    expect(config['current-context']).toBe('aegis-test');
    expect(config.clusters[0].cluster.server).toBe('https://127.0.0.1:6443');
    expect(Buffer.from(config.clusters[0].cluster['certificate-authority-data'], 'base64').toString()).toBe(
      'PEM',
    );
    expect(config.users[0].user).toEqual({ token: 't0k' });
    expect(config.contexts[0].context).toMatchObject({ cluster: 'aegis-test', user: 'aegis-test' });
  });
});
