import { parseApiNumber } from '@aegis/common';
import { mentions } from '../skills/select';

/** What a request asks about, read deterministically from its text (the offline planner's router). */
export interface Intent {
  /** Normalised 14-digit API numbers, in the order named. */
  wells: string[];
  authorizations: string[];
  operators: string[];
  leases: string[];
  location?: { latitude: number; longitude: number };
  topics: Set<Topic>;
  /** `file`: submit or file (a mutating step); `draft`: assemble only. */
  filing: 'file' | 'draft' | null;
  /** Asks to raise an alert for review. */
  raiseAlert: boolean;
  /** "within (the next) N days", when the request says so. */
  windowDays?: number;
  /** Asks what the rules say, naming no well, authorisation, operator, lease or location. */
  aboutRules: boolean;
}

export type Topic =
  | 'spacing'
  | 'flaring'
  | 'burn_rate'
  | 'forecast'
  | 'emissions'
  | 'validate'
  | 'deadlines'
  | 'production'
  | 'risk'
  | 'r32'
  | 'w1';

const TOPIC_WORDS: Record<Topic, string[]> = {
  spacing: ['spacing', 'rule 37', 'offset', 'offsets', 'lease line', 'distance', 'setback', 'w-1', 'w1'],
  flaring: [
    'flaring',
    'flare',
    'flared',
    'vent',
    'vented',
    'venting',
    'authorisation',
    'authorization',
    'rule 32',
    'r-32',
    'r32',
  ],
  burn_rate: ['burn rate', 'per day', 'daily'],
  forecast: ['forecast', 'run out', 'exhaust', 'exhaustion', 'last until', 'how long', 'when will'],
  emissions: ['emission', 'emissions', 'co2', 'co2e', 'methane', 'ghg', 'greenhouse'],
  validate: ['validate', 'validation', 'check the application'],
  deadlines: ['deadline', 'deadlines', 'due', 'overdue', 'expiring', 'renewal due', 'form pr'],
  production: ['production', 'allowable', 'gas-oil', 'gor', 'anomaly', 'anomalies', 'zero production'],
  risk: ['risk', 'riskiest', 'risk score', 'prioritise', 'prioritize'],
  r32: ['r-32', 'r32', 'renew', 'renewal', 'flaring exception', 'flaring permit'],
  w1: ['w-1', 'w1', 'spacing exception', 'rule 37 exception', 'good cause'],
};

const RULE_WORDS = ['rule', 'rules', '16 tac', 'regulation', 'regulations'];
const QUESTION_WORDS = ['what', 'explain', 'say', 'says', 'mean', 'means', 'how long', 'how far', 'how much'];

const API_RE = /\b42[\s-]?\d{3}[\s-]?\d{5}(?:[\s-]?\d{2}){0,2}\b/g;

/** The API numbers a text names, normalised (any written form: dashes, 10/12/14 digits). */
export function wellIdsIn(text: string): string[] {
  const out: string[] = [];
  for (const m of text.matchAll(API_RE)) {
    const r = parseApiNumber(m[0]);
    if (r.ok && !out.includes(r.value)) out.push(r.value);
  }
  return out;
}

const unique = (xs: string[]) => [...new Set(xs)];

function windowOf(text: string): number | undefined {
  const m = /\b(?:within|in|next|over)\s+(?:the\s+)?(?:next\s+|coming\s+)?(\d{1,4})\s+days?\b/i.exec(text);
  const n = m ? Number(m[1]) : NaN;
  return Number.isInteger(n) && n >= 0 && n <= 3650 ? n : undefined;
}

export function readIntent(text: string, extra: { wellId?: string } = {}): Intent {
  const wells = wellIdsIn(text);
  if (wells.length === 0 && extra.wellId) {
    const r = parseApiNumber(extra.wellId);
    if (r.ok) wells.push(r.value);
  }
  const topics = new Set<Topic>(
    (Object.keys(TOPIC_WORDS) as Topic[]).filter((t) => TOPIC_WORDS[t].some((w) => mentions(text, w))),
  );
  const loc = /(-?\d{1,2}\.\d{3,})\s*,\s*(-?\d{1,3}\.\d{3,})/.exec(text);
  const authorizations = unique(
    [...text.matchAll(/\bR32-[0-9A-Z]+(?:-[0-9A-Z]+)*\b/gi)].map((m) => m[0].toUpperCase()),
  );
  const operators = unique([...text.matchAll(/\bOP-\d+\b/gi)].map((m) => m[0].toUpperCase()));
  const leases = unique([...text.matchAll(/\bLSE-[0-9A-Z]+-\d+\b/gi)].map((m) => m[0].toUpperCase()));
  const named = wells.length + authorizations.length + operators.length + leases.length > 0 || loc !== null;
  const file = ['file', 'submit', 'apply for', 'send'].some((w) => mentions(text, w));
  const draft = ['draft', 'prepare', 'assemble', 'put together', 'write up'].some((w) => mentions(text, w));
  return {
    wells,
    authorizations,
    operators,
    leases,
    location: loc ? { latitude: Number(loc[1]), longitude: Number(loc[2]) } : undefined,
    topics,
    windowDays: windowOf(text),
    filing: file ? 'file' : draft ? 'draft' : null,
    aboutRules:
      !named && RULE_WORDS.some((w) => mentions(text, w)) && QUESTION_WORDS.some((w) => mentions(text, w)),
    raiseAlert: ['raise an alert', 'raise alert', 'escalate', 'alert the reviewer', 'open an alert'].some(
      (w) => mentions(text, w),
    ),
  };
}
