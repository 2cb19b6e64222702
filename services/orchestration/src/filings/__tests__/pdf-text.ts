import { inflateSync } from 'node:zlib';

/** WinAnsi differs from Latin-1 in 0x80-0x9F: the punctuation the documents use. */
const WIN_ANSI: Record<number, string> = {
  0x91: '‘',
  0x92: '’',
  0x93: '“',
  0x94: '”',
  0x95: '•',
  0x96: '–',
  0x97: '—',
};
const winAnsi = (bytes: Buffer) => [...bytes].map((b) => WIN_ANSI[b] ?? String.fromCharCode(b)).join('');

/**
 * The text a PDF shows, read the way a viewer finds it: every FlateDecode stream is inflated and the
 * strings of its text-showing operators (`Tj`, hex `<…>` or literal `(…)`) are decoded (WinAnsi, as
 * the standard fonts encode; ASCII for what the tests look for), one line per operator. Small and
 * offline on purpose: enough for the documents this module renders, not a general PDF parser.
 */
export function pdfText(bytes: Uint8Array): string {
  const buf = Buffer.from(bytes);
  const latin1 = buf.toString('latin1');
  const lines: string[] = [];
  const streamStart = /stream\r?\n/g;
  for (let m = streamStart.exec(latin1); m; m = streamStart.exec(latin1)) {
    const start = m.index + m[0].length;
    const end = latin1.indexOf('endstream', start);
    if (end < 0) break;
    let content: string;
    try {
      content = inflateSync(buf.subarray(start, end)).toString('latin1');
    } catch {
      content = latin1.slice(start, end);
    }
    for (const op of content.matchAll(/<([0-9A-Fa-f\s]*)>\s*Tj|\(((?:\\.|[^\\)])*)\)\s*Tj/g)) {
      lines.push(
        op[1] !== undefined
          ? winAnsi(Buffer.from(op[1].replace(/\s/g, ''), 'hex'))
          : op[2].replace(/\\(.)/g, '$1'),
      );
    }
    streamStart.lastIndex = end + 'endstream'.length;
  }
  return lines.join('\n');
}
