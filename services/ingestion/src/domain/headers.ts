/**
 * Header normalisation: whatever the exporting system called a column (`API No.`, `API Number`,
 * `Operator Name`, `Lat`, `Well #`, `apiNumber`, ` LATITUDE ` with a byte-order mark), it becomes a
 * snake_case key, and known aliases become the canonical field name of the data type. Pure.
 */
import { FIELD_SPECS, type DataType } from './datatypes';

/** Abbreviations that mean the same token wherever they appear in a header. */
const TOKEN_ALIASES: Readonly<Record<string, string>> = {
  no: 'number',
  num: 'number',
  nbr: 'number',
  nmbr: 'number',
  nr: 'number',
};

/** `API No.` → `api_number`, `Well #` → `well_number`, `apiNumber` → `api_number`, BOM and spacing
 * removed. Returns '' for a header with no letters or digits. */
export function normaliseHeader(raw: string): string {
  const spaced = raw
    .replace(/^\uFEFF/, '')
    .normalize('NFKC')
    .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
    .replace(/([A-Z]+)([A-Z][a-z])/g, '$1_$2')
    .replace(/#/g, ' number ')
    .toLowerCase();
  return spaced
    .split(/[^a-z0-9]+/)
    .filter(Boolean)
    .map((t) => TOKEN_ALIASES[t] ?? t)
    .join('_');
}

/** A property name the knowledge graph accepts (`[A-Za-z_][A-Za-z0-9_]{0,63}`). */
export function propertyName(normalised: string): string | undefined {
  if (normalised === '') return undefined;
  const name = /^[0-9]/.test(normalised) ? `c_${normalised}` : normalised;
  return name.slice(0, 64);
}

export interface ColumnMapping {
  /** Per column: the canonical field it fills, an extra property name, or null (ignored). */
  columns: ({ kind: 'field'; field: string } | { kind: 'extra'; property: string } | null)[];
  /** Required fields no column provides. */
  missing: string[];
  /** Fields two or more columns claim (first wins would silently drop data: refused instead). */
  duplicates: { field: string; headers: string[] }[];
}

const aliasIndexCache = new Map<DataType, Map<string, string>>();

/** normalised header → canonical field name, for one data type. */
export function aliasIndex(dataType: DataType): Map<string, string> {
  let index = aliasIndexCache.get(dataType);
  if (index) return index;
  index = new Map();
  for (const spec of FIELD_SPECS[dataType]) {
    for (const alias of [spec.name, ...(spec.aliases ?? [])]) index.set(normaliseHeader(alias), spec.name);
  }
  aliasIndexCache.set(dataType, index);
  return index;
}

/** Maps a header row to the data type's fields. Unknown columns are kept as extra properties. */
export function mapHeaders(dataType: DataType, headers: readonly string[]): ColumnMapping {
  const index = aliasIndex(dataType);
  const claimed = new Map<string, string[]>();
  const extras = new Set<string>();
  const columns: ColumnMapping['columns'] = headers.map((raw) => {
    const normalised = normaliseHeader(raw);
    const field = index.get(normalised);
    if (field) {
      claimed.set(field, [...(claimed.get(field) ?? []), raw.replace(/^\uFEFF/, '').trim()]);
      return { kind: 'field', field };
    }
    const property = propertyName(normalised);
    if (!property || extras.has(property) || index.has(property)) return null;
    extras.add(property);
    return { kind: 'extra', property };
  });
  const missing = FIELD_SPECS[dataType].filter((s) => s.required && !claimed.has(s.name)).map((s) => s.name);
  const duplicates = [...claimed.entries()]
    .filter(([, hs]) => hs.length > 1)
    .map(([field, hs]) => ({ field, headers: hs }));
  return { columns, missing, duplicates };
}
