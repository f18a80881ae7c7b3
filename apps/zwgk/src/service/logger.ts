import { pino } from 'pino';
import type { Logger } from '@zwgk/bot';
import type { Config } from '../config.js';

/** JSON logs on stderr at the configured level; stdout stays for what a person reads. */
export function createLogger(config: Config): Logger {
  return pino({ level: config.logLevel, base: { app: 'zwgk' } }, pino.destination(2));
}
