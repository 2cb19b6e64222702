import fs from 'node:fs';
import path from 'node:path';
import { Readable } from 'node:stream';
import { DEFAULT_SAMPLES_DIR } from '../config';
import { readCsv } from '../ingest/csv-source';
import { loadRecords } from '../ingest/loader';
import { DATA_TYPES } from './datatypes';
import { generateRrcSamples } from './rrc-samples';

describe('generateRrcSamples', () => {
  const samples = generateRrcSamples();

  it('is deterministic and matches the committed sample files (regenerate with npm run generate:samples)', () => {
    expect(generateRrcSamples()).toEqual(samples);
    for (const dataType of DATA_TYPES) {
      expect(fs.readFileSync(path.join(DEFAULT_SAMPLES_DIR, `${dataType}.csv`), 'utf8')).toBe(
        samples[dataType],
      );
    }
    const bytes = DATA_TYPES.reduce((n, t) => n + Buffer.byteLength(samples[t]), 0);
    expect(bytes).toBeLessThan(1024 * 1024);
  });

  it.each(DATA_TYPES)('produces a %s file whose every row the loader accepts', async (dataType) => {
    let items = 0;
    const result = await loadRecords(
      (onMalformed) =>
        readCsv(Readable.from([Buffer.from(samples[dataType])]), { maxRecordBytes: 65536, onMalformed }),
      {
        dataType,
        mode: 'all_or_nothing',
        maxErrors: 10,
        batchMaxItems: 5000,
        sink: {
          send: async (b) => {
            items += b.entities.length + b.edges.length;
            return { ok: true };
          },
          commit: async () => ({ created: items, updated: 0, edges_created: 0, edges_updated: 0 }),
          discard: async () => undefined,
        },
      },
    );
    expect(result.errors).toEqual([]);
    expect(result.outcome).toBe('committed');
    expect(result.totalRows).toBeGreaterThan(200);
  });

  it('points every permit, production report and flaring event at a sample well', () => {
    const apis = new Set(
      samples.wells
        .split('\r\n')
        .slice(1, -1)
        .map((l) => l.split(',')[0]),
    );
    expect(apis.size).toBe(240);
    for (const dataType of ['production', 'flaring'] as const) {
      for (const line of samples[dataType].split('\r\n').slice(1, -1))
        expect(apis.has(line.split(',')[0])).toBe(true);
    }
    for (const line of samples.permits.split('\r\n').slice(1, -1))
      expect(apis.has(line.split(',')[1])).toBe(true);
  });
});
