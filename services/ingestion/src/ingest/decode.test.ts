import fc from 'fast-check';
import { uploadDecoder } from './decode';
import { FileRejectedError } from './errors';

/** Line and column of the end of `text`, a character at a time (\r\n, \n or \r end a line). */
function positionAfter(text: string): { line: number; column: number } {
  let line = 1;
  let column = 1;
  let afterCr = false;
  for (const c of text) {
    if (c === '\n') {
      if (!afterCr) line += 1;
      column = 1;
    } else if (c === '\r') {
      line += 1;
      column = 1;
    } else {
      column += c.length;
    }
    afterCr = c === '\r';
  }
  return { line, column };
}

function cut(bytes: Buffer, points: readonly number[]): Buffer[] {
  const at = [...new Set(points.map((p) => p % (bytes.length + 1)))].sort((a, b) => a - b);
  const out: Buffer[] = [];
  let last = 0;
  for (const p of at) {
    out.push(bytes.subarray(last, p));
    last = p;
  }
  out.push(bytes.subarray(last));
  return out;
}

describe('uploadDecoder', () => {
  it('decodes UTF-8 split anywhere, without the byte-order mark', () => {
    const text = 'api,name\r\n42,“Épée” 😀\n';
    const decoder = uploadDecoder();
    const bytes = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(text)]);
    const out = cut(bytes, [1, 2, 5, 20, 21, 22]).map((b) => decoder.write(b));
    expect(out.join('') + decoder.end()).toBe(text);
  });

  it('names the line and column of the first invalid byte, however the input is chunked', () => {
    const unit = fc.constantFrom('a', ',', 'é', '€', '😀', '\r', '\n', '\r\n');
    fc.assert(
      fc.property(
        fc.array(unit, { maxLength: 40 }),
        fc.array(fc.nat(), { maxLength: 6 }),
        (units, points) => {
          const valid = units.join('');
          const bytes = Buffer.concat([Buffer.from(valid), Buffer.from([0xff]), Buffer.from('tail\n')]);
          const decoder = uploadDecoder();
          let error: unknown;
          try {
            for (const chunk of cut(bytes, points)) decoder.write(chunk);
            decoder.end();
          } catch (err) {
            error = err;
          }
          const { line, column } = positionAfter(valid);
          expect(error).toBeInstanceOf(FileRejectedError);
          expect((error as FileRejectedError).message).toContain(`at line ${line}, column ${column};`);
        },
      ),
      { numRuns: 1000 },
    );
  });
});
