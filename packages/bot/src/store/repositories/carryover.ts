import { by, inTransaction, iso, type ChangeContext, type Db } from '../db.js';
import { AuditRepository } from './audit.js';

/** An item carried over from the previous year's 回头看 (task 33). */
export interface StoredCarryover {
  id: number;
  year: number;
  unit: string;
  item: string;
  resolved: boolean;
  recordedAt: string;
}

/** Carry-over items (回头看). */
export class CarryoverRepository {
  constructor(private readonly db: Db) {}

  /** Records an item. Returns its id. */
  async add(input: { year: number; unit: string; item: string; resolved?: boolean }, ctx: ChangeContext): Promise<number> {
    return inTransaction(this.db, async (db) => {
      const row = await db
        .insertInto('carryover')
        .values({
          year: input.year,
          unit: input.unit,
          item: input.item,
          resolved: input.resolved ? 1 : 0,
          recordedAt: iso(ctx.at),
          recordedBy: by(ctx.actor),
          resolvedAt: input.resolved ? iso(ctx.at) : null,
        })
        .returning('id')
        .executeTakeFirstOrThrow();
      await new AuditRepository(db).append('carryover.add', { id: row.id, ...input, resolved: input.resolved ?? false }, ctx);
      return row.id;
    });
  }

  /** Marks an item resolved. Returns false when it does not exist or is already resolved. */
  async resolve(id: number, ctx: ChangeContext): Promise<boolean> {
    return inTransaction(this.db, async (db) => {
      const r = await db.updateTable('carryover').set({ resolved: 1, resolvedAt: iso(ctx.at) }).where('id', '=', id).where('resolved', '=', 0).executeTakeFirst();
      if (Number(r.numUpdatedRows) === 0) return false;
      await new AuditRepository(db).append('carryover.resolve', { id }, ctx);
      return true;
    });
  }

  /** Items of a plan year, optionally of one unit, in the order recorded. */
  async list(filter: { year: number; unit?: string }): Promise<StoredCarryover[]> {
    let q = this.db.selectFrom('carryover').select(['id', 'year', 'unit', 'item', 'resolved', 'recordedAt']).where('year', '=', filter.year);
    if (filter.unit !== undefined) q = q.where('unit', '=', filter.unit);
    return (await q.orderBy('id').execute()).map((r) => ({ ...r, resolved: Number(r.resolved) === 1 }));
  }
}
