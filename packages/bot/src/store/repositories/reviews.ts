import { by, inTransaction, iso, type ChangeContext, type Db } from '../db.js';
import { AuditRepository } from './audit.js';

/** A confirmation's review state: 待复核 (`pending`), 通过 (`accepted`) or 退回 (`returned`). */
export type ReviewState = 'pending' | 'accepted' | 'returned';

/** What a review row records: the office's decision, or the unit submitting a returned confirmation again. */
export type ReviewAction = 'accepted' | 'returned' | 'resubmitted';

/** The confirmation a review row is about (the columns are copied so that the history reads on its own). */
export interface ReviewTarget {
  id: number;
  year: number;
  unit: string;
  task: number;
  due: string;
}

/** One row of the review history. */
export interface ReviewEvent {
  id: number;
  confirmationId: number;
  year: number;
  unit: string;
  task: number;
  due: string;
  action: ReviewAction;
  reason: string | null;
  /** ISO time (UTC). */
  at: string;
  /** `platform:id` of who acted. */
  actor: string;
  actorName: string | null;
}

/** A return (退回) in a confirmation's history. */
export interface ReviewReturn {
  at: string;
  reason: string;
  reviewer: string | null;
}

/** Where a confirmation stands, folded from its history by {@link reviewStatus}. */
export interface ReviewStatus {
  state: ReviewState;
  /** The reason of the latest return, while `returned`. */
  reason: string | null;
  /** Who took the latest decision (通过 / 退回), by name; null while nothing was decided. */
  reviewer: string | null;
  /** When the latest decision was taken (ISO), null while none. */
  decidedAt: string | null;
  /** Every submission's time (ISO): the confirmation's own, then each resubmission after a return. */
  submissions: string[];
  /** Every return, oldest first. */
  returns: ReviewReturn[];
}

/**
 * Folds a confirmation's review history (oldest first) into its status: no rows is 待复核; 通过 and 退回
 * decide; a resubmission puts a returned confirmation back in the queue at its own time.
 */
export function reviewStatus(confirmationAt: string, events: readonly ReviewEvent[]): ReviewStatus {
  const status: ReviewStatus = { state: 'pending', reason: null, reviewer: null, decidedAt: null, submissions: [confirmationAt], returns: [] };
  for (const e of events) {
    if (e.action === 'resubmitted') {
      status.state = 'pending';
      status.reason = null;
      status.submissions.push(e.at);
      continue;
    }
    status.state = e.action;
    status.reviewer = e.actorName ?? e.actor;
    status.decidedAt = e.at;
    status.reason = e.action === 'returned' ? e.reason : null;
    if (e.action === 'returned') status.returns.push({ at: e.at, reason: e.reason ?? '', reviewer: e.actorName ?? e.actor });
  }
  return status;
}

const AUDIT: Record<ReviewAction, string> = { accepted: 'review.accept', returned: 'review.return', resubmitted: 'review.resubmit' };

/** The office's review (复核) of confirmations: decisions and resubmissions, as an append-only history. */
export class ReviewRepository {
  constructor(private readonly db: Db) {}

  /**
   * Records a decision (`accepted`; `returned` with its reason) or a resubmission of a returned confirmation,
   * with its audit entry in the same transaction. Returns the row's id.
   */
  async record(target: ReviewTarget, action: ReviewAction, reason: string | null, ctx: ChangeContext): Promise<number> {
    if (action === 'returned' && !reason?.trim()) throw new Error('ReviewRepository.record: a return needs its reason');
    return inTransaction(this.db, async (db) => {
      const at = iso(ctx.at);
      const row = await db
        .insertInto('reviews')
        .values({ confirmationId: target.id, year: target.year, unit: target.unit, task: target.task, due: target.due, action, reason: action === 'returned' ? reason!.trim() : null, at, actor: by(ctx.actor), actorName: ctx.actor.name ?? null })
        .returning('id')
        .executeTakeFirstOrThrow();
      const payload = { confirmation: target.id, unit: target.unit, task: target.task, due: target.due, ...(action === 'returned' ? { reason: reason!.trim() } : {}) };
      await new AuditRepository(db).append(AUDIT[action], payload, ctx);
      return row.id;
    });
  }

  /** The review history of a plan year (optionally one unit's), oldest first. */
  async list(filter: { year: number; unit?: string }): Promise<ReviewEvent[]> {
    let q = this.db.selectFrom('reviews').selectAll().where('year', '=', filter.year);
    if (filter.unit !== undefined) q = q.where('unit', '=', filter.unit);
    return (await q.orderBy('id').execute()).map((r) => ({ ...r, action: r.action as ReviewAction }));
  }

  /** The status of each confirmation given (by id), from the history of their plan years. */
  async statuses(confirmations: ReadonlyArray<{ id: number; year: number; unit: string; at: string }>): Promise<Map<number, ReviewStatus>> {
    const out = new Map<number, ReviewStatus>();
    if (confirmations.length === 0) return out;
    const years = [...new Set(confirmations.map((c) => c.year))];
    const units = new Set(confirmations.map((c) => c.unit));
    const byConfirmation = new Map<number, ReviewEvent[]>();
    for (const year of years) {
      const events = await this.list(units.size === 1 ? { year, unit: [...units][0]! } : { year });
      for (const e of events) {
        const list = byConfirmation.get(e.confirmationId);
        if (list) list.push(e);
        else byConfirmation.set(e.confirmationId, [e]);
      }
    }
    for (const c of confirmations) out.set(c.id, reviewStatus(c.at, byConfirmation.get(c.id) ?? []));
    return out;
  }
}
