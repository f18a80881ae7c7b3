import type { Kysely } from 'kysely';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type AnyDb = Kysely<any>;

/* A confirmation's stated completion date (`claimed_date`, `YYYY-MM-DD`), shown to the office beside the message time. */

export async function up(db: AnyDb): Promise<void> {
  await db.schema.alterTable('confirmations').addColumn('claimed_date', 'text').execute();
}

export async function down(db: AnyDb): Promise<void> {
  await db.schema.alterTable('confirmations').dropColumn('claimed_date').execute();
}
