import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { shanghaiDate } from '@zwgk/sdk';

/** The file beside a database that runs on a simulated clock (the sandbox's, the terminal's). */
export const SIMULATED_CLOCK_FILE = 'simulated-clock.json';

/** Where a simulated database's clock stood when last written: the instant and its Shanghai date. */
export interface SimulatedMoment {
  at: Date;
  date: string;
}

/**
 * Records the simulated clock's moment beside the database in `dataDir`, so that commands reading that
 * database later (report, export, digest --dry-run) look from the same day as the bot did.
 */
export function writeSimulatedMoment(dataDir: string, at: Date): void {
  mkdirSync(dataDir, { recursive: true });
  const file = join(dataDir, SIMULATED_CLOCK_FILE);
  const body = `${JSON.stringify({ at: at.toISOString(), date: shanghaiDate(at) }, null, 2)}\n`;
  writeFileSync(`${file}.tmp`, body);
  renameSync(`${file}.tmp`, file);
}

/** The simulated moment of the database in `dataDir`, or undefined for a database on the real clock. */
export function readSimulatedMoment(dataDir: string): SimulatedMoment | undefined {
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(join(dataDir, SIMULATED_CLOCK_FILE), 'utf8'));
  } catch {
    return undefined;
  }
  const iso = (parsed as { at?: unknown } | null)?.at;
  if (typeof iso !== 'string') return undefined;
  const at = new Date(iso);
  return Number.isNaN(at.getTime()) ? undefined : { at, date: shanghaiDate(at) };
}
