import { parseArgs, type ParseArgsConfig } from 'node:util';
import { UsageError } from './io.js';

type Options = NonNullable<ParseArgsConfig['options']>;

/** `util.parseArgs` with its errors turned into a usage message instead of a stack trace. */
export function parseCommandArgs<O extends Options>(args: string[], options: O, usage: string) {
  try {
    return parseArgs({ args, options, allowPositionals: true, strict: true });
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new UsageError(`${reason}\n\n${usage}`);
  }
}

/** Reads `--as-of` (YYYY-MM-DD) or fails with a usage error. */
export function parseDateOption(value: string | undefined, name: string): string | undefined {
  if (value === undefined) return undefined;
  if (!/^\d{4}-\d{2}-\d{2}$/.test(value)) throw new UsageError(`${name} expects a date written YYYY-MM-DD, got "${value}"`);
  const [y, m, d] = value.split('-').map(Number);
  if (new Date(Date.UTC(y!, m! - 1, d!)).toISOString().slice(0, 10) !== value) {
    throw new UsageError(`${name}: ${value} is not a real calendar date`);
  }
  return value;
}

/** Reads a whole-number option or fails with a usage error. */
export function parseIntOption(value: string | undefined, name: string): number | undefined {
  if (value === undefined) return undefined;
  if (!/^\d+$/.test(value)) throw new UsageError(`${name} expects a whole number, got "${value}"`);
  return Number(value);
}
