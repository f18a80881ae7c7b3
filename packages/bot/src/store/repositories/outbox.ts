import { inTransaction, type Db } from '../db.js';
import { dialectOf } from '../migrations/columns.js';

/** One weekly digest of one group. */
export interface OutboxEntry {
  id: number;
  /** ISO week id, e.g. `2022-W47`. */
  week: string;
  platform: string;
  conversationId: string;
  kind: 'unit' | 'admin';
  unit: string | null;
  status: 'pending' | 'sending' | 'sent' | 'failed';
  attempts: number;
  createdAt: string;
  sentAt: string | null;
  lastError: string | null;
}

/** The weekly digests to send: exactly one per (platform, conversation, ISO week). */
export class OutboxRepository {
  constructor(private readonly db: Db) {}

  /** Adds the digest of a group for a week unless it is there already. Returns true when added. */
  async enqueue(input: { week: string; platform: string; conversationId: string; kind: 'unit' | 'admin'; unit: string | null }, at: Date): Promise<boolean> {
    const r = await this.db
      .insertInto('digestOutbox')
      .values({
        week: input.week,
        platform: input.platform,
        conversationId: input.conversationId,
        kind: input.kind,
        unit: input.unit,
        status: 'pending',
        attempts: 0,
        createdAt: at.toISOString(),
        claimedAt: null,
        sentAt: null,
        lastError: null,
      })
      .onConflict((oc) => oc.columns(['platform', 'conversationId', 'week']).doNothing())
      .executeTakeFirst();
    return Number(r.numInsertedOrUpdatedRows ?? 0n) > 0;
  }

  /**
   * Claims a digest for sending: a pending one, or one whose earlier claim is older than `staleBefore`
   * (its sender died mid-send). Returns false when another sender holds it or it was sent.
   */
  async claim(id: number, at: Date, staleBefore: Date): Promise<boolean> {
    const r = await this.db
      .updateTable('digestOutbox')
      .set((eb) => ({ status: 'sending', claimedAt: at.toISOString(), attempts: eb('attempts', '+', 1) }))
      .where('id', '=', id)
      .where((eb) => eb.or([eb('status', '=', 'pending'), eb.and([eb('status', '=', 'sending'), eb('claimedAt', '<', staleBefore.toISOString())])]))
      .executeTakeFirst();
    return Number(r.numUpdatedRows) > 0;
  }

  /**
   * Marks a digest sent, only while the claim made at `claimedAt` still holds it: a sender whose claim was
   * taken over as stale must not touch the row. Returns false when the claim was lost.
   */
  async markSent(id: number, at: Date, claimedAt: Date): Promise<boolean> {
    const r = await this.db
      .updateTable('digestOutbox')
      .set({ status: 'sent', sentAt: at.toISOString(), lastError: null })
      .where('id', '=', id)
      .where('status', '=', 'sending')
      .where('claimedAt', '=', claimedAt.toISOString())
      .executeTakeFirst();
    return Number(r.numUpdatedRows) > 0;
  }

  /**
   * Records a failed send of the claim made at `claimedAt`: back to pending for a retry, or `failed` once
   * `giveUp` is true. Does nothing (returns false) when that claim no longer holds the row.
   */
  async markFailed(id: number, error: string, giveUp: boolean, claimedAt: Date): Promise<boolean> {
    const r = await this.db
      .updateTable('digestOutbox')
      .set({ status: giveUp ? 'failed' : 'pending', lastError: error.slice(0, 1000) })
      .where('id', '=', id)
      .where('status', '=', 'sending')
      .where('claimedAt', '=', claimedAt.toISOString())
      .executeTakeFirst();
    return Number(r.numUpdatedRows) > 0;
  }

  /**
   * Claims up to `limit` digests ready to send, oldest first: pending ones and those whose claim is older
   * than `staleBefore`, optionally of one week. Each returned entry is now `sending` with
   * `claimedAt = at` and counts the attempt. On PostgreSQL the rows are picked `FOR UPDATE SKIP LOCKED`,
   * so several instances claiming at once each get different digests without waiting on each other; on
   * SQLite the transaction holds the write lock. A digest is claimed by one caller only.
   */
  async claimBatch(input: { limit: number; week?: string }, at: Date, staleBefore: Date): Promise<OutboxEntry[]> {
    return inTransaction(this.db, async (db) => {
      let pick = db
        .selectFrom('digestOutbox')
        .select('id')
        .where((eb) => eb.or([eb('status', '=', 'pending'), eb.and([eb('status', '=', 'sending'), eb('claimedAt', '<', staleBefore.toISOString())])]))
        .orderBy('id')
        .limit(input.limit);
      if (input.week !== undefined) pick = pick.where('week', '=', input.week);
      if (dialectOf(db) === 'postgres') pick = pick.forUpdate().skipLocked();
      const ids = (await pick.execute()).map((r) => r.id);
      if (ids.length === 0) return [];
      const rows = await db
        .updateTable('digestOutbox')
        .set((eb) => ({ status: 'sending', claimedAt: at.toISOString(), attempts: eb('attempts', '+', 1) }))
        .where('id', 'in', ids)
        .returning(['id', 'week', 'platform', 'conversationId', 'kind', 'unit', 'status', 'attempts', 'createdAt', 'sentAt', 'lastError'])
        .execute();
      return rows.map((r) => ({ ...r, attempts: Number(r.attempts) })).sort((a, b) => a.id - b.id);
    });
  }

  /** Entries, optionally of one week and status, oldest first. */
  async list(filter: { week?: string; status?: OutboxEntry['status'] } = {}): Promise<OutboxEntry[]> {
    let q = this.db
      .selectFrom('digestOutbox')
      .select(['id', 'week', 'platform', 'conversationId', 'kind', 'unit', 'status', 'attempts', 'createdAt', 'sentAt', 'lastError'])
      .orderBy('id');
    if (filter.week !== undefined) q = q.where('week', '=', filter.week);
    if (filter.status !== undefined) q = q.where('status', '=', filter.status);
    return (await q.execute()).map((r) => ({ ...r, attempts: Number(r.attempts) }));
  }
}
