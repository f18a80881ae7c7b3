import type { Adapter, Mention } from '../adapter.js';
import { listPendingReceipts } from '../store/pending-receipts.js';
import type { Store } from '../store/store.js';
import type { Delivery } from './delivery.js';
import { errorText, storedMessage, type Logger } from './shared.js';

/** What {@link ReceiptSender.sendPending} did. */
export interface ReceiptRun {
  sent: number;
  failed: number;
  /** Receipts of platforms without a connected adapter, left for later. */
  skipped: number;
}

/** Sends the receipts that were stored with their records but never went out. */
export interface ReceiptSender {
  sendPending(): Promise<ReceiptRun>;
}

/**
 * Creates the receipt sender. A receipt is sent into its conversation (the message's reply window may be
 * gone), then marked as sent; each runs as its message id's handling, so a redelivery of that message
 * arriving meanwhile joins it instead of answering twice. Only receipts of the last `maxAgeMs` are sent: an
 * answer days late would confuse more than it helps.
 */
export function createReceiptSender(deps: { store: Store; adapters: ReadonlyMap<string, Adapter>; delivery: Delivery; clock: () => Date; logger: Logger; maxAgeMs: number }): ReceiptSender {
  const { store, adapters, delivery, clock, logger, maxAgeMs } = deps;
  return {
    async sendPending() {
      const run: ReceiptRun = { sent: 0, failed: 0, skipped: 0 };
      const pending = await listPendingReceipts(store, new Date(clock().getTime() - maxAgeMs));
      for (const receipt of pending) {
        const adapter = adapters.get(receipt.platform);
        const saved = receipt.reply as { message?: unknown; mentions?: Mention[] } | null;
        const message = storedMessage(saved?.message);
        if (!adapter || !saved || !message) {
          run.skipped++;
          continue;
        }
        try {
          await delivery.exclusive(receipt, async () => {
            // A redelivery may have answered it since the list was read.
            const now = await store.findProcessed(receipt.platform, receipt.messageId);
            if (now?.repliedAt === null && now.replyStartedAt === null) {
              // Marked as started immediately before the request, as sent right after (see message.ts).
              let taken = false;
              const beforeRequest = async (): Promise<void> => {
                if (await store.inbox.markReplyStarted(receipt.platform, receipt.messageId, clock())) return;
                taken = true;
                throw new Error('the receipt was started by another handling');
              };
              try {
                await adapter.send(receipt.conversationId, message, { mentions: saved.mentions ?? [], beforeRequest });
              } catch (error) {
                if (!taken && (error as { uncertain?: unknown } | null)?.uncertain !== true) await store.inbox.clearReplyStarted(receipt.platform, receipt.messageId);
                throw error;
              }
              await store.markReplied(receipt.platform, receipt.messageId, clock());
            }
            return { status: 'duplicate', command: now?.command ?? 'unknown', wrote: false, reply: message };
          });
          run.sent++;
        } catch (error) {
          run.failed++;
          logger.warn({ err: errorText(error), platform: receipt.platform, conversationId: receipt.conversationId, messageId: receipt.messageId }, 'pending receipt not sent');
        }
      }
      if (pending.length > 0) logger.info({ ...run }, 'pending receipts');
      return run;
    },
  };
}
