import type { Readable } from 'node:stream';
import { CsvParser, type CsvRecord, type MalformedRecord } from './csv-parser';
import { uploadDecoder, type Charset } from './decode';

export type { CsvRecord, MalformedRecord };

/**
 * A streaming CSV reader: the input is decoded and parsed a chunk at a time (csv-parser.ts), and
 * the records of each chunk come out together, so a file of any length is never held in memory and
 * the cost per record is one array slot, not a promise. The input is not read further while the
 * consumer is busy with a chunk's records (backpressure). Records that cannot be parsed (unbalanced
 * or stray quotes, a record over the size limit) are reported through `onMalformed` as they are
 * parsed and skipped; reading goes on.
 *
 * Row numbers are spreadsheet row numbers: the header is row 1, the first data record row 2, and a
 * malformed record takes a row number too. `line` is the physical line where the record starts.
 */
export interface CsvSourceOptions {
  /** Largest record in bytes (bounds memory for a never-closed quote). */
  maxRecordBytes: number;
  onMalformed(record: MalformedRecord): void;
  /** Aborting stops reading: the iteration throws the abort reason. */
  signal?: AbortSignal;
  /** The input's character set (UTF-8 by default; a byte-order mark wins). Undecodable bytes throw
   * a FileRejectedError (`invalid_encoding`) naming their line. */
  charset?: Charset;
}

/** Chunks of a byte stream, one at a time, the stream paused in between. */
interface ChunkReader {
  /** The next chunk, or null at the end; throws the stream's error or the abort reason. */
  next(): Promise<Buffer | null>;
  /** Stops reading; an unfinished input is drained, not destroyed (a multipart file stream must be
   * read to its end for the form to finish). */
  release(): void;
}

function chunkReader(input: Readable, signal: AbortSignal | undefined): ChunkReader {
  const queue: Buffer[] = [];
  let ended = false;
  let failed = false;
  let failure: unknown;
  let wake: (() => void) | undefined;
  const notify = () => {
    const resolve = wake;
    wake = undefined;
    resolve?.();
  };
  const fail = (err: unknown) => {
    if (failed) return;
    failed = true;
    failure = err;
    notify();
  };
  const onData = (chunk: Buffer | string) => {
    queue.push(typeof chunk === 'string' ? Buffer.from(chunk) : chunk);
    input.pause();
    notify();
  };
  const onEnd = () => {
    ended = true;
    notify();
  };
  const onAbort = () => fail(signal?.reason);
  // Stays attached after release: an input that fails while it is drained must not crash the process.
  input.on('error', fail);
  input.on('data', onData);
  input.once('end', onEnd);
  signal?.addEventListener('abort', onAbort, { once: true });
  if (signal?.aborted) onAbort();
  return {
    async next() {
      for (;;) {
        if (failed) throw failure;
        const chunk = queue.shift();
        if (chunk) {
          if (queue.length === 0 && !ended) input.resume();
          return chunk;
        }
        if (ended) return null;
        await new Promise<void>((resolve) => (wake = resolve));
      }
    },
    release() {
      signal?.removeEventListener('abort', onAbort);
      input.off('data', onData);
      input.off('end', onEnd);
      if (!ended) input.resume();
    },
  };
}

/** Reads `input` as CSV. The first record of the first batch is the header. */
export function readCsv(input: Readable, options: CsvSourceOptions): AsyncIterable<CsvRecord[]> {
  return {
    async *[Symbol.asyncIterator]() {
      let batch: CsvRecord[] = [];
      const parser = new CsvParser({
        maxRecordBytes: options.maxRecordBytes,
        onRecord: (record) => batch.push(record),
        onMalformed: (record) => options.onMalformed(record),
      });
      const decoder = uploadDecoder(options.charset);
      const reader = chunkReader(input, options.signal);
      try {
        for (let chunk = await reader.next(); chunk !== null; chunk = await reader.next()) {
          parser.push(decoder.write(chunk));
          if (batch.length > 0) {
            const records = batch;
            batch = [];
            yield records;
          }
        }
        parser.push(decoder.end());
        parser.end();
        if (batch.length > 0) yield batch;
      } finally {
        reader.release();
      }
    },
  };
}
