import { sql } from 'kysely';
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
  /** When the send's request was about to leave; with status `sending` after a crash, the send is uncertain. */
  sendStartedAt: string | null;
  sentAt: string | null;
  lastError: string | null;
}

/** The `lastError` prefix of a digest that may or may not have reached its group (never sent again). */
export const UNCERTAIN_PREFIX = 'uncertain: ';

/** What {@link OutboxRepository.recoverInterrupted} did. */
export interface OutboxRecovery {
  /** Claimed rows whose request never started: back to pending, sent on this or the next pass. */
  requeued: number;
  /** Rows whose request started and never finished: marked failed as uncertain, not sent again. */
  uncertain: OutboxEntry[];
}

const COLUMNS = ['id', 'week', 'platform', 'conversationId', 'kind', 'unit', 'status', 'attempts', 'createdAt', 'sendStartedAt', 'sentAt', 'lastError'] as const;

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
        claimedBy: null,
        sendStartedAt: null,
        sentAt: null,
        lastError: null,
      })
      .onConflict((oc) => oc.columns(['platform', 'conversationId', 'week']).doNothing())
      .executeTakeFirst();
    return Number(r.numInsertedOrUpdatedRows ?? 0n) > 0;
  }

  /**
   * Claims a digest for sending: a pending one, or one whose earlier claim is older than `staleBefore` and
   * whose request never started (its sender died before sending). A row whose request started is never
   * claimed again (see {@link recoverInterrupted}). Returns false when another sender holds it or it was sent.
   */
  async claim(id: number, at: Date, staleBefore: Date): Promise<boolean> {
    const r = await this.db
      .updateTable('digestOutbox')
      .set((eb) => ({ status: 'sending', claimedAt: at.toISOString(), claimedBy: null, attempts: eb('attempts', '+', 1) }))
      .where('id', '=', id)
      .where((eb) =>
        eb.or([eb('status', '=', 'pending'), eb.and([eb('status', '=', 'sending'), eb('sendStartedAt', 'is', null), eb('claimedAt', '<', staleBefore.toISOString())])]),
      )
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
      // A recovery run elsewhere may have marked this claim's send uncertain meanwhile; it did arrive.
      .where((eb) => eb.or([eb('status', '=', 'sending'), eb.and([eb('status', '=', 'failed'), eb('lastError', 'like', `${UNCERTAIN_PREFIX}%`)])]))
      .where('claimedAt', '=', claimedAt.toISOString())
      .executeTakeFirst();
    return Number(r.numUpdatedRows) > 0;
  }

  /**
   * Marks the request of the claim made at `claimedAt` as about to leave: call it immediately before the
   * request, after rendering and any rate-limit wait. Returns false (send nothing) when the claim was lost.
   */
  async markStarted(id: number, at: Date, claimedAt: Date): Promise<boolean> {
    const r = await this.db
      .updateTable('digestOutbox')
      .set({ sendStartedAt: at.toISOString() })
      .where('id', '=', id)
      .where('status', '=', 'sending')
      .where('claimedAt', '=', claimedAt.toISOString())
      .where('sendStartedAt', 'is', null)
      .executeTakeFirst();
    return Number(r.numUpdatedRows) > 0;
  }

  /**
   * Records a failed send of the claim made at `claimedAt`: back to pending for a retry (the start marker
   * cleared: the request provably did not get through), or `failed` once `giveUp` is true. Does nothing
   * (returns false) when that claim no longer holds the row.
   */
  async markFailed(id: number, error: string, giveUp: boolean, claimedAt: Date): Promise<boolean> {
    const r = await this.db
      .updateTable('digestOutbox')
      .set(giveUp ? { status: 'failed', lastError: error.slice(0, 1000) } : { status: 'pending', sendStartedAt: null, lastError: error.slice(0, 1000) })
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
   * SQLite the transaction holds the write lock. A digest is claimed by one caller only. `holder` names
   * the claiming sender (see {@link recoverAbandoned}); without it the claim is a single sender's.
   */
  async claimBatch(input: { limit: number; week?: string; holder?: string }, at: Date, staleBefore: Date): Promise<OutboxEntry[]> {
    let pick = this.db
      .selectFrom('digestOutbox')
      .select('id')
      .where((eb) =>
        eb.or([eb('status', '=', 'pending'), eb.and([eb('status', '=', 'sending'), eb('sendStartedAt', 'is', null), eb('claimedAt', '<', staleBefore.toISOString())])]),
      )
      .orderBy('id')
      .limit(input.limit);
    if (input.week !== undefined) pick = pick.where('week', '=', input.week);
    if (dialectOf(this.db) === 'postgres') pick = pick.forUpdate().skipLocked();
    // One statement (no transaction round trips): the picked rows are locked (or, on SQLite, the statement holds the write lock) until updated.
    const rows = await this.db
      .updateTable('digestOutbox')
      .set((eb) => ({ status: 'sending', claimedAt: at.toISOString(), claimedBy: input.holder ?? null, attempts: eb('attempts', '+', 1) }))
      .where('id', 'in', pick)
      .returning([...COLUMNS])
      .execute();
    return rows.map((r) => ({ ...r, attempts: Number(r.attempts) })).sort((a, b) => a.id - b.id);
  }

  /**
   * Settles the rows a dead sender left in `sending`: one whose request never started goes back to
   * pending (it was not sent, so sending it is safe); one whose request started but was never marked sent
   * is marked `failed` with the error `uncertain: …` and is not sent again (it may have arrived). Run it
   * where no send of this database is in flight: at start-up and at the start of every digest pass of
   * the only process that sends digests (the scheduler's lease holder, or `zwgk digest`).
   */
  async recoverInterrupted(at: Date): Promise<OutboxRecovery> {
    return inTransaction(this.db, async (db) => {
      const started = await db.selectFrom('digestOutbox').select([...COLUMNS]).where('status', '=', 'sending').where('sendStartedAt', 'is not', null).orderBy('id').execute();
      const uncertain: OutboxEntry[] = [];
      for (const row of started) {
        const lastError = `${UNCERTAIN_PREFIX}the sender stopped inside the request started at ${row.sendStartedAt}; it may have arrived (recovered ${at.toISOString()})`;
        await db.updateTable('digestOutbox').set({ status: 'failed', lastError }).where('id', '=', row.id).where('status', '=', 'sending').execute();
        uncertain.push({ ...row, attempts: Number(row.attempts), status: 'failed', lastError });
      }
      const r = await db.updateTable('digestOutbox').set({ status: 'pending', claimedAt: null, claimedBy: null }).where('status', '=', 'sending').where('sendStartedAt', 'is', null).executeTakeFirst();
      return { requeued: Number(r.numUpdatedRows), uncertain };
    });
  }

  /**
   * Settles the claims of senders that are gone, while other senders keep sending: a row in `sending`
   * claimed by a holder not in `live` goes back to pending when its request never started, and is marked
   * `failed` as uncertain when it did (as {@link recoverInterrupted} does). Rows claimed without a holder
   * (a single sender's) and rows of live holders are left alone.
   */
  async recoverAbandoned(at: Date, live: readonly string[]): Promise<OutboxRecovery> {
    // Mostly there is nothing to settle: one look before a transaction.
    let any = this.db.selectFrom('digestOutbox').select('id').where('status', '=', 'sending').where('claimedBy', 'is not', null).limit(1);
    if (live.length > 0) any = any.where('claimedBy', 'not in', [...live]);
    if ((await any.execute()).length === 0) return { requeued: 0, uncertain: [] };
    return inTransaction(this.db, async (db) => {
      let started = db.selectFrom('digestOutbox').select([...COLUMNS, 'claimedAt']).where('status', '=', 'sending').where('claimedBy', 'is not', null).where('sendStartedAt', 'is not', null);
      if (live.length > 0) started = started.where('claimedBy', 'not in', [...live]);
      const uncertain: OutboxEntry[] = [];
      for (const { claimedAt, ...row } of await started.orderBy('id').execute()) {
        const lastError = `${UNCERTAIN_PREFIX}the sender stopped inside the request started at ${row.sendStartedAt}; it may have arrived (recovered ${at.toISOString()})`;
        const r = await db
          .updateTable('digestOutbox')
          .set({ status: 'failed', lastError })
          .where('id', '=', row.id)
          .where('status', '=', 'sending')
          .where('claimedAt', '=', claimedAt)
          .executeTakeFirst();
        if (Number(r.numUpdatedRows) > 0) uncertain.push({ ...row, attempts: Number(row.attempts), status: 'failed', lastError });
      }
      let requeue = db.updateTable('digestOutbox').set({ status: 'pending', claimedAt: null, claimedBy: null }).where('status', '=', 'sending').where('claimedBy', 'is not', null).where('sendStartedAt', 'is', null);
      if (live.length > 0) requeue = requeue.where('claimedBy', 'not in', [...live]);
      const r = await requeue.executeTakeFirst();
      return { requeued: Number(r.numUpdatedRows), uncertain };
    });
  }

  /**
   * Adds the digest of every bound group (unit groups and admin groups) for `week`, skipping those queued
   * already, without reading the groups out: one `INSERT … SELECT` per kind of group. Returns how many
   * were added.
   */
  async enqueueBound(week: string, at: Date): Promise<number> {
    const createdAt = at.toISOString();
    const text = (v: string) => sql<string>`cast(${v} as text)`;
    const units = this.db
      .insertInto('digestOutbox')
      .columns(['week', 'platform', 'conversationId', 'kind', 'unit', 'status', 'attempts', 'createdAt'])
      .expression(
        this.db
          .selectFrom('unitGroups')
          .select([text(week).as('week'), 'platform', 'conversationId', sql.lit('unit').as('kind'), 'unit', sql.lit('pending').as('status'), sql.lit(0).as('attempts'), text(createdAt).as('createdAt')])
          // SQLite reads `ON CONFLICT` after a bare `SELECT … FROM t` as a join constraint: a WHERE tells them apart.
          .where(sql<boolean>`1 = 1`),
      )
      .onConflict((oc) => oc.columns(['platform', 'conversationId', 'week']).doNothing());
    const admins = this.db
      .insertInto('digestOutbox')
      .columns(['week', 'platform', 'conversationId', 'kind', 'unit', 'status', 'attempts', 'createdAt'])
      .expression(
        this.db
          .selectFrom('adminGroups')
          .select([text(week).as('week'), 'platform', 'conversationId', sql.lit('admin').as('kind'), sql.lit(null).as('unit'), sql.lit('pending').as('status'), sql.lit(0).as('attempts'), text(createdAt).as('createdAt')])
          .where(sql<boolean>`1 = 1`),
      )
      .onConflict((oc) => oc.columns(['platform', 'conversationId', 'week']).doNothing());
    const added = await units.executeTakeFirst();
    const addedAdmins = await admins.executeTakeFirst();
    return Number(added.numInsertedOrUpdatedRows ?? 0n) + Number(addedAdmins.numInsertedOrUpdatedRows ?? 0n);
  }

  /** How many digests {@link claimBatch} would hand out now (optionally of one week): pending ones and stale unstarted claims. */
  async countClaimable(filter: { week?: string }, staleBefore: Date): Promise<number> {
    let q = this.db
      .selectFrom('digestOutbox')
      .select((eb) => eb.fn.countAll<number | string>().as('n'))
      .where((eb) =>
        eb.or([eb('status', '=', 'pending'), eb.and([eb('status', '=', 'sending'), eb('sendStartedAt', 'is', null), eb('claimedAt', '<', staleBefore.toISOString())])]),
      );
    if (filter.week !== undefined) q = q.where('week', '=', filter.week);
    return Number((await q.executeTakeFirst())?.n ?? 0);
  }

  /** Digests that may or may not have reached their group (`failed` with `uncertain: …`), optionally of one week. */
  async listUncertain(filter: { week?: string } = {}): Promise<OutboxEntry[]> {
    let q = this.db.selectFrom('digestOutbox').select([...COLUMNS]).where('status', '=', 'failed').where('lastError', 'like', `${UNCERTAIN_PREFIX}%`).orderBy('id');
    if (filter.week !== undefined) q = q.where('week', '=', filter.week);
    return (await q.execute()).map((r) => ({ ...r, attempts: Number(r.attempts) }));
  }

  /** Entries, optionally of one week and status, oldest first. */
  async list(filter: { week?: string; status?: OutboxEntry['status'] } = {}): Promise<OutboxEntry[]> {
    let q = this.db
      .selectFrom('digestOutbox')
      .select([...COLUMNS])
      .orderBy('id');
    if (filter.week !== undefined) q = q.where('week', '=', filter.week);
    if (filter.status !== undefined) q = q.where('status', '=', filter.status);
    return (await q.execute()).map((r) => ({ ...r, attempts: Number(r.attempts) }));
  }
}
