import { shanghaiDate } from '../time/shanghai.js';

const DAY_MS = 86_400_000;
const SHANGHAI_OFFSET_MS = 8 * 60 * 60 * 1000;
const INSTANT = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?)?$/;

/** The moment a time, date or `Date` stands for; a RangeError naming `where` when it is none. */
export function instantOf(value: Date | string, where: string): number {
  if (value instanceof Date) {
    const ms = value.getTime();
    if (Number.isNaN(ms)) throw new RangeError(`${where}: invalid Date`);
    return ms;
  }
  const m = typeof value === 'string' ? INSTANT.exec(value) : null;
  if (m) {
    const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
    const day = Date.UTC(y, mo - 1, d);
    const back = new Date(day);
    const [h, min, s] = [Number(m[4] ?? 0), Number(m[5] ?? 0), Number(m[6] ?? 0)];
    const realDate = back.getUTCFullYear() === y && back.getUTCMonth() === mo - 1 && back.getUTCDate() === d;
    if (realDate && h <= 23 && min <= 59 && s <= 59) {
      const wallClock = day + ((h * 60 + min) * 60 + s) * 1000 + Math.round(Number(m[7] ?? 0) * 1000);
      // Without an offset (a bare date included) the time is read on the Shanghai wall clock.
      const zone = m[8];
      if (zone === undefined) return wallClock - SHANGHAI_OFFSET_MS;
      if (zone === 'Z') return wallClock;
      const sign = zone.startsWith('-') ? -1 : 1;
      const digits = zone.slice(1).replace(':', '');
      const offset = sign * (Number(digits.slice(0, 2)) * 60 + Number(digits.slice(2))) * 60_000;
      return wallClock - offset;
    }
  }
  throw new RangeError(
    `${where}: expected a Date, a YYYY-MM-DD date or a time such as 2022-11-20T10:00:00+08:00, got ${JSON.stringify(value)}`,
  );
}

/** Whether a string is a bare `YYYY-MM-DD` date. */
export function isBareDate(value: unknown): value is string {
  return typeof value === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(value);
}

/**
 * Reads an "as of" argument: its Shanghai date, and the last moment that still counts. A bare date
 * covers its whole Shanghai day; an instant counts up to itself.
 */
export function asOfOf(value: Date | string, where: string): { date: string; cutoff: number } {
  const ms = instantOf(value, where);
  if (isBareDate(value)) return { date: value, cutoff: ms + DAY_MS - 1 };
  return { date: shanghaiDate(ms), cutoff: ms };
}

/** An instant written on the Shanghai clock, e.g. `2022-12-01T00:30:00+08:00`. */
export function shanghaiIso(ms: number): string {
  return `${new Date(ms + SHANGHAI_OFFSET_MS).toISOString().slice(0, 19)}+08:00`;
}
