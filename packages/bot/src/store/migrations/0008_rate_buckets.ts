import type { Kysely } from 'kysely';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type AnyDb = Kysely<any>;

/*
 * Rate buckets: the send allowance of a chat app (and of each of its groups) shared by every process on
 * the database, one row per bucket holding the next conforming send time (GCRA), epoch ms.
 */

export async function up(db: AnyDb): Promise<void> {
  await db.schema
    .createTable('rate_buckets')
    .addColumn('bucket', 'text', (c) => c.primaryKey())
    .addColumn('tat', 'double precision', (c) => c.notNull())
    .execute();
}

export async function down(db: AnyDb): Promise<void> {
  await db.schema.dropTable('rate_buckets').execute();
}
