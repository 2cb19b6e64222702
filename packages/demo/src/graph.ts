import { seededRandom } from '@aegis/common';
import type { EdgeItem, EntityItem, Label } from '@aegis/graph-client';
import { addDays } from './dates';

/**
 * The deterministic demo data set (POST /seed, and first start in local mode): three Permian Basin
 * operators, three fields, six leases in Martin, Midland, Reeves, Loving and Upton counties, 30 wells
 * with Texas API numbers and plausible coordinates, W-1 permits, Rule 32 flaring authorisations (some
 * expiring soon, one expired, one lease-wide, one pending), flare events (some without a valid
 * authorisation), compliance deadlines, regulations and two infrastructure projects. Dates are
 * relative to `anchor` (YYYY-MM-DD) so the demo stays current; the same anchor gives the same data, and
 * ids do not depend on the anchor, so reseeding on another day updates dates instead of adding entities.
 */

export interface DemoDataset {
  entities: EntityItem[];
  edges: EdgeItem[];
}

/** A demo well as the production and flaring generators see it. */
export interface DemoWell {
  id: string;
  /** Index of its lease in LEASES, and its position on the lease. */
  lease: number;
  i: number;
  leaseId: string;
  status: string;
  wellType: 'oil' | 'gas';
  /** null for a permitted well not yet drilled. */
  spud: string | null;
}

/** A Rule 32 authorisation of the demo (16 TAC §3.32: at most 180 days). */
export interface DemoAuthorization {
  id: string;
  status: string;
  effective: string;
  expiry: string;
  mcfPerDay: number;
  /** max_volume_mcf_per_day × the authorised days: the volume the usage bands are measured against. */
  authorizedVolumeMcf: number;
  /** The wells it authorises (one, or every well of a lease-wide authorisation). */
  wells: string[];
}

/** The graph plus what the other generators build on. */
export interface DemoGraph extends DemoDataset {
  wells: DemoWell[];
  authorizations: DemoAuthorization[];
}

const OPERATORS = [
  { id: 'OP-123456', name: 'Caprock Permian Operating LLC', p5: '123456', city: 'Midland' },
  { id: 'OP-654321', name: 'Pecos Valley Resources Inc.', p5: '654321', city: 'Pecos' },
  { id: 'OP-246810', name: 'Spraberry Ridge Energy LP', p5: '246810', city: 'Midland' },
] as const;

const FIELDS = [
  {
    id: 'FLD-85279300',
    name: 'SPRABERRY (TREND AREA)',
    number: '85279300',
    district: '08',
    spacing_ft: null,
  },
  { id: 'FLD-71052900', name: 'PHANTOM (WOLFCAMP)', number: '71052900', district: '08', spacing_ft: 1320 },
  {
    id: 'FLD-33830500',
    name: 'GARDEN CITY, S. (WOLFCAMP)',
    number: '33830500',
    district: '7C',
    spacing_ft: null,
  },
] as const;

const LEASES = [
  {
    n: '41235',
    name: 'UNIVERSITY 7-12',
    county: 'Martin',
    code: '317',
    district: '08',
    lat: 32.3721,
    lon: -101.9483,
    field: 0,
    op: 0,
    fm: 'FM-LOWER-SPRABERRY',
  },
  {
    n: '41987',
    name: 'TXL FEE 33',
    county: 'Midland',
    code: '329',
    district: '08',
    lat: 31.9214,
    lon: -102.1131,
    field: 0,
    op: 0,
    fm: 'FM-WOLFCAMP-A',
  },
  {
    n: '42310',
    name: 'SCHARBAUER RANCH',
    county: 'Midland',
    code: '329',
    district: '08',
    lat: 32.0561,
    lon: -102.2042,
    field: 0,
    op: 2,
    fm: 'FM-LOWER-SPRABERRY',
  },
  {
    n: '51002',
    name: 'REEVES STATE 54-2',
    county: 'Reeves',
    code: '389',
    district: '08',
    lat: 31.4023,
    lon: -103.6271,
    field: 1,
    op: 1,
    fm: 'FM-WOLFCAMP-A',
  },
  {
    n: '51145',
    name: 'LOVING FEE 1',
    county: 'Loving',
    code: '301',
    district: '08',
    lat: 31.8612,
    lon: -103.5884,
    field: 1,
    op: 1,
    fm: 'FM-BONE-SPRING',
  },
  {
    n: '30117',
    name: 'UPTON UNIVERSITY 4',
    county: 'Upton',
    code: '461',
    district: '7C',
    lat: 31.3224,
    lon: -101.9871,
    field: 2,
    op: 2,
    fm: 'FM-WOLFCAMP-A',
  },
] as const;

const FORMATIONS = [
  { id: 'FM-LOWER-SPRABERRY', name: 'Lower Spraberry', top_ft: 8900 },
  { id: 'FM-WOLFCAMP-A', name: 'Wolfcamp A', top_ft: 9700 },
  { id: 'FM-BONE-SPRING', name: 'Third Bone Spring Sand', top_ft: 10400 },
] as const;

const REGULATIONS = [
  { id: 'REG-TAC-3.32', name: 'Rule 32 — Gas flaring and venting', citation: '16 TAC §3.32', agency: 'RRC' },
  { id: 'REG-TAC-3.37', name: 'Rule 37 — Statewide spacing', citation: '16 TAC §3.37', agency: 'RRC' },
  {
    id: 'REG-TAC-3.58',
    name: 'Rule 58 — Production reports (Form PR)',
    citation: '16 TAC §3.58',
    agency: 'RRC',
  },
  {
    id: 'REG-NSPS-OOOOB',
    name: 'NSPS OOOOb — Crude oil and natural gas facilities',
    citation: '40 CFR Part 60 Subpart OOOOb',
    agency: 'EPA',
  },
] as const;

const STATUSES = ['active', 'active', 'active', 'shut_in', 'drilling'] as const;
const METRES_PER_DEG_LAT = 111_320;

export function buildDemoDataset(anchor: string): DemoDataset {
  const { entities, edges } = buildDemoGraph(anchor);
  return { entities, edges };
}

/** Rule 32 exceptions are granted for at most 180 days (16 TAC §3.32). */
export const AUTHORIZATION_DAYS = 180;

export function buildDemoGraph(anchor: string): DemoGraph {
  const rand = seededRandom(20_240_315);
  const entities: EntityItem[] = [];
  const edges: EdgeItem[] = [];
  const entity = (label: Label, entity_id: string, properties: Record<string, unknown>) =>
    entities.push({ label, entity_id, properties });
  const edge = (from_label: Label, from_id: string, rel_type: string, to_label: Label, to_id: string) =>
    edges.push({ from_label, from_id, rel_type, to_label, to_id, properties: {} });

  for (const o of OPERATORS)
    entity('Operator', o.id, {
      name: o.name,
      operator_number: o.p5,
      p5_status: 'active',
      city: o.city,
      state: 'TX',
    });
  for (const f of FIELDS) {
    entity('Field', f.id, {
      name: f.name,
      field_number: f.number,
      district: f.district,
      ...(f.spacing_ft ? { field_rule_spacing_ft: f.spacing_ft } : {}),
    });
  }
  for (const fm of FORMATIONS)
    entity('Formation', fm.id, { name: fm.name, top_depth_ft: fm.top_ft, basin: 'Permian' });
  for (const r of REGULATIONS)
    entity('Regulation', r.id, { name: r.name, citation: r.citation, agency: r.agency });
  for (const f of FIELDS) edge('Field', f.id, 'GOVERNED_BY', 'Regulation', 'REG-TAC-3.37');

  const wells: DemoWell[] = [];
  LEASES.forEach((l, li) => {
    const leaseId = `LSE-${l.district}-${l.n}`;
    const field = FIELDS[l.field];
    const op = OPERATORS[l.op];
    entity('Lease', leaseId, {
      name: l.name,
      lease_number: l.n,
      district: l.district,
      county: l.county,
      acres: 640 + li * 160,
      latitude: l.lat,
      longitude: l.lon,
    });
    edge('Lease', leaseId, 'IN_FIELD', 'Field', field.id);
    edge('Lease', leaseId, 'OPERATED_BY', 'Operator', op.id);
    edge('Lease', leaseId, 'GOVERNED_BY', 'Regulation', 'REG-TAC-3.58');
    for (let i = 0; i < 5; i += 1) {
      // Wells 400 m apart east-west; the fifth only 250 m (about 820 ft) from the fourth, inside the
      // 1,200 ft statewide minimum of Rule 37.
      const eastM = i < 4 ? i * 400 : 3 * 400 + 250;
      const northM = (li % 2 === 0 ? 1 : -1) * 120 * (i % 2);
      const lat = Math.round((l.lat + northM / METRES_PER_DEG_LAT) * 1e6) / 1e6;
      const lon =
        Math.round((l.lon + eastM / (METRES_PER_DEG_LAT * Math.cos((l.lat * Math.PI) / 180))) * 1e6) / 1e6;
      const unique = String(30000 + li * 137 + i * 11).padStart(5, '0');
      const api = `42${l.code}${unique}0000`;
      const spud = addDays('2019-03-01', li * 211 + i * 97);
      const status = i === 4 && li % 3 === 0 ? 'permitted' : STATUSES[(li + i) % STATUSES.length];
      entity('Well', api, {
        api_number: api,
        name: `${l.name} ${i + 1}H`,
        well_number: `${i + 1}H`,
        status,
        well_type: li === 4 ? 'gas' : 'oil',
        county: l.county,
        district: l.district,
        latitude: lat,
        longitude: lon,
        spud_date: status === 'permitted' ? null : spud,
        total_depth_ft: 18_000 + Math.round(rand() * 4000),
        lateral_length_ft: 7500 + Math.round(rand() * 5000),
        operator_number: op.p5,
        lease_number: l.n,
        field_number: field.number,
      });
      edge('Well', api, 'ON_LEASE', 'Lease', leaseId);
      edge('Well', api, 'IN_FIELD', 'Field', field.id);
      edge('Well', api, 'OPERATED_BY', 'Operator', op.id);
      edge('Well', api, 'PRODUCES_FROM', 'Formation', l.fm);
      edge('Well', api, 'GOVERNED_BY', 'Regulation', 'REG-TAC-3.32');
      if (status !== 'permitted' && spud > '2021-11-15')
        edge('Well', api, 'GOVERNED_BY', 'Regulation', 'REG-NSPS-OOOOB');
      const permit = `W1-${String(880000 + li * 50 + i)}`;
      entity('Permit', permit, {
        permit_number: permit.slice(3),
        permit_type: 'W-1',
        purpose: 'new drill',
        status: 'approved',
        approved_date: addDays(spud, -60),
        api_number: api,
      });
      edge('Permit', permit, 'AUTHORIZES', 'Well', api);
      wells.push({
        id: api,
        lease: li,
        i,
        leaseId,
        status,
        wellType: li === 4 ? 'gas' : 'oil',
        spud: status === 'permitted' ? null : spud,
      });
    }
  });

  const wellAt = (lease: number, i: number) => wells.find((w) => w.lease === lease && w.i === i)!.id;
  // Rule 32 exceptions: at most 180 days each (16 TAC §3.32).
  const auths: { id: string; to: [Label, string]; expiresIn: number; status: string; mcfd: number }[] = [
    { id: 'R32-0041235-1', to: ['Well', wellAt(0, 0)], expiresIn: 10, status: 'approved', mcfd: 250 },
    { id: 'R32-0041235-2', to: ['Well', wellAt(0, 1)], expiresIn: 45, status: 'approved', mcfd: 300 },
    { id: 'R32-0041987-1', to: ['Well', wellAt(1, 0)], expiresIn: 120, status: 'approved', mcfd: 180 },
    { id: 'R32-0041987-2', to: ['Well', wellAt(1, 2)], expiresIn: -20, status: 'approved', mcfd: 200 },
    { id: 'R32-0051002-L', to: ['Lease', 'LSE-08-51002'], expiresIn: 75, status: 'approved', mcfd: 900 },
    { id: 'R32-0051145-1', to: ['Well', wellAt(4, 0)], expiresIn: 25, status: 'approved', mcfd: 500 },
    { id: 'R32-0051145-2', to: ['Well', wellAt(4, 3)], expiresIn: 170, status: 'pending', mcfd: 400 },
    { id: 'R32-0030117-1', to: ['Well', wellAt(5, 1)], expiresIn: 150, status: 'approved', mcfd: 150 },
  ];
  const authorizations: DemoAuthorization[] = [];
  for (const a of auths) {
    const expiry = addDays(anchor, a.expiresIn);
    const authorizedVolumeMcf = a.mcfd * AUTHORIZATION_DAYS;
    authorizations.push({
      id: a.id,
      status: a.status,
      effective: addDays(expiry, -AUTHORIZATION_DAYS),
      expiry,
      mcfPerDay: a.mcfd,
      authorizedVolumeMcf,
      wells: a.to[0] === 'Well' ? [a.to[1]] : wells.filter((w) => w.leaseId === a.to[1]).map((w) => w.id),
    });
    entity('FlaringAuthorization', a.id, {
      authorization_number: a.id.slice(4),
      form: 'R-32',
      status: a.status,
      effective_date: addDays(expiry, -AUTHORIZATION_DAYS),
      expiry_date: expiry,
      max_volume_mcf_per_day: a.mcfd,
      authorized_volume_mcf: authorizedVolumeMcf,
      reason: 'No gathering line capacity',
      gathering_connection_date: addDays(expiry, 30),
    });
    edge('FlaringAuthorization', a.id, 'AUTHORIZES', a.to[0], a.to[1]);
    edge('FlaringAuthorization', a.id, 'GOVERNED_BY', 'Regulation', 'REG-TAC-3.32');
    const renewal = `DL-R32-RENEW-${a.id.slice(4)}`;
    entity('ComplianceDeadline', renewal, {
      title: `Renew Rule 32 exception ${a.id.slice(4)}`,
      deadline_type: 'R-32 renewal',
      due_date: addDays(expiry, -14),
      status: a.expiresIn < 0 ? 'missed' : 'open',
    });
    edge('ComplianceDeadline', renewal, 'APPLIES_TO', 'FlaringAuthorization', a.id);
  }

  // Flare events over the last 60 days: wells with authorisations, the lease-wide one, and wells with
  // none (lease 2 well 3, lease 5 well 2): the latter are flaring without authorisation.
  const flaring: [number, number][] = [
    [0, 0],
    [0, 1],
    [1, 0],
    [1, 2],
    [3, 1],
    [3, 4],
    [4, 0],
    [4, 3],
    [2, 3],
    [5, 2],
  ];
  let n = 0;
  for (const [lease, i] of flaring) {
    const api = wellAt(lease, i);
    for (let k = 0; k < 4; k += 1) {
      const date = addDays(anchor, -(3 + k * 14 + ((lease + i) % 5)));
      const id = `FE-${api.slice(2, 10)}-${k + 1}`;
      n += 1;
      entity('FlaringEvent', id, {
        event_date: date,
        start_time: `${date}T${String(6 + (n % 12)).padStart(2, '0')}:00:00Z`,
        duration_hours: 2 + Math.round(rand() * 20),
        volume_mcf: Math.round((40 + rand() * 460) * 10) / 10,
        disposition_code: n % 7 === 0 ? '11' : '10',
        reason: n % 3 === 0 ? 'compressor downtime' : 'gathering line capacity',
        api_number: api,
      });
      edge('FlaringEvent', id, 'FLARED_AT', 'Well', api);
    }
  }

  LEASES.forEach((l, li) => {
    const leaseId = `LSE-${l.district}-${l.n}`;
    const month = addDays(anchor, -30).slice(0, 7);
    const id = `DL-PR-${l.n}`;
    entity('ComplianceDeadline', id, {
      title: `Form PR for ${l.name}, ${month}`,
      deadline_type: 'Form PR',
      due_date: addDays(anchor, 5 + li * 9),
      status: 'open',
    });
    edge('ComplianceDeadline', id, 'APPLIES_TO', 'Lease', leaseId);
  });

  // Infrastructure: projects → pipelines/facilities → wellpads → wells (the impact tree). The pad
  // and its wells also point back (Well LOCATED_IN Wellpad), a deliberate cycle.
  entity('InfrastructureProject', 'IP-MARTIN-GATHERING', {
    name: 'Martin County gathering line extension',
    status: 'in_progress',
    target_date: addDays(anchor, 90),
  });
  entity('InfrastructureProject', 'IP-REEVES-COMPRESSION', {
    name: 'Reeves County compressor station',
    status: 'planned',
    target_date: addDays(anchor, 200),
  });
  entity('Pipeline', 'PL-MC-001', {
    name: 'Martin County 8-inch gathering line',
    diameter_in: 8,
    status: 'under_construction',
  });
  entity('Facility', 'FAC-UNIV-712-CTB', {
    name: 'University 7-12 central tank battery',
    facility_type: 'tank battery',
    latitude: 32.3735,
    longitude: -101.9431,
  });
  entity('Facility', 'FAC-TXL33-CTB', {
    name: 'TXL Fee 33 central tank battery',
    facility_type: 'tank battery',
    latitude: 31.9201,
    longitude: -102.1102,
  });
  entity('Facility', 'FAC-REEVES-CS2', {
    name: 'Reeves compressor station 2',
    facility_type: 'compressor station',
    latitude: 31.4101,
    longitude: -103.6102,
  });
  entity('Wellpad', 'PAD-REEVES-54-2-A', {
    name: 'Reeves State 54-2 pad A',
    latitude: 31.4024,
    longitude: -103.6248,
  });
  edge('InfrastructureProject', 'IP-MARTIN-GATHERING', 'CONNECTED_TO', 'Pipeline', 'PL-MC-001');
  edge('Pipeline', 'PL-MC-001', 'CONNECTED_TO', 'Facility', 'FAC-UNIV-712-CTB');
  edge('Pipeline', 'PL-MC-001', 'CONNECTED_TO', 'Facility', 'FAC-TXL33-CTB');
  edge('InfrastructureProject', 'IP-REEVES-COMPRESSION', 'CONNECTED_TO', 'Facility', 'FAC-REEVES-CS2');
  edge('Facility', 'FAC-REEVES-CS2', 'CONNECTED_TO', 'Wellpad', 'PAD-REEVES-54-2-A');
  for (const w of wells) {
    if (w.lease === 0) edge('Facility', 'FAC-UNIV-712-CTB', 'CONNECTED_TO', 'Well', w.id);
    if (w.lease === 1) edge('Facility', 'FAC-TXL33-CTB', 'CONNECTED_TO', 'Well', w.id);
    if (w.lease === 3) {
      edge('Wellpad', 'PAD-REEVES-54-2-A', 'CONNECTED_TO', 'Well', w.id);
      edge('Well', w.id, 'LOCATED_IN', 'Wellpad', 'PAD-REEVES-54-2-A');
    }
    if (w.lease === 4) edge('Facility', 'FAC-REEVES-CS2', 'CONNECTED_TO', 'Well', w.id);
  }
  return { entities, edges, wells, authorizations };
}
