import { by, inTransaction, iso, type ChangeContext, type Db } from '../db.js';
import { AuditRepository } from './audit.js';

/** A leader briefing (主要负责人听取汇报, task 32) as stored. */
export interface StoredBriefing {
  id: number;
  year: number;
  unit: string;
  date: string;
  note: string | null;
  recordedAt: string;
  recordedBy: string;
}

/** Leader briefings (汇报). */
export class BriefingRepository {
  constructor(private readonly db: Db) {}

  /** Records a leader briefing. Returns its id. */
  async add(input: { year: number; unit: string; date: string; note?: string | null; conversationId?: string | null }, ctx: ChangeContext): Promise<number> {
    return inTransaction(this.db, async (db) => {
      const row = await db
        .insertInto('briefings')
        .values({
          year: input.year,
          unit: input.unit,
          date: input.date,
          note: input.note ?? null,
          recordedAt: iso(ctx.at),
          recordedBy: by(ctx.actor),
          platform: ctx.actor.platform,
          conversationId: input.conversationId ?? ctx.actor.conversationId ?? null,
        })
        .returning('id')
        .executeTakeFirstOrThrow();
      await new AuditRepository(db).append('briefing.add', { id: row.id, year: input.year, unit: input.unit, date: input.date, note: input.note ?? null }, ctx);
      return row.id;
    });
  }

  /** Briefings of a plan year, optionally of one unit, by date. */
  async list(filter: { year: number; unit?: string }): Promise<StoredBriefing[]> {
    let q = this.db.selectFrom('briefings').select(['id', 'year', 'unit', 'date', 'note', 'recordedAt', 'recordedBy']).where('year', '=', filter.year);
    if (filter.unit !== undefined) q = q.where('unit', '=', filter.unit);
    return q.orderBy('date').orderBy('id').execute();
  }
}
