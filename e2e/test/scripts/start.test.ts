import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { GATEWAY, implementedServices, SERVICES } from '@aegis/common';
import { repoRoot } from '@aegis/testing';

/** `npm start` (scripts/start.mjs) reads the service registry from the built @aegis/common; `--list`
 * prints its plan without starting anything or binding a port. */
describe('scripts/start.mjs', () => {
  /** The environment of the test run, without the variables that place local data. */
  const baseEnv = () => {
    const env = { ...process.env };
    delete env.AEGIS_DATA_DIR;
    delete env.DATABASE_URL;
    return env;
  };
  const list = (env: NodeJS.ProcessEnv) =>
    execFileSync(process.execPath, [path.join(repoRoot, 'scripts', 'start.mjs'), '--list'], {
      encoding: 'utf8',
      env,
    })
      .trim()
      .split('\n');

  it('--list: auth, the other implemented services, then the gateway, on their registry ports', () => {
    const out = list(baseEnv());
    const services = implementedServices();
    const expected = [
      ...services.filter((s) => s.name === 'auth'),
      ...services.filter((s) => s.name !== 'auth'),
      GATEWAY,
    ].map((c) =>
      c === GATEWAY
        ? `${c.name} ${c.port} ${c.adminPort} ${c.entry}`
        : `${c.name} ${c.port} ${c.adminPort} ${c.entry} sqlite:.data/${c.name}.db`,
    );
    expect(out).toEqual(expected);
    expect(expected[0]).toBe('auth 8009 9009 services/auth/dist/main.js sqlite:.data/auth.db');
    for (const planned of SERVICES.filter((s) => !s.implemented))
      expect(out.join('\n')).not.toContain(planned.name);
  });

  it('--list: AEGIS_DATA_DIR places every service’s SQLite file; DATABASE_URL wins over it', () => {
    const stores = (env: NodeJS.ProcessEnv) =>
      list(env)
        .filter((line) => !line.startsWith(`${GATEWAY.name} `))
        .map((line) => line.split(' ').slice(-1)[0]);
    const names = implementedServices().map((s) => s.name);
    expect(stores({ ...baseEnv(), AEGIS_DATA_DIR: '/srv/aegis-data' }).sort()).toEqual(
      names.map((n) => `sqlite:/srv/aegis-data/${n}.db`).sort(),
    );
    expect(
      stores({ ...baseEnv(), AEGIS_DATA_DIR: '/srv/aegis-data', DATABASE_URL: 'postgres://db/aegis' }),
    ).toEqual(names.map(() => 'postgres://db/aegis'));
  });
});
