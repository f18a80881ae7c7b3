import type { Db } from '../db.js';
import { prepared } from '../prepared.js';

const findProcessed = prepared((db, v: { platform: string; messageId: string }) =>
  db
    .selectFrom('processedMessages')
    .select(['platform', 'messageId', 'conversationId', 'command', 'processedAt', 'reply', 'repliedAt', 'replyStartedAt'])
    .where('platform', '=', v.platform)
    .where('messageId', '=', v.messageId),
);

const recordProcessed = prepared(
  (db, v: { platform: string; messageId: string; conversationId: string; senderId: string; command: string; processedAt: string; reply: string; changed: number }) =>
    db
      .insertInto('processedMessages')
      .values({ ...v, repliedAt: null, replyStartedAt: null })
      .onConflict((oc) => oc.columns(['platform', 'messageId']).doNothing()),
);

const markStarted = prepared((db, v: { platform: string; messageId: string; at: string }) =>
  db
    .updateTable('processedMessages')
    .set({ replyStartedAt: v.at })
    .where('platform', '=', v.platform)
    .where('messageId', '=', v.messageId)
    .where('repliedAt', 'is', null)
    .where('replyStartedAt', 'is', null),
);

const markDone = prepared((db, v: { platform: string; messageId: string; at: string }) =>
  db.updateTable('processedMessages').set({ repliedAt: v.at }).where('platform', '=', v.platform).where('messageId', '=', v.messageId),
);

/** A handled state-changing message, with the reply stored for re-sending after a crash. */
export interface ProcessedMessage {
  platform: string;
  messageId: string;
  conversationId: string;
  command: string;
  processedAt: string;
  reply: unknown;
  repliedAt: string | null;
  /** When the reply's request was about to leave; set while `repliedAt` is null, the reply is uncertain. */
  replyStartedAt: string | null;
}

/** Processed chat messages: one row per state-changing message, so that a redelivery counts once. */
export class InboxRepository {
  constructor(private readonly db: Db) {}

  /** The row of a platform message id, or null when it was never handled. */
  async find(platform: string, messageId: string): Promise<ProcessedMessage | null> {
    const r = (await findProcessed(this.db, { platform, messageId })).rows[0];
    return r ? { ...r, reply: r.reply === null ? null : (JSON.parse(r.reply) as unknown) } : null;
  }

  /**
   * Claims a platform message id for a state-changing command (or, with `changed: false`, one that was only
   * answered), with the reply to send. Returns false when
   * the id was already processed (the unique key makes a concurrent redelivery lose).
   */
  async record(input: { platform: string; messageId: string; conversationId: string; senderId: string; command: string; reply: unknown; changed?: boolean }, at: Date): Promise<boolean> {
    const r = await recordProcessed(this.db, {
      platform: input.platform,
      messageId: input.messageId,
      conversationId: input.conversationId,
      senderId: input.senderId,
      command: input.command,
      processedAt: at.toISOString(),
      reply: JSON.stringify(input.reply ?? null),
      changed: input.changed === false ? 0 : 1,
    });
    return Number(r.numAffectedRows ?? 0n) > 0;
  }

  /**
   * Notes that the reply's request is about to leave (call it immediately before the request). Returns
   * false when the reply went out already or another sender started it: send nothing then.
   */
  async markReplyStarted(platform: string, messageId: string, at: Date): Promise<boolean> {
    const r = await markStarted(this.db, { platform, messageId, at: at.toISOString() });
    return Number(r.numAffectedRows ?? 0n) > 0;
  }

  /** Clears the start marker of a reply whose request provably did not get through (refused, throttled, 5xx), so it is sent again. */
  async clearReplyStarted(platform: string, messageId: string): Promise<void> {
    await this.db.updateTable('processedMessages').set({ replyStartedAt: null }).where('platform', '=', platform).where('messageId', '=', messageId).where('repliedAt', 'is', null).execute();
  }

  /** Notes that the reply of a processed message went out. */
  async markReplied(platform: string, messageId: string, at: Date): Promise<void> {
    await markDone(this.db, { platform, messageId, at: at.toISOString() });
  }
}
