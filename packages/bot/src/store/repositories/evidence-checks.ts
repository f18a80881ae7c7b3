import type { EvidenceCheckResult } from '@zwgk/sdk';
import { by, inTransaction, iso, parseList, type ChangeContext, type Db } from '../db.js';
import { dialectOf } from '../migrations/columns.js';
import { AuditRepository } from './audit.js';

/** Results that need the office's attention (everything but `ok` and `not_checked`). */
export const FLAGGED_RESULTS: readonly EvidenceCheckResult[] = ['bad_scheme', 'host_not_allowed', 'http_error', 'timeout', 'unreachable', 'redirect_not_allowed', 'too_many_redirects'];

/** True when a check result needs the office's attention. */
export function isFlagged(result: string | null): boolean {
  return result !== null && (FLAGGED_RESULTS as readonly string[]).includes(result);
}

/** One check of one evidence link of a confirmation. `state` is `pending` until the checker stored its result. */
export interface StoredEvidenceCheck {
  id: number;
  confirmationId: number;
  url: string;
  state: 'pending' | 'done';
  result: EvidenceCheckResult | null;
  httpStatus: number | null;
  title: string | null;
  finalUrl: string | null;
  detail: string | null;
  requestedAt: string;
  checkedAt: string | null;
  attempts: number;
  notifiedAt: string | null;
}

/** A finished check with what the office needs to act on it: the confirmation's unit, task and milestone. */
export interface FlaggedEvidenceCheck extends StoredEvidenceCheck {
  unit: string;
  task: number;
  due: string;
  year: number;
}

/** What the checker found (see `EvidenceCheckResult` of @zwgk/sdk). */
export interface EvidenceCheckOutcome {
  result: EvidenceCheckResult;
  httpStatus?: number | null;
  title?: string | null;
  finalUrl?: string | null;
  detail?: string | null;
}

const COLUMNS = ['id', 'confirmationId', 'url', 'state', 'result', 'httpStatus', 'title', 'finalUrl', 'detail', 'requestedAt', 'checkedAt', 'attempts', 'notifiedAt'] as const;

// eslint-disable-next-line @typescript-eslint/no-explicit-any
function toCheck(r: any): StoredEvidenceCheck {
  return {
    id: Number(r.id),
    confirmationId: Number(r.confirmationId),
    url: r.url,
    state: r.state,
    result: r.result ?? null,
    httpStatus: r.httpStatus === null || r.httpStatus === undefined ? null : Number(r.httpStatus),
    title: r.title ?? null,
    finalUrl: r.finalUrl ?? null,
    detail: r.detail ?? null,
    requestedAt: r.requestedAt,
    checkedAt: r.checkedAt ?? null,
    attempts: Number(r.attempts ?? 0),
    notifiedAt: r.notifiedAt ?? null,
  };
}

/**
 * Checks of confirmations' evidence links. A check is requested (a `pending` row) in the transaction that
 * records the link, so it survives a crash; the background checker (`createEvidenceChecker`) claims
 * pending rows, stores each result, and the office is told about failing links once (`notifiedAt`).
 */
export class EvidenceCheckRepository {
  constructor(private readonly db: Db) {}

  /** Requests a check of each link of a confirmation (links repeated in `urls` once). Returns how many were requested. */
  async request(confirmationId: number, urls: readonly string[], ctx: ChangeContext): Promise<number> {
    const unique = [...new Set(urls)];
    if (unique.length === 0) return 0;
    await this.db
      .insertInto('evidenceChecks')
      .values(unique.map((url) => ({ confirmationId, url, state: 'pending' as const, result: null, httpStatus: null, title: null, finalUrl: null, detail: null, requestedAt: iso(ctx.at), requestedBy: by(ctx.actor), claimedAt: null, checkedAt: null, attempts: 0, notifiedAt: null })))
      .execute();
    return unique.length;
  }

  /**
   * Requests a new check of every link of the active confirmations of a year (optionally one unit's, one
   * task's), e.g. an admin's 核查链接. Writes one audit entry. Returns how many checks were requested.
   */
  async recheck(filter: { year: number; unit?: string; task?: number }, ctx: ChangeContext): Promise<number> {
    return inTransaction(this.db, async (db) => {
      let q = db.selectFrom('confirmations').select(['id', 'evidence']).where('year', '=', filter.year).where('undoneAt', 'is', null);
      if (filter.unit !== undefined) q = q.where('unit', '=', filter.unit);
      if (filter.task !== undefined) q = q.where('task', '=', filter.task);
      const repo = new EvidenceCheckRepository(db);
      let count = 0;
      for (const row of await q.orderBy('id').execute()) count += await repo.request(row.id, parseList(row.evidence), ctx);
      await new AuditRepository(db).append('evidence.recheck', { ...filter, requested: count }, ctx);
      return count;
    });
  }

  /**
   * Claims up to `limit` pending checks, oldest first: unclaimed ones and those claimed before
   * `staleBefore` (their checker died). On PostgreSQL rows are picked `FOR UPDATE SKIP LOCKED`, so
   * several instances get different checks.
   */
  async claim(limit: number, at: Date, staleBefore: Date): Promise<StoredEvidenceCheck[]> {
    return inTransaction(this.db, async (db) => {
      let pick = db
        .selectFrom('evidenceChecks')
        .select('id')
        .where('state', '=', 'pending')
        .where((eb) => eb.or([eb('claimedAt', 'is', null), eb('claimedAt', '<', staleBefore.toISOString())]))
        .orderBy('id')
        .limit(limit);
      if (dialectOf(db) === 'postgres') pick = pick.forUpdate().skipLocked();
      const ids = (await pick.execute()).map((r) => r.id);
      if (ids.length === 0) return [];
      const rows = await db
        .updateTable('evidenceChecks')
        .set((eb) => ({ claimedAt: at.toISOString(), attempts: eb('attempts', '+', 1) }))
        .where('id', 'in', ids)
        .returning(COLUMNS)
        .execute();
      return rows.map(toCheck).sort((a, b) => a.id - b.id);
    });
  }

  /** Stores a check's result. Returns false when it was done already (another checker finished first). */
  async complete(id: number, outcome: EvidenceCheckOutcome, at: Date): Promise<boolean> {
    const r = await this.db
      .updateTable('evidenceChecks')
      .set({
        state: 'done',
        result: outcome.result,
        httpStatus: outcome.httpStatus ?? null,
        title: outcome.title ?? null,
        finalUrl: outcome.finalUrl ?? null,
        detail: outcome.detail ?? null,
        checkedAt: at.toISOString(),
      })
      .where('id', '=', id)
      .where('state', '=', 'pending')
      .executeTakeFirst();
    return Number(r.numUpdatedRows) > 0;
  }

  /** How many checks are waiting. */
  async pendingCount(): Promise<number> {
    const r = await this.db.selectFrom('evidenceChecks').select((eb) => eb.fn.countAll<number>().as('n')).where('state', '=', 'pending').executeTakeFirst();
    return Number(r?.n ?? 0);
  }

  /**
   * The latest check of each link of the given confirmations (pending or done), by confirmation id: what the
   * review queue shows beside each link. Links never checked are absent.
   *
   * @example
   * const checks = await store.evidenceChecks.latest([12, 13]);
   * checks.get(12); // [{ url: 'https://www.qinyuan.gov.cn/…', result: 'ok', httpStatus: 200, title: '…', … }]
   */
  async latest(confirmationIds: readonly number[]): Promise<Map<number, StoredEvidenceCheck[]>> {
    const out = new Map<number, StoredEvidenceCheck[]>();
    if (confirmationIds.length === 0) return out;
    const ids = [...new Set(confirmationIds)];
    const rows: StoredEvidenceCheck[] = [];
    // Chunks keep the parameter count within SQLite's and PostgreSQL's limits.
    for (let i = 0; i < ids.length; i += 500) {
      const chunk = ids.slice(i, i + 500);
      rows.push(...(await this.db.selectFrom('evidenceChecks').select(COLUMNS).where('confirmationId', 'in', chunk).orderBy('id').execute()).map(toCheck));
    }
    const byLink = new Map<string, StoredEvidenceCheck>();
    for (const row of rows) byLink.set(`${row.confirmationId}\u0000${row.url}`, row);
    for (const row of byLink.values()) {
      const list = out.get(row.confirmationId) ?? [];
      list.push(row);
      out.set(row.confirmationId, list);
    }
    return out;
  }

  /**
   * Finished checks whose link failed, with the confirmation's unit and task, oldest first: of a year
   * (and optionally a unit); `unnotified` only those the office was not told about yet. Only the latest
   * check of each link counts: a link that passed a later re-check is not listed.
   */
  async flagged(filter: { year?: number; unit?: string; unnotified?: boolean } = {}): Promise<FlaggedEvidenceCheck[]> {
    let q = this.db
      .selectFrom('evidenceChecks as e')
      .innerJoin('confirmations as c', 'c.id', 'e.confirmationId')
      .select(['e.id', 'e.confirmationId', 'e.url', 'e.state', 'e.result', 'e.httpStatus', 'e.title', 'e.finalUrl', 'e.detail', 'e.requestedAt', 'e.checkedAt', 'e.attempts', 'e.notifiedAt', 'c.unit', 'c.task', 'c.due', 'c.year'])
      .where('c.undoneAt', 'is', null)
      .where((eb) => eb.not(eb.exists(eb.selectFrom('evidenceChecks as later').select('later.id').whereRef('later.confirmationId', '=', 'e.confirmationId').whereRef('later.url', '=', 'e.url').whereRef('later.id', '>', 'e.id'))))
      .where('e.state', '=', 'done')
      .where('e.result', 'in', [...FLAGGED_RESULTS])
      .orderBy('e.id');
    if (filter.year !== undefined) q = q.where('c.year', '=', filter.year);
    if (filter.unit !== undefined) q = q.where('c.unit', '=', filter.unit);
    if (filter.unnotified) q = q.where('e.notifiedAt', 'is', null);
    return (await q.execute()).map((r) => ({ ...toCheck(r), unit: r.unit, task: Number(r.task), due: r.due, year: Number(r.year) }));
  }

  /** Records that the office was told about these checks. */
  async markNotified(ids: readonly number[], at: Date): Promise<void> {
    if (ids.length === 0) return;
    await this.db.updateTable('evidenceChecks').set({ notifiedAt: at.toISOString() }).where('id', 'in', [...ids]).where('notifiedAt', 'is', null).execute();
  }
}
