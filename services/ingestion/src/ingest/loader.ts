/**
 * The one loading path for uploaded files, the bundled RRC samples and /extract records: header
 * mapping, row validation, batching to the knowledge graph with at most one batch in flight, and the
 * all-or-nothing / partial decision at the end. Whatever goes wrong, an unfinished import is
 * discarded, so nothing half-written is ever visible.
 */
import type { ValidationIssue } from '@aegis/common';
import type { CommitCounts } from '@aegis/graph-client';
import {
  BATCH_WIDE,
  BatchBuilder,
  EntitySet,
  flattenBatch,
  issuesByRow,
  type BatchRow,
  type FlatBatch,
} from '../domain/batch';
import type { DataType, Mode } from '../domain/datatypes';
import { toGraphItems } from '../domain/graph-items';
import { mapHeaders } from '../domain/headers';
import { compileRowValidator, type FieldIssue } from '../domain/validate';
import type { CsvRecord, MalformedRecord } from './csv-source';
import { ErrorCollector, FileRejectedError, type RowError } from './errors';

export type { CommitCounts };

export type SendResult = { ok: true } | { ok: false; issues: ValidationIssue[] };

/** Where batches go: an import session of the knowledge graph, one bulk request, wells' production,
 * the flaring monitor. */
export interface LoadSink {
  /** Who refuses rows in row errors (`rejected by <name>: …`); the knowledge graph by default. */
  readonly name?: string;
  /** Stages a batch; a rejection (422 from the graph) stages nothing of it. */
  send(batch: FlatBatch): Promise<SendResult>;
  commit(): Promise<CommitCounts>;
  discard(): Promise<void>;
}

export interface LoadOptions {
  dataType: DataType;
  mode: Mode;
  sink: LoadSink;
  /** Errors kept in the result (the count is exact regardless). */
  maxErrors: number;
  /** Items per knowledge-graph request (≤ 5000 by contract). */
  batchMaxItems: number;
  /** Awaited after the last row, before committing: a rejection (the request went over its size
   * limit after the file, say) discards the import instead. */
  beforeCommit?: () => Promise<void>;
  /** Awaited right before the final commit request (the job notes it: an interruption from here on
   * may have stored everything). */
  onCommit?: () => Promise<void>;
  /** Called after every stored batch with the rows stored so far. */
  onProgress?: (progress: { totalRows: number; acceptedRows: number; rejectedRows: number }) => void;
}

export interface LoadResult {
  outcome: 'committed' | 'discarded';
  totalRows: number;
  acceptedRows: number;
  rejectedRows: number;
  errors: RowError[];
  errorCount: number;
  errorsTruncated: boolean;
  counts?: CommitCounts;
}

/** Related entities (operators, leases, fields) remembered as stored, to send each once. */
const MAX_REMEMBERED_RELATED = 100_000;

/** Records in batches (a chunk of a file at a time), the header first. */
export type RecordSource = (onMalformed: (m: MalformedRecord) => void) => AsyncIterable<readonly CsvRecord[]>;

export async function loadRecords(source: RecordSource, options: LoadOptions): Promise<LoadResult> {
  const { dataType, mode, sink } = options;
  const collector = new ErrorCollector(options.maxErrors);
  let headerBroken = false;
  let totalRows = 0;
  let acceptedRows = 0;
  let poisoned = false; // all_or_nothing and a row failed: stop sending, keep validating
  const builder = new BatchBuilder(options.batchMaxItems);
  const sentRelated = new EntitySet();
  const isStored = (label: string, id: string) => sentRelated.has(label, id);
  let inFlight: Promise<void> | undefined;
  let sendError: Error | undefined;

  const reject = (row: number, line: number | undefined, issues: readonly FieldIssue[]) => {
    collector.reject(row, line, issues);
    if (mode === 'all_or_nothing' && !poisoned) {
      poisoned = true;
      builder.clear();
    }
  };

  const onMalformed = (m: MalformedRecord) => {
    if (m.row === 1) headerBroken = true;
    else totalRows += 1;
    reject(m.row, m.line, [{ field: 'row', reason: m.reason }]);
  };

  const sendRows = async (rows: BatchRow[]) => {
    let pending = rows;
    while (pending.length > 0) {
      if (poisoned) return;
      const flat = flattenBatch(pending, sentRelated);
      const result = await sink.send(flat);
      if (result.ok) {
        acceptedRows += pending.length;
        for (const e of flat.related)
          if (sentRelated.size < MAX_REMEMBERED_RELATED) sentRelated.add(e.label, e.entity_id);
        options.onProgress?.({ totalRows, acceptedRows, rejectedRows: collector.rejectedRows });
        return;
      }
      // The graph names the failing items (at most a page of them): those rows are rejected and the
      // rest of the batch is sent again, until it goes through or no failure can be tied to a row.
      const byRow = issuesByRow(flat, result.issues, sink.name);
      const named = pending.filter((r) => byRow.has(r.row));
      if (named.length === 0) {
        const reasons = byRow.get(BATCH_WIDE) ?? [
          { field: 'row', reason: `rejected by ${sink.name ?? 'the knowledge graph'}` },
        ];
        for (const r of pending) reject(r.row, undefined, reasons);
        return;
      }
      for (const r of named) reject(r.row, undefined, byRow.get(r.row)!);
      pending = pending.filter((r) => !byRow.has(r.row));
    }
  };

  const dispatch = async () => {
    const rows = builder.take();
    if (inFlight) await inFlight;
    if (sendError) throw sendError;
    if (poisoned || rows.length === 0) return;
    inFlight = sendRows(rows).catch((err: unknown) => {
      sendError = err instanceof Error ? err : new Error(String(err));
    });
  };

  try {
    let mapping: ReturnType<typeof mapHeaders> | undefined;
    let validate: ReturnType<typeof compileRowValidator> | undefined;
    let width = 0;
    for await (const records of source(onMalformed)) {
      for (const record of records) {
        if (sendError) throw sendError;
        if (!mapping) {
          if (headerBroken)
            throw FileRejectedError.of('the header row is malformed', 'invalid_header', ['file', 'header']);
          mapping = mapHeaders(dataType, record.cells);
          if (mapping.missing.length > 0 || mapping.duplicates.length > 0) {
            throw new FileRejectedError(
              [
                ...mapping.missing.map((field) => ({
                  loc: ['file', 'header', field],
                  msg: `required column "${field}" is missing`,
                  type: 'missing_column',
                })),
                ...mapping.duplicates.map((d) => ({
                  loc: ['file', 'header', d.field],
                  msg: `columns ${d.headers.map((h) => `"${h}"`).join(', ')} all mean "${d.field}"`,
                  type: 'duplicate_column',
                })),
              ],
              'invalid_header',
            );
          }
          validate = compileRowValidator(dataType, mapping);
          width = record.cells.length;
          continue;
        }
        if (record.cells.every((c) => c.trim() === '')) continue; // a blank spreadsheet row
        totalRows += 1;
        if (record.cells.length !== width) {
          reject(record.row, record.line, [
            { field: 'row', reason: `expected ${width} columns, found ${record.cells.length}` },
          ]);
          continue;
        }
        const result = validate!(record.cells);
        if (!result.ok) {
          reject(record.row, record.line, result.issues);
          continue;
        }
        if (poisoned) continue;
        const items = toGraphItems(dataType, result.record, isStored);
        if (builder.add({ row: record.row, items })) await dispatch();
      }
    }
    if (!mapping) {
      throw headerBroken
        ? FileRejectedError.of('the header row is malformed', 'invalid_header', ['file', 'header'])
        : FileRejectedError.of('the file is empty', 'empty_file');
    }
    if (totalRows === 0) throw FileRejectedError.of('the file has a header but no data rows', 'no_rows');
    await dispatch();
    if (inFlight) await inFlight;
    if (sendError) throw sendError;
    await options.beforeCommit?.();

    const result: LoadResult = {
      outcome: 'discarded',
      totalRows,
      acceptedRows: 0,
      rejectedRows: collector.rejectedRows,
      errors: collector.sorted(),
      errorCount: collector.issueCount,
      errorsTruncated: collector.truncated,
    };
    if ((mode === 'all_or_nothing' && collector.rejectedRows > 0) || acceptedRows === 0) {
      await sink.discard();
      return result;
    }
    await options.onCommit?.();
    result.counts = await sink.commit();
    result.outcome = 'committed';
    result.acceptedRows = acceptedRows;
    return result;
  } catch (err) {
    if (inFlight) await inFlight;
    await sink.discard().catch(() => undefined);
    throw err;
  }
}
