import { parseArgs, type ParseArgsConfig } from 'node:util';
import { UsageError } from './io.js';
import { closest } from './suggest.js';

type Options = NonNullable<ParseArgsConfig['options']>;

/**
 * `util.parseArgs` with its errors turned into a usage message instead of a stack trace: an unknown
 * option gets the closest known one (`--asof` → `--as-of`), and a negative number after an option that
 * takes a value is read as that value (so `--horizon -3` is refused for what it is, not as "ambiguous").
 */
export function parseCommandArgs<O extends Options>(args: string[], options: O, usage: string) {
  const joined: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    const name = /^--([^=]+)$/.exec(arg)?.[1];
    const next = args[i + 1];
    if (name && options[name]?.type === 'string' && next !== undefined && /^-\d/.test(next)) {
      joined.push(`${arg}=${next}`);
      i++;
    } else joined.push(arg);
  }
  try {
    return parseArgs({ args: joined, options, allowPositionals: true, strict: true });
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const unknown = /Unknown option '(-{1,2})([^']+)'/.exec(error instanceof Error ? error.message : '');
    if (code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION' && unknown) {
      const near = closest(unknown[2]!, Object.keys(options));
      throw new UsageError(`unknown option ${unknown[1]}${unknown[2]}${near ? ` — did you mean --${near}?` : ''}\n\n${usage}`);
    }
    const reason = error instanceof Error ? error.message : String(error);
    throw new UsageError(`${reason}\n\n${usage}`);
  }
}

/** Whether `value` is a real calendar date written YYYY-MM-DD (2022-02-30 is not). */
export function isCalendarDate(value: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(value)) return false;
  const [y, m, d] = value.split('-').map(Number);
  return new Date(Date.UTC(y!, m! - 1, d!)).toISOString().slice(0, 10) === value;
}

/** Reads `--as-of` (YYYY-MM-DD) or fails with a usage error. */
export function parseDateOption(value: string | undefined, name: string): string | undefined {
  if (value === undefined) return undefined;
  if (!/^\d{4}-\d{2}-\d{2}$/.test(value)) throw new UsageError(`${name} expects a date written YYYY-MM-DD, got "${value}"`);
  if (!isCalendarDate(value)) throw new UsageError(`${name}: ${value} is not a real calendar date`);
  return value;
}

/** Reads a whole-number option within `[min, max]` or fails with a usage error. */
export function parseIntOption(value: string | undefined, name: string, range: { min?: number; max?: number } = {}): number | undefined {
  if (value === undefined) return undefined;
  const { min = 0, max = Number.MAX_SAFE_INTEGER } = range;
  const bounds = max === Number.MAX_SAFE_INTEGER ? `${min} or more` : `${min}–${max}`;
  if (!/^-?\d+$/.test(value)) throw new UsageError(`${name} expects a whole number (${bounds}), got "${value}"`);
  const n = Number(value);
  if (n < min || n > max) throw new UsageError(`${name} expects a whole number ${bounds}, got ${value}`);
  return n;
}
