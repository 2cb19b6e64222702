import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { GATEWAY, implementedServices } from '@aegis/common';
import { repoRoot } from '@aegis/testing';

/** `npm start` (scripts/start.mjs) reads the service registry from the built @aegis/common; `--list`
 * prints its plan without starting anything or binding a port. */
describe('scripts/start.mjs', () => {
  it('--list: auth, the other implemented services, then the gateway, on their registry ports', () => {
    const out = execFileSync(process.execPath, [path.join(repoRoot, 'scripts', 'start.mjs'), '--list'], {
      encoding: 'utf8',
    });
    const services = implementedServices();
    const expected = [
      ...services.filter((s) => s.name === 'auth'),
      ...services.filter((s) => s.name !== 'auth'),
      GATEWAY,
    ].map((c) => `${c.name} ${c.port} ${c.adminPort} ${c.entry}`);
    expect(out.trim().split('\n')).toEqual(expected);
    expect(expected[0]).toBe('auth 8009 9009 services/auth/dist/main.js');
    expect(out).not.toMatch(/orchestration|memory|approvals|monitor/);
  });
});
