import type { Milestone } from './schemas.js';

/**
 * The date a milestone falls due in a given year: its own date for a one-off milestone, and its month
 * and day in `year` for a yearly one (02-29 becomes 02-28 in a common year).
 *
 * @example
 * dueInYear({ due: '2022-03-31', recurrence: 'yearly' }, 2023); // '2023-03-31'
 * dueInYear({ due: '2022-10-31', recurrence: null }, 2023);     // '2022-10-31'
 */
export function dueInYear(milestone: Pick<Milestone, 'due' | 'recurrence'>, year: number): string {
  if (milestone.recurrence !== 'yearly') return milestone.due;
  const monthDay = milestone.due.slice(5);
  const leap = (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
  return `${year}-${monthDay === '02-29' && !leap ? '02-28' : monthDay}`;
}
