import type { Database as SqliteDatabase, Statement } from 'better-sqlite3';
import {
  CompiledQuery,
  SqliteAdapter,
  SqliteDialect,
  SqliteDriver,
  type DialectAdapter,
  type DatabaseConnection,
  type Driver,
  type QueryResult,
  type SqliteDialectConfig,
} from 'kysely';
import { storeErrorOf } from './errors.js';

const STATEMENT_CACHE_SIZE = 256;

/**
 * The one connection to the better-sqlite3 database: like Kysely's own, but it keeps prepared statements
 * (preparing one costs more than running it; the store issues the same few dozen queries over and over)
 * and turns busy/locked driver errors into a retryable `StoreError`.
 */
class CachingConnection implements DatabaseConnection {
  readonly #statements = new Map<string, Statement>();

  constructor(private readonly db: SqliteDatabase) {}

  #prepare(sql: string): Statement {
    let stmt = this.#statements.get(sql);
    if (stmt) {
      // Map order is insertion order: move it to the end so that the oldest unused one is evicted first.
      this.#statements.delete(sql);
    } else {
      stmt = this.db.prepare(sql);
      if (this.#statements.size >= STATEMENT_CACHE_SIZE) {
        const oldest = this.#statements.keys().next().value;
        if (oldest !== undefined) this.#statements.delete(oldest);
      }
    }
    this.#statements.set(sql, stmt);
    return stmt;
  }

  async executeQuery<R>(query: CompiledQuery): Promise<QueryResult<R>> {
    try {
      const stmt = this.#prepare(query.sql);
      const parameters = query.parameters as unknown[];
      if (stmt.reader) return { rows: stmt.all(parameters) as R[] };
      const { changes, lastInsertRowid } = stmt.run(parameters);
      return { numAffectedRows: BigInt(changes), insertId: BigInt(lastInsertRowid), rows: [] };
    } catch (error) {
      throw storeErrorOf(error);
    }
  }

  async *streamQuery<R>(query: CompiledQuery): AsyncIterableIterator<QueryResult<R>> {
    const stmt = this.#prepare(query.sql);
    if (!stmt.reader) throw new Error('the SQLite store streams only queries that return rows');
    for (const row of stmt.iterate(query.parameters as unknown[])) yield { rows: [row as R] };
  }
}

/**
 * Kysely's SQLite driver with two changes: a transaction starts with `BEGIN IMMEDIATE`, so it takes the
 * write lock up front (under the connection's busy timeout) instead of failing with SQLITE_BUSY when a
 * read transaction later tries to write while another process writes; and its connection caches
 * prepared statements and reports busy/locked errors as `StoreError { code: 'busy', retryable: true }`.
 */
class ImmediateSqliteDriver extends SqliteDriver {
  readonly #connection: CachingConnection;

  constructor(config: SqliteDialectConfig & { database: SqliteDatabase }) {
    super(config);
    this.#connection = new CachingConnection(config.database);
  }

  override async acquireConnection(): Promise<DatabaseConnection> {
    // The parent's mutex hands the single connection to one caller at a time; ours replaces its connection.
    await super.acquireConnection();
    return this.#connection;
  }

  override async beginTransaction(connection: DatabaseConnection): Promise<void> {
    await connection.executeQuery(CompiledQuery.raw('begin immediate'));
  }
}

/** {@link SqliteDialect} whose transactions take the write lock up front (see {@link ImmediateSqliteDriver}). */
export class ImmediateSqliteDialect extends SqliteDialect {
  readonly #config: SqliteDialectConfig & { database: SqliteDatabase };

  constructor(config: SqliteDialectConfig & { database: SqliteDatabase }) {
    super(config);
    this.#config = config;
  }

  override createDriver(): Driver {
    return new ImmediateSqliteDriver(this.#config);
  }

  override createAdapter(): DialectAdapter {
    return new TransactionalDdlSqliteAdapter();
  }
}

/**
 * SQLite runs DDL inside transactions; Kysely's adapter says it does not, so its migrator would run each
 * migration bare. Saying so makes the migrator apply pending migrations in one `BEGIN IMMEDIATE`
 * transaction that reads which are applied after taking the write lock: two processes opening a new
 * database at once (a running service and the CLI, both opening a tenant's new store) apply each migration
 * once instead of both creating the same tables.
 */
class TransactionalDdlSqliteAdapter extends SqliteAdapter {
  override get supportsTransactionalDdl(): boolean {
    return true;
  }
}
