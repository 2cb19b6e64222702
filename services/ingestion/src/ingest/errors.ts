import { ValidationError, type ValidationIssue } from '@aegis/common';
import type { FieldIssue } from '../domain/validate';

/** One problem with one row of a file (or one record of a batch). `row` is the spreadsheet row number
 * (header = 1); `line` the physical line where the record starts, when known. */
export interface RowError {
  row: number;
  line?: number;
  field: string;
  reason: string;
  value?: string;
}

/** Counts rejected rows and keeps the first `max` errors. Each row is reported once (with all its
 * issues), so counting needs no memory per row. */
export class ErrorCollector {
  readonly errors: RowError[] = [];
  rejectedRows = 0;
  issueCount = 0;

  constructor(private readonly max: number) {}

  get truncated(): boolean {
    return this.issueCount > this.errors.length;
  }

  reject(row: number, line: number | undefined, issues: readonly FieldIssue[]): void {
    this.rejectedRows += 1;
    for (const issue of issues) {
      this.issueCount += 1;
      if (this.errors.length >= this.max) continue;
      const error: RowError = { row, field: issue.field, reason: issue.reason };
      if (line !== undefined && line > 0) error.line = line;
      if (issue.value !== undefined) error.value = issue.value;
      this.errors.push(error);
    }
  }

  sorted(): RowError[] {
    return [...this.errors].sort((a, b) => a.row - b.row);
  }
}

/** The file as a whole is unusable (empty, header missing required columns, ...): 422, nothing
 * stored. The loc names the file, not a row. */
export class FileRejectedError extends ValidationError {
  constructor(issues: ValidationIssue[], code = 'invalid_file') {
    super(issues, code);
  }

  static of(msg: string, code: string, loc: (string | number)[] = ['file']): FileRejectedError {
    return new FileRejectedError([{ loc, msg, type: code }], code);
  }
}

/** Row errors as the §5 422 detail: `loc: ["file", "row", 3, "api_number"]` (prefix `["file", "row"]`;
 * JSON records use `["body", "records"]` and their index). */
export function rowIssues(
  errors: readonly RowError[],
  prefix: readonly (string | number)[] = ['file', 'row'],
): ValidationIssue[] {
  return errors.map((e) => ({
    loc: [...prefix, e.row, e.field],
    msg: e.value !== undefined ? `${e.reason} (got "${e.value}")` : e.reason,
    type: 'row_rejected',
  }));
}
