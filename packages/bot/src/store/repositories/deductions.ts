import { by, inTransaction, iso, type ChangeContext, type Db } from '../db.js';
import { AuditRepository } from './audit.js';

/** A manual deduction (扣分) by the county office. */
export interface StoredDeduction {
  id: number;
  year: number;
  unit: string;
  points: number;
  reason: string;
  recordedAt: string;
  /** Set once the office withdrew it; a withdrawn deduction does not count. */
  removedAt: string | null;
}

/** Manual deductions. */
export class DeductionRepository {
  constructor(private readonly db: Db) {}

  /** Records a deduction. Returns its id. */
  async add(input: { year: number; unit: string; points: number; reason: string }, ctx: ChangeContext): Promise<number> {
    return inTransaction(this.db, async (db) => {
      const row = await db
        .insertInto('deductions')
        .values({ year: input.year, unit: input.unit, points: input.points, reason: input.reason, recordedAt: iso(ctx.at), recordedBy: by(ctx.actor), removedAt: null, removedBy: null })
        .returning('id')
        .executeTakeFirstOrThrow();
      await new AuditRepository(db).append('deduction.add', { id: row.id, ...input }, ctx);
      return row.id;
    });
  }

  /** Withdraws a deduction (it stays stored, marked removed). Returns false when it does not exist or was withdrawn already. */
  async remove(id: number, ctx: ChangeContext): Promise<boolean> {
    return inTransaction(this.db, async (db) => {
      const r = await db.updateTable('deductions').set({ removedAt: iso(ctx.at), removedBy: by(ctx.actor) }).where('id', '=', id).where('removedAt', 'is', null).executeTakeFirst();
      if (Number(r.numUpdatedRows) === 0) return false;
      await new AuditRepository(db).append('deduction.remove', { id }, ctx);
      return true;
    });
  }

  /** Deductions of a plan year, optionally of one unit, in the order recorded; withdrawn ones only with `includeRemoved`. */
  async list(filter: { year: number; unit?: string; includeRemoved?: boolean }): Promise<StoredDeduction[]> {
    let q = this.db.selectFrom('deductions').select(['id', 'year', 'unit', 'points', 'reason', 'recordedAt', 'removedAt']).where('year', '=', filter.year);
    if (filter.unit !== undefined) q = q.where('unit', '=', filter.unit);
    if (!filter.includeRemoved) q = q.where('removedAt', 'is', null);
    // PostgreSQL drivers may hand `double precision` back as a string.
    return (await q.orderBy('id').execute()).map((r) => ({ ...r, points: Number(r.points) }));
  }
}
