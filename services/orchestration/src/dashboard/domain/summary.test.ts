import { deadlineCounts, periodCounts, summaryCards } from './summary';
import type { AnomalyView, Bucket, DeadlineView } from './types';

const d = (bucket: Bucket) => ({ bucket }) as DeadlineView;
const a = (period: string, well_id = 'W1') => ({ period, well_id }) as AnomalyView;

describe('deadlineCounts / periodCounts', () => {
  it('counts by bucket, leaving out deadlines beyond 30 days', () => {
    expect(deadlineCounts([d('overdue'), d('overdue'), d('due_7d'), d('due_30d'), d('upcoming')])).toEqual({
      overdue: 2,
      due_7d: 1,
      due_30d: 1,
    });
  });

  it('counts the anomalies of the months ending in the period only', () => {
    const p = { from: '2026-05-22', to: '2026-06-20' };
    expect(periodCounts([], [a('2026-04'), a('2026-05'), a('2026-05'), a('2026-06')], p).anomalies).toBe(2);
  });
});

describe('summaryCards', () => {
  it('gives count, previous, delta and a subtext naming the change, for the four cards in order', () => {
    const cards = summaryCards(
      { overdue: 3, due_7d: 1, due_30d: 0, anomalies: 2 },
      { overdue: 1, due_7d: 1, due_30d: 2, anomalies: 0 },
      {
        previousEnd: '2026-05-21',
        soonest: { overdue: '2026-05-17', due_7d: '2026-06-25' },
        anomalyWells: 1,
      },
    );
    expect(cards.map((c) => [c.key, c.count, c.previous, c.delta])).toEqual([
      ['overdue', 3, 1, 2],
      ['due_7d', 1, 1, 0],
      ['due_30d', 0, 2, -2],
      ['anomalies', 2, 0, 2],
    ]);
    expect(cards[0].subtext).toBe('3 deadlines past due, the oldest due 2026-05-17; +2 since 2026-05-21');
    expect(cards[1].subtext).toBe(
      '1 deadline in 0–7 days (critical), next 2026-06-25; no change since 2026-05-21',
    );
    expect(cards[2].subtext).toBe('nothing due in 8–30 days; −2 since 2026-05-21');
    expect(cards[3].subtext).toBe('2 production anomalies on 1 well; +2 since 2026-05-21');
  });
});
