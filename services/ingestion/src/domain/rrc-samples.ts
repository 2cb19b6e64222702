/**
 * Deterministic, realistic-looking Railroad Commission sample data sets for the Permian Basin: wells
 * (wellbore query export), W-1 drilling permits, monthly production (Form PR) and flaring events,
 * written with RRC-style headers (`API No.`, `Operator No.`, MM/DD/YYYY dates) so loading them
 * exercises the same header normalisation as operator files. Operators, leases and fields are
 * fictional; counties, county codes and coordinates are real. Pure: same seed, same bytes.
 */
import { randomInt, randomPick, seededRandom } from '@aegis/common';
import type { DataType } from './datatypes';

export type RrcSamples = Record<DataType, string>;

/** Permian Basin counties: API county code (FIPS), RRC district, approximate centre. */
const COUNTIES = [
  { name: 'MIDLAND', code: '329', district: '08', lat: 31.87, lon: -102.03 },
  { name: 'MARTIN', code: '317', district: '8A', lat: 32.31, lon: -101.95 },
  { name: 'HOWARD', code: '227', district: '8A', lat: 32.3, lon: -101.44 },
  { name: 'REEVES', code: '389', district: '08', lat: 31.32, lon: -103.69 },
  { name: 'LOVING', code: '301', district: '08', lat: 31.85, lon: -103.58 },
  { name: 'WARD', code: '475', district: '08', lat: 31.51, lon: -103.1 },
  { name: 'UPTON', code: '461', district: '7C', lat: 31.37, lon: -102.04 },
  { name: 'REAGAN', code: '383', district: '7C', lat: 31.37, lon: -101.52 },
  { name: 'GLASSCOCK', code: '173', district: '08', lat: 31.87, lon: -101.52 },
  { name: 'ANDREWS', code: '003', district: '8A', lat: 32.31, lon: -102.64 },
  { name: 'ECTOR', code: '135', district: '08', lat: 31.87, lon: -102.54 },
  { name: 'CULBERSON', code: '109', district: '08', lat: 31.45, lon: -104.53 },
] as const;

const OPERATORS = [
  { name: 'PERMIAN RIDGE OPERATING LLC', number: '687530' },
  { name: 'CAPROCK ENERGY PARTNERS, LP', number: '130872' },
  { name: 'MIDLAND BASIN RESOURCES INC', number: '565014' },
  { name: 'DELAWARE SANDS PRODUCTION CO', number: '212449' },
  { name: 'LLANO ESTACADO OIL & GAS LLC', number: '504733' },
  { name: 'PECOS VALLEY PETROLEUM CORP', number: '649980' },
] as const;

const FIELDS = [
  { name: 'SPRABERRY (TREND AREA)', number: '85279300', basin: 'midland' },
  { name: 'GARDEN CITY, S. (WOLFCAMP)', number: '33830500', basin: 'midland' },
  { name: 'PHANTOM (WOLFCAMP)', number: '71052900', basin: 'delaware' },
  { name: 'SANDBAR (BONE SPRING)', number: '80473500', basin: 'delaware' },
] as const;

const LEASE_WORDS = [
  'UNIVERSITY',
  'BLUE JAY',
  'TXL',
  'SCHARBAUER',
  'BRAUN',
  'MABEE',
  'HALFF',
  'CALVERLEY',
  'TREES RANCH',
  'CROSS BAR',
  'WINDHAM',
  'GLASS',
  'POWELL',
  'SALE RANCH',
  'HOUSTON',
  'JUDKINS',
  'RATLIFF',
  'ESTES',
];

const FLARE_REASONS = [
  'Gathering system outage',
  'Compressor downtime',
  'Gas plant turnaround',
  'Pipeline capacity constraint',
  'Flowback after completion',
  'Emergency shutdown',
];

const DELAWARE_COUNTIES = new Set(['REEVES', 'LOVING', 'WARD', 'CULBERSON']);

const pad = (n: number, w: number) => String(n).padStart(w, '0');
const usDate = (d: Date) => `${pad(d.getUTCMonth() + 1, 2)}/${pad(d.getUTCDate(), 2)}/${d.getUTCFullYear()}`;
const addDays = (d: Date, days: number) => new Date(d.getTime() + days * 86_400_000);

function csvCell(v: string | number): string {
  const s = String(v);
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

function csv(header: readonly string[], rows: readonly (readonly (string | number)[])[]): string {
  return [header, ...rows].map((r) => r.map(csvCell).join(',')).join('\r\n') + '\r\n';
}

interface SampleWell {
  api10: string;
  operator: (typeof OPERATORS)[number];
  lease: { name: string; number: string };
  wellNo: string;
  field: (typeof FIELDS)[number];
  county: (typeof COUNTIES)[number];
  status: string;
  type: string;
  spud: Date;
  completion: Date | undefined;
  depth: number;
  lat: number;
  lon: number;
}

export interface RrcSampleOptions {
  seed?: number;
  wells?: number;
}

export function generateRrcSamples(options: RrcSampleOptions = {}): RrcSamples {
  const rand = seededRandom(options.seed ?? 32_2024);
  const int = (lo: number, hi: number) => randomInt(rand, lo, hi);
  const pick = <T>(xs: readonly T[]): T => randomPick(rand, xs);
  const wellCount = options.wells ?? 240;

  const leases = new Map<string, { name: string; number: string }>();
  const usedApi = new Set<string>();
  const wells: SampleWell[] = [];
  const perLease = new Map<string, number>();
  for (let i = 0; i < wellCount; i += 1) {
    const county = COUNTIES[i % COUNTIES.length];
    const delaware = DELAWARE_COUNTIES.has(county.name);
    const field = pick(FIELDS.filter((f) => (f.basin === 'delaware') === delaware));
    const operator = OPERATORS[int(0, OPERATORS.length - 1)];
    const leaseKey = `${county.name}-${int(0, 5)}`;
    let lease = leases.get(leaseKey);
    if (!lease) {
      lease = { name: `${pick(LEASE_WORDS)} ${int(1, 48)}`, number: pad(int(40_000, 59_999), 5) };
      leases.set(leaseKey, lease);
    }
    const n = (perLease.get(leaseKey) ?? 0) + 1;
    perLease.set(leaseKey, n);
    let api10: string;
    do api10 = `42${county.code}${pad(int(30_000, 45_999), 5)}`;
    while (usedApi.has(api10));
    usedApi.add(api10);
    const spud = addDays(new Date(Date.UTC(2016, 0, 1)), int(0, 8 * 365));
    const drilled = spud.getTime() < Date.UTC(2023, 9, 1);
    const completion = drilled ? addDays(spud, int(45, 160)) : undefined;
    wells.push({
      api10,
      operator,
      lease,
      wellNo: `${n}${rand() < 0.85 ? 'H' : ''}`,
      field,
      county,
      status: drilled ? (rand() < 0.9 ? 'PRODUCING' : 'SHUT-IN') : rand() < 0.5 ? 'DRILLING' : 'PERMITTED',
      type: rand() < 0.8 ? 'OIL' : 'GAS',
      spud,
      completion,
      depth: int(9_000, 21_500),
      lat: Math.round((county.lat + (rand() - 0.5) * 0.3) * 1e6) / 1e6,
      lon: Math.round((county.lon + (rand() - 0.5) * 0.3) * 1e6) / 1e6,
    });
  }
  const dashed = (api10: string) => `${api10.slice(0, 2)}-${api10.slice(2, 5)}-${api10.slice(5)}`;

  const wellRows = wells.map((w) => [
    dashed(w.api10),
    w.operator.name,
    w.operator.number,
    w.lease.name,
    w.lease.number,
    w.wellNo,
    w.field.name,
    w.field.number,
    w.county.district,
    w.county.name,
    w.status,
    w.type,
    usDate(w.spud),
    w.completion ? usDate(w.completion) : '',
    w.depth,
    w.lat.toFixed(6),
    w.lon.toFixed(6),
  ]);

  const permitRows: (string | number)[][] = [];
  let permitNo = 842_000;
  for (const w of wells) {
    const submitted = addDays(w.spud, -int(40, 120));
    const approved = addDays(submitted, int(3, 21));
    const rows = rand() < 0.12 ? 2 : 1; // some wells have an amended permit
    for (let k = 0; k < rows; k += 1) {
      permitNo += int(1, 37);
      const purpose = k === 0 ? 'NEW DRILL' : 'AMENDMENT';
      permitRows.push([
        String(permitNo),
        dashed(w.api10),
        w.operator.name,
        w.operator.number,
        w.lease.name,
        w.wellNo,
        purpose,
        'APPROVED',
        usDate(addDays(submitted, k * 30)),
        usDate(addDays(approved, k * 30)),
        usDate(addDays(approved, k * 30 + 730)), // W-1 permits expire two years after approval
        w.depth + int(-200, 400),
        w.field.name,
        w.county.name,
        w.county.district,
      ]);
    }
  }

  const productionRows: (string | number)[][] = [];
  const months = ['2024-01', '2024-02', '2024-03', '2024-04', '2024-05', '2024-06'];
  for (const w of wells) {
    if (!w.completion) continue;
    const age = (Date.UTC(2024, 0, 1) - w.completion.getTime()) / (365 * 86_400_000);
    const base = Math.max(800, 14_000 * Math.exp(-0.9 * Math.max(0, age)));
    for (const month of months) {
      const [y, m] = month.split('-').map(Number) as [number, number];
      if (w.completion.getTime() > Date.UTC(y, m - 1, 1)) continue;
      const shutIn = w.status === 'SHUT-IN' && rand() < 0.5;
      const days = shutIn ? 0 : int(24, 31);
      const oil = shutIn ? 0 : Math.round(base * (days / 30) * (0.8 + rand() * 0.4));
      const gas = shutIn ? 0 : Math.round(oil * (w.type === 'GAS' ? 9 : 2.2) * (0.8 + rand() * 0.4));
      const flared = shutIn ? 0 : rand() < 0.3 ? Math.round(gas * rand() * 0.08) : 0;
      const vented = flared > 0 && rand() < 0.15 ? Math.round(flared * 0.05) : 0;
      productionRows.push([
        dashed(w.api10),
        month.replace('-', ''),
        oil,
        gas,
        Math.round(oil * (2 + rand() * 3)),
        flared,
        vented,
        days,
      ]);
    }
  }

  const flaringRows: (string | number)[][] = [];
  const producing = wells.filter((w) => w.completion);
  for (let i = 0; i < Math.round(wellCount * 1.25); i += 1) {
    const w = pick(producing);
    const start = new Date(Date.UTC(2024, 0, 1) + int(0, 181 * 24 * 4) * 15 * 60_000);
    const hours = int(1, 36);
    const vented = rand() < 0.1;
    const authorised = rand() < 0.85;
    flaringRows.push([
      dashed(w.api10),
      start.toISOString().replace('.000Z', 'Z'),
      addDays(start, hours / 24)
        .toISOString()
        .replace('.000Z', 'Z'),
      vented ? int(5, 120) : int(40, 3_200),
      vented ? '11' : '10',
      pick(FLARE_REASONS),
      authorised ? `R32-${w.county.district}-${pad(int(1, 9_999), 4)}` : '',
    ]);
  }
  // The same well at the same instant would be one event (natural key): keep the first.
  const seenEvents = new Set<string>();
  const uniqueFlaring = flaringRows.filter((r) => {
    const key = `${r[0]}|${r[1]}`;
    if (seenEvents.has(key)) return false;
    seenEvents.add(key);
    return true;
  });

  return {
    wells: csv(
      [
        'API No.',
        'Operator Name',
        'Operator No.',
        'Lease Name',
        'Lease No.',
        'Well No.',
        'Field Name',
        'Field No.',
        'District',
        'County',
        'Well Status',
        'Well Type',
        'Spud Date',
        'Completion Date',
        'Total Depth',
        'Surface Latitude',
        'Surface Longitude',
      ],
      wellRows,
    ),
    permits: csv(
      [
        'Permit No.',
        'API No.',
        'Operator Name',
        'Operator No.',
        'Lease Name',
        'Well No.',
        'Filing Purpose',
        'Status',
        'Submitted Date',
        'Approved Date',
        'Expiration Date',
        'Total Depth',
        'Field Name',
        'County',
        'District',
      ],
      permitRows,
    ),
    production: csv(
      [
        'API No.',
        'Cycle',
        'Oil (BBL)',
        'Gas (MCF)',
        'Water (BBL)',
        'Gas Flared (MCF)',
        'Gas Vented (MCF)',
        'Days Produced',
      ],
      productionRows,
    ),
    flaring: csv(
      ['API No.', 'Event Start', 'Event End', 'Volume (MCF)', 'Disposition', 'Reason', 'Exception No.'],
      uniqueFlaring,
    ),
  };
}
