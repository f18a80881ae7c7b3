import type { Kysely } from 'kysely';
import { dialectOf, withId } from './columns.js';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type AnyDb = Kysely<any>;

/*
 * Evidence checks, rectification items (整改) and withdrawn deductions.
 * - `evidence_checks`: one row per check of one link of a confirmation. A row is written `pending` in the
 *   transaction that records the link, so a check requested before a crash is still there at start-up;
 *   the background checker claims it, fetches (or not) and stores the result.
 * - `rectifications`: items the county office sets a unit, with a due date and a state
 *   (`open` 待整改, `rectified` 已整改, `verified` 复查通过); scoring turns late ones into carry-over points.
 * - `deductions.removed_at` / `removed_by`: a deduction withdrawn by the office stays in the table (and in
 *   the audit log) but no longer counts.
 */

export async function up(db: AnyDb): Promise<void> {
  const dialect = dialectOf(db);
  await withId(db.schema.createTable('evidence_checks'), dialect)
    .addColumn('confirmation_id', 'integer', (c) => c.notNull())
    .addColumn('url', 'text', (c) => c.notNull())
    .addColumn('state', 'text', (c) => c.notNull())
    .addColumn('result', 'text')
    .addColumn('http_status', 'integer')
    .addColumn('title', 'text')
    .addColumn('final_url', 'text')
    .addColumn('detail', 'text')
    .addColumn('requested_at', 'text', (c) => c.notNull())
    .addColumn('requested_by', 'text', (c) => c.notNull())
    .addColumn('claimed_at', 'text')
    .addColumn('checked_at', 'text')
    .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('notified_at', 'text')
    .execute();
  await db.schema.createIndex('evidence_checks_state').on('evidence_checks').columns(['state', 'id']).execute();
  await db.schema.createIndex('evidence_checks_confirmation').on('evidence_checks').columns(['confirmation_id', 'url']).execute();

  await withId(db.schema.createTable('rectifications'), dialect)
    .addColumn('year', 'integer', (c) => c.notNull())
    .addColumn('unit', 'text', (c) => c.notNull())
    .addColumn('item', 'text', (c) => c.notNull())
    .addColumn('due', 'text', (c) => c.notNull())
    .addColumn('state', 'text', (c) => c.notNull())
    .addColumn('recorded_at', 'text', (c) => c.notNull())
    .addColumn('recorded_by', 'text', (c) => c.notNull())
    .addColumn('rectified_at', 'text')
    .addColumn('rectified_by', 'text')
    .addColumn('rectified_note', 'text')
    .addColumn('verified_at', 'text')
    .addColumn('verified_by', 'text')
    .execute();
  await db.schema.createIndex('rectifications_year_unit').on('rectifications').columns(['year', 'unit']).execute();

  await db.schema.alterTable('deductions').addColumn('removed_at', 'text').execute();
  await db.schema.alterTable('deductions').addColumn('removed_by', 'text').execute();
}

export async function down(db: AnyDb): Promise<void> {
  await db.schema.alterTable('deductions').dropColumn('removed_by').execute();
  await db.schema.alterTable('deductions').dropColumn('removed_at').execute();
  await db.schema.dropTable('rectifications').execute();
  await db.schema.dropTable('evidence_checks').execute();
}
