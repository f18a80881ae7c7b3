import { by, inTransaction, iso, parseList, type ChangeContext, type Db } from '../db.js';
import { AuditRepository } from './audit.js';

/** A 亮点工程 entry (task 31) as stored. */
export interface StoredHighlight {
  /** The number people use: 入选 3. */
  id: number;
  year: number;
  unit: string;
  title: string;
  status: 'submitted' | 'selected';
  evidence: string[];
  submittedAt: string;
  selectedAt: string | null;
}

const COLUMNS = ['id', 'year', 'unit', 'title', 'status', 'evidence', 'submittedAt', 'selectedAt'] as const;

/** 亮点工程 entries: submitted by units, selected (入选) by the county office. */
export class HighlightRepository {
  constructor(private readonly db: Db) {}

  /** Records an entry as submitted. Returns its number. */
  async add(input: { year: number; unit: string; title: string; evidence?: readonly string[]; conversationId?: string | null }, ctx: ChangeContext): Promise<number> {
    return inTransaction(this.db, async (db) => {
      const row = await db
        .insertInto('highlights')
        .values({
          year: input.year,
          unit: input.unit,
          title: input.title,
          status: 'submitted',
          evidence: JSON.stringify(input.evidence ?? []),
          submittedAt: iso(ctx.at),
          submittedBy: by(ctx.actor),
          selectedAt: null,
          selectedBy: null,
          platform: ctx.actor.platform,
          conversationId: input.conversationId ?? ctx.actor.conversationId ?? null,
        })
        .returning('id')
        .executeTakeFirstOrThrow();
      await new AuditRepository(db).append('highlight.add', { id: row.id, year: input.year, unit: input.unit, title: input.title }, ctx);
      return row.id;
    });
  }

  /** One entry by its number, or null. */
  async get(id: number): Promise<StoredHighlight | null> {
    const row = await this.db.selectFrom('highlights').select(COLUMNS).where('id', '=', id).executeTakeFirst();
    return row ? { ...row, evidence: parseList(row.evidence) } : null;
  }

  /** Marks an entry selected (入选). Returns false when it does not exist or is already selected. */
  async select(id: number, ctx: ChangeContext): Promise<boolean> {
    return inTransaction(this.db, async (db) => {
      const r = await db
        .updateTable('highlights')
        .set({ status: 'selected', selectedAt: iso(ctx.at), selectedBy: by(ctx.actor) })
        .where('id', '=', id)
        .where('status', '=', 'submitted')
        .executeTakeFirst();
      if (Number(r.numUpdatedRows) === 0) return false;
      await new AuditRepository(db).append('highlight.select', { id }, ctx);
      return true;
    });
  }

  /** Entries of a plan year, optionally of one unit, by number. */
  async list(filter: { year: number; unit?: string }): Promise<StoredHighlight[]> {
    let q = this.db.selectFrom('highlights').select(COLUMNS).where('year', '=', filter.year);
    if (filter.unit !== undefined) q = q.where('unit', '=', filter.unit);
    return (await q.orderBy('id').execute()).map((r) => ({ ...r, evidence: parseList(r.evidence) }));
  }
}
