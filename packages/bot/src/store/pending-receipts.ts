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
 * The processed messages since `since` whose reply was stored but never marked as sent, oldest first.
 * Plain SQL with explicit column aliases, so it reads the same whatever naming plugin the store's Kysely uses.
 */
export async function listPendingReceipts(store: Store, since: Date, limit = 1_000): Promise<PendingReceipt[]> {
  const rows = await sql<{ platform: string; messageId: string; conversationId: string; reply: string }>`
    select platform as "platform", message_id as "messageId", conversation_id as "conversationId", reply as "reply"
    from processed_messages
    where replied_at is null and reply is not null and processed_at >= ${since.toISOString()}
    order by processed_at
    limit ${limit}`.execute(store.db);
  return rows.rows.map((r) => ({ platform: r.platform, messageId: r.messageId, conversationId: r.conversationId, reply: JSON.parse(r.reply) as unknown }));
}
