import { fakeServiceHandler, readJson } from './fake-knowledge-graph';
import { listen } from './listen';

/**
 * A small HTTP stand-in for the flaring monitor's `POST /flare-events` and `DELETE /flare-events/{id}`
 * as the flare-event contract describes them, for the callers' tests (ingestion's SCADA path):
 * 201 with a new event; idempotent per `source_reading_id` within a tenant (the same content again →
 * 200 with the stored event, other content → 409); 422 naming `["body", field]` for a missing or bad
 * field, an end before the start, or a well not in `wells` (when set). Tenants come from the bearer
 * token's (unverified) `tenant_id`, or the `tenant_id` a platform admin names.
 */
export interface FakeFlaringMonitor {
  url: string;
  /** Stored flare events of a tenant. */
  events(tenant: string): FakeFlareEvent[];
  /** Every POST /flare-events, in order (also the refused ones). */
  posts: { tenant: string; authorization: string; body: Record<string, unknown> }[];
  /** Wells a flare event may name, by tenant; unset: any well. */
  wells?: (tenant: string) => readonly string[];
  /** Answers POST /flare-events with 500 from this many on (1-based); undefined = never. */
  failPostFrom?: number;
  close(): Promise<void>;
}

export interface FakeFlareEvent extends Record<string, unknown> {
  event_id: string;
  tenant_id: string;
  source_reading_id: string | null;
}

const CONTENT = [
  'well_id',
  'authorization_id',
  'start_time',
  'end_time',
  'volume_mcf',
  'disposition',
  'cause',
  'source',
] as const;

function issuesOf(b: Record<string, unknown>, wells: readonly string[] | undefined) {
  const issues: { loc: string[]; msg: string; type: string }[] = [];
  const bad = (field: string, msg: string) => issues.push({ loc: ['body', field], msg, type: 'value_error' });
  if (typeof b.well_id !== 'string') bad('well_id', 'required');
  else if (wells && !wells.includes(b.well_id)) bad('well_id', 'unknown well');
  const start = typeof b.start_time === 'string' ? Date.parse(b.start_time) : NaN;
  const end = typeof b.end_time === 'string' ? Date.parse(b.end_time) : NaN;
  if (Number.isNaN(start)) bad('start_time', 'must be a date-time');
  if (Number.isNaN(end)) bad('end_time', 'must be a date-time');
  else if (end < start) bad('end_time', 'must not be before start_time');
  if (typeof b.volume_mcf !== 'number' || b.volume_mcf < 0) bad('volume_mcf', 'must be a number ≥ 0');
  if (b.disposition !== '10' && b.disposition !== '11') bad('disposition', 'must be 10 or 11');
  return issues;
}

export async function startFakeFlaringMonitor(): Promise<FakeFlaringMonitor> {
  const stored = new Map<string, FakeFlareEvent>(); // event id → event
  let nextId = 1;
  let postCount = 0;

  const fake: FakeFlaringMonitor = {
    url: '',
    posts: [],
    events: (tenant) => [...stored.values()].filter((e) => e.tenant_id === tenant),
    close: () => Promise.resolve(),
  };

  const handle = fakeServiceHandler(async (req, { tenant, target, send }) => {
    if (req.method === 'POST' && target.pathname === '/flare-events') {
      const body = ((await readJson(req)) ?? {}) as Record<string, unknown>;
      fake.posts.push({ tenant, authorization: req.headers.authorization ?? '', body });
      postCount += 1;
      if (fake.failPostFrom !== undefined && postCount >= fake.failPostFrom)
        return send(500, { detail: 'Internal server error', code: 'internal_error' });
      const issues = issuesOf(body, fake.wells?.(tenant));
      if (issues.length > 0) return send(422, { detail: issues, code: 'validation_error' });
      const readingId = typeof body.source_reading_id === 'string' ? body.source_reading_id : null;
      const known = readingId
        ? fake.events(tenant).find((e) => e.source_reading_id === readingId)
        : undefined;
      if (known) {
        const same = CONTENT.every((k) => JSON.stringify(known[k]) === JSON.stringify(body[k]));
        if (same) return send(200, known);
        return send(409, {
          detail: `Reading ${readingId} is flare event ${known.event_id}, with other content`,
          code: 'conflict',
        });
      }
      const event: FakeFlareEvent = {
        ...body,
        event_id: `fe-${nextId++}`,
        tenant_id: tenant,
        source_reading_id: readingId,
        status: 'open',
      };
      stored.set(event.event_id, event);
      return send(201, event);
    }
    const m = /^\/flare-events\/([^/]+)$/.exec(target.pathname);
    if (req.method === 'DELETE' && m) {
      const event = stored.get(decodeURIComponent(m[1]));
      if (!event || event.tenant_id !== tenant) return send(404, { detail: 'Not found', code: 'not_found' });
      stored.delete(event.event_id);
      return send(204);
    }
    return send(404, { detail: 'Not found', code: 'not_found' });
  });
  const server = await listen(handle, { keepAliveTimeout: 1000 });
  fake.url = server.url;
  fake.close = server.close;
  return fake;
}
