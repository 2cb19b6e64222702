import type { EdgeItem, EntityItem } from '@aegis/graph-client';
import { buildFlareEvents, type DemoFlareEvent } from './flaring';
import { buildDemoGraph } from './graph';
import { buildProduction, type DemoProduction } from './production';

export interface DemoScenario {
  /** The knowledge graph's entities and edges (POST /seed). */
  entities: EntityItem[];
  edges: EdgeItem[];
  /** Monthly production per well (`PUT /entities/Well/{id}/production`). */
  production: DemoProduction[];
  /** The flaring monitor's flare events (`POST /flare-events`). */
  flareEvents: DemoFlareEvent[];
}

/**
 * The one demo scenario every service seeds from, relative to `asOf` (YYYY-MM-DD; a timestamp is cut
 * to its date): the same `asOf` always gives the same scenario, and ids do not depend on it.
 * The mix: authorisations at ~50 %, 79.9 %, 85 % and 105 % of their authorised volume, some past
 * day 150 of 180 and one expired; wells flaring with no authorisation; wells spudded after
 * 2021-11-15 (NSPS OOOOb); deadlines overdue, within 7, within 30 and beyond 30 days; an allowable
 * exceeded, a gas-oil ratio anomaly and an active well with zero production. Pure.
 */
export function demoScenario(asOf: string): DemoScenario {
  const day = asOf.slice(0, 10);
  const graph = buildDemoGraph(day);
  const flareEvents = buildFlareEvents(graph, day);
  return {
    entities: graph.entities,
    edges: graph.edges,
    production: buildProduction(graph, flareEvents, day),
    flareEvents,
  };
}
