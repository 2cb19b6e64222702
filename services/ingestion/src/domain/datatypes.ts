/**
 * The data types an operator can upload and their fields: canonical name, value kind, whether the
 * column is required, and the header aliases seen in operator and RRC exports (written as they appear;
 * they are normalised like any header). Pure data.
 */
export const DATA_TYPES = ['wells', 'permits', 'production', 'flaring'] as const;
export type DataType = (typeof DATA_TYPES)[number];

export const MODES = ['all_or_nothing', 'partial'] as const;
export type Mode = (typeof MODES)[number];

export function isDataType(value: unknown): value is DataType {
  return typeof value === 'string' && (DATA_TYPES as readonly string[]).includes(value);
}

export function isMode(value: unknown): value is Mode {
  return typeof value === 'string' && (MODES as readonly string[]).includes(value);
}

export type FieldKind =
  | 'api'
  | 'text'
  | 'lower'
  | 'identifier'
  | 'lease_number'
  | 'date'
  | 'datetime'
  | 'month'
  | 'number'
  | 'integer'
  | 'district'
  | 'operator_number'
  | 'latitude'
  | 'longitude'
  | 'enum';

export interface FieldSpec {
  name: string;
  kind: FieldKind;
  required?: boolean;
  aliases?: readonly string[];
  min?: number;
  max?: number;
  /** For `enum`: accepted inputs (normalised: lower case, spaces and dashes as `_`) → stored value. */
  values?: Readonly<Record<string, string>>;
}

const operatorFields: FieldSpec[] = [
  {
    name: 'operator_name',
    kind: 'text',
    aliases: ['Operator', 'Operator Name', 'Company', 'Operator Company'],
  },
  {
    name: 'operator_number',
    kind: 'operator_number',
    aliases: ['P5', 'P-5', 'P5 Number', 'Operator P5', 'RRC Operator No', 'Operator ID'],
  },
];

const WELL_STATUS: Record<string, string> = {
  permitted: 'permitted',
  drilling: 'drilling',
  completed: 'completed',
  producing: 'producing',
  active: 'producing',
  prod: 'producing',
  shut_in: 'shut_in',
  shutin: 'shut_in',
  si: 'shut_in',
  inactive: 'inactive',
  temporarily_abandoned: 'temporarily_abandoned',
  ta: 'temporarily_abandoned',
  plugged: 'plugged',
  plugged_and_abandoned: 'plugged',
  p_a: 'plugged',
  pa: 'plugged',
  injection: 'injection',
  cancelled: 'cancelled',
};

const PERMIT_STATUS: Record<string, string> = {
  approved: 'approved',
  pending: 'pending',
  pending_approval: 'pending',
  submitted: 'pending',
  denied: 'denied',
  withdrawn: 'withdrawn',
  expired: 'expired',
  cancelled: 'cancelled',
  canceled: 'cancelled',
  closed: 'closed',
};

/** Rule 32 disposition codes: 10 = flared, 11 = vented (stored as the code). */
const DISPOSITION: Record<string, string> = {
  flared: '10',
  flare: '10',
  '10': '10',
  vented: '11',
  vent: '11',
  '11': '11',
};

const VOLUME_MAX = 1e9;

export const FIELD_SPECS: Readonly<Record<DataType, readonly FieldSpec[]>> = {
  wells: [
    {
      name: 'api_number',
      kind: 'api',
      required: true,
      aliases: ['API', 'API No.', 'API Number', 'API #', 'API14', 'API 14', 'API10', 'Well API', 'UWI'],
    },
    { name: 'well_name', kind: 'text', aliases: ['Well Name', 'Name', 'Well'] },
    { name: 'well_number', kind: 'text', aliases: ['Well No.', 'Well #', 'Well Number'] },
    ...operatorFields,
    { name: 'lease_name', kind: 'text', aliases: ['Lease', 'Lease Name'] },
    {
      name: 'lease_number',
      kind: 'lease_number',
      aliases: ['Lease No.', 'Lease ID', 'RRC Lease No', 'Lease Number'],
    },
    { name: 'field_name', kind: 'text', aliases: ['Field', 'Field Name'] },
    { name: 'field_number', kind: 'identifier', aliases: ['Field No.', 'Field ID', 'Field Number'] },
    { name: 'district', kind: 'district', aliases: ['RRC District', 'Dist', 'District No.'] },
    { name: 'county', kind: 'text', aliases: ['County', 'County Name'] },
    { name: 'status', kind: 'enum', values: WELL_STATUS, aliases: ['Well Status', 'Status'] },
    { name: 'well_type', kind: 'lower', aliases: ['Well Type', 'Type'] },
    { name: 'formation', kind: 'text', aliases: ['Formation', 'Target Formation', 'Producing Formation'] },
    { name: 'spud_date', kind: 'date', aliases: ['Spud Date', 'Spud', 'Date Spudded'] },
    { name: 'completion_date', kind: 'date', aliases: ['Completion Date', 'Completed', 'Date Completed'] },
    {
      name: 'total_depth',
      kind: 'number',
      min: 0,
      max: 50_000,
      aliases: ['Total Depth', 'TD', 'Depth', 'TD (ft)'],
    },
    {
      name: 'latitude',
      kind: 'latitude',
      aliases: ['Lat', 'Latitude', 'Surface Latitude', 'Surface Lat', 'Latitude (NAD83)', 'Lat DD'],
    },
    {
      name: 'longitude',
      kind: 'longitude',
      aliases: ['Lon', 'Long', 'Lng', 'Longitude', 'Surface Longitude', 'Surface Long', 'Longitude (NAD83)'],
    },
  ],
  permits: [
    {
      name: 'permit_number',
      kind: 'identifier',
      required: true,
      aliases: ['Permit', 'Permit No.', 'Permit Number', 'Permit #', 'Drilling Permit', 'W-1 Permit No'],
    },
    {
      name: 'api_number',
      kind: 'api',
      required: true,
      aliases: ['API', 'API No.', 'API Number', 'API #', 'API14', 'Well API'],
    },
    { name: 'permit_type', kind: 'text', aliases: ['Permit Type', 'Form'] },
    { name: 'purpose', kind: 'lower', aliases: ['Purpose', 'Filing Purpose', 'Application Type'] },
    { name: 'status', kind: 'enum', values: PERMIT_STATUS, aliases: ['Permit Status', 'Status'] },
    {
      name: 'submitted_date',
      kind: 'date',
      aliases: ['Submitted', 'Submitted Date', 'Filed Date', 'Date Filed'],
    },
    {
      name: 'approved_date',
      kind: 'date',
      aliases: ['Approved', 'Approval Date', 'Issued', 'Issued Date', 'Issue Date', 'Date Issued'],
    },
    {
      name: 'expiration_date',
      kind: 'date',
      aliases: ['Expiration Date', 'Expires', 'Expiry Date', 'Expiry'],
    },
    ...operatorFields,
    { name: 'lease_name', kind: 'text', aliases: ['Lease', 'Lease Name'] },
    { name: 'well_number', kind: 'text', aliases: ['Well No.', 'Well #', 'Well Number'] },
    { name: 'field_name', kind: 'text', aliases: ['Field', 'Field Name'] },
    { name: 'county', kind: 'text', aliases: ['County'] },
    { name: 'district', kind: 'district', aliases: ['RRC District', 'Dist'] },
    {
      name: 'total_depth',
      kind: 'number',
      min: 0,
      max: 50_000,
      aliases: ['Total Depth', 'Proposed Depth', 'Depth', 'TD'],
    },
  ],
  production: [
    {
      name: 'api_number',
      kind: 'api',
      required: true,
      aliases: ['API', 'API No.', 'API Number', 'API #', 'Well API'],
    },
    {
      name: 'period',
      kind: 'month',
      required: true,
      aliases: ['Month', 'Production Month', 'Report Month', 'Production Date', 'Cycle', 'Date'],
    },
    {
      name: 'oil_bbl',
      kind: 'number',
      min: 0,
      max: VOLUME_MAX,
      aliases: ['Oil', 'Oil (BBL)', 'Oil BBL', 'Oil Volume'],
    },
    {
      name: 'gas_mcf',
      kind: 'number',
      min: 0,
      max: VOLUME_MAX,
      aliases: ['Gas', 'Gas (MCF)', 'Gas MCF', 'Gas Volume'],
    },
    {
      name: 'condensate_bbl',
      kind: 'number',
      min: 0,
      max: VOLUME_MAX,
      aliases: ['Condensate', 'Condensate (BBL)'],
    },
    {
      name: 'casinghead_gas_mcf',
      kind: 'number',
      min: 0,
      max: VOLUME_MAX,
      aliases: ['Casinghead Gas', 'Casinghead Gas (MCF)', 'CSGD Gas'],
    },
    {
      name: 'water_bbl',
      kind: 'number',
      min: 0,
      max: VOLUME_MAX,
      aliases: ['Water', 'Water (BBL)', 'Water BBL'],
    },
    {
      name: 'flared_mcf',
      kind: 'number',
      min: 0,
      max: VOLUME_MAX,
      aliases: ['Flared', 'Gas Flared', 'Flared (MCF)', 'Gas Flared (MCF)', 'Disposition 10'],
    },
    {
      name: 'vented_mcf',
      kind: 'number',
      min: 0,
      max: VOLUME_MAX,
      aliases: ['Vented', 'Gas Vented', 'Vented (MCF)', 'Gas Vented (MCF)', 'Disposition 11'],
    },
    {
      name: 'days_produced',
      kind: 'integer',
      min: 0,
      max: 31,
      aliases: ['Days', 'Days Produced', 'Producing Days'],
    },
    {
      name: 'allowable_bbl',
      kind: 'number',
      min: 0,
      max: VOLUME_MAX,
      aliases: ['Allowable', 'Oil Allowable', 'Allowable (BBL)', 'Monthly Allowable'],
    },
    ...operatorFields,
    { name: 'lease_number', kind: 'lease_number', aliases: ['Lease No.', 'Lease ID', 'Lease Number'] },
  ],
  flaring: [
    {
      name: 'api_number',
      kind: 'api',
      required: true,
      aliases: ['API', 'API No.', 'API Number', 'API #', 'Well API'],
    },
    {
      name: 'start_time',
      kind: 'datetime',
      required: true,
      aliases: [
        'Start',
        'Start Time',
        'Start Date',
        'Event Date',
        'Flare Date',
        'Date',
        'Timestamp',
        'Event Start',
      ],
    },
    {
      name: 'volume_mcf',
      kind: 'number',
      required: true,
      min: 0,
      max: 1e7,
      aliases: ['Volume', 'Volume (MCF)', 'Flared Volume', 'Gas Flared (MCF)', 'MCF', 'Volume MCF'],
    },
    { name: 'end_time', kind: 'datetime', aliases: ['End', 'End Time', 'End Date', 'Event End'] },
    {
      name: 'duration_hours',
      kind: 'number',
      min: 0,
      max: 24 * 366,
      aliases: ['Duration', 'Duration (hrs)', 'Hours'],
    },
    { name: 'disposition_code', kind: 'enum', values: DISPOSITION, aliases: ['Disposition', 'Type'] },
    { name: 'reason', kind: 'text', aliases: ['Reason', 'Cause', 'Description'] },
    {
      name: 'authorization_number',
      kind: 'identifier',
      aliases: [
        'Authorization',
        'Authorization No.',
        'Flaring Authorization',
        'Exception No.',
        'R-32 Permit',
        'Permit No.',
      ],
    },
    {
      name: 'event_id',
      kind: 'identifier',
      aliases: ['Event ID', 'Flare Event ID', 'Event No.', 'Reading ID'],
    },
    { name: 'flare_id', kind: 'identifier', aliases: ['Flare', 'Flare ID', 'Flare Stack'] },
    ...operatorFields,
  ],
};

/** Canonical field names of a data type, in declaration order. */
export function fieldNames(dataType: DataType): string[] {
  return FIELD_SPECS[dataType].map((s) => s.name);
}
