import { ZwgkError, checkOptionNames } from '../errors.js';
import { defaultCalendar, type WorkingCalendar } from '../calendar/calendar.js';
import type { Status } from '../model/schemas.js';
import { shanghaiDate } from '../time/shanghai.js';
import { asOfOf, instantOf, instantProblem, isBareDate } from '../time/instant.js';

/** Default horizon of `due_soon`, in working days. */
export const DEFAULT_DUE_SOON_DAYS = 10;

/** What {@link milestoneStatus} reads about one (unit, milestone) pair. */
export interface MilestoneStatusInput {
  /** Due date, `YYYY-MM-DD` (Asia/Shanghai), inclusive. */
  due: string;
  /**
   * When the unit confirmed the milestone: a `Date`, an ISO time (`2022-11-20T10:00:00+08:00`; without an
   * offset it is read on the Shanghai clock) or a bare date (00:00 Shanghai). A confirmation later than
   * `asOf` is ignored.
   */
  confirmedAt?: Date | string | undefined;
  /** True when the county office exempted the unit from this milestone. */
  exempt?: boolean | undefined;
  /**
   * The moment of the status: a `Date`, an ISO time, or a bare `YYYY-MM-DD` date that stands for the
   * whole Shanghai day (a confirmation at any time that day counts).
   */
  asOf: Date | string;
  /** `due_soon` horizon in working days (default {@link DEFAULT_DUE_SOON_DAYS} = 10). */
  dueSoonDays?: number | undefined;
  /** Working-day calendar (default: `createCalendar()`, the statutory calendar with no overrides). */
  calendar?: WorkingCalendar | undefined;
}

/** Validates a `due_soon` / horizon size: a whole number of working days, 0 or more. */
export function horizonOf(days: number | undefined, where: string): number {
  const n = days ?? DEFAULT_DUE_SOON_DAYS;
  if (!Number.isSafeInteger(n) || n < 0) {
    throw new ZwgkError('invalid_number', where, `expected a whole number of working days ≥ 0, got ${String(days)}`);
  }
  return n;
}

/** Validates a due date (a programmer error when malformed: plans are validated before use). */
export function dueOf(due: unknown, where: string): string {
  if (!isBareDate(due)) throw new ZwgkError('invalid_date', where, `expected a due date written YYYY-MM-DD, got ${JSON.stringify(due)}`);
  if (instantProblem(due)) throw new ZwgkError('invalid_date', where, `${JSON.stringify(due)} is not a real calendar date`);
  return due;
}

/**
 * The status of one (unit, milestone) pair as of a moment (docs/sdk.md), decided in this order:
 *
 * 1. `exempt` — exempted, whatever else is recorded;
 * 2. `done` — confirmed on or before the due date (the confirmation's Shanghai date), or `done_late` —
 *    confirmed after it; a confirmation later than `asOf` does not count yet;
 * 3. `overdue` — unconfirmed and the due date is before `asOf`'s Shanghai date;
 * 4. `due_soon` — unconfirmed and due within `dueSoonDays` working days (default 10) counted with the
 *    calendar from `asOf`'s date; a milestone due on the `asOf` date itself is `due_soon`, not overdue;
 * 5. `upcoming` — otherwise.
 *
 * Throws a {@link ZwgkError} for a malformed date (`invalid_date`) or horizon (`invalid_number`), or an
 * option it does not take (`unknown_option`).
 *
 * @example
 * milestoneStatus({ due: '2022-11-30', confirmedAt: '2022-11-30T16:30:00Z', asOf: '2022-12-05' }); // 'done_late' (12-01 in Shanghai)
 * milestoneStatus({ due: '2022-10-10', asOf: '2022-09-28' }); // 'due_soon' (5 working days: National Day)
 */
export function milestoneStatus(input: MilestoneStatusInput): Status {
  if (input === null || typeof input !== 'object') {
    throw new ZwgkError('invalid_option', 'milestoneStatus', `expected { due, asOf, confirmedAt?, exempt?, dueSoonDays?, calendar? }, received ${String(input)}`);
  }
  checkOptionNames(input, ['due', 'confirmedAt', 'exempt', 'asOf', 'dueSoonDays', 'calendar'], 'milestoneStatus', { horizonDays: 'dueSoonDays' });
  const due = dueOf(input.due, 'milestoneStatus (due)');
  const asOf = asOfOf(input.asOf, 'milestoneStatus (asOf)');
  const horizon = horizonOf(input.dueSoonDays, 'milestoneStatus (dueSoonDays)');
  const confirmed =
    input.confirmedAt === undefined ? undefined : instantOf(input.confirmedAt, 'milestoneStatus (confirmedAt)');
  return decide(due, asOf, confirmed, input.exempt === true, horizon, input.calendar ?? defaultCalendar());
}

/** {@link milestoneStatus} on already-validated values; `confirmed` is an instant in milliseconds. */
export function decide(
  due: string,
  asOf: { date: string; cutoff: number },
  confirmed: number | undefined,
  exempt: boolean,
  horizon: number,
  calendar: WorkingCalendar,
): Status {
  if (exempt) return 'exempt';
  if (confirmed !== undefined && confirmed <= asOf.cutoff) return shanghaiDate(confirmed) <= due ? 'done' : 'done_late';
  if (due < asOf.date) return 'overdue';
  return calendar.workingDaysBetween(asOf.date, due) <= horizon ? 'due_soon' : 'upcoming';
}
