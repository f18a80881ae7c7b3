import type { Kysely } from 'kysely';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type AnyDb = Kysely<any>;

/*
 * Who holds a digest's claim (`digest_outbox.claimed_by`): the sender (one process's digest scheduler,
 * alive while its lease row is renewed) that claimed it. Several instances send the same outbox at once,
 * so a claim left behind is settled by whether its holder is still alive, not by its age alone. Null for
 * a claim made by a single sender (`zwgk digest`, a bot's own pass), as before.
 */

export async function up(db: AnyDb): Promise<void> {
  await db.schema.alterTable('digest_outbox').addColumn('claimed_by', 'text').execute();
}

export async function down(db: AnyDb): Promise<void> {
  await db.schema.alterTable('digest_outbox').dropColumn('claimed_by').execute();
}
