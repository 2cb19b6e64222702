import { ConfigError } from '@aegis/common';
import { DEFAULT_BOOTSTRAP_PASSWORD, LOCAL_TENANTS_FILE, loadConfig } from './config';

describe('loadConfig', () => {
  it('has working local defaults', () => {
    const c = loadConfig({});
    expect(c).toMatchObject({
      host: '127.0.0.1',
      port: 8009,
      adminPort: 9009,
      databaseUrl: 'sqlite:.data/auth.db',
      tokenTtlSec: 86_400,
      cookieSecure: false,
      cookieSameSite: 'Lax',
      lockout: { maxFailures: 5, lockMs: 900_000 },
      bootstrapAdmin: { email: 'admin@aegis.local', password: DEFAULT_BOOTSTRAP_PASSWORD },
    });
    expect(Object.isFrozen(c)).toBe(true);
  });

  it('reads the gateway’s local tenant file by default, none in production, or TENANTS_FILE', () => {
    expect(loadConfig({}).tenantsFile).toBe(LOCAL_TENANTS_FILE);
    expect(LOCAL_TENANTS_FILE).toMatch(/config[/\\]tenants\.yaml$/);
    const production = { NODE_ENV: 'production', BOOTSTRAP_ADMIN_PASSWORD: 'a-long-enough-secret' };
    expect(loadConfig(production).tenantsFile).toBe('');
    expect(loadConfig({ TENANTS_FILE: '/etc/t.yaml' }).tenantsFile).toBe('/etc/t.yaml');
    expect(loadConfig({ TENANTS_FILE: '' }).tenantsFile).toBe('');
  });

  it('keeps its store in AEGIS_DATA_DIR unless DATABASE_URL names one', () => {
    expect(loadConfig({ AEGIS_DATA_DIR: '/var/lib/aegis' }).databaseUrl).toBe(
      'sqlite:/var/lib/aegis/auth.db',
    );
    expect(loadConfig({ AEGIS_DATA_DIR: '/var/lib/aegis', DATABASE_URL: 'sqlite:/x.db' }).databaseUrl).toBe(
      'sqlite:/x.db',
    );
  });

  it.each([
    [{ NODE_ENV: 'production' }],
    [{ NODE_ENV: 'production', BOOTSTRAP_ADMIN_PASSWORD: DEFAULT_BOOTSTRAP_PASSWORD }],
    [{ NODE_ENV: 'production', BOOTSTRAP_ADMIN_PASSWORD: 'short' }],
  ])('refuses the default or a missing bootstrap password in production %#', (env) => {
    expect(() => loadConfig(env)).toThrow(ConfigError);
    expect(() => loadConfig(env)).toThrow(/BOOTSTRAP_ADMIN_PASSWORD/);
  });

  it('reads SERVICE_CLIENT_SECRET, unset (no service tokens) by default, and refuses a short one', () => {
    expect(loadConfig({}).serviceClientSecret).toBeUndefined();
    expect(loadConfig({ SERVICE_CLIENT_SECRET: '' }).serviceClientSecret).toBeUndefined();
    expect(loadConfig({}).serviceTokenTtlSec).toBe(600);
    expect(loadConfig({ SERVICE_CLIENT_SECRET: 'x'.repeat(16) }).serviceClientSecret).toBe('x'.repeat(16));
    expect(() => loadConfig({ SERVICE_CLIENT_SECRET: 'x'.repeat(15) })).toThrow(/SERVICE_CLIENT_SECRET/);
  });

  it('refuses SameSite=None without Secure, which browsers would drop', () => {
    expect(() => loadConfig({ COOKIE_SAME_SITE: 'None' })).toThrow(/COOKIE_SAME_SITE/);
    expect(loadConfig({ COOKIE_SAME_SITE: 'None', COOKIE_SECURE: 'true' }).cookieSameSite).toBe('None');
  });

  it('accepts production with a real password, or with the bootstrap disabled', () => {
    expect(
      loadConfig({ NODE_ENV: 'production', BOOTSTRAP_ADMIN_PASSWORD: 'a-long-real-secret' }).bootstrapAdmin
        ?.password,
    ).toBe('a-long-real-secret');
    expect(
      loadConfig({ NODE_ENV: 'production', BOOTSTRAP_ADMIN_ENABLED: 'false' }).bootstrapAdmin,
    ).toBeUndefined();
  });

  it.each([
    ['PORT', 'abc'],
    ['TOKEN_TTL_SECONDS', '5'],
    ['COOKIE_SECURE', 'maybe'],
    ['BOOTSTRAP_ADMIN_EMAIL', 'nope'],
    ['SIGNING_KEY_ENCRYPTION_KEY', 'dG9vLXNob3J0'],
  ])('names the variable of a bad value (%s)', (name, value) => {
    expect(() => loadConfig({ [name]: value })).toThrow(new RegExp(name));
  });

  it('reads a 32-byte key-encryption key', () => {
    const key = Buffer.alloc(32, 7).toString('base64');
    expect(loadConfig({ SIGNING_KEY_ENCRYPTION_KEY: key }).keyEncryptionKey?.length).toBe(32);
  });
});
