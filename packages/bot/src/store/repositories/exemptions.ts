import { by, inTransaction, iso, type ChangeContext, type Db } from '../db.js';
import { prepared } from '../prepared.js';
import { AuditRepository } from './audit.js';

/** What a 确认 reads: one unit's exemptions in force on some tasks. */
const inForceOfUnitTasks = prepared((db, v: { year: number; unit: string; tasks: readonly number[] }) =>
  db
    .selectFrom('exemptions')
    .select(['id', 'year', 'task', 'unit', 'due', 'reason', 'grantedAt', 'grantedBy'])
    .where('year', '=', v.year)
    .where('revokedAt', 'is', null)
    .where('unit', '=', v.unit)
    .where('task', 'in', v.tasks)
    .orderBy('id'),
);

/** An exemption (豁免) of a unit from a task, or from one milestone of it. */
export interface StoredExemption {
  id: number;
  year: number;
  task: number;
  unit: string;
  /** One milestone, or every milestone of the task when null. */
  due: string | null;
  reason: string;
  grantedAt: string;
  grantedBy: string;
}

/** Exemptions granted by the county office. */
export class ExemptionRepository {
  constructor(private readonly db: Db) {}

  /** Exempts a unit from a task (or from one milestone, by its due date). Returns its id. */
  async add(input: { year: number; task: number; unit: string; due?: string | null; reason: string }, ctx: ChangeContext): Promise<number> {
    return inTransaction(this.db, async (db) => {
      const row = await db
        .insertInto('exemptions')
        .values({
          year: input.year,
          task: input.task,
          unit: input.unit,
          due: input.due ?? null,
          reason: input.reason,
          grantedAt: iso(ctx.at),
          grantedBy: by(ctx.actor),
          revokedAt: null,
          revokedBy: null,
        })
        .returning('id')
        .executeTakeFirstOrThrow();
      await new AuditRepository(db).append('exemption.add', { id: row.id, ...input, due: input.due ?? null }, ctx);
      return row.id;
    });
  }

  /** Revokes an exemption. Returns false when it does not exist or was already revoked. */
  async revoke(id: number, ctx: ChangeContext): Promise<boolean> {
    return inTransaction(this.db, async (db) => {
      const r = await db.updateTable('exemptions').set({ revokedAt: iso(ctx.at), revokedBy: by(ctx.actor) }).where('id', '=', id).where('revokedAt', 'is', null).executeTakeFirst();
      if (Number(r.numUpdatedRows) === 0) return false;
      await new AuditRepository(db).append('exemption.revoke', { id }, ctx);
      return true;
    });
  }

  /** Exemptions in force for a plan year; optionally of one unit and of some tasks (`task` one, `tasks` several). */
  async list(filter: { year: number; unit?: string; task?: number; tasks?: readonly number[] }): Promise<StoredExemption[]> {
    if (filter.unit !== undefined && filter.tasks !== undefined && filter.task === undefined) {
      if (filter.tasks.length === 0) return [];
      return (await inForceOfUnitTasks(this.db, { year: filter.year, unit: filter.unit, tasks: filter.tasks })).rows;
    }
    let q = this.db
      .selectFrom('exemptions')
      .select(['id', 'year', 'task', 'unit', 'due', 'reason', 'grantedAt', 'grantedBy'])
      .where('year', '=', filter.year)
      .where('revokedAt', 'is', null);
    if (filter.unit !== undefined) q = q.where('unit', '=', filter.unit);
    if (filter.task !== undefined) q = q.where('task', '=', filter.task);
    if (filter.tasks !== undefined) {
      if (filter.tasks.length === 0) return [];
      q = q.where('task', 'in', [...filter.tasks]);
    }
    return q.orderBy('id').execute();
  }
}
