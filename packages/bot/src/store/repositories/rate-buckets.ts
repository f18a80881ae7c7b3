import { dialectOf } from '../migrations/columns.js';
import { inTransaction, type Db } from '../db.js';

/** One budget a send must fit: a bucket refilled every `intervalMs`, `toleranceMs` of burst. */
export interface RateBucket {
  /** The bucket's name, e.g. `dingtalk:app:<clientId>` or `dingtalk:group:<clientId>:<conversationId>`. */
  bucket: string;
  /** One send per this many ms at the steady rate. */
  intervalMs: number;
  /** How far ahead of the steady rate a burst may run, in ms ((burst − 1) × interval). */
  toleranceMs: number;
}

/**
 * Send-rate buckets shared by every process on the database, so that several instances of one chat
 * app together keep the app's limits. Each bucket is one row holding its theoretical arrival time
 * (the generic cell rate algorithm, as the in-process limiter of `@zwgk/dingtalk`); a reservation
 * locks the rows it books (`FOR UPDATE` on PostgreSQL, the write lock on SQLite), so two processes
 * never book the same slot.
 */
export class RateBucketRepository {
  constructor(private readonly db: Db) {}

  /**
   * Books the next send that fits every bucket in `buckets` and returns how long to wait before it, in
   * ms from `now` (0 when it may go at once). Bookings are first come, first served: a burst is spread
   * out, not refused. Bucket rows are created on first use.
   */
  async reserve(buckets: readonly RateBucket[], now: Date): Promise<number> {
    if (buckets.length === 0) return 0;
    const at = now.getTime();
    const sorted = [...buckets].sort((a, b) => (a.bucket < b.bucket ? -1 : a.bucket > b.bucket ? 1 : 0));
    const names = sorted.map((b) => b.bucket);
    return inTransaction(this.db, async (trx) => {
      await trx
        .insertInto('rateBuckets')
        .values(names.map((bucket) => ({ bucket, tat: 0 })))
        .onConflict((oc) => oc.column('bucket').doNothing())
        .execute();
      // Rows are locked in name order, so two reservations of overlapping buckets cannot deadlock.
      let pick = trx.selectFrom('rateBuckets').select(['bucket', 'tat']).where('bucket', 'in', names).orderBy('bucket');
      if (dialectOf(trx) === 'postgres') pick = pick.forUpdate();
      const rows = new Map((await pick.execute()).map((r) => [r.bucket, Number(r.tat)]));
      let start = at;
      for (const b of sorted) start = Math.max(start, (rows.get(b.bucket) ?? 0) - b.toleranceMs);
      for (const b of sorted) {
        const tat = Math.max(rows.get(b.bucket) ?? 0, start) + b.intervalMs;
        await trx.updateTable('rateBuckets').set({ tat }).where('bucket', '=', b.bucket).execute();
      }
      return start - at;
    });
  }

  /** Forgets buckets whose allowance is full again as of `now` (their next send would go at once); returns how many. */
  async prune(now: Date): Promise<number> {
    const r = await this.db.deleteFrom('rateBuckets').where('tat', '<=', now.getTime()).executeTakeFirst();
    return Number(r.numDeletedRows);
  }
}
