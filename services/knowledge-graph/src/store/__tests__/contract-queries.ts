import type { Store } from '@aegis/common';
import { assembleContext, haversineMetres } from '@aegis/knowledge-graph';
import { ANCHOR, applyBatch, demo, freshTenant, ids, run, seededTenant, wellAt } from './fixtures';

/** The query templates and context assembly on the demo data, on every store. */
export function graphQueryContract(getStore: () => Store): void {
  const seeded = seededTenant(getStore);

  describe('query templates', () => {
    it('wells_by_operator lists exactly the wells OPERATED_BY the operator', async () => {
      const rows = await run(getStore(), seeded(), 'wells_by_operator', { operator_id: 'OP-123456' });
      const expected = demo.edges
        .filter((e) => e.rel_type === 'OPERATED_BY' && e.from_label === 'Well' && e.to_id === 'OP-123456')
        .map((e) => e.from_id);
      expect(ids(rows).sort()).toEqual(expected.sort());
      expect(rows).toHaveLength(10);
    });

    it('offset_wells returns wells within the radius by great-circle distance, nearest first', async () => {
      const origin = wellAt(0, 3);
      const rows = await run(getStore(), seeded(), 'offset_wells', {
        well_id: origin.entity_id,
        radius_ft: 1300,
      });
      const expected = demo.entities
        .filter((e) => e.label === 'Well' && e.entity_id !== origin.entity_id)
        .map((e) => ({
          id: e.entity_id,
          m: haversineMetres(
            origin.properties.latitude as number,
            origin.properties.longitude as number,
            e.properties.latitude as number,
            e.properties.longitude as number,
          ),
        }))
        .filter((x) => x.m <= 1300 * 0.3048)
        .sort((a, b) => a.m - b.m);
      expect(ids(rows)).toEqual(expected.map((x) => x.id));
      expect(ids(rows)).toContain(wellAt(0, 4).entity_id); // about 277 m (909 ft) away
      expect(ids(rows)).not.toContain(wellAt(0, 1).entity_id); // about 809 m away
      expect(rows[0].distance_ft).toBeCloseTo(expected[0].m / 0.3048, 0);
      expect(rows[0].distance_ft).toBeLessThan(1200); // inside the Rule 37 statewide minimum
      const byApi = await run(getStore(), seeded(), 'offset_wells', {
        well_id: `42-317-${origin.entity_id.slice(5, 10)}`,
        radius_ft: 1300,
      });
      expect(ids(byApi)).toEqual(ids(rows));
    });

    it('authorizations_expiring lists authorisations expiring within N days, not expired ones', async () => {
      const rows = await run(getStore(), seeded(), 'authorizations_expiring', { days: 30, as_of: ANCHOR });
      expect(ids(rows)).toEqual(['R32-0041235-1', 'R32-0051145-1']);
      expect(rows.map((r) => r.days_remaining)).toEqual([10, 25]);
    });

    it('flaring_without_authorization finds events with no valid approved authorisation of the well or its lease', async () => {
      const rows = await run(getStore(), seeded(), 'flaring_without_authorization', {});
      const byReason = (reason: string) => rows.filter((r) => r.reason === reason).map((r) => r.well_id);
      // Two wells with no authorisation at all (4 events each).
      expect(new Set(byReason('no_authorization'))).toEqual(
        new Set([wellAt(2, 3).entity_id, wellAt(5, 2).entity_id]),
      );
      expect(byReason('no_authorization')).toHaveLength(8);
      // A pending authorisation (4 events) and one event after an expiry.
      expect(byReason('outside_authorization').sort()).toEqual(
        [...Array(4).fill(wellAt(4, 3).entity_id), wellAt(1, 2).entity_id].sort(),
      );
      // The lease-wide authorisation covers the Reeves wells.
      expect(rows.some((r) => r.well_id === wellAt(3, 1).entity_id)).toBe(false);
      const window = await run(getStore(), seeded(), 'flaring_without_authorization', {
        from: '2025-05-25',
        to: ANCHOR,
      });
      expect(window.length).toBeGreaterThan(0);
      expect(
        window.every((r) => String((r.properties as Record<string, unknown>).event_date) >= '2025-05-25'),
      ).toBe(true);
      expect(window.length).toBeLessThan(rows.length);
    });

    it('connected_by_path follows a relationship path with directions', async () => {
      const rows = await run(getStore(), seeded(), 'connected_by_path', {
        label: 'Operator',
        entity_id: 'OP-123456',
        path: [
          { rel_type: 'OPERATED_BY', direction: 'in' },
          { rel_type: 'FLARED_AT', direction: 'in' },
        ],
      });
      expect(rows).toHaveLength(16);
      expect(rows.every((r) => r.label === 'FlaringEvent')).toBe(true);
      const leases = await run(getStore(), seeded(), 'connected_by_path', {
        label: 'Well',
        entity_id: wellAt(3, 0).entity_id,
        path: ['ON_LEASE', { rel_type: 'IN_FIELD' }, { rel_type: 'IN_FIELD', direction: 'in' }],
        target_label: 'Lease',
      });
      expect(ids(leases)).toEqual(['LSE-08-51002', 'LSE-08-51145']);
    });

    it('permits_of_well returns the permit of the well', async () => {
      const rows = await run(getStore(), seeded(), 'permits_of_well', { well_id: wellAt(2, 1).entity_id });
      expect(rows).toHaveLength(1);
      expect(rows[0]).toMatchObject({ label: 'Permit', properties: { api_number: wellAt(2, 1).entity_id } });
    });

    it('deadlines_due_within lists open deadlines due soon with alert levels', async () => {
      const rows = await run(getStore(), seeded(), 'deadlines_due_within', { days: 7, as_of: ANCHOR });
      expect(rows.map((r) => [r.entity_id, r.days_until_due, r.level])).toEqual([
        ['DL-R32-RENEW-0041987-2', -34, 'CRITICAL'],
        ['DL-R32-RENEW-0041235-1', -4, 'CRITICAL'],
        ['DL-PR-41235', 5, 'CRITICAL'],
      ]);
      const upcoming = await run(getStore(), seeded(), 'deadlines_due_within', {
        days: 7,
        as_of: ANCHOR,
        include_overdue: false,
      });
      expect(ids(upcoming)).toEqual(['DL-PR-41235']);
    });

    it('wells_in_field finds wells directly and through their leases', async () => {
      const t = freshTenant('field');
      await applyBatch(getStore(), t, {
        entities: [
          { label: 'Field', entity_id: 'f' },
          { label: 'Lease', entity_id: 'l' },
          { label: 'Well', properties: { api_number: '42-329-10001' } },
          { label: 'Well', properties: { api_number: '42-329-10002' } },
          { label: 'Well', properties: { api_number: '42-329-10003' } },
        ],
        edges: [
          { from_label: 'Lease', from_id: 'l', rel_type: 'IN_FIELD', to_label: 'Field', to_id: 'f' },
          { from_label: 'Well', from_id: '4232910001', rel_type: 'ON_LEASE', to_label: 'Lease', to_id: 'l' },
          { from_label: 'Well', from_id: '4232910002', rel_type: 'IN_FIELD', to_label: 'Field', to_id: 'f' },
        ],
      });
      expect(ids(await run(getStore(), t, 'wells_in_field', { field_id: 'f' }))).toEqual([
        '42329100010000',
        '42329100020000',
      ]);
      expect(await run(getStore(), seeded(), 'wells_in_field', { field_id: 'FLD-71052900' })).toHaveLength(
        10,
      );
    });

    it('wells_spudded_after lists wells spudded after the OOOOb date', async () => {
      const rows = await run(getStore(), seeded(), 'wells_spudded_after', {});
      const expected = demo.entities.filter(
        (e) =>
          e.label === 'Well' &&
          typeof e.properties.spud_date === 'string' &&
          e.properties.spud_date > '2021-11-15',
      );
      expect(ids(rows).sort()).toEqual(expected.map((e) => e.entity_id).sort());
      expect(rows.length).toBeGreaterThan(0);
    });

    it('flaring_volume_by_well sums flared volume per well', async () => {
      const rows = await run(getStore(), seeded(), 'flaring_volume_by_well', {
        from: '2025-01-01',
        to: ANCHOR,
      });
      const events = demo.entities.filter((e) => e.label === 'FlaringEvent');
      const expected = new Map<string, number>();
      for (const e of events) {
        const w = String(e.properties.api_number);
        expected.set(w, (expected.get(w) ?? 0) + (e.properties.volume_mcf as number));
      }
      expect(rows).toHaveLength(expected.size);
      for (const r of rows) expect(r.volume_mcf).toBeCloseTo(expected.get(r.well_id as string) ?? -1, 6);
    });
  });

  describe('context assembly', () => {
    it('gathers lease, field, operator, permits, authorisations, flaring, offsets, regulations and deadlines of a well', async () => {
      const well = wellAt(0, 0);
      const c = await assembleContext(getStore(), seeded(), `42-317-${well.entity_id.slice(5, 10)}-00`, {
        today: ANCHOR,
        flaringDays: 90,
        offsetRadiusFt: 5280,
      });
      expect(c.well.entity_id).toBe(well.entity_id);
      expect(c.lease?.entity_id).toBe('LSE-08-41235');
      expect(c.field?.entity_id).toBe('FLD-85279300');
      expect(c.operator?.entity_id).toBe('OP-123456');
      expect(c.permits).toHaveLength(1);
      expect(c.authorizations.map((a) => [a.entity_id, a.valid_today, a.days_remaining])).toEqual([
        ['R32-0041235-1', true, 10],
      ]);
      expect(c.recent_flaring.event_count).toBe(4);
      expect(c.recent_flaring.total_volume_mcf).toBeGreaterThan(0);
      expect(c.offset_wells.wells.map((w) => w.entity_id)).toEqual(
        expect.arrayContaining([wellAt(0, 1).entity_id, wellAt(0, 4).entity_id]),
      );
      expect(c.regulations.map((r) => r.entity_id)).toEqual(
        expect.arrayContaining(['REG-TAC-3.32', 'REG-TAC-3.37', 'REG-TAC-3.58']),
      );
      expect(c.deadlines.map((d) => d.entity_id)).toEqual(
        expect.arrayContaining(['DL-PR-41235', 'DL-R32-RENEW-0041235-1']),
      );
    });
  });
}
