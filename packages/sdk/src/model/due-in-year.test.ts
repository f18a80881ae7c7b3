import { describe, expect, it } from 'vitest';
import { dueInYear } from './due-in-year.js';

describe('dueInYear', () => {
  it('keeps a one-off date and moves a yearly one into the year', () => {
    expect(dueInYear({ due: '2022-10-31', recurrence: null }, 2023)).toBe('2022-10-31');
    expect(dueInYear({ due: '2022-03-31', recurrence: 'yearly' }, 2023)).toBe('2023-03-31');
  });

  it('moves 02-29 to 02-28 in a common year', () => {
    expect(dueInYear({ due: '2024-02-29', recurrence: 'yearly' }, 2025)).toBe('2025-02-28');
    expect(dueInYear({ due: '2024-02-29', recurrence: 'yearly' }, 2028)).toBe('2028-02-29');
  });
});
