/** What a kubeconfig for the test control plane says. */
export interface KubeconfigInput {
  server: string;
  /** PEM of the CA that signed the API server's serving certificate. */
  caPem: string;
  /** Bearer token of the user. */
  token: string;
  /** Context, cluster and user name; defaults to 'aegis-test'. */
  name?: string;
}

/**
 * Renders a kubeconfig (JSON, which kubectl and every client read as YAML) with one cluster, one user
 * and one current context, the CA embedded so the file stands alone.
 */
export function renderKubeconfig({ server, caPem, token, name = 'aegis-test' }: KubeconfigInput): string {
  const config = {
    apiVersion: 'v1',
    kind: 'Config',
    preferences: {},
    clusters: [
      {
        name,
        cluster: { server, 'certificate-authority-data': Buffer.from(caPem).toString('base64') },
      },
    ],
    users: [{ name, user: { token } }],
    contexts: [{ name, context: { cluster: name, user: name, namespace: 'default' } }],
    'current-context': name,
  };
  return `${JSON.stringify(config, null, 2)}\n`;
}
