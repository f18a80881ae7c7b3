import { addDays, shanghaiDate, shanghaiInstant, type WorkingCalendar } from '@zwgk/sdk';

/** When the weekly digest goes out (Asia/Shanghai). */
export interface DigestSchedule {
  /**
   * `'first-working-day'` (default): the first working day of the ISO week by the statutory calendar with
   * 调休 (no digest in a week with no working day); or an ISO weekday, 1 = Monday … 7 = Sunday.
   */
  day: 'first-working-day' | number;
  /** Wall-clock time `HH:mm` (default `09:00`). */
  time: string;
}

/** The default schedule: the first working day of each week at 09:00. */
export const DEFAULT_DIGEST_SCHEDULE: DigestSchedule = { day: 'first-working-day', time: '09:00' };

/** Checks a schedule; a RangeError names the bad field (configuration is validated at start-up). */
export function checkSchedule(schedule: DigestSchedule): DigestSchedule {
  if (!/^([01]\d|2[0-3]):[0-5]\d$/u.test(schedule.time)) throw new RangeError(`digest time: expected HH:mm (00:00–23:59), got ${JSON.stringify(schedule.time)}`);
  if (schedule.day !== 'first-working-day' && !(Number.isInteger(schedule.day) && schedule.day >= 1 && schedule.day <= 7)) {
    throw new RangeError(`digest day: expected 'first-working-day' or an ISO weekday 1–7, got ${JSON.stringify(schedule.day)}`);
  }
  return schedule;
}

function mondayOf(date: string): string {
  const weekday = ((new Date(`${date}T00:00:00Z`).getUTCDay() + 6) % 7) + 1;
  return addDays(date, 1 - weekday);
}

/** The digest of the ISO week holding `date`: its week id and send time, or null when the week has none. */
export function weekDigestTime(date: string, schedule: DigestSchedule, calendar: WorkingCalendar): { week: string; sendAt: Date } | null {
  const day = schedule.day === 'first-working-day' ? calendar.firstWorkingDayOfWeek(date) : addDays(mondayOf(date), schedule.day - 1);
  if (day === null) return null;
  return { week: calendar.weekKey(date), sendAt: shanghaiInstant(day, schedule.time) };
}

/**
 * The week whose digest is due at `now`: the current ISO week once its send time has passed (so a digest
 * missed while the bot was down goes out on start-up, any day of that week), else null.
 */
export function dueDigestWeek(now: Date, schedule: DigestSchedule, calendar: WorkingCalendar): { week: string; sendAt: Date } | null {
  const slot = weekDigestTime(shanghaiDate(now), schedule, calendar);
  return slot !== null && now.getTime() >= slot.sendAt.getTime() ? slot : null;
}

/** The next send time strictly after `now` (looking up to a year ahead), or null. */
export function nextDigestTime(now: Date, schedule: DigestSchedule, calendar: WorkingCalendar): Date | null {
  let date = shanghaiDate(now);
  for (let i = 0; i < 54; i++) {
    const slot = weekDigestTime(date, schedule, calendar);
    if (slot !== null && slot.sendAt.getTime() > now.getTime()) return slot.sendAt;
    date = addDays(mondayOf(date), 7);
  }
  return null;
}
