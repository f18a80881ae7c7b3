import {
  CompiledQuery,
  SqliteDialect,
  SqliteDriver,
  type DatabaseConnection,
  type Driver,
  type QueryResult,
  type SqliteDialectConfig,
} from 'kysely';
import { storeErrorOf } from './errors.js';

/** Runs the connection's queries, turning busy/locked driver errors into a retryable `StoreError`. */
function mappingErrors(connection: DatabaseConnection): DatabaseConnection {
  return {
    async executeQuery<R>(query: CompiledQuery): Promise<QueryResult<R>> {
      try {
        // better-sqlite3 throws synchronously inside executeQuery; awaiting here catches both kinds.
        return await connection.executeQuery<R>(query);
      } catch (error) {
        throw storeErrorOf(error);
      }
    },
    streamQuery<R>(query: CompiledQuery, chunkSize?: number): AsyncIterableIterator<QueryResult<R>> {
      return connection.streamQuery<R>(query, chunkSize);
    },
  };
}

/**
 * Kysely's SQLite driver with two changes: a transaction starts with `BEGIN IMMEDIATE`, so it takes the
 * write lock up front (under the connection's busy timeout) instead of failing with SQLITE_BUSY when a
 * read transaction later tries to write while another process writes; and busy/locked errors surface as
 * `StoreError { code: 'busy', retryable: true }`.
 */
class ImmediateSqliteDriver extends SqliteDriver {
  #connection: DatabaseConnection | undefined;

  override async acquireConnection(): Promise<DatabaseConnection> {
    const connection = await super.acquireConnection();
    this.#connection ??= mappingErrors(connection);
    return this.#connection;
  }

  override async beginTransaction(connection: DatabaseConnection): Promise<void> {
    await connection.executeQuery(CompiledQuery.raw('begin immediate'));
  }
}

/** {@link SqliteDialect} whose transactions take the write lock up front (see {@link ImmediateSqliteDriver}). */
export class ImmediateSqliteDialect extends SqliteDialect {
  readonly #config: SqliteDialectConfig;

  constructor(config: SqliteDialectConfig) {
    super(config);
    this.#config = config;
  }

  override createDriver(): Driver {
    return new ImmediateSqliteDriver(this.#config);
  }
}
