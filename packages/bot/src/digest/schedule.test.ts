import { createCalendar } from '@zwgk/sdk';
import { describe, expect, it } from 'vitest';
import { DEFAULT_DIGEST_SCHEDULE, checkSchedule, dueDigestWeek, nextDigestTime, weekDigestTime } from './schedule.js';

const calendar = createCalendar();
const at = (shanghai: string) => new Date(`${shanghai.replace(' ', 'T')}:00+08:00`);

describe('weekDigestTime', () => {
  it('is the first working day of the ISO week at 09:00 Shanghai by default', () => {
    expect(weekDigestTime('2022-11-24', DEFAULT_DIGEST_SCHEDULE, calendar)).toEqual({ week: '2022-W47', sendAt: at('2022-11-21 09:00') });
  });

  it('moves to the make-up Saturday of the National Day week (调休)', () => {
    expect(weekDigestTime('2022-10-03', DEFAULT_DIGEST_SCHEDULE, calendar)?.sendAt).toEqual(at('2022-10-08 09:00'));
  });

  it('skips a week with no working day (Spring Festival 2022)', () => {
    expect(weekDigestTime('2022-02-02', DEFAULT_DIGEST_SCHEDULE, calendar)).toBeNull();
  });

  it('honours a fixed weekday and time', () => {
    expect(weekDigestTime('2022-11-21', { day: 3, time: '14:30' }, calendar)?.sendAt).toEqual(at('2022-11-23 14:30'));
  });
});

describe('dueDigestWeek', () => {
  it('is null before the send time and the week afterwards, any day of that week', () => {
    expect(dueDigestWeek(at('2022-11-21 08:59'), DEFAULT_DIGEST_SCHEDULE, calendar)).toBeNull();
    expect(dueDigestWeek(at('2022-11-21 09:00'), DEFAULT_DIGEST_SCHEDULE, calendar)?.week).toBe('2022-W47');
    expect(dueDigestWeek(at('2022-11-27 23:59'), DEFAULT_DIGEST_SCHEDULE, calendar)?.week).toBe('2022-W47');
  });
});

describe('nextDigestTime', () => {
  it('is this week’s send time before it, next week’s after it', () => {
    expect(nextDigestTime(at('2022-11-21 08:00'), DEFAULT_DIGEST_SCHEDULE, calendar)).toEqual(at('2022-11-21 09:00'));
    expect(nextDigestTime(at('2022-11-21 09:00'), DEFAULT_DIGEST_SCHEDULE, calendar)).toEqual(at('2022-11-28 09:00'));
    expect(nextDigestTime(at('2022-09-30 12:00'), DEFAULT_DIGEST_SCHEDULE, calendar)).toEqual(at('2022-10-08 09:00'));
  });
});

describe('checkSchedule', () => {
  it('names a bad time or day', () => {
    expect(() => checkSchedule({ day: 'first-working-day', time: '9:00' })).toThrow(/HH:mm/);
    expect(() => checkSchedule({ day: 8, time: '09:00' })).toThrow(/weekday 1–7/);
  });
});
