import { formatApiNumber } from '@aegis/common';
import { PDFDocument, StandardFonts } from 'pdf-lib';
import { sourceDigest, type FilingSource } from '../source';
import { PageWriter } from './layout';

/** The printed name of each form, as the Railroad Commission titles it. */
const FORM_TITLES: Record<FilingSource['form_type'], { title: string; rule: string }> = {
  'R-32': {
    title: 'Form R-32 — Application for Exception to Statewide Rule 32 (flare or vent gas)',
    rule: '16 TAC §3.32',
  },
  'W-1': {
    title: 'Form W-1 — Application for Permit to Drill, with a Rule 37 spacing exception',
    rule: '16 TAC §3.37',
  },
};

const n = (v: number, digits = 0) =>
  v.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });
/** Distances as measured (up to 0.01 ft): rounding 1,199.99 to 1,200 would hide a violation. */
const ft = (v: number) => `${v.toLocaleString('en-US', { maximumFractionDigits: 2 })} ft`;
const api = (value: string) => (/^\d{14}$/.test(value) ? `${formatApiNumber(value)} (${value})` : value);

/**
 * Renders the filing's PDF from its stored source, deterministically: the same source gives the same
 * bytes (the document's dates are the approval's decision time, no random ids), so the stored
 * document's SHA-256 can be checked by rendering again. Laid out like the printed form: the header
 * (form, Railroad Commission, rule), operator, lease and well, the form's figures (requested volume
 * and days for R-32; distances and the exception for W-1), the checklist with every piece of evidence
 * and its SHA-256, and the approval that granted it.
 */
export async function renderFilingPdf(source: FilingSource): Promise<Uint8Array> {
  const doc = await PDFDocument.create({ updateMetadata: false });
  const form = FORM_TITLES[source.form_type];
  const at = new Date(source.produced_at);
  doc.setTitle(`${source.form_type} ${source.filing_id}`);
  doc.setSubject(source.title);
  doc.setAuthor('AEGIS');
  doc.setCreator('AEGIS orchestration (filings)');
  doc.setProducer('AEGIS with pdf-lib');
  doc.setCreationDate(at);
  doc.setModificationDate(at);
  const w = new PageWriter(doc, {
    regular: await doc.embedFont(StandardFonts.Helvetica),
    bold: await doc.embedFont(StandardFonts.HelveticaBold),
    mono: await doc.embedFont(StandardFonts.Courier),
  });
  const { facts } = source;

  w.text('RAILROAD COMMISSION OF TEXAS', { font: w.fonts.bold, size: 13 });
  w.text('Oil and Gas Division', { size: 9 });
  w.space(4);
  w.text(form.title, { font: w.fonts.bold, size: 11 });
  w.text(`${form.rule} · Filing package ${source.filing_id} · prepared ${source.produced_at}`, { size: 8 });
  w.rule();

  w.section('1. Operator');
  w.field('Operator name', facts.operator?.name ?? null);
  w.field('RRC operator number (P-5)', facts.operator?.operator_number ?? null);

  w.section('2. Lease and well');
  w.field('Lease name', facts.lease?.name ?? null);
  w.field('Lease number', facts.lease?.lease_number ?? facts.lease?.lease_id ?? null);
  w.field('RRC district', facts.lease?.district ?? facts.well?.district ?? null);
  w.field(
    'Field',
    facts.field ? `${facts.field.name ?? facts.field.field_id} (${facts.field.field_number ?? '—'})` : null,
  );
  if (facts.well) {
    w.field('Well API number', api(facts.well.api_number));
    w.field('Well name', facts.well.name);
    w.field('County', facts.well.county);
    if (facts.well.latitude !== null && facts.well.longitude !== null)
      w.field('Surface location (lat, lon)', `${facts.well.latitude}, ${facts.well.longitude}`);
  } else {
    w.field('Lease-wide application', `${facts.entity_label} ${facts.entity_id}`);
  }

  if (facts.flaring) {
    const f = facts.flaring;
    w.section('3. Flaring or venting requested (16 TAC §3.32)');
    w.field('Requested volume', `${n(f.requested_volume_mcf_per_day)} mcf per day`);
    w.field('Requested duration', `${n(f.requested_days)} days (at most 180 at a time, 16 TAC §3.32)`);
    w.field('Flared to date (authorised)', `${n(f.cumulative_volume_mcf, 1)} mcf as of ${f.as_of}`);
    w.field('Flared without authorisation', `${n(f.unauthorized_volume_mcf, 1)} mcf`);
    if (f.authorizations.length === 0) w.text('No existing authorisation covers this entity.', { indent: 4 });
    for (const a of f.authorizations) {
      w.space(3);
      w.text(`Authorisation ${a.authorization_id} (${a.status})`, { font: w.fonts.bold, size: 9 });
      w.field('  Effective – expiry', `${a.effective_date} – ${a.expiry_date}`);
      w.field('  Maximum volume', `${n(a.max_volume_mcf_per_day)} mcf per day`);
      w.field('  Authorised volume', `${n(a.authorised_volume_mcf)} mcf over ${n(a.authorised_days)} days`);
      w.field(
        '  Flared / remaining',
        `${n(a.cumulative_volume_mcf, 1)} mcf (${n(a.volume_pct, 1)} %) / ${n(a.remaining_volume_mcf, 1)} mcf`,
      );
      w.field('  Days used / remaining', `${n(a.days_used)} / ${n(a.days_remaining)}`);
    }
  }

  if (facts.spacing) {
    const s = facts.spacing;
    w.section('3. Spacing and Rule 37 exception (16 TAC §3.37)');
    w.field('Applicable minimums', `${s.rule_source} (${s.rule})`);
    w.field('Minimum to lease or property line', ft(s.lease_line_min_ft));
    w.field('Minimum between wells', ft(s.between_well_min_ft));
    w.field(
      'Nearest offset well',
      s.nearest_offset_ft === null ? 'none within the minimum' : ft(s.nearest_offset_ft),
    );
    w.field('Rule 37 exception requested', s.exception_required ? 'YES' : 'NO');
    for (const o of s.offset_wells)
      w.field(
        `  Offset well ${formatApiNumber(o.api_number)}`,
        `${ft(o.distance_ft)}${o.name ? ` — ${o.name}` : ''}`,
      );
  }

  w.section('4. Checklist and evidence');
  w.field(
    'Checklist',
    `${source.checklist.checklist_id} (${source.checklist.template_id} v${source.checklist.template_version})`,
  );
  w.field(
    'Submitted / decided',
    `${source.checklist.submitted_at ?? '—'} / ${source.checklist.decided_at ?? '—'}`,
  );
  for (const item of source.items) {
    w.space(2);
    w.text(
      `#${item.index} ${item.label} — ${item.status}${item.required ? '' : ' (optional)'} · ${item.item_type}`,
      { font: w.fonts.bold, size: 8.5 },
    );
    if (item.exception_reason) w.text(`Exception: ${item.exception_reason}`, { size: 8, indent: 12 });
    if (item.notes) w.text(`Notes: ${item.notes}`, { size: 8, indent: 12 });
    for (const e of item.evidence) {
      w.text(`${e.filename} · ${e.media_type} · ${n(e.size_bytes)} bytes · ${e.artifact_id}`, {
        size: 8,
        indent: 12,
      });
      w.text(`SHA-256 ${e.sha256}`, { font: w.fonts.mono, size: 7.5, indent: 12 });
    }
  }
  if (source.exceptions.length > 0) {
    w.space(4);
    w.text('Exceptions recorded', { font: w.fonts.bold, size: 9 });
    for (const e of source.exceptions)
      w.text(
        `${e.item_index === null ? 'Whole checklist' : `#${e.item_index}`}: ${e.reason} (${e.created_by})`,
        {
          size: 8,
          indent: 12,
        },
      );
  }

  w.section('5. Approval');
  w.field('Approval id', source.approval.approval_id);
  w.field('Decision', source.approval.decision);
  w.field('Reviewer', source.approval.reviewer);
  w.field('Decided at', source.approval.decided_at);
  if (source.approval.notes) w.field('Reviewer notes', source.approval.notes);

  w.footers(`${source.form_type} · ${source.filing_id} · data SHA-256 ${sourceDigest(source)}`);
  return doc.save();
}
