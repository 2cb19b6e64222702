import fs from 'node:fs';
import { z } from 'zod';
import type { BenchResults } from './inputs';

/**
 * bench/results/history.jsonl: one JSON line per `npm run bench` with the machine,
 * the commit and the headline figures, so a change that slows the gateway shows as a step in the
 * history chart. Lines are only ever appended; a line that does not parse is skipped and counted.
 */

export const RunContextSchema = z.object({
  date: z.string(),
  /** `git rev-parse HEAD`, `unknown` outside a git checkout. */
  commit: z.string(),
  /** Uncommitted changes outside bench/results when the run started. */
  dirty: z.boolean().optional(),
  /** The BENCH_SCALE preset the run used (smoke, standard, full). */
  scale: z.string().optional(),
  machine: z.object({
    cpus: z.number().int().positive(),
    model: z.string(),
    /** 1, 5 and 15 minute load averages when the report was composed (the machine is shared). */
    loadavg: z.array(z.number()).length(3),
    node: z.string(),
  }),
});
export type RunContext = z.infer<typeof RunContextSchema>;

const Figure = z.number().finite();

export const HistoryEntrySchema = RunContextSchema.extend({
  v: z.literal(1),
  /** Per gateway configuration (A..H). */
  gateway: z
    .record(
      z.string(),
      z.object({ requestsPerSec: Figure, cpuPer1kRequestsMs: Figure.optional(), p99Ms: Figure.optional() }),
    )
    .optional(),
  ratios: z.record(z.string(), Figure).optional(),
  /** Per ingestion series (store · shape): the largest upload of the run. */
  ingest: z.record(z.string(), z.object({ rows: Figure, rowsPerSec: Figure })).optional(),
  /** Per graph query: its p50 and p99. */
  graph: z.record(z.string(), z.object({ p50Ms: Figure, p99Ms: Figure })).optional(),
});
export type HistoryEntry = z.infer<typeof HistoryEntrySchema>;

/** The headline figures of one run. */
export function historyEntry(results: BenchResults, context: RunContext): HistoryEntry {
  const entry: HistoryEntry = { v: 1, ...context };
  if (results.gateway) {
    entry.gateway = Object.fromEntries(
      results.gateway.configurations.map((c) => [
        c.name,
        {
          requestsPerSec: c.requestsPerSec,
          ...(c.cpuPer1kRequestsMs !== undefined ? { cpuPer1kRequestsMs: c.cpuPer1kRequestsMs } : {}),
          ...(c.latencyMs.p99 !== undefined ? { p99Ms: c.latencyMs.p99 } : {}),
        },
      ]),
    );
    entry.ratios = results.gateway.ratios;
  }
  if (results.ingest) {
    const largest: Record<string, { rows: number; rowsPerSec: number }> = {};
    for (const r of results.ingest.runs)
      if (!largest[r.series] || r.rows > largest[r.series].rows)
        largest[r.series] = { rows: r.rows, rowsPerSec: r.rowsPerSec };
    entry.ingest = largest;
  }
  if (results.graph) {
    entry.graph = Object.fromEntries(
      results.graph.queries.map((q) => [q.name, { p50Ms: q.latencyMs.p50, p99Ms: q.latencyMs.p99 }]),
    );
  }
  return entry;
}

/** Appends one validated line; creates the file when absent. */
export function appendHistory(file: string, entry: HistoryEntry): void {
  const line = JSON.stringify(HistoryEntrySchema.parse(entry));
  const existing = fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : '';
  const separator = existing.length > 0 && !existing.endsWith('\n') ? '\n' : '';
  fs.appendFileSync(file, `${separator}${line}\n`);
}

export interface History {
  entries: HistoryEntry[];
  /** Lines that are not a valid entry (hand edits, a run cut off mid-write): skipped, not fatal. */
  invalidLines: number;
}

export function readHistory(file: string): History {
  if (!fs.existsSync(file)) return { entries: [], invalidLines: 0 };
  const history: History = { entries: [], invalidLines: 0 };
  for (const line of fs.readFileSync(file, 'utf8').split('\n')) {
    if (line.trim() === '') continue;
    let parsed: unknown;
    try {
      parsed = JSON.parse(line);
    } catch {
      history.invalidLines += 1;
      continue;
    }
    const entry = HistoryEntrySchema.safeParse(parsed);
    if (entry.success) history.entries.push(entry.data);
    else history.invalidLines += 1;
  }
  return history;
}
