/**
 * Row validation: one row's cells (as the CSV parser produced them) against the data type's fields.
 * Pure; compiled once per file for its header mapping.
 */
import {
  ISO_DATE_MESSAGE,
  ISO_DATE_TIME_MESSAGE,
  isIsoDate,
  isIsoDateTime,
  parseApiNumber,
  parseDistrict,
  parseIdentifier,
  parseLeaseNumber,
  parseOperatorNumber,
  type Parsed,
} from '@aegis/common';
import { FIELD_SPECS, type DataType, type FieldSpec } from './datatypes';
import type { ColumnMapping } from './headers';
import * as values from './values';

export type FieldValue = string | number;

/** A valid row: canonical fields (normalised) plus the file's extra columns (trimmed text). */
export interface ValidRecord {
  fields: Record<string, FieldValue>;
  extras: Record<string, string>;
}

export interface FieldIssue {
  /** The canonical field (or `row` for problems of the whole row). */
  field: string;
  reason: string;
  /** The offending cell text, truncated. */
  value?: string;
}

export type RowResult = { ok: true; record: ValidRecord } | { ok: false; issues: FieldIssue[] };

const MAX_VALUE_ECHO = 80;

/** A date read in any form files use, held to the platform's date rule (@aegis/common) once
 * normalised, so ingestion never stores a date another service would refuse. */
function platformDate(parsed: Parsed<string>, rule: (v: string) => boolean, reason: string): Parsed<string> {
  return parsed.ok && !rule(parsed.value) ? { ok: false, reason } : parsed;
}

type CellParser = (text: string) => Parsed<FieldValue>;

const lowerText = (text: string): Parsed<string> => {
  const t = values.parseText(text);
  return t.ok ? { ok: true, value: t.value.toLowerCase() } : t;
};

/** The parser of one field's cells (trimmed, not empty), chosen once per column. */
function cellParser(spec: FieldSpec): CellParser {
  switch (spec.kind) {
    case 'api':
      return parseApiNumber;
    case 'text':
      return (text) => values.parseText(text);
    case 'lower':
      return lowerText;
    case 'identifier':
      return (text) => parseIdentifier(text);
    case 'lease_number':
      return parseLeaseNumber;
    case 'date':
      return (text) => platformDate(values.parseDate(text), isIsoDate, ISO_DATE_MESSAGE);
    case 'datetime':
      return (text) => platformDate(values.parseDateTime(text), isIsoDateTime, ISO_DATE_TIME_MESSAGE);
    case 'month':
      return values.parseMonth;
    case 'number':
      return (text) => values.parseNumber(text, spec.min, spec.max);
    case 'integer':
      return (text) => values.parseInteger(text, spec.min, spec.max);
    case 'district':
      return parseDistrict;
    case 'operator_number':
      return parseOperatorNumber;
    case 'latitude':
      return values.parseLatitude;
    case 'longitude':
      return values.parseLongitude;
    case 'enum': {
      const allowed = [...new Set(Object.values(spec.values ?? {}))].join(', ');
      const refused: Parsed<FieldValue> = { ok: false, reason: `must be one of: ${allowed}` };
      return (text) => {
        const key = text
          .toLowerCase()
          .replace(/[\s-]+/g, '_')
          .replace(/[^a-z0-9_]/g, '');
        const value = spec.values && Object.hasOwn(spec.values, key) ? spec.values[key] : undefined;
        return value !== undefined ? { ok: true, value } : refused;
      };
    }
  }
}

/** Distinct values a column's memo keeps, and the cells after which a column that rarely repeats
 * (API numbers, names, coordinates) stops being memoised. */
const MEMO_MAX = 4096;
const MEMO_PROBE = 8192;

/**
 * Parses each distinct cell text of a column once: status, district, operator, lease, field and
 * date columns repeat a lot in real files. The results are immutable, so rows share them. A column
 * where fewer than half the cells repeat an earlier one drops its memo after MEMO_PROBE cells.
 */
function memoised(parse: CellParser): CellParser {
  let memo: Map<string, Parsed<FieldValue>> | undefined = new Map();
  let cells = 0;
  let hits = 0;
  return (text) => {
    if (memo === undefined) return parse(text);
    cells += 1;
    let parsed = memo.get(text);
    if (parsed !== undefined) hits += 1;
    else {
      parsed = parse(text);
      if (memo.size < MEMO_MAX) memo.set(text, parsed);
    }
    if (cells === MEMO_PROBE && hits * 2 < cells) memo = undefined;
    return parsed;
  };
}

function echo(text: string): string {
  return text.length > MAX_VALUE_ECHO ? `${text.slice(0, MAX_VALUE_ECHO)}…` : text;
}

type CrossCheck = (fields: Record<string, FieldValue>, issues: FieldIssue[]) => void;

const notBefore =
  (later: string, earlier: string): CrossCheck =>
  (f, issues) => {
    if (f[later] !== undefined && f[earlier] !== undefined && String(f[later]) < String(f[earlier])) {
      issues.push({
        field: later,
        reason: `must not be before ${earlier} (${String(f[earlier])})`,
        value: String(f[later]),
      });
    }
  };

const PRODUCTION_VOLUMES = [
  'oil_bbl',
  'gas_mcf',
  'condensate_bbl',
  'casinghead_gas_mcf',
  'water_bbl',
  'flared_mcf',
  'vented_mcf',
];

/** Rules that involve more than one field. */
const CROSS_CHECKS: Readonly<Record<DataType, readonly CrossCheck[]>> = {
  wells: [
    (f, issues) => {
      if (f.well_name === undefined && (f.lease_name === undefined || f.well_number === undefined)) {
        issues.push({ field: 'well_name', reason: 'field required (or both lease_name and well_number)' });
      }
    },
    (f, issues) => {
      if ((f.latitude === undefined) !== (f.longitude === undefined)) {
        const missing = f.latitude === undefined ? 'latitude' : 'longitude';
        issues.push({ field: missing, reason: 'latitude and longitude must be given together' });
      }
    },
    notBefore('completion_date', 'spud_date'),
  ],
  permits: [
    notBefore('expiration_date', 'approved_date'),
    notBefore('approved_date', 'submitted_date'),
    (f) => {
      if (f.permit_type === undefined) f.permit_type = 'W-1';
    },
  ],
  production: [
    (f, issues) => {
      if (!PRODUCTION_VOLUMES.some((v) => f[v] !== undefined)) {
        issues.push({ field: 'row', reason: `needs at least one volume (${PRODUCTION_VOLUMES.join(', ')})` });
      }
    },
  ],
  flaring: [
    notBefore('end_time', 'start_time'),
    (f) => {
      if (f.disposition_code === undefined) f.disposition_code = '10';
      f.event_date = String(f.start_time).slice(0, 10);
      if (f.duration_hours === undefined && f.end_time !== undefined) {
        const ms = Date.parse(String(f.end_time)) - Date.parse(String(f.start_time));
        f.duration_hours = Math.round((ms / 3_600_000) * 1000) / 1000;
      }
    },
  ],
};

export type RowValidator = (cells: readonly string[]) => RowResult;

/** Builds the validator for rows of one file (header already mapped). Cells beyond the mapping are
 * ignored here; the column-count check happens before (see loader). */
export function compileRowValidator(dataType: DataType, mapping: ColumnMapping): RowValidator {
  const specs = new Map(FIELD_SPECS[dataType].map((s) => [s.name, s]));
  const plan: ({ name: string; parse: CellParser; extra?: undefined } | { extra: string } | null)[] =
    mapping.columns.map((c) => {
      if (c === null) return null;
      if (c.kind === 'extra') return { extra: c.property };
      const spec = specs.get(c.field)!;
      return { name: spec.name, parse: memoised(cellParser(spec)) };
    });
  const required = FIELD_SPECS[dataType].filter((s) => s.required);
  const cross = CROSS_CHECKS[dataType];
  return (cells) => {
    const fields: Record<string, FieldValue> = {};
    const extras: Record<string, string> = {};
    const issues: FieldIssue[] = [];
    for (let i = 0; i < plan.length; i += 1) {
      const step = plan[i];
      if (!step) continue;
      const text = (cells[i] ?? '').trim();
      if (text === '') continue;
      if (step.extra !== undefined) {
        extras[step.extra] = text.length > 500 ? text.slice(0, 500) : text;
        continue;
      }
      const parsed = step.parse(text);
      if (parsed.ok) fields[step.name] = parsed.value;
      else issues.push({ field: step.name, reason: parsed.reason, value: echo(text) });
    }
    for (const spec of required) {
      if (fields[spec.name] === undefined && !issues.some((i) => i.field === spec.name)) {
        issues.push({ field: spec.name, reason: 'field required' });
      }
    }
    if (issues.length === 0) for (const check of cross) check(fields, issues);
    return issues.length > 0 ? { ok: false, issues } : { ok: true, record: { fields, extras } };
  };
}
