import { isRetryableStoreError } from '../errors.js';
import { Migrator, sql, type Kysely, type Migration, type MigrationProvider } from 'kysely';
import { dialectOf } from './columns.js';
import * as m0001 from './0001_initial.js';
import * as m0002 from './0002_record_indexes.js';
import * as m0003 from './0003_confirmation_claims.js';
import * as m0004 from './0004_leases.js';
import * as m0005 from './0005_send_markers.js';
import * as m0006 from './0006_reviews.js';
import * as m0007 from './0007_evidence_rectifications.js';
import * as m0008 from './0008_rate_buckets.js';
import * as m0009 from './0009_outbox_claimed_by.js';

/**
 * The store's migrations in Kysely's `Migrator` layout: one module per migration in this folder,
 * exporting `up` and `down`, named so that names sort in application order. They are listed here
 * rather than read from the folder at run time, so that a bundled build carries them.
 */
export const storeMigrations: Readonly<Record<string, Migration>> = {
  '0001_initial': m0001,
  '0002_record_indexes': m0002,
  '0003_confirmation_claims': m0003,
  '0004_leases': m0004,
  '0005_send_markers': m0005,
  '0006_reviews': m0006,
  '0007_evidence_rectifications': m0007,
  '0008_rate_buckets': m0008,
  '0009_outbox_claimed_by': m0009,
};

/**
 * A migrator of `migrations` with bookkeeping tables `<table>` and `<table>_lock`, in `schema` when given
 * (PostgreSQL: Kysely otherwise finds a bookkeeping table of the same name in any schema, e.g. a tenant's).
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export function migratorOf(db: Kysely<any>, migrations: Readonly<Record<string, Migration>>, table: string, schema?: string): Migrator {
  const provider: MigrationProvider = { getMigrations: async () => ({ ...migrations }) };
  // Migrations spell tables and columns as the database does, so they run without CamelCasePlugin.
  return new Migrator({
    db: db.withoutPlugins(),
    provider,
    migrationTableName: table,
    migrationLockTableName: `${table}_lock`,
    ...(schema === undefined ? {} : { migrationTableSchema: schema }),
  });
}

/** The migrations recorded in `schema`.`table` (PostgreSQL), or null when there is no such table yet. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
async function appliedIn(db: Kysely<any>, schema: string, table: string): Promise<Set<string> | null> {
  const raw = db.withoutPlugins();
  const quoted = `"${schema.replaceAll('"', '""')}"."${table.replaceAll('"', '""')}"`;
  const { rows } = await sql<{ present: string | null }>`select to_regclass(${quoted})::text as present`.execute(raw);
  if (!rows[0]?.present) return null;
  const names = await sql<{ name: string }>`select name from ${sql.table(`${schema}.${table}`)}`.execute(raw);
  return new Set(names.rows.map((r) => r.name));
}

/**
 * Applies `migrations` (see {@link migratorOf}) on `db`; on PostgreSQL the bookkeeping tables live in the
 * connection's current schema. Returns the names applied; throws when one fails.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function applyMigrations(db: Kysely<any>, migrations: Readonly<Record<string, Migration>>, table: string): Promise<string[]> {
  let schema: string | undefined;
  if (dialectOf(db) === 'postgres') {
    const { rows } = await sql<{ schema: string | null }>`select current_schema() as schema`.execute(db.withoutPlugins());
    schema = rows[0]?.schema ?? undefined;
  }
  // Already at the latest (every open of a migrated store): two small queries instead of the migrator's
  // look at every table of the database, which grows with each tenant's schema.
  if (schema !== undefined) {
    const applied = await appliedIn(db, schema, table);
    if (applied && Object.keys(migrations).every((name) => applied.has(name))) return [];
  }
  const { error, results } = await migratorOf(db, migrations, table, schema).migrateToLatest();
  if (error) {
    // The database could not be reached (or was busy): say so as the retryable error it is.
    if (isRetryableStoreError(error)) throw error;
    const failed = results?.find((r) => r.status === 'Error')?.migrationName ?? 'unknown';
    throw new Error(`database migration ${failed} failed: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
  }
  return (results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName);
}

/**
 * Brings a database to the latest schema. Returns the names of the migrations applied. Throws when a
 * migration fails (the database is left at the last migration that succeeded).
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function migrateToLatest(db: Kysely<any>): Promise<string[]> {
  return applyMigrations(db, storeMigrations, 'zwgk_migrations');
}
