import { mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { Kysely, SqliteDialect } from 'kysely';
import { migrateToLatest, type SqlDialect } from './migrations.js';
import type { Database } from './schema.js';
import { Store } from './store.js';

/** Where the SQLite database lives unless told otherwise, relative to the working directory. */
export const DEFAULT_DATABASE_FILE = './data/zwgk.sqlite';

/** Options of {@link openStore}. */
export interface OpenStoreOptions {
  /**
   * SQLite file (default {@link DEFAULT_DATABASE_FILE}, resolved against the working directory; its
   * directory is created), or `':memory:'` for a throw-away database.
   */
  filename?: string;
  /** Apply pending migrations (default true). */
  migrate?: boolean;
  /** How long a write waits for another process's lock, in ms (default 5000). */
  busyTimeoutMs?: number;
}

/**
 * Opens the bot's SQLite database through Kysely and brings its schema up to date: WAL journal
 * (`:memory:` keeps its in-memory journal), `synchronous = FULL` so a committed confirmation survives a
 * power cut, foreign keys on, and a busy timeout for a second process (the CLI next to `zwgk start`).
 *
 * Throws when the file cannot be opened or a migration fails: both are operator problems to show as is.
 *
 * @example
 * const store = await openStore({ filename: './data/zwgk.sqlite' });
 * await store.addAdmin({ platform: 'dingtalk', userId: 'manager01', name: '王主任' }, { actor: { platform: 'cli', id: 'ops', channel: 'cli' } });
 * await store.close();
 *
 * const scratch = await openStore({ filename: ':memory:' }); // tests
 */
export async function openStore(options: OpenStoreOptions = {}): Promise<Store> {
  const filename = options.filename ?? DEFAULT_DATABASE_FILE;
  const memory = filename === ':memory:' || filename === '';
  const path = memory ? ':memory:' : resolve(filename);
  if (!memory) mkdirSync(dirname(path), { recursive: true });
  const sqlite = new BetterSqlite3(path, { timeout: options.busyTimeoutMs ?? 5000 });
  try {
    if (!memory) sqlite.pragma('journal_mode = WAL');
    sqlite.pragma('synchronous = FULL');
    sqlite.pragma('foreign_keys = ON');
  } catch (error) {
    sqlite.close();
    throw error;
  }
  const db = new Kysely<Database>({ dialect: new SqliteDialect({ database: sqlite }) });
  if (options.migrate !== false) {
    try {
      await migrateToLatest(db, 'sqlite');
    } catch (error) {
      await db.destroy();
      throw error;
    }
  }
  return new Store(db, 'sqlite');
}

/**
 * Wraps an existing Kysely instance (e.g. a `PostgresDialect` one) as a store, migrating it unless told
 * not to.
 *
 * @example
 * const store = await createStore(new Kysely<Database>({ dialect: new PostgresDialect({ pool }) }), { dialect: 'postgres' });
 */
export async function createStore(db: Kysely<Database>, options: { dialect: SqlDialect; migrate?: boolean }): Promise<Store> {
  if (options.migrate !== false) await migrateToLatest(db, options.dialect);
  return new Store(db, options.dialect);
}
