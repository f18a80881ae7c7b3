import { CamelCasePlugin, Kysely, PostgresDialect, type PostgresPool, type PostgresPoolClient } from 'kysely';
import type { Pool, PoolClient } from 'pg';
import { storeErrorOf } from './errors.js';
import { migrateToLatest } from './migrations/index.js';
import type { Database } from './schema.js';
import { Store } from './store.js';

/** Connections a store keeps open to PostgreSQL unless told otherwise. */
export const DEFAULT_POSTGRES_POOL_SIZE = 10;

/** Options of {@link openPostgresStore}. */
export interface PostgresStoreOptions {
  /** Connection string, `postgres://user:password@host:port/database` (or `postgresql://…`). */
  url: string;
  /** Apply pending migrations (default true). Several instances may start at once: Kysely's migration lock keeps it to one. */
  migrate?: boolean;
  /** Most connections open at once (default {@link DEFAULT_POSTGRES_POOL_SIZE}). */
  poolSize?: number;
  /** How long to wait for a connection, in ms (default 10000); past it the operation fails as `unavailable`. */
  connectTimeoutMs?: number;
}

/** A client whose queries report transient failures as retryable `StoreError`s. */
function mappedClient(client: PoolClient): PostgresPoolClient {
  return {
    query: ((...args: unknown[]) =>
      (client.query as (...a: unknown[]) => Promise<unknown>)(...args).catch((error: unknown) => {
        throw storeErrorOf(error);
      })) as PostgresPoolClient['query'],
    release: (destroy?: boolean) => client.release(destroy),
  };
}

/** The pool Kysely sees: node-postgres's, with connection and query errors mapped (one wrapper per client, as Kysely keys connections by client). */
function mappedPool(pool: Pool): PostgresPool {
  const wrappers = new WeakMap<PoolClient, PostgresPoolClient>();
  return {
    connect: async () => {
      let client: PoolClient;
      try {
        client = await pool.connect();
      } catch (error) {
        throw storeErrorOf(error);
      }
      let wrapper = wrappers.get(client);
      if (!wrapper) {
        // A connection cut while checked out also emits 'error'; the query in flight rejects with it already.
        client.on('error', () => undefined);
        wrapper = mappedClient(client);
        wrappers.set(client, wrapper);
      }
      return wrapper;
    },
    end: () => pool.end(),
  };
}

/**
 * Opens the bot's store on a PostgreSQL server through node-postgres and Kysely's `PostgresDialect`,
 * and brings its schema up to date. `pg` is loaded only here, so SQLite deployments never load it.
 * Serialization failures, deadlocks and lost connections surface as a `StoreError` with
 * `retryable: true`. Throws when the server cannot be reached at start or a migration fails.
 *
 * @example
 * const store = await openPostgresStore({ url: 'postgres://zwgk:secret@127.0.0.1:5432/zwgk' });
 * await store.close();
 */
export async function openPostgresStore(options: PostgresStoreOptions): Promise<Store> {
  const { default: pg } = await import('pg');
  const pool = new pg.Pool({
    connectionString: options.url,
    max: options.poolSize ?? DEFAULT_POSTGRES_POOL_SIZE,
    connectionTimeoutMillis: options.connectTimeoutMs ?? 10_000,
  });
  // An idle connection cut by the server is dropped from the pool; the next query opens a new one.
  pool.on('error', () => undefined);
  const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool: mappedPool(pool) }) });
  try {
    if (options.migrate !== false) await migrateToLatest(db);
  } catch (error) {
    await db.destroy();
    throw error;
  }
  return new Store(db.withPlugin(new CamelCasePlugin()), 'postgres');
}
