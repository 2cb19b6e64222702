/** A fixed corpus of episode summaries for the ranking tests, with the document each query is about. */
export const CORPUS = [
  {
    key: 'r32',
    summary:
      'Reviewed the Rule 32 flaring authorisation for well 42-317-30001; the exception expires at the end of next month.',
    agent_id: 'flaring-agent',
  },
  {
    key: 'w1',
    summary: 'Drafted the W-1 drilling permit application for a new horizontal well in Midland county.',
    agent_id: 'permit-agent',
  },
  {
    key: 'pr',
    summary: 'Calculated monthly production for the Spraberry lease and filed the PR report on time.',
    agent_id: 'production-agent',
  },
  {
    key: 'spacing',
    summary: 'Checked the spacing of the proposed wellbore against the field rules and the lease lines.',
    agent_id: 'permit-agent',
  },
  {
    key: 'emissions',
    summary: 'Estimated emissions from a flare stack during a compressor outage at the gas plant.',
    agent_id: 'flaring-agent',
  },
  {
    key: 'office',
    summary: 'Answered a question about the office hours of the district staff.',
    agent_id: 'helper',
  },
] as const;

export type CorpusKey = (typeof CORPUS)[number]['key'];

/** Queries and the document that must come first for each (full text). */
export const QUERIES: readonly { query: string; first: CorpusKey }[] = [
  { query: 'When does the flaring authorisation expire?', first: 'r32' },
  { query: 'drilling permit for a horizontal well', first: 'w1' },
  { query: 'monthly production report', first: 'pr' },
  { query: 'wellbore spacing rules', first: 'spacing' },
];
