import { createHash } from 'node:crypto';
import { PDFDocument } from 'pdf-lib';
import { pdfText } from '../__tests__/pdf-text';
import type { FilingSource } from '../source';
import { renderFilingPdf } from './render';

const source: FilingSource = {
  filing_id: 'fil-000000000000000000000001',
  form_type: 'R-32',
  title: 'R-32 — Well 42317300000000',
  checklist: {
    checklist_id: 'chk-000000000000000000000001',
    template_id: 'r32-flaring-exception',
    template_version: 1,
    title: 'R-32 — Well 42317300000000',
    entity_label: 'Well',
    entity_id: '42317300000000',
    submitted_at: '2026-11-02T09:00:00.000Z',
    decided_at: '2026-11-02T10:00:00.000Z',
  },
  items: [
    {
      index: 4,
      label: 'Gathering-line connection plan',
      item_type: 'document',
      required: true,
      status: 'complete',
      notes: 'Connection ≤ 60 days — 漢字 are not in the standard fonts',
      exception_reason: null,
      evidence: [
        {
          artifact_id: 'art-000000000000000000000001',
          filename: 'plan.pdf',
          media_type: 'application/pdf',
          size_bytes: 12_345,
          sha256: 'a'.repeat(64),
        },
      ],
    },
  ],
  exceptions: [],
  facts: {
    entity_label: 'Well',
    entity_id: '42317300000000',
    well: {
      api_number: '42317300000000',
      name: 'UNIVERSITY 7-12 1H',
      status: 'producing',
      county: 'Martin',
      district: '08',
      latitude: 32.1,
      longitude: -101.9,
    },
    lease: { lease_id: 'LSE-08-41235', lease_number: '41235', name: 'UNIVERSITY 7-12', district: '08' },
    operator: { operator_id: 'OP-123456', name: 'Caprock Permian Operating LLC', operator_number: '123456' },
    field: null,
    flaring: {
      as_of: '2026-11-02',
      authorizations: [],
      requested_volume_mcf_per_day: 250,
      requested_days: 180,
      cumulative_volume_mcf: 0,
      unauthorized_volume_mcf: 0,
    },
  },
  approval: {
    approval_id: 'apr-1',
    decision: 'approved',
    reviewer: 'rita',
    decided_at: '2026-11-02T10:00:00.000Z',
    notes: null,
  },
  produced_at: '2026-11-02T10:00:00.000Z',
};

describe('renderFilingPdf', () => {
  it('renders the same bytes from the same source (no clock, no random ids)', async () => {
    const a = await renderFilingPdf(source);
    const b = await renderFilingPdf(JSON.parse(JSON.stringify(source)) as FilingSource);
    expect(createHash('sha256').update(a).digest('hex')).toBe(createHash('sha256').update(b).digest('hex'));
  });

  it('is a PDF a parser opens, with the form’s fields and characters outside WinAnsi replaced', async () => {
    const bytes = await renderFilingPdf(source);
    expect(Buffer.from(bytes.subarray(0, 5)).toString('latin1')).toBe('%PDF-');
    const doc = await PDFDocument.load(bytes);
    expect(doc.getPageCount()).toBeGreaterThanOrEqual(1);
    expect(doc.getTitle()).toBe('R-32 fil-000000000000000000000001');
    const text = pdfText(bytes);
    expect(text).toContain('RAILROAD COMMISSION OF TEXAS');
    expect(text).toContain('42-317-30000-00-00 (42317300000000)');
    expect(text).toContain('250 mcf per day');
    expect(text).toContain('180 days');
    expect(text).toContain(`SHA-256 ${'a'.repeat(64)}`);
    expect(text).toContain('Connection ? 60 days — ?? are not in the standard fonts');
  });

  it('puts a long checklist on several pages, numbered', async () => {
    const items = Array.from({ length: 60 }, (_, i) => ({ ...source.items[0], index: i }));
    const text = pdfText(await renderFilingPdf({ ...source, items }));
    expect(text).toMatch(/Page 1 of [2-9]/);
    expect(text).toContain('#59 Gathering-line connection plan');
  });
});
