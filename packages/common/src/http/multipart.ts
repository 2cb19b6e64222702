import type { IncomingMessage } from 'node:http';
import { Transform, type Readable } from 'node:stream';
import busboy from 'busboy';
import type { Context } from 'koa';
import {
  AppError,
  InputError,
  PayloadTooLargeError,
  UnsupportedMediaTypeError,
  ValidationError,
} from '../errors';

/** The uploaded file as it streams in, with the form fields that came before it. */
export interface FilePart {
  stream: Readable;
  filename: string;
  mimeType: string;
  fields: Readonly<Record<string, string>>;
  /** Aborted (with the reason: 413, malformed form, client gone) when reading must stop. */
  signal: AbortSignal;
  /** Resolves once the whole request was read within the limit; rejects otherwise. Await it before
   * committing anything, so an over-limit request stores nothing. */
  formComplete: Promise<void>;
  /** Bytes of the request body read so far. */
  bytes(): number;
}

export interface UploadOptions {
  maxBytes: number;
  fileField: string;
  /** Fields the file consumer reads (`FilePart.fields`): sent after the file part, they are a 422
   * rather than silently ignored. */
  fieldsBeforeFile?: readonly string[];
  /** After reading stops early, at most this much more of the body is read (and discarded) so the
   * client can read the answer; beyond it the connection is closed. */
  drainCapBytes?: number;
  drainCapMs?: number;
}

/** The client went away before the upload was complete. */
export class ClientClosedError extends AppError {
  constructor() {
    super(499, 'client_closed_request', 'The client closed the connection before the upload was complete');
  }
}

/** Reads and discards the rest of a request body, up to a cap; true when it ended within the cap. */
function drain(req: IncomingMessage, capBytes: number, capMs: number): Promise<boolean> {
  if (req.readableEnded) return Promise.resolve(true);
  return new Promise((resolve) => {
    let seen = 0;
    const done = (ended: boolean) => {
      clearTimeout(timer);
      req.off('data', onData);
      req.off('end', onEnd);
      req.off('close', onClose);
      if (!ended) req.pause();
      resolve(ended);
    };
    const onData = (chunk: Buffer) => {
      seen += chunk.length;
      if (seen > capBytes) done(false);
    };
    const onEnd = () => done(true);
    const onClose = () => done(req.readableEnded);
    const timer = setTimeout(() => done(false), capMs);
    req.on('data', onData);
    req.once('end', onEnd);
    req.once('close', onClose);
    req.resume();
  });
}

/**
 * Streams a multipart/form-data request: 415 unless multipart, 413 when the declared or counted size
 * exceeds the limit (counted on the stream, never buffered), 400 for a malformed form, 422 when the
 * file field is missing or given twice, when a field is repeated with another value, or when one of
 * `fieldsBeforeFile` comes after the file. `onFile` consumes the file stream as it arrives (backpressure reaches the
 * socket); its result is returned once the form is complete or reading stopped.
 */
export async function receiveUpload<T>(
  ctx: Context,
  options: UploadOptions,
  onFile: (part: FilePart) => Promise<T>,
): Promise<T> {
  if (!ctx.is('multipart/form-data')) {
    throw new UnsupportedMediaTypeError(
      `Upload the file as multipart/form-data (field "${options.fileField}")`,
    );
  }
  const tooLarge = () =>
    new PayloadTooLargeError(`The upload exceeds ${options.maxBytes} bytes`, 'upload_too_large');
  const req = ctx.req;
  const drainCapBytes = options.drainCapBytes ?? 16 * 1024 * 1024;
  const drainCapMs = options.drainCapMs ?? 10_000;
  if (Number(ctx.get('content-length') || 0) > options.maxBytes) {
    // Read (and drop) what a client still sends, up to a cap, so it can read the answer; a proxy in
    // front would otherwise see its upstream connection reset mid-body.
    if (!(await drain(req, drainCapBytes, drainCapMs))) ctx.set('Connection', 'close');
    throw tooLarge();
  }
  let form: busboy.Busboy;
  try {
    form = busboy({
      headers: req.headers,
      // File names arrive as UTF-8 bytes (what browsers and fetch send), not latin1, busboy's default.
      defParamCharset: 'utf8',
      limits: { files: 2, fields: 20, fieldSize: 1024, parts: 30, headerPairs: 100 },
    });
  } catch (err) {
    throw new InputError(`Malformed multipart request: ${(err as Error).message}`, 'malformed_multipart');
  }

  const controller = new AbortController();
  const fields: Record<string, string> = {};
  let received = 0;
  let processing: Promise<T> | undefined;
  let stopped: AppError | undefined;
  let resolveForm!: () => void;
  let rejectForm!: (err: AppError) => void;
  const formComplete = new Promise<void>((resolve, reject) => {
    resolveForm = resolve;
    rejectForm = reject;
  });
  formComplete.catch(() => undefined);

  const counter = new Transform({
    transform(chunk: Buffer, _enc, cb) {
      received += chunk.length;
      if (received > options.maxBytes) {
        cb();
        stop(tooLarge());
        return;
      }
      cb(null, chunk);
    },
  });

  /** Stops reading: the file consumer is aborted with `reason` and the form never completes. */
  const stop = (reason: AppError) => {
    if (stopped) return;
    stopped = reason;
    req.unpipe(counter);
    counter.unpipe(form);
    controller.abort(reason);
    rejectForm(reason);
  };

  const invalidForm = (name: string, msg: string) => stop(ValidationError.single(['body', name], msg));
  form.on('field', (name: string, value: string) => {
    if (Object.hasOwn(fields, name)) {
      if (fields[name] !== value) invalidForm(name, 'given twice with different values');
      return;
    }
    fields[name] = value;
    if (processing && options.fieldsBeforeFile?.includes(name))
      invalidForm(name, `must be sent before the "${options.fileField}" part`);
  });
  const secondFile = () => invalidForm(options.fileField, `only one "${options.fileField}" part is accepted`);
  form.on('filesLimit', secondFile);
  form.on('file', (name: string, stream: Readable, info: busboy.FileInfo) => {
    if (name !== options.fileField || processing) {
      stream.resume();
      if (name === options.fileField) secondFile();
      return;
    }
    processing = onFile({
      stream,
      filename: info.filename ?? '',
      mimeType: info.mimeType,
      fields: { ...fields },
      signal: controller.signal,
      formComplete,
      bytes: () => received,
    });
    // A consumer that gave up before reading the whole file must not stall the form.
    processing.then(
      () => stream.resume(),
      () => stream.resume(),
    );
  });
  form.on('close', () => resolveForm());
  form.on('error', (err: Error) =>
    stop(new InputError(`Malformed multipart request: ${err.message}`, 'malformed_multipart')),
  );
  const onClose = () => {
    if (!req.readableEnded) stop(new ClientClosedError());
  };
  req.once('close', onClose);

  req.pipe(counter).pipe(form);
  try {
    await formComplete;
  } catch {
    // Reported below, through the consumer when there is one.
  }
  req.off('close', onClose);

  if (stopped) {
    const ended = await drain(req, drainCapBytes, drainCapMs);
    if (!ended) ctx.set('Connection', 'close');
    if (processing) return processing;
    throw stopped;
  }
  if (!processing) {
    throw ValidationError.single(
      ['body', options.fileField],
      'field required (a file part named "file")',
      'missing',
    );
  }
  return processing;
}
