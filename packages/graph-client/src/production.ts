import { z } from 'zod';

/**
 * Monthly production of a well, as `PUT /entities/Well/{id}/production` takes it and stores it on the
 * well (`properties.production`, merged by period): the one shape the knowledge graph validates with
 * and its writers (ingestion's `production` CSV, the demo scenario) build with. Gas dispositions are
 * the Form PR codes of Rule 32 (16 TAC §3.32): `10` flared → `flared_mcf`, `11` vented → `vented_mcf`.
 * `allowable_bbl` is the month's oil allowable (Rule 58 / Form PR), where the well has one.
 */
export const productionRecordSchema = z.strictObject({
  period: z.string().regex(/^\d{4}-(0[1-9]|1[0-2])$/, { message: 'must be YYYY-MM' }),
  oil_bbl: z.number().min(0).optional(),
  gas_mcf: z.number().min(0).optional(),
  water_bbl: z.number().min(0).optional(),
  condensate_bbl: z.number().min(0).optional(),
  flared_mcf: z.number().min(0).optional(),
  vented_mcf: z.number().min(0).optional(),
  days_produced: z.number().int().min(0).max(31).optional(),
  allowable_bbl: z.number().min(0).optional(),
});
export type ProductionRecord = z.infer<typeof productionRecordSchema>;

/** Records per production request. */
export const MAX_PRODUCTION_RECORDS = 600;

export const productionBodySchema = z.strictObject({
  records: z.array(productionRecordSchema).min(1).max(MAX_PRODUCTION_RECORDS),
});

/** A well's stored production with `records` merged in: a record replaces the stored one of its
 * period, others stay; sorted by period. Stored entries that are not records (no text period) are
 * dropped. Pure. */
export function mergeProduction(
  existing: unknown,
  records: readonly Record<string, unknown>[],
): Record<string, unknown>[] {
  const byPeriod = new Map<string, Record<string, unknown>>();
  const stored = Array.isArray(existing) ? (existing as unknown[]) : [];
  for (const r of stored)
    if (r && typeof r === 'object' && typeof (r as { period?: unknown }).period === 'string')
      byPeriod.set((r as { period: string }).period, r as Record<string, unknown>);
  for (const r of records) byPeriod.set(String(r.period), { ...r });
  return [...byPeriod.values()].sort((a, b) => (String(a.period) < String(b.period) ? -1 : 1));
}
