import { sql, type RawBuilder } from '@aegis/common';
import { MAX_BATCH_ITEMS } from '../domain/labels';
import type { GraphDb } from './schema';

/** PostgreSQL-only parts of the import path (ADR 0031). SQLite never calls them.
 *
 * Measured on a 100k-row `full` upload (pg_stat_statements), the server's time went into the commit's
 * INSERT … SELECT … ON CONFLICT DO NOTHING of each packed row (edges and entities, ~60 %), the staged-key
 * lookups (~10 %), the commit's check of which entities exist (~6 %) and the ANALYZEs that keep that
 * check's plan sane (~3 %). Parsing the packed JSON is a few per cent of it, so the staging format
 * stays (no COPY: see the ADR). */

/** Items per packed staging row on PostgreSQL: a whole batch (the commit numbers an item `seq * this +
 * position`, so it must bound every row ever staged, the 1,000 of earlier versions included). The
 * commit runs a savepoint and an INSERT per packed row, and ~0.5 s of a 5.2 s commit of 100k `full`
 * rows was the round trips and statement set-up of 488 rows of 1,000 items; with a row per batch and
 * kind it is 170 rows. SQLite, in process, keeps 1,000. An import staged by this version must not be
 * committed by an earlier one (its numbering would repeat edge ids): that commit would fail with 409
 * `import_conflict` and apply nothing. */
export const PG_PACKED_PER_ROW = MAX_BATCH_ITEMS;

const UNIQUE_VIOLATION = '23505';
const SAVEPOINT = 'kg_import_new';

/**
 * The commit's fast path for packed rows whose items are all new to the graph, which is what a first
 * load is: the row's items go in with a plain INSERT (no ON CONFLICT) inside a savepoint. A plain
 * INSERT costs PostgreSQL about a third less than INSERT … ON CONFLICT DO NOTHING (no speculative
 * insertion into each unique index), and when it succeeds no item existed, so the check of which
 * items exist, and the merges it would lead to, are known to be empty and are skipped.
 *
 * When an item exists (unique violation) the attempt is rolled back to the savepoint, nothing of it
 * remains, and the caller takes the general path for that row: check, merge, INSERT … ON CONFLICT DO
 * NOTHING, the 409 `import_conflict` when a concurrent writer took an item in between. After one
 * such miss the commit stops trying (an import that re-sends stored items usually re-sends many), so
 * at most one row's INSERT is wasted. A concurrent writer's uncommitted row makes the plain INSERT
 * wait, as ON CONFLICT did; if it commits, the general path sees its row and merges into it.
 */
export class NewRowsFirst {
  private hopeful = true;

  constructor(private readonly tx: GraphDb) {}

  /** Runs the plain `insert`; its row count, or undefined when the caller must take the general path. */
  async insert(insert: RawBuilder<unknown>): Promise<number | undefined> {
    if (!this.hopeful) return undefined;
    const { db } = this.tx;
    await sql.raw(`SAVEPOINT ${SAVEPOINT}`).execute(db);
    try {
      const done = await insert.execute(db);
      await sql.raw(`RELEASE SAVEPOINT ${SAVEPOINT}`).execute(db);
      return Number(done.numAffectedRows ?? 0n);
    } catch (err) {
      // Anything else has aborted the transaction: the commit fails and rolls back as a whole.
      if ((err as { code?: unknown } | null)?.code !== UNIQUE_VIOLATION) throw err;
      await sql.raw(`ROLLBACK TO SAVEPOINT ${SAVEPOINT}`).execute(db);
      await sql.raw(`RELEASE SAVEPOINT ${SAVEPOINT}`).execute(db);
      this.hopeful = false;
      return undefined;
    }
  }
}

/** `NewRowsFirst` on PostgreSQL; undefined on SQLite, whose INSERT … ON CONFLICT costs no more. */
export const newRowsFirst = (tx: GraphDb): NewRowsFirst | undefined =>
  tx.dialect === 'postgres' ? new NewRowsFirst(tx) : undefined;

/**
 * The elements of a JSON array as `j(value, ord)`. `binary` (the commit's packed rows): as jsonb,
 * parsed once, whose `->>` then reads an element's columns without parsing it again; `->>` on `json`
 * re-parses the element's text for each column. Measured on the staged rows of 100k `full` well rows,
 * reading every column: entities 0.70 → 0.22 s, edges 0.46 → 0.21 s. Values are the same: the
 * columns are strings (properties as JSON text inside a string, so jsonb's refusal of `\u0000` never
 * applies) and numbers that are cast to double precision.
 */
export const pgArrayElements = (json: RawBuilder<unknown>, binary: boolean): RawBuilder<unknown> =>
  binary
    ? sql`jsonb_array_elements(CAST(${json} AS jsonb)) WITH ORDINALITY AS j(value, ord)`
    : sql`json_array_elements(CAST(${json} AS json)) WITH ORDINALITY AS j(value, ord)`;

/**
 * "Some row of `probe` exists", evaluated once per outer row with an index probe. PostgreSQL turns
 * `EXISTS (…)` into a semi-join and, with statistics that do not know the rows an import has staged so
 * far (kg_import_keys grows by thousands per batch and is not analysed in between), chose to hash every
 * key of the import for each batch's lookup: quadratic in the size of the import (11 ms per batch of
 * 1,000 keys at 60k staged keys, against 4 ms probing). A scalar subquery is never pulled up into a
 * join, so it stays a per-key probe of the primary key whatever the statistics say.
 */
export const probeEach = (probe: RawBuilder<unknown>): RawBuilder<boolean> =>
  sql<boolean>`(${probe} LIMIT 1) IS NOT NULL`;
