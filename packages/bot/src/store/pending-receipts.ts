import { sql } from 'kysely';
import type { Store } from './store.js';

/** A state-changing message whose stored reply has not gone out (the process died or the reply failed after commit). */
export interface PendingReceipt {
  platform: string;
  messageId: string;
  conversationId: string;
  /** What the engine stored with the message: `{ message, mentions }`. */
  reply: unknown;
}

/**
 * The processed messages since `since` whose reply was stored but never marked as sent nor started (a
 * started one may have arrived: see {@link listUncertainReceipts}), oldest first.
 * Plain SQL with explicit column aliases, so it reads the same whatever naming plugin the store's Kysely uses.
 */
export async function listPendingReceipts(store: Store, since: Date, limit = 1_000): Promise<PendingReceipt[]> {
  const rows = await sql<{ platform: string; messageId: string; conversationId: string; reply: string }>`
    select platform as "platform", message_id as "messageId", conversation_id as "conversationId", reply as "reply"
    from processed_messages
    where replied_at is null and reply_started_at is null and reply is not null and processed_at >= ${since.toISOString()}
    order by processed_at
    limit ${limit}`.execute(store.db);
  return rows.rows.map((r) => ({ platform: r.platform, messageId: r.messageId, conversationId: r.conversationId, reply: JSON.parse(r.reply) as unknown }));
}

/** A stored reply whose request started but was never marked as sent: it may or may not have reached its group. */
export interface UncertainReceipt {
  platform: string;
  messageId: string;
  conversationId: string;
  command: string;
  processedAt: string;
  replyStartedAt: string;
}

/** The replies since `since` that are uncertain (started, never marked sent), oldest first. Never re-sent. */
export async function listUncertainReceipts(store: Store, since: Date, limit = 1_000): Promise<UncertainReceipt[]> {
  const rows = await sql<UncertainReceipt>`
    select platform as "platform", message_id as "messageId", conversation_id as "conversationId", command as "command",
      processed_at as "processedAt", reply_started_at as "replyStartedAt"
    from processed_messages
    where replied_at is null and reply_started_at is not null and processed_at >= ${since.toISOString()}
    order by processed_at
    limit ${limit}`.execute(store.db);
  return rows.rows;
}
