import type { Kysely } from 'kysely';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type AnyDb = Kysely<any>;

/*
 * Indexes for the reads a chat message makes: one unit's records of a year (a 确认 reads that unit's
 * confirmations and exemptions of the tasks it names, 汇报 and 亮点 that unit's earlier entries).
 */

export async function up(db: AnyDb): Promise<void> {
  await db.schema.createIndex('exemptions_year_unit_task').on('exemptions').columns(['year', 'unit', 'task']).execute();
  await db.schema.createIndex('briefings_year_unit').on('briefings').columns(['year', 'unit']).execute();
  await db.schema.createIndex('highlights_year_unit').on('highlights').columns(['year', 'unit']).execute();
}

export async function down(db: AnyDb): Promise<void> {
  await db.schema.dropIndex('highlights_year_unit').execute();
  await db.schema.dropIndex('briefings_year_unit').execute();
  await db.schema.dropIndex('exemptions_year_unit_task').execute();
}
