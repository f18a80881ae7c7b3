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
  /**
   * The schema the store's tables live in (default: the server's default, `public`). Each connection is
   * switched to it (`search_path`) when the store takes it from the pool; the schema is created when
   * missing. A tenant's store uses `tenant_<id>` (see `openTenantStore`).
   */
  schema?: string;
  /**
   * A node-postgres pool shared with other stores (several tenants' stores, one pool): the store uses it
   * but does not end it on `close`, and ignores `url`'s pool settings.
   */
  pool?: Pool;
}

/** A schema name the store accepts: lower-case letters, digits and `_`, starting with a letter. */
const SCHEMA_NAME = /^[a-z][a-z0-9_]{0,62}$/;

// The schema each pooled connection was last switched to: a connection shared by several tenants' stores
// is switched only when it changes hands between them.
const connectionSchema = new WeakMap<PoolClient, string>();
// Pooled connections that already have their 'error' listener.
const quieted = new WeakSet<PoolClient>();

/**
 * A node-postgres pool for `url` (loading `pg` only now), for stores to share through
 * {@link PostgresStoreOptions.pool}. Its owner ends it after closing the stores.
 */
export async function newPostgresPool(options: { url: string; poolSize?: number; connectTimeoutMs?: number }): Promise<Pool> {
  const { default: pg } = await import('pg');
  const pool = new pg.Pool({
    connectionString: options.url,
    max: options.poolSize ?? DEFAULT_POSTGRES_POOL_SIZE,
    connectionTimeoutMillis: options.connectTimeoutMs ?? 10_000,
  });
  // An idle connection cut by the server is dropped from the pool; the next query opens a new one.
  pool.on('error', () => undefined);
  return pool;
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

/**
 * The pool Kysely sees: node-postgres's, with connection and query errors mapped (one wrapper per client, as
 * Kysely keys connections by client), each connection switched to `schema` when given, and `end` left to the
 * owner of a shared pool.
 */
function mappedPool(pool: Pool, schema: string | undefined, shared: boolean): PostgresPool {
  const wrappers = new WeakMap<PoolClient, PostgresPoolClient>();
  return {
    connect: async () => {
      let client: PoolClient;
      try {
        client = await pool.connect();
      } catch (error) {
        throw storeErrorOf(error);
      }
      if (schema !== undefined && connectionSchema.get(client) !== schema) {
        try {
          await client.query(`set search_path to "${schema}"`);
        } catch (error) {
          client.release(true);
          throw storeErrorOf(error);
        }
        connectionSchema.set(client, schema);
      }
      let wrapper = wrappers.get(client);
      if (!wrapper) {
        // A connection cut while checked out also emits 'error'; the query in flight rejects with it already.
        // Once per connection, however many stores (tenants) share the pool.
        if (!quieted.has(client)) {
          client.on('error', () => undefined);
          quieted.add(client);
        }
        wrapper = mappedClient(client);
        wrappers.set(client, wrapper);
      }
      return wrapper;
    },
    end: () => (shared ? Promise.resolve() : pool.end()),
  };
}

/** A camel-cased Kysely instance on a pool, each connection switched to `schema`; destroying it ends the pool unless `shared`. */
export function postgresKysely<T>(pool: Pool, schema: string | undefined, shared: boolean): Kysely<T> {
  return new Kysely<T>({ dialect: new PostgresDialect({ pool: mappedPool(pool, schema, shared) }), plugins: [new CamelCasePlugin()] });
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
  const { schema } = options;
  if (schema !== undefined && !SCHEMA_NAME.test(schema)) throw new Error(`openPostgresStore: schema must be lower-case letters, digits and _, starting with a letter; got "${schema}"`);
  const pool = options.pool ?? (await newPostgresPool(options));
  if (schema !== undefined) {
    // The migrations create unqualified tables, which land in the first schema of search_path: it must exist.
    const client = await pool.connect().catch((error: unknown) => {
      throw storeErrorOf(error);
    });
    try {
      await client.query(`create schema if not exists "${schema}"`);
    } catch (error) {
      // Two instances creating it at once: the loser sees a unique violation; the schema is there either way.
      if ((error as { code?: string }).code !== '23505' && (error as { code?: string }).code !== '42P06') throw storeErrorOf(error);
    } finally {
      client.release();
    }
  }
  const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool: mappedPool(pool, schema, options.pool !== undefined) }) });
  try {
    if (options.migrate !== false) await migrateToLatest(db);
  } catch (error) {
    await db.destroy();
    throw error;
  }
  return new Store(db.withPlugin(new CamelCasePlugin()), 'postgres');
}
