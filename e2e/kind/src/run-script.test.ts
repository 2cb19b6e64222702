import fs from 'node:fs';
import path from 'node:path';
import { implementedServices } from '@aegis/common';
import { resolveValues } from '@aegis/k8s';

/** The values e2e/kind/run.sh gives `helm install` are ones the chart's values schema accepts (helm
 * refuses the install otherwise, which only a machine with kind would notice). */
const script = fs.readFileSync(path.resolve(__dirname, '..', 'run.sh'), 'utf8');

/** `--set a.b=c` pairs of the script; `$svc` stands for each implemented service, as its loop does. */
function setValues(): Record<string, unknown> {
  const pairs = [...script.matchAll(/--set "?([\w.$-]+)=("[^"]*"|[^\s"]*)/g)].flatMap(([, key, value]) =>
    key.includes('$svc')
      ? implementedServices().map((s) => [key.replace('$svc', s.name), value])
      : [[key, value]],
  );
  const values: Record<string, unknown> = {};
  for (const [key, quoted] of pairs) {
    // A shell expansion ("${IMAGE%%:*}") stands for some non-empty string.
    const raw = quoted.replace(/^"|"$/g, '').includes('$') ? 'from-the-shell' : quoted.replace(/^"|"$/g, '');
    const parts = key.split('.');
    let at = values;
    for (const p of parts.slice(0, -1)) at = (at[p] ??= {}) as Record<string, unknown>;
    // Values from shell variables (the image's name) are strings; helm reads 1 and false as such.
    at[parts.at(-1)!] = /^\d+$/.test(raw)
      ? Number(raw)
      : raw === 'false' || raw === 'true'
        ? raw === 'true'
        : raw;
  }
  return values;
}

describe('e2e/kind/run.sh', () => {
  it('installs the chart with values its schema accepts: one replica of each component', () => {
    const values = setValues();
    expect(() => resolveValues(values)).not.toThrow();
    const resolved = resolveValues(values);
    expect(resolved.replicas).toEqual({ gateway: 1, operator: 1 });
    for (const s of implementedServices()) expect(resolved.services[s.name].replicas).toBe(1);
  });
});
