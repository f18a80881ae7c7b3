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
}

/** Manual deductions. */
export class DeductionRepository {
  constructor(private readonly db: Db) {}

  /** Records a deduction. Returns its id. */
  async add(input: { year: number; unit: string; points: number; reason: string }, ctx: ChangeContext): Promise<number> {
    return inTransaction(this.db, async (db) => {
      const row = await db
        .insertInto('deductions')
        .values({ year: input.year, unit: input.unit, points: input.points, reason: input.reason, recordedAt: iso(ctx.at), recordedBy: by(ctx.actor) })
        .returning('id')
        .executeTakeFirstOrThrow();
      await new AuditRepository(db).append('deduction.add', { id: row.id, ...input }, ctx);
      return row.id;
    });
  }

  /** Deductions of a plan year, optionally of one unit, in the order recorded. */
  async list(filter: { year: number; unit?: string }): Promise<StoredDeduction[]> {
    let q = this.db.selectFrom('deductions').select(['id', 'year', 'unit', 'points', 'reason', 'recordedAt']).where('year', '=', filter.year);
    if (filter.unit !== undefined) q = q.where('unit', '=', filter.unit);
    // PostgreSQL drivers may hand `double precision` back as a string.
    return (await q.orderBy('id').execute()).map((r) => ({ ...r, points: Number(r.points) }));
  }
}
