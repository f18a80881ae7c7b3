import { closeSync, existsSync, mkdirSync, openSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { CamelCasePlugin, Kysely } from 'kysely';
import { migrateToLatest } from './migrations/index.js';
import type { SqlDialect } from './migrations/columns.js';
import type { Database } from './schema.js';
import { ImmediateSqliteDialect } from './sqlite.js';
import { Store } from './store.js';

/** Where the SQLite database lives unless told otherwise, relative to the working directory. */
export const DEFAULT_DATABASE_FILE = './data/zwgk.sqlite';

/** How long a write waits for another process's lock before failing as busy, in ms, unless told otherwise. */
export const DEFAULT_BUSY_TIMEOUT_MS = 5000;

/** Options of {@link openStore}. */
export interface OpenStoreOptions {
  /**
   * A PostgreSQL connection string (`postgres://user:password@host:port/database`): the store runs on
   * that server instead of a SQLite file (`filename` and `busyTimeoutMs` are then ignored). Several
   * `zwgk start` processes may share one. See {@link openPostgresStore}.
   */
  url?: string;
  /** With `url`: most connections open at once (default 10). */
  poolSize?: number;
  /**
   * SQLite file (default {@link DEFAULT_DATABASE_FILE}, resolved against the working directory), or
   * `':memory:'` for a throw-away database. A missing file is created readable by its owner only (0600),
   * and missing folders on its path owner-only too (0700).
   */
  filename?: string;
  /** Apply pending migrations (default true). */
  migrate?: boolean;
  /**
   * How long a write waits for another process's lock (the CLI next to `zwgk start`), in ms (default
   * {@link DEFAULT_BUSY_TIMEOUT_MS}). Past it the write fails with a retryable `StoreError`.
   */
  busyTimeoutMs?: number;
  /**
   * With `url`: the PostgreSQL schema of the store's tables (default the server's, `public`); created when
   * missing. Tenants' stores use `tenant_<id>` (see `TenantRegistry.storeOptionsOf`).
   */
  schema?: string;
}

/** Creates the database file's missing folders (0700) and the file itself (0600) before SQLite opens it. */
function createPrivately(path: string): void {
  mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
  if (existsSync(path)) return;
  try {
    closeSync(openSync(path, 'wx', 0o600));
  } catch (error) {
    // Another process created it in between: open it as it is.
    if ((error as { code?: unknown }).code !== 'EEXIST') throw error;
  }
}

/** True for a `postgres://` or `postgresql://` connection string. */
export function isPostgresUrl(url: string): boolean {
  return /^postgres(ql)?:\/\//i.test(url);
}

/** A connection string with its password replaced by `***`, for messages and logs. */
export function redactUrl(url: string): string {
  return url.replace(/^([a-z][a-z0-9+.-]*:\/\/[^:/@]*:)[^@]*@/i, '$1***@');
}

/**
 * Opens the bot's store: on PostgreSQL when `url` is given (see {@link OpenStoreOptions.url}), else
 * the bot's SQLite database through Kysely and brings its schema up to date: WAL journal
 * (`:memory:` keeps its in-memory journal), `synchronous = FULL` so a committed confirmation survives a
 * power cut, foreign keys on, a busy timeout for a second process (the CLI next to `zwgk start`), and
 * write transactions that take the lock up front (`BEGIN IMMEDIATE`). Busy/locked failures surface as a
 * `StoreError` with `retryable: true`.
 *
 * Throws when the file cannot be opened or a migration fails: both are operator problems to show as is.
 *
 * @example
 * const store = await openStore({ filename: './data/zwgk.sqlite' });
 * await store.admins.add({ platform: 'dingtalk', userId: 'manager01', name: '王主任' }, { actor: { platform: 'cli', id: 'ops', channel: 'cli' } });
 * await store.close();
 *
 * const scratch = await openStore({ filename: ':memory:' }); // tests
 * const shared = await openStore({ url: 'postgres://zwgk:secret@127.0.0.1:5432/zwgk' }); // PostgreSQL
 */
export async function openStore(options: OpenStoreOptions = {}): Promise<Store> {
  if (options.url !== undefined) {
    if (!isPostgresUrl(options.url)) throw new Error(`openStore: url must start with postgres:// or postgresql://, got ${redactUrl(options.url)}`);
    const { openPostgresStore } = await import('./postgres.js');
    return openPostgresStore({ url: options.url, migrate: options.migrate, poolSize: options.poolSize, schema: options.schema });
  }
  const db = openSqliteKysely<Database>(options.filename ?? DEFAULT_DATABASE_FILE, options.busyTimeoutMs);
  if (options.migrate !== false) {
    try {
      await migrateToLatest(db);
    } catch (error) {
      await db.destroy();
      throw error;
    }
  }
  return new Store(db, 'sqlite');
}

/**
 * A Kysely instance on a SQLite file set up as the store's (see {@link openStore}): created privately, WAL,
 * `synchronous = FULL`, foreign keys, busy timeout, `BEGIN IMMEDIATE` transactions, camel-case columns.
 */
export function openSqliteKysely<T>(
  filename: string,
  busyTimeoutMs = DEFAULT_BUSY_TIMEOUT_MS,
  /** Called with the better-sqlite3 connection once it is set up (for a synchronous pragma where Kysely's overhead matters). */
  opened?: (sqlite: BetterSqlite3.Database) => void,
): Kysely<T> {
  const memory = filename === ':memory:' || filename === '';
  const path = memory ? ':memory:' : resolve(filename);
  if (!memory) createPrivately(path);
  const sqlite = new BetterSqlite3(path, { timeout: busyTimeoutMs });
  try {
    if (!memory) sqlite.pragma('journal_mode = WAL');
    sqlite.pragma('synchronous = FULL');
    sqlite.pragma('foreign_keys = ON');
  } catch (error) {
    sqlite.close();
    throw error;
  }
  opened?.(sqlite);
  return new Kysely<T>({ dialect: new ImmediateSqliteDialect({ database: sqlite }), plugins: [new CamelCasePlugin()] });
}

/**
 * Wraps an existing Kysely instance (e.g. a `PostgresDialect` one) as a store, adding `CamelCasePlugin`
 * and migrating it unless told not to.
 *
 * @example
 * const store = await createStore(new Kysely<Database>({ dialect: new PostgresDialect({ pool }) }), { dialect: 'postgres' });
 */
export async function createStore(db: Kysely<Database>, options: { dialect: SqlDialect; migrate?: boolean }): Promise<Store> {
  if (options.migrate !== false) await migrateToLatest(db);
  return new Store(db.withPlugin(new CamelCasePlugin()), options.dialect);
}
