import { join, resolve } from 'node:path';
import type { OpenStoreOptions } from '@zwgk/bot';
import type { Config } from '../config.js';

// Where the configured store lives, without loading the bot: commands that only read the plan (zwgk plan,
// zwgk deadlines) ask where the records are and must stay light.

/** The SQLite file under the configured data directory. */
export function databaseFile(config: Config, cwd: string): string {
  return join(resolve(cwd, config.dataDir), 'zwgk.sqlite');
}

/**
 * How to open the configured store: the PostgreSQL server of `database.url` when set, else the SQLite
 * file under the data directory.
 */
export function storeOptions(config: Config, cwd: string): OpenStoreOptions {
  return config.database.url !== undefined ? { url: config.database.url, poolSize: config.database.poolSize } : { filename: databaseFile(config, cwd) };
}

/** Where the configured store lives, for messages: the SQLite file, or the PostgreSQL url without its password. */
export function storeLocation(config: Config, cwd: string): string {
  // The same redaction as @zwgk/bot's redactUrl, here so that this module loads nothing.
  return config.database.url !== undefined ? config.database.url.replace(/^([a-z][a-z0-9+.-]*:\/\/[^:/@]*:)[^@]*@/i, '$1***@') : databaseFile(config, cwd);
}
