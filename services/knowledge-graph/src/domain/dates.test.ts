import { addDays, daysBetween, deadlineLevel, isoDate } from './dates';

describe('calendar dates', () => {
  it('adds days across month and year ends', () => {
    expect(addDays('2024-12-30', 3)).toBe('2025-01-02');
    expect(addDays('2024-03-01', -1)).toBe('2024-02-29');
  });

  it('counts days between dates, negative when earlier', () => {
    expect(daysBetween('2024-01-01', '2024-03-01')).toBe(60);
    expect(daysBetween('2024-03-01', '2024-01-01')).toBe(-60);
    expect(daysBetween('2024-01-01', '2024-01-01T23:00:00Z')).toBe(0);
  });

  it('formats epoch milliseconds as a UTC date', () => {
    expect(isoDate(Date.UTC(2025, 0, 31, 23, 59))).toBe('2025-01-31');
  });
});

describe('deadlineLevel', () => {
  it('maps overdue and 7 days to CRITICAL, 30 days to WARNING, later to INFO', () => {
    expect(deadlineLevel(-3)).toBe('CRITICAL');
    expect(deadlineLevel(7)).toBe('CRITICAL');
    expect(deadlineLevel(8)).toBe('WARNING');
    expect(deadlineLevel(30)).toBe('WARNING');
    expect(deadlineLevel(31)).toBe('INFO');
  });
});
