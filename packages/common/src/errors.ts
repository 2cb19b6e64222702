/** Typed errors with a stable `code`. Domain code throws these; one middleware per app maps them to
 * the JSON shape of spec/api.md §5. */

export interface ValidationIssue {
  loc: (string | number)[];
  msg: string;
  type: string;
}

export type ErrorDetail = string | ValidationIssue[];

export class AppError extends Error {
  readonly status: number;
  readonly code: string;
  readonly detail: ErrorDetail;
  /** Extra response headers (Retry-After, WWW-Authenticate, ...). */
  readonly headers: Record<string, string>;
  /** The gateway's `error` field when it differs from `detail` (the 429 body of spec §4). */
  summary?: string;

  constructor(status: number, code: string, detail: ErrorDetail, headers: Record<string, string> = {}) {
    super(typeof detail === 'string' ? detail : `${code}: ${detail.map((d) => d.msg).join('; ')}`);
    this.name = new.target.name;
    this.status = status;
    this.code = code;
    this.detail = detail;
    this.headers = headers;
  }
}

export class InputError extends AppError {
  constructor(detail: string, code = 'bad_request') {
    super(400, code, detail);
  }
}

export class ValidationError extends AppError {
  constructor(issues: ValidationIssue[], code = 'validation_error') {
    super(422, code, issues);
  }

  static single(loc: (string | number)[], msg: string, type = 'value_error'): ValidationError {
    return new ValidationError([{ loc, msg, type }]);
  }
}

export class UnauthorizedError extends AppError {
  constructor(detail = 'Invalid token', code = 'unauthorized') {
    super(401, code, detail);
  }
}

export class ForbiddenError extends AppError {
  constructor(detail = 'Insufficient permissions', code = 'forbidden') {
    super(403, code, detail);
  }
}

export class NotFoundError extends AppError {
  constructor(detail = 'Not found', code = 'not_found') {
    super(404, code, detail);
  }
}

export class ConflictError extends AppError {
  constructor(detail: string, code = 'conflict') {
    super(409, code, detail);
  }
}

export class PayloadTooLargeError extends AppError {
  constructor(detail = 'Request body too large', code = 'payload_too_large') {
    super(413, code, detail);
  }
}

export class UnsupportedMediaTypeError extends AppError {
  constructor(detail = 'Unsupported content type', code = 'unsupported_media_type') {
    super(415, code, detail);
  }
}

export class RateLimitedError extends AppError {
  constructor(summary: string, detail: string, headers: Record<string, string>, code = 'rate_limited') {
    super(429, code, detail, headers);
    this.summary = summary;
  }
}

export class UpstreamError extends AppError {
  constructor(detail = 'Upstream service unreachable', code = 'bad_gateway') {
    super(502, code, detail);
  }
}

export class ServiceUnavailableError extends AppError {
  constructor(
    detail = 'Service unavailable',
    code = 'service_unavailable',
    headers: Record<string, string> = {},
  ) {
    super(503, code, detail, headers);
  }
}

export class UpstreamTimeoutError extends AppError {
  constructor(detail = 'Upstream service timed out', code = 'gateway_timeout') {
    super(504, code, detail);
  }
}

export interface ErrorBody {
  detail: ErrorDetail;
  code: string;
  request_id?: string;
  error?: string;
}

/** The one error body of spec §5. Gateway-generated errors also carry `error` (same message). */
export function errorBody(err: AppError, requestId: string | undefined, gateway = false): ErrorBody {
  const body: ErrorBody = { detail: err.detail, code: err.code };
  if (requestId) body.request_id = requestId;
  if (gateway)
    body.error = err.summary ?? (typeof err.detail === 'string' ? err.detail : 'Validation failed');
  return body;
}
