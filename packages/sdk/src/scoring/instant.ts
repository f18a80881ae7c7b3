import { shanghaiDate } from '../time/shanghai.js';

const INSTANT = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?)?$/;

/** Why an instant written in records is not a real time, or `null` when it is one. */
export function instantProblem(text: string): string | null {
  const m = INSTANT.exec(text);
  if (!m) return 'expected a time such as 2022-11-20T10:00:00+08:00';
  const [, y, mo, d, h = '00', mi = '00', s = '00', offset] = m;
  const date = new Date(Date.UTC(Number(y), Number(mo) - 1, Number(d)));
  if (date.getUTCFullYear() !== Number(y) || date.getUTCMonth() !== Number(mo) - 1 || date.getUTCDate() !== Number(d)) {
    return `${y}-${mo}-${d} is not a real calendar date`;
  }
  if (Number(h) > 23 || Number(mi) > 59 || Number(s) > 59) return `${h}:${mi}:${s} is not a real time of day`;
  if (offset && offset !== 'Z' && Number(offset.slice(1, 3)) > 14) return `${offset} is not a real UTC offset`;
  return null;
}

/**
 * Writes an instant from records in a form `Date` reads the same everywhere: a bare date is 00:00
 * Shanghai, and a time without an offset is Shanghai wall-clock time (never the machine's zone).
 */
function normalize(text: string): string {
  const t = text.length > 10 ? text.replace(' ', 'T') : `${text}T00:00:00`;
  if (/(?:Z|[+-]\d{2}:?\d{2})$/.test(t)) return t.replace(/([+-]\d{2})(\d{2})$/, '$1:$2');
  return `${t}+08:00`;
}

/** Milliseconds since the epoch of an instant written in records (see {@link instantProblem}); NaN when unreadable. */
export function instantMs(text: string): number {
  return Date.parse(normalize(text));
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
