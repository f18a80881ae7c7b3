import type { Kysely } from 'kysely';
import { dialectOf, withId } from './columns.js';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type AnyDb = Kysely<any>;

/*
 * The office's review (复核) of confirmations, as a history: one row per decision (`accepted`, `returned`
 * with its reason) and per resubmission of a returned confirmation (`resubmitted`, by the unit's next 确认 or
 * 补充). A confirmation without rows waits for review (待复核).
 */

export async function up(db: AnyDb): Promise<void> {
  await withId(db.schema.createTable('reviews'), dialectOf(db))
    .addColumn('confirmation_id', 'integer', (c) => c.notNull())
    .addColumn('year', 'integer', (c) => c.notNull())
    .addColumn('unit', 'text', (c) => c.notNull())
    .addColumn('task', 'integer', (c) => c.notNull())
    .addColumn('due', 'text', (c) => c.notNull())
    .addColumn('action', 'text', (c) => c.notNull())
    .addColumn('reason', 'text')
    .addColumn('at', 'text', (c) => c.notNull())
    .addColumn('actor', 'text', (c) => c.notNull())
    .addColumn('actor_name', 'text')
    .execute();
  await db.schema.createIndex('reviews_year_unit').on('reviews').columns(['year', 'unit']).execute();
  await db.schema.createIndex('reviews_confirmation').on('reviews').column('confirmation_id').execute();
}

export async function down(db: AnyDb): Promise<void> {
  await db.schema.dropTable('reviews').execute();
}
