import type { Readable } from 'node:stream';
import type { Logger } from '@aegis/common';
import { FIELD_SPECS, type DataType, type Mode } from '../domain/datatypes';
import { aliasIndex, normaliseHeader } from '../domain/headers';
import { MAX_ITEMS_PER_ROW } from '../domain/graph-items';
import type { GraphCaller, KnowledgeGraphClient } from '@aegis/graph-client';
import { readCsv, type CsvRecord, type MalformedRecord } from './csv-source';
import type { Charset } from './decode';
import { loadRecords, type LoadResult, type LoadSink } from './loader';
import { flareEventSink } from './flare-event-sink';
import type { FlaringMonitorClient } from './flaring-client';
import { productionSink } from './production-sink';
import { bulkSink, importSink } from './sinks';

export interface IngestLimits {
  /** Row errors kept per job (the count is exact regardless). */
  maxErrors: number;
  /** Items per knowledge-graph request (≤ 5000 by contract). */
  batchMaxItems: number;
  /** Largest CSV record in bytes. */
  maxRecordBytes: number;
}

export interface Ingestion {
  /** Loads a CSV stream (an upload or a bundled sample file) through an import session. */
  loadCsv(caller: GraphCaller, input: Readable, options: CsvLoadOptions): Promise<LoadResult>;
  /** Loads JSON records (POST /extract): one bulk request when they fit in one batch, an import
   * session otherwise. Row numbers are record indexes. */
  loadObjects(
    caller: GraphCaller,
    records: readonly Record<string, unknown>[],
    options: ObjectLoadOptions,
  ): Promise<LoadResult>;
  /** Loads SCADA readings (rows of the `flaring` data type) as the flaring monitor's flare events. */
  loadReadings(
    caller: GraphCaller,
    readings: readonly Record<string, unknown>[],
    options: Omit<ObjectLoadOptions, 'dataType'>,
  ): Promise<LoadResult>;
}

export interface ObjectLoadOptions {
  dataType: DataType;
  mode: Mode;
  onProgress?: LoadProgress;
  onCommit?: () => Promise<void>;
}

type LoadProgress = (p: { totalRows: number; acceptedRows: number; rejectedRows: number }) => void;

export interface CsvLoadOptions {
  dataType: DataType;
  mode: Mode;
  /** The declared character set (UTF-8 by default; a byte-order mark wins). */
  charset?: Charset;
  signal?: AbortSignal;
  beforeCommit?: () => Promise<void>;
  onProgress?: LoadProgress;
  onCommit?: () => Promise<void>;
}

/** JSON values as CSV cells: text as is, numbers and booleans printed, null empty, objects as JSON. */
export function cellOf(value: unknown): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint')
    return String(value);
  return JSON.stringify(value);
}

/**
 * JSON records as a header and rows; row n is record index n. Keys are normalised like CSV headers and
 * resolved to the data type's fields per record (records may spell a column differently; within one
 * record the first non-empty spelling wins). The header is the data type's required fields, then the
 * other keys in first-seen order, so a record missing a required field gets a row error naming it.
 */
export function objectRecords(records: readonly Record<string, unknown>[], dataType: DataType): CsvRecord[] {
  const index = aliasIndex(dataType);
  const keyOf = (raw: string) => {
    const n = normaliseHeader(raw);
    return index.get(n) ?? n;
  };
  const columns: string[] = FIELD_SPECS[dataType].filter((f) => f.required).map((f) => f.name);
  const position = new Map(columns.map((c, i) => [c, i]));
  const normalised = records.map((r) => {
    const out = new Map<string, string>();
    for (const [raw, value] of Object.entries(r)) {
      const key = keyOf(raw);
      if (key === '') continue;
      const cell = cellOf(value);
      if (!out.has(key) || (out.get(key) === '' && cell !== '')) out.set(key, cell);
      if (!position.has(key)) {
        position.set(key, columns.length);
        columns.push(key);
      }
    }
    return out;
  });
  const out: CsvRecord[] = [{ row: Number.NaN, line: 0, cells: columns }];
  normalised.forEach((r, i) => out.push({ row: i, line: 0, cells: columns.map((c) => r.get(c) ?? '') }));
  return out;
}

export function createIngestion(deps: {
  kg: KnowledgeGraphClient;
  flaring: FlaringMonitorClient;
  logger: Logger;
  limits: IngestLimits;
}): Ingestion {
  const { kg, flaring, logger, limits } = deps;
  const base = { maxErrors: limits.maxErrors, batchMaxItems: limits.batchMaxItems };
  /** Production months go to each well's production (PUT /entities/Well/{id}/production); other
   * rows to an import session, or one bulk request when they fit in one batch. */
  const graphSink = (caller: GraphCaller, dataType: DataType, fitsOneBatch: boolean): LoadSink => {
    if (dataType === 'production') return productionSink(kg, caller, logger);
    return fitsOneBatch ? bulkSink(kg, caller) : importSink(kg, caller, logger);
  };
  const objects = (records: readonly Record<string, unknown>[], dataType: DataType) => {
    const rows = objectRecords(records, dataType);
    return () => ({
      async *[Symbol.asyncIterator]() {
        yield rows;
      },
    });
  };
  return {
    loadCsv(caller, input, options) {
      return loadRecords(
        (onMalformed: (m: MalformedRecord) => void) =>
          readCsv(input, {
            maxRecordBytes: limits.maxRecordBytes,
            onMalformed,
            signal: options.signal,
            charset: options.charset,
          }),
        { ...base, ...options, sink: graphSink(caller, options.dataType, false) },
      );
    },
    loadObjects(caller, records, options) {
      const fitsOneBatch = records.length * MAX_ITEMS_PER_ROW <= limits.batchMaxItems;
      const sink = graphSink(caller, options.dataType, fitsOneBatch);
      return loadRecords(objects(records, options.dataType), { ...base, ...options, sink });
    },
    loadReadings(caller, readings, options) {
      const sink = flareEventSink(flaring, kg, caller, logger);
      return loadRecords(objects(readings, 'flaring'), { ...base, ...options, dataType: 'flaring', sink });
    },
  };
}
