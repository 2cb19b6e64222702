import { buildDemoDataset } from '@aegis/demo';
import { normaliseApiNumber } from './api-number';
import { haversineMetres } from './geo';
import { isLabel } from './labels';

describe('buildDemoDataset', () => {
  const data = buildDemoDataset('2025-06-01');

  it('is deterministic for one anchor date', () => {
    expect(buildDemoDataset('2025-06-01')).toEqual(data);
  });

  it('has operators, fields, leases and at least 25 Texas wells in the Permian Basin', () => {
    const count = (label: string) => data.entities.filter((e) => e.label === label).length;
    expect(count('Operator')).toBeGreaterThanOrEqual(1);
    expect(count('Field')).toBeGreaterThanOrEqual(2);
    expect(count('Lease')).toBeGreaterThanOrEqual(3);
    expect(count('Permit')).toBeGreaterThan(0);
    expect(count('FlaringAuthorization')).toBeGreaterThan(0);
    expect(count('FlaringEvent')).toBeGreaterThan(0);
    expect(count('ComplianceDeadline')).toBeGreaterThan(0);
    const wells = data.entities.filter((e) => e.label === 'Well');
    expect(wells.length).toBeGreaterThanOrEqual(25);
    for (const w of wells) {
      expect(normaliseApiNumber(String(w.properties.api_number))).toEqual({ ok: true, value: w.entity_id });
      // Permian Basin: roughly 30.5–33.5 N, 100.5–104.5 W.
      expect(w.properties.latitude).toBeGreaterThan(30.5);
      expect(w.properties.latitude).toBeLessThan(33.5);
      expect(w.properties.longitude).toBeGreaterThan(-104.5);
      expect(w.properties.longitude).toBeLessThan(-100.5);
    }
    expect(new Set(wells.map((w) => w.entity_id)).size).toBe(wells.length);
  });

  it('uses only known labels and edges between entities of the set', () => {
    const keys = new Set(data.entities.map((e) => `${e.label}/${e.entity_id}`));
    expect(keys.size).toBe(data.entities.length);
    for (const e of data.entities) expect(isLabel(e.label)).toBe(true);
    for (const e of data.edges) {
      expect(keys.has(`${e.from_label}/${e.from_id}`)).toBe(true);
      expect(keys.has(`${e.to_label}/${e.to_id}`)).toBe(true);
    }
  });

  it('places some wells closer than the 1,200 ft Rule 37 minimum', () => {
    const wells = data.entities.filter((e) => e.label === 'Well');
    const close = wells.filter((a) =>
      wells.some(
        (b) =>
          a !== b &&
          haversineMetres(
            a.properties.latitude as number,
            a.properties.longitude as number,
            b.properties.latitude as number,
            b.properties.longitude as number,
          ) < 365.76,
      ),
    );
    expect(close.length).toBeGreaterThan(0);
  });

  it('dates authorisations relative to the anchor, at most 180 days long', () => {
    const auths = data.entities.filter((e) => e.label === 'FlaringAuthorization');
    expect(auths.some((a) => a.properties.expiry_date === '2025-06-11')).toBe(true);
    for (const a of auths) {
      const days =
        (Date.parse(String(a.properties.expiry_date)) - Date.parse(String(a.properties.effective_date))) /
        86_400_000;
      expect(days).toBeLessThanOrEqual(180);
    }
  });
});
