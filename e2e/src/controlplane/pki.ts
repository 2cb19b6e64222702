import { execFile } from 'node:child_process';
import { generateKeyPairSync, randomBytes } from 'node:crypto';
import fs from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

/** The identities the control plane knows, each with a static bearer token. */
export const IDENTITIES = {
  admin: { user: 'aegis-admin', groups: ['system:masters'] },
  controllerManager: { user: 'system:kube-controller-manager', groups: [] },
  scheduler: { user: 'system:kube-scheduler', groups: [] },
  kwok: { user: 'kwok-controller', groups: ['system:masters'] },
} as const;
export type Identity = keyof typeof IDENTITIES;

export interface Pki {
  caCert: string;
  caKey: string;
  servingCert: string;
  servingKey: string;
  /** Client certificate of the admin (CN aegis-admin, O system:masters), for clients that want one. */
  adminCert: string;
  adminKey: string;
  serviceAccountKey: string;
  serviceAccountPub: string;
  /** The --token-auth-file of the API server. */
  tokenFile: string;
  tokens: Record<Identity, string>;
}

/** Subject alternative names of the API server's serving certificate. */
export const SERVING_SANS = [
  'IP:127.0.0.1',
  'DNS:localhost',
  'DNS:kubernetes',
  'DNS:kubernetes.default',
  'DNS:kubernetes.default.svc',
  'DNS:kubernetes.default.svc.cluster.local',
] as const;

/** One line of a --token-auth-file: token,user,uid,"group1,group2". */
export function tokenFileLine(token: string, user: string, groups: readonly string[]): string {
  const base = `${token},${user},${user}`;
  return groups.length > 0 ? `${base},"${groups.join(',')}"` : base;
}

async function openssl(args: string[]): Promise<void> {
  await run('openssl', args);
}

/** `openssl req` with a new P-256 key written to `key`: a CSR (`-new`) or a self-signed certificate
 * (`-x509`) written to `out`. */
async function requestWithNewKey(
  kind: '-new' | '-x509',
  key: string,
  out: string,
  subject: string,
  extra: string[] = [],
): Promise<void> {
  const newKey = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-keyout', key];
  await openssl(['req', kind, ...newKey, '-out', out, ...extra, '-subj', subject]);
}

async function signedCert(
  dir: string,
  name: string,
  subject: string,
  extensions: string,
  ca: { cert: string; key: string },
): Promise<{ cert: string; key: string }> {
  const key = path.join(dir, `${name}.key`);
  const csr = path.join(dir, `${name}.csr`);
  const cert = path.join(dir, `${name}.crt`);
  const ext = path.join(dir, `${name}.ext`);
  await fs.writeFile(ext, extensions);
  await requestWithNewKey('-new', key, csr, subject);
  await openssl(
    ['x509', '-req', '-in', csr, '-CA', ca.cert, '-CAkey', ca.key, '-CAcreateserial'].concat([
      '-days',
      '3650',
      '-sha256',
      '-extfile',
      ext,
      '-out',
      cert,
    ]),
  );
  return { cert, key };
}

/**
 * Writes a throw-away PKI into `dir` with the openssl CLI: a CA, the API server's serving certificate
 * for 127.0.0.1/localhost, an admin client certificate, an ECDSA service-account signing key pair and a
 * static token file with one random token per identity.
 */
export async function createPki(dir: string): Promise<Pki> {
  await fs.mkdir(dir, { recursive: true, mode: 0o700 });
  const caCert = path.join(dir, 'ca.crt');
  const caKey = path.join(dir, 'ca.key');
  await requestWithNewKey('-x509', caKey, caCert, '/CN=aegis-test-ca', ['-days', '3650']);
  const ca = { cert: caCert, key: caKey };
  const serving = await signedCert(
    dir,
    'apiserver',
    '/CN=kube-apiserver',
    `subjectAltName=${SERVING_SANS.join(',')}\nextendedKeyUsage=serverAuth\nkeyUsage=digitalSignature,keyEncipherment\n`,
    ca,
  );
  const admin = await signedCert(
    dir,
    'admin',
    `/O=system:masters/CN=${IDENTITIES.admin.user}`,
    'extendedKeyUsage=clientAuth\nkeyUsage=digitalSignature,keyEncipherment\n',
    ca,
  );

  const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
  const serviceAccountKey = path.join(dir, 'sa.key');
  const serviceAccountPub = path.join(dir, 'sa.pub');
  await fs.writeFile(serviceAccountKey, privateKey.export({ type: 'pkcs8', format: 'pem' }), { mode: 0o600 });
  await fs.writeFile(serviceAccountPub, publicKey.export({ type: 'spki', format: 'pem' }));

  const tokens = {} as Record<Identity, string>;
  const lines: string[] = [];
  for (const [identity, { user, groups }] of Object.entries(IDENTITIES) as [
    Identity,
    (typeof IDENTITIES)[Identity],
  ][]) {
    tokens[identity] = randomBytes(24).toString('hex');
    lines.push(tokenFileLine(tokens[identity], user, groups));
  }
  const tokenFile = path.join(dir, 'tokens.csv');
  await fs.writeFile(tokenFile, `${lines.join('\n')}\n`, { mode: 0o600 });

  return {
    caCert,
    caKey,
    servingCert: serving.cert,
    servingKey: serving.key,
    adminCert: admin.cert,
    adminKey: admin.key,
    serviceAccountKey,
    serviceAccountPub,
    tokenFile,
    tokens,
  };
}
