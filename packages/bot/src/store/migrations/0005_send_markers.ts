import type { Kysely } from 'kysely';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type AnyDb = Kysely<any>;

/*
 * Send markers: when the request of a digest (`digest_outbox.send_started_at`) or of a stored receipt
 * (`processed_messages.reply_started_at`) was about to leave. Set immediately before the request and
 * cleared again when it provably did not get through, so a marker without `sent_at`/`replied_at` after a
 * crash means "the process died inside that request's round trip": the send is uncertain, not repeated.
 * `processed_messages.changed` is 0 for a message that was only answered (a question, a refusal): its id
 * and answer are kept so that a redelivery after a restart is not answered again.
 */

export async function up(db: AnyDb): Promise<void> {
  await db.schema.alterTable('digest_outbox').addColumn('send_started_at', 'text').execute();
  await db.schema.alterTable('processed_messages').addColumn('reply_started_at', 'text').execute();
  await db.schema.alterTable('processed_messages').addColumn('changed', 'integer', (c) => c.notNull().defaultTo(1)).execute();
}

export async function down(db: AnyDb): Promise<void> {
  await db.schema.alterTable('processed_messages').dropColumn('changed').execute();
  await db.schema.alterTable('processed_messages').dropColumn('reply_started_at').execute();
  await db.schema.alterTable('digest_outbox').dropColumn('send_started_at').execute();
}
