import { ZwgkError } from '../errors.js';
import { shanghaiDate } from './shanghai.js';

const DAY_MS = 86_400_000;
const SHANGHAI_OFFSET_MS = 8 * 60 * 60 * 1000;
const INSTANT = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?)?$/;

type Reading = { ms: number; problem?: undefined } | { ms?: undefined; problem: string };

/** Reads an instant written in records or options; a time without an offset is on the Shanghai wall clock. */
function read(text: string): Reading {
  const m = INSTANT.exec(text);
  if (!m) return { problem: 'expected a time such as 2022-11-20T10:00:00+08:00' };
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const day = Date.UTC(y, mo - 1, d);
  const back = new Date(day);
  if (back.getUTCFullYear() !== y || back.getUTCMonth() !== mo - 1 || back.getUTCDate() !== d) {
    return { problem: `${m[1]}-${m[2]}-${m[3]} is not a real calendar date` };
  }
  const [h, min, s] = [Number(m[4] ?? 0), Number(m[5] ?? 0), Number(m[6] ?? 0)];
  if (h > 23 || min > 59 || s > 59) return { problem: `${m[4]}:${m[5]}:${m[6] ?? '00'} is not a real time of day` };
  const wallClock = day + ((h * 60 + min) * 60 + s) * 1000 + Math.round(Number(m[7] ?? 0) * 1000);
  const zone = m[8];
  if (zone === undefined) return { ms: wallClock - SHANGHAI_OFFSET_MS };
  if (zone === 'Z') return { ms: wallClock };
  const digits = zone.slice(1).replace(':', '');
  if (Number(digits.slice(0, 2)) > 14) return { problem: `${zone} is not a real UTC offset` };
  const sign = zone.startsWith('-') ? -1 : 1;
  return { ms: wallClock - sign * (Number(digits.slice(0, 2)) * 60 + Number(digits.slice(2))) * 60_000 };
}

/** Why an instant written in records is not a real time, or `null` when it is one. */
export function instantProblem(text: string): string | null {
  return read(text).problem ?? null;
}

/** Milliseconds since the epoch of an instant written in records; NaN when unreadable. */
export function instantMs(text: string): number {
  return read(text).ms ?? Number.NaN;
}

/**
 * The Shanghai calendar date of an instant written in records. Hot path of the scoring: times written
 * in Shanghai time (or without an offset, which means Shanghai) are read without building a Date.
 */
export function instantDate(text: string): string {
  if (text.length === 10 || text.endsWith('+08:00') || text.endsWith('+0800') || !/(?:Z|[+-]\d{2}:?\d{2})$/.test(text)) {
    return text.slice(0, 10);
  }
  return shanghaiDate(instantMs(text));
}

/** The moment a time, date or `Date` stands for; a ZwgkError (`invalid_date`) naming `where` when it is none. */
export function instantOf(value: Date | string, where: string): number {
  if (value instanceof Date) {
    const ms = value.getTime();
    if (Number.isNaN(ms)) throw new ZwgkError('invalid_date', where, 'invalid Date');
    return ms;
  }
  const reading = typeof value === 'string' ? read(value) : undefined;
  if (reading?.ms !== undefined) return reading.ms;
  throw new ZwgkError(
    'invalid_date',
    where,
    `expected a Date, a YYYY-MM-DD date or a time such as 2022-11-20T10:00:00+08:00, got ${JSON.stringify(value)}`,
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
