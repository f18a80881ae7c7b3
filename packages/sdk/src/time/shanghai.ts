import { ZwgkError } from '../errors.js';

/** Asia/Shanghai is UTC+8 all year (no daylight saving since 1991), so a fixed offset is exact for plan years. */
const SHANGHAI_OFFSET_MS = 8 * 60 * 60 * 1000;

/**
 * The Asia/Shanghai calendar date (`YYYY-MM-DD`) of an instant.
 *
 * @example
 * shanghaiDate(new Date('2022-11-30T16:30:00Z')); // '2022-12-01'
 */
export function shanghaiDate(instant: Date | string | number): string {
  const ms = instant instanceof Date ? instant.getTime() : new Date(instant).getTime();
  if (Number.isNaN(ms)) throw new ZwgkError('invalid_date', 'shanghaiDate', `not a valid instant: ${String(instant)}`);
  return new Date(ms + SHANGHAI_OFFSET_MS).toISOString().slice(0, 10);
}

/**
 * The instant at which a Shanghai wall-clock time occurs.
 *
 * @example
 * shanghaiInstant('2022-11-21', '09:00'); // 2022-11-21T01:00:00.000Z
 */
export function shanghaiInstant(date: string, time = '00:00'): Date {
  const at = new Date(`${date}T${time.length === 5 ? `${time}:00` : time}+08:00`);
  if (Number.isNaN(at.getTime())) throw new ZwgkError('invalid_date', 'shanghaiInstant', `not a valid date/time: ${date} ${time}`);
  return at;
}

/** Adds whole calendar days to a `YYYY-MM-DD` date. */
export function addDays(date: string, days: number): string {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  return new Date(Date.UTC(y, m - 1, d + days)).toISOString().slice(0, 10);
}

/** The last day of a month (1-12) of a year, `YYYY-MM-DD`. */
export function endOfMonth(year: number, month: number): string {
  return new Date(Date.UTC(year, month, 0)).toISOString().slice(0, 10);
}
