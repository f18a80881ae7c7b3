import { describe, expect, it } from 'vitest';
import { ZwgkError } from '../errors.js';
import { createCalendar } from '../calendar/calendar.js';
import { milestoneStatus } from './milestone-status.js';

describe('milestoneStatus', () => {
  it('is upcoming when the due date is more than 10 working days away', () => {
    expect(milestoneStatus({ due: '2022-12-30', asOf: '2022-11-21' })).toBe('upcoming');
  });

  it('is due_soon within 10 working days', () => {
    // 11-22..11-25 and 11-28..11-30: 7 working days.
    expect(milestoneStatus({ due: '2022-11-30', asOf: '2022-11-21' })).toBe('due_soon');
  });

  it('is due_soon, not overdue, on the due date itself', () => {
    expect(milestoneStatus({ due: '2022-11-30', asOf: '2022-11-30' })).toBe('due_soon');
    expect(milestoneStatus({ due: '2022-11-30', asOf: '2022-11-30T23:59:00+08:00' })).toBe('due_soon');
  });

  it('is overdue the day after an unconfirmed due date', () => {
    expect(milestoneStatus({ due: '2022-11-30', asOf: '2022-12-01' })).toBe('overdue');
    // 16:30Z on 11-30 is already 12-01 in Shanghai.
    expect(milestoneStatus({ due: '2022-11-30', asOf: new Date('2022-11-30T16:30:00Z') })).toBe('overdue');
  });

  it('is done when confirmed on or before the due date and done_late after it', () => {
    expect(milestoneStatus({ due: '2022-11-30', confirmedAt: '2022-11-20T10:00:00+08:00', asOf: '2022-12-05' })).toBe('done');
    expect(milestoneStatus({ due: '2022-11-30', confirmedAt: '2022-12-02T10:00:00+08:00', asOf: '2022-12-05' })).toBe(
      'done_late',
    );
  });

  it('judges lateness by the Shanghai date of the confirmation, not the UTC one', () => {
    expect(milestoneStatus({ due: '2022-11-30', confirmedAt: '2022-11-30T16:30:00Z', asOf: '2022-12-05' })).toBe(
      'done_late',
    );
    expect(milestoneStatus({ due: '2022-11-30', confirmedAt: '2022-11-30T15:59:59Z', asOf: '2022-12-05' })).toBe('done');
    expect(
      milestoneStatus({ due: '2022-11-30', confirmedAt: new Date('2022-11-30T16:30:00Z'), asOf: '2022-12-05' }),
    ).toBe('done_late');
  });

  it('reads a time without an offset on the Shanghai clock', () => {
    expect(milestoneStatus({ due: '2022-11-30', confirmedAt: '2022-11-30 23:00', asOf: '2022-12-05' })).toBe('done');
    expect(milestoneStatus({ due: '2022-11-30', confirmedAt: '2022-12-01T07:00', asOf: '2022-12-05' })).toBe('done_late');
    expect(milestoneStatus({ due: '2022-11-30', confirmedAt: '2022-11-30', asOf: '2022-12-05' })).toBe('done');
  });

  it('is exempt whatever else is recorded', () => {
    expect(milestoneStatus({ due: '2022-11-30', exempt: true, asOf: '2022-12-05' })).toBe('exempt');
    expect(
      milestoneStatus({ due: '2022-11-30', exempt: true, confirmedAt: '2022-11-20T10:00:00+08:00', asOf: '2022-12-05' }),
    ).toBe('exempt');
  });

  it('ignores a confirmation made after asOf', () => {
    const confirmedAt = '2022-11-25T10:00:00+08:00';
    expect(milestoneStatus({ due: '2022-11-30', confirmedAt, asOf: '2022-11-24' })).toBe('due_soon');
    expect(milestoneStatus({ due: '2022-11-30', confirmedAt, asOf: new Date('2022-11-25T09:00:00+08:00') })).toBe(
      'due_soon',
    );
    expect(milestoneStatus({ due: '2022-11-30', confirmedAt: '2022-12-06T10:00:00+08:00', asOf: '2022-12-05' })).toBe(
      'overdue',
    );
  });

  it('counts a confirmation at any time of a bare asOf date', () => {
    expect(milestoneStatus({ due: '2022-11-30', confirmedAt: '2022-11-25T22:00:00+08:00', asOf: '2022-11-25' })).toBe(
      'done',
    );
  });

  it('counts the due_soon horizon in working days across National Day', () => {
    // From Fri 09-23: 09-26..09-30 (5), make-up 10-08 and 10-09 (2), 10-10..10-12 (3) = 10 working days;
    // a Monday–Friday count would give 13 and call it upcoming.
    expect(milestoneStatus({ due: '2022-10-12', asOf: '2022-09-23' })).toBe('due_soon');
    expect(milestoneStatus({ due: '2022-10-13', asOf: '2022-09-23' })).toBe('upcoming');
    // From Wed 09-28: 09-29, 09-30, 10-08, 10-09, 10-10 = 5 working days, though 12 calendar days.
    expect(milestoneStatus({ due: '2022-10-10', asOf: '2022-09-28' })).toBe('due_soon');
    expect(milestoneStatus({ due: '2022-10-10', asOf: '2022-09-28', dueSoonDays: 5 })).toBe('due_soon');
    expect(milestoneStatus({ due: '2022-10-10', asOf: '2022-09-28', dueSoonDays: 4 })).toBe('upcoming');
  });

  it('uses the calendar it is given', () => {
    const calendar = createCalendar({ extraHolidays: ['2022-09-26'] });
    expect(milestoneStatus({ due: '2022-10-13', asOf: '2022-09-23', calendar })).toBe('due_soon');
  });

  it('with a zero horizon, is due_soon only on the due date (or when only days off remain)', () => {
    expect(milestoneStatus({ due: '2022-11-21', asOf: '2022-11-21', dueSoonDays: 0 })).toBe('due_soon');
    expect(milestoneStatus({ due: '2022-11-22', asOf: '2022-11-21', dueSoonDays: 0 })).toBe('upcoming');
    expect(milestoneStatus({ due: '2022-11-20', asOf: '2022-11-18', dueSoonDays: 0 })).toBe('due_soon'); // due on Sunday
  });

  it('throws a ZwgkError for malformed input', () => {
    expect(() => milestoneStatus({ due: '2022-11-31', asOf: '2022-11-21' })).toThrow(/due/);
    expect(() => milestoneStatus({ due: '2022-11-30', asOf: 'yesterday' })).toThrow(/asOf/);
    expect(() => milestoneStatus({ due: '2022-11-30', asOf: new Date(Number.NaN) })).toThrow(ZwgkError);
    expect(() => milestoneStatus({ due: '2022-11-30', asOf: '2022-11-21', confirmedAt: 'soon' })).toThrow(/confirmedAt/);
    expect(() => milestoneStatus({ due: '2022-11-30', asOf: '2022-11-21', confirmedAt: '2022-11-20T25:00' })).toThrow(
      ZwgkError,
    );
    expect(() => milestoneStatus({ due: '2022-11-30', asOf: '2022-11-21', dueSoonDays: -1 })).toThrow(/dueSoonDays/);
    expect(() => milestoneStatus({ due: '2022-11-30', asOf: '2022-11-21', dueSoonDays: 2.5 })).toThrow(ZwgkError);
    expect(() => milestoneStatus({ due: '2022-11-30', asOf: '2022-11-21', horizonDays: 3 } as never)).toThrow(
      'milestoneStatus: unknown option "horizonDays"; it is called dueSoonDays here',
    );
  });
});
