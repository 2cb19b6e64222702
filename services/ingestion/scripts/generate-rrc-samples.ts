/**
 * Writes the bundled Railroad Commission sample data sets (data/rrc/<data type>.csv) from the
 * deterministic generator. Run: npm run generate:samples -w @aegis/ingestion
 * The output is committed; a unit test checks the committed files match the generator.
 */
import fs from 'node:fs';
import path from 'node:path';
import { generateRrcSamples } from '../src/domain/rrc-samples';

const dir = path.resolve(__dirname, '..', 'data', 'rrc');
fs.mkdirSync(dir, { recursive: true });
const samples = generateRrcSamples();
let total = 0;
for (const [dataType, text] of Object.entries(samples)) {
  const file = path.join(dir, `${dataType}.csv`);
  fs.writeFileSync(file, text);
  total += Buffer.byteLength(text);
  const rows = text.split('\r\n').filter(Boolean).length - 1;
  process.stdout.write(`wrote ${path.relative(process.cwd(), file)}: ${rows} rows\n`);
}
process.stdout.write(`total ${(total / 1024).toFixed(1)} KiB\n`);
