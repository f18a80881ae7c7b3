import type { Kysely } from 'kysely';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type AnyDb = Kysely<any>;

/*
 * Leases: one row per named role (the digest scheduler) that one process of several sharing the
 * database holds until it expires or is given back.
 */

export async function up(db: AnyDb): Promise<void> {
  await db.schema
    .createTable('leases')
    .addColumn('name', 'text', (c) => c.primaryKey())
    .addColumn('holder', 'text', (c) => c.notNull())
    .addColumn('acquired_at', 'text', (c) => c.notNull())
    .addColumn('expires_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('digest_outbox_status_week').on('digest_outbox').columns(['status', 'week']).execute();
}

export async function down(db: AnyDb): Promise<void> {
  await db.schema.dropIndex('digest_outbox_status_week').execute();
  await db.schema.dropTable('leases').execute();
}
