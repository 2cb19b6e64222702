import { rgb, type PDFDocument, type PDFFont, type PDFPage } from 'pdf-lib';

/** US Letter, as the Commission's forms are printed. */
export const PAGE = { width: 612, height: 792, margin: 48 } as const;

export interface Fonts {
  regular: PDFFont;
  bold: PDFFont;
  mono: PDFFont;
}

/** What a standard font can draw: other characters (outside WinAnsi) become `?`, so any user text
 * renders instead of failing the whole document. */
function drawable(font: PDFFont, value: string): string {
  const set = new Set(font.getCharacterSet());
  return [...value.replace(/\s+/g, ' ')].map((c) => (set.has(c.codePointAt(0)!) ? c : '?')).join('');
}

/** Splits `value` into lines no wider than `width` at `size` (words longer than a line are cut). */
export function wrap(font: PDFFont, value: string, size: number, width: number): string[] {
  const lines: string[] = [];
  let line = '';
  for (const word of drawable(font, value).split(' ')) {
    const next = line ? `${line} ${word}` : word;
    if (font.widthOfTextAtSize(next, size) <= width) {
      line = next;
      continue;
    }
    if (line) lines.push(line);
    let rest = word;
    while (font.widthOfTextAtSize(rest, size) > width) {
      let cut = rest.length - 1;
      while (cut > 1 && font.widthOfTextAtSize(rest.slice(0, cut), size) > width) cut -= 1;
      lines.push(rest.slice(0, cut));
      rest = rest.slice(cut);
    }
    line = rest;
  }
  if (line || lines.length === 0) lines.push(line);
  return lines;
}

/** A top-down writer over pages: text, label/value rows, section bars and rules, adding a page when
 * the next line does not fit. */
export class PageWriter {
  private page!: PDFPage;
  private y = 0;
  readonly pages: PDFPage[] = [];

  constructor(
    private readonly doc: PDFDocument,
    readonly fonts: Fonts,
  ) {
    this.newPage();
  }

  private newPage(): void {
    this.page = this.doc.addPage([PAGE.width, PAGE.height]);
    this.pages.push(this.page);
    this.y = PAGE.height - PAGE.margin;
  }

  private room(height: number): void {
    if (this.y - height < PAGE.margin + 24) this.newPage();
  }

  get contentWidth(): number {
    return PAGE.width - 2 * PAGE.margin;
  }

  space(height: number): void {
    this.y -= height;
  }

  text(value: string, options: { font?: PDFFont; size?: number; indent?: number } = {}): void {
    const font = options.font ?? this.fonts.regular;
    const size = options.size ?? 9;
    const indent = options.indent ?? 0;
    for (const line of wrap(font, value, size, this.contentWidth - indent)) {
      this.room(size + 3);
      this.y -= size + 3;
      this.page.drawText(line, { x: PAGE.margin + indent, y: this.y, size, font });
    }
  }

  /** `Label: value` on one line (the value wrapped beside the label column). */
  field(label: string, value: string | number | null, labelWidth = 170): void {
    const size = 9;
    const lines = wrap(
      this.fonts.regular,
      value === null ? '—' : String(value),
      size,
      this.contentWidth - labelWidth,
    );
    for (const [i, line] of lines.entries()) {
      this.room(size + 4);
      this.y -= size + 4;
      if (i === 0)
        this.page.drawText(drawable(this.fonts.bold, label), {
          x: PAGE.margin,
          y: this.y,
          size,
          font: this.fonts.bold,
        });
      this.page.drawText(line, { x: PAGE.margin + labelWidth, y: this.y, size, font: this.fonts.regular });
    }
  }

  /** A numbered section bar, like the boxes of the printed form. */
  section(title: string): void {
    this.room(40);
    this.y -= 10;
    this.page.drawRectangle({
      x: PAGE.margin,
      y: this.y - 14,
      width: this.contentWidth,
      height: 16,
      color: rgb(0.88, 0.9, 0.93),
    });
    this.y -= 11;
    this.page.drawText(drawable(this.fonts.bold, title), {
      x: PAGE.margin + 4,
      y: this.y,
      size: 10,
      font: this.fonts.bold,
    });
    this.y -= 7;
  }

  rule(): void {
    this.room(8);
    this.y -= 4;
    this.page.drawLine({
      start: { x: PAGE.margin, y: this.y },
      end: { x: PAGE.width - PAGE.margin, y: this.y },
      thickness: 0.5,
      color: rgb(0.4, 0.4, 0.4),
    });
    this.y -= 4;
  }

  /** Page numbers and a footer line on every page (after everything is written). */
  footers(footer: string): void {
    for (const [i, page] of this.pages.entries()) {
      const size = 7;
      page.drawText(drawable(this.fonts.regular, footer), {
        x: PAGE.margin,
        y: PAGE.margin - 16,
        size,
        font: this.fonts.regular,
      });
      const label = `Page ${i + 1} of ${this.pages.length}`;
      page.drawText(label, {
        x: PAGE.width - PAGE.margin - this.fonts.regular.widthOfTextAtSize(label, size),
        y: PAGE.margin - 16,
        size,
        font: this.fonts.regular,
      });
    }
  }
}
