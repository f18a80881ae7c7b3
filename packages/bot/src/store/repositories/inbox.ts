import type { Db } from '../db.js';

/** A handled state-changing message, with the reply stored for re-sending after a crash. */
export interface ProcessedMessage {
  platform: string;
  messageId: string;
  conversationId: string;
  command: string;
  processedAt: string;
  reply: unknown;
  repliedAt: string | null;
}

/** Processed chat messages: one row per state-changing message, so that a redelivery counts once. */
export class InboxRepository {
  constructor(private readonly db: Db) {}

  /** The row of a platform message id, or null when it was never handled. */
  async find(platform: string, messageId: string): Promise<ProcessedMessage | null> {
    const r = await this.db
      .selectFrom('processedMessages')
      .select(['platform', 'messageId', 'conversationId', 'command', 'processedAt', 'reply', 'repliedAt'])
      .where('platform', '=', platform)
      .where('messageId', '=', messageId)
      .executeTakeFirst();
    return r ? { ...r, reply: r.reply === null ? null : (JSON.parse(r.reply) as unknown) } : null;
  }

  /**
   * Claims a platform message id for a state-changing command, with the reply to send. Returns false when
   * the id was already processed (the unique key makes a concurrent redelivery lose).
   */
  async record(input: { platform: string; messageId: string; conversationId: string; senderId: string; command: string; reply: unknown }, at: Date): Promise<boolean> {
    const r = await this.db
      .insertInto('processedMessages')
      .values({
        platform: input.platform,
        messageId: input.messageId,
        conversationId: input.conversationId,
        senderId: input.senderId,
        command: input.command,
        processedAt: at.toISOString(),
        reply: JSON.stringify(input.reply ?? null),
        repliedAt: null,
      })
      .onConflict((oc) => oc.columns(['platform', 'messageId']).doNothing())
      .executeTakeFirst();
    return Number(r.numInsertedOrUpdatedRows ?? 0n) > 0;
  }

  /** Notes that the reply of a processed message went out. */
  async markReplied(platform: string, messageId: string, at: Date): Promise<void> {
    await this.db.updateTable('processedMessages').set({ repliedAt: at.toISOString() }).where('platform', '=', platform).where('messageId', '=', messageId).execute();
  }
}
