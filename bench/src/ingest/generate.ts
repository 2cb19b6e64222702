import fs from 'node:fs';
import { once } from 'node:events';

/** Well CSV files for the ingestion benchmark, written row by row (never held in memory). `full` rows
 * name an operator, a lease and a field (each row then becomes up to 7 graph items); plain rows carry
 * only the well's own columns. Deterministic: row i is always the same. */
export type WellFileShape = 'plain' | 'full';

const COUNTIES = ['329', '317', '227', '389', '301', '475', '461', '383', '173', '003', '135', '109'];

/** The header of a well file of `shape`, as cells. */
export function wellHeader(shape: WellFileShape): string[] {
  return shape === 'full'
    ? [
        'API No.',
        'Well Name',
        'Operator No.',
        'Lease No.',
        'District',
        'Field No.',
        'Well Status',
        'Spud Date',
        'Total Depth',
        'Latitude',
        'Longitude',
      ]
    : ['API No.', 'Well Name', 'Spud Date', 'Latitude', 'Longitude'];
}

/** Row `i` of a well file of `shape`, as cells (none holds a comma or a quote). */
export function wellCells(i: number, shape: WellFileShape): string[] {
  const county = COUNTIES[i % COUNTIES.length];
  const unique = String(Math.floor(i / COUNTIES.length) % 100_000).padStart(5, '0');
  const side = String(Math.floor(i / (COUNTIES.length * 100_000))).padStart(2, '0');
  const api = `42-${county}-${unique === '00000' ? '99999' : unique}-${side}`;
  const lat = (31 + ((i * 7919) % 10_000) / 10_000).toFixed(6);
  const lon = (-103 + ((i * 104_729) % 10_000) / 10_000).toFixed(6);
  const spud = `${String((i % 12) + 1).padStart(2, '0')}/${String((i % 28) + 1).padStart(2, '0')}/${2015 + (i % 9)}`;
  return shape === 'full'
    ? [
        api,
        `BENCH ${i}H`,
        String(100_000 + (i % 50)),
        String(40_000 + (i % 20_000)),
        '08',
        String(85_279_300 + (i % 20)),
        'PRODUCING',
        spud,
        String(9000 + (i % 12_000)),
        lat,
        lon,
      ]
    : [api, `BENCH ${i}H`, spud, lat, lon];
}

export async function writeWellsCsv(file: string, rows: number, shape: WellFileShape): Promise<number> {
  const out = fs.createWriteStream(file);
  let bytes = 0;
  const write = async (s: string) => {
    bytes += Buffer.byteLength(s);
    if (!out.write(s)) await once(out, 'drain');
  };
  await write(`${wellHeader(shape).join(',')}\n`);
  let chunk = '';
  for (let i = 0; i < rows; i += 1) {
    chunk += `${wellCells(i, shape).join(',')}\n`;
    if (chunk.length > 64 * 1024) {
      await write(chunk);
      chunk = '';
    }
  }
  await write(chunk);
  out.end();
  await once(out, 'finish');
  return bytes;
}
