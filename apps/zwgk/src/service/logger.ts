import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { pino } from 'pino';
import type { Logger } from '@zwgk/bot';
import type { Config } from '../config.js';

/**
 * JSON logs at the configured level: on stderr (stdout stays for what a person reads), or in `file` with
 * errors also on stderr. Every line is written synchronously, so a line the bot logged (a confirmation
 * "recorded", a digest "sent") is on disk or in the pipe before the next statement runs, and `kill -9`
 * loses none of them; the database's audit log stays the record of what happened.
 */
export function createLogger(config: Pick<Config, 'logLevel'>, options: { file?: string } = {}): Logger {
  const base = { level: config.logLevel, base: { app: 'zwgk' } };
  const stderr = pino.destination({ dest: 2, sync: true });
  if (!options.file || config.logLevel === 'silent') return pino(base, stderr);
  mkdirSync(dirname(options.file), { recursive: true });
  const file = pino.destination({ dest: options.file, sync: true, append: true });
  return pino(base, pino.multistream([{ level: config.logLevel, stream: file }, { level: 'error', stream: stderr }]));
}
