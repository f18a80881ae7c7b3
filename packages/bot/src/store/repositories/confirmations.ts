import { by, inTransaction, iso, parseList, type ChangeContext, type Db } from '../db.js';
import { prepared } from '../prepared.js';
import { AuditRepository } from './audit.js';
import { EvidenceCheckRepository } from './evidence-checks.js';

/** A confirmation as stored. `undoneAt` is set once it was withdrawn (撤销); withdrawn ones do not count. */
export interface StoredConfirmation {
  id: number;
  year: number;
  unit: string;
  task: number;
  /** The milestone's due date in the plan year. */
  due: string;
  /** ISO time (UTC). */
  at: string;
  platform: string;
  conversationId: string;
  senderId: string;
  senderName: string;
  messageId: string | null;
  evidence: string[];
  note: string | null;
  undoneAt: string | null;
}

/** What {@link ConfirmationRepository.add} records. */
export interface NewConfirmation {
  year: number;
  unit: string;
  task: number;
  due: string;
  at: Date;
  platform: string;
  conversationId: string;
  senderId: string;
  senderName: string;
  messageId?: string | null;
  evidence?: readonly string[];
  note?: string | null;
}

const COLUMNS = ['id', 'year', 'unit', 'task', 'due', 'at', 'platform', 'conversationId', 'senderId', 'senderName', 'messageId', 'evidence', 'note', 'undoneAt'] as const;

/** What a 确认 reads: one unit's active confirmations of some tasks. */
const activeOfUnitTasks = prepared((db, v: { year: number; unit: string; tasks: readonly number[] }) =>
  db.selectFrom('confirmations').select(COLUMNS).where('year', '=', v.year).where('unit', '=', v.unit).where('task', 'in', v.tasks).where('undoneAt', 'is', null).orderBy('at').orderBy('id'),
);

const insertConfirmation = prepared(
  (
    db,
    v: { year: number; unit: string; task: number; due: string; at: string; platform: string; conversationId: string; senderId: string; senderName: string; messageId: string | null; evidence: string; note: string | null },
  ) => db.insertInto('confirmations').values({ ...v, undoneAt: null, undoneBy: null }).returning('id'),
);

/** Confirmations (确认) of milestones by units. */
export class ConfirmationRepository {
  constructor(private readonly db: Db) {}

  /** Records a confirmation of one milestone (`due` is its date in the plan year). Returns its id. */
  async add(input: NewConfirmation, ctx: ChangeContext): Promise<number> {
    return inTransaction(this.db, async (db) => {
      const { rows } = await insertConfirmation(db, {
        year: input.year,
        unit: input.unit,
        task: input.task,
        due: input.due,
        at: input.at.toISOString(),
        platform: input.platform,
        conversationId: input.conversationId,
        senderId: input.senderId,
        senderName: input.senderName,
        messageId: input.messageId ?? null,
        evidence: JSON.stringify(input.evidence ?? []),
        note: input.note ?? null,
      });
      const row = rows[0];
      if (row === undefined) throw new Error('confirmations: the insert returned no id');
      const payload = { id: row.id, year: input.year, unit: input.unit, task: input.task, due: input.due, at: input.at.toISOString(), evidence: input.evidence ?? [], note: input.note ?? null };
      await new AuditRepository(db).append('confirmation.add', payload, ctx);
      // The links' checks are requested with the record, so a crash before they ran leaves them pending.
      await new EvidenceCheckRepository(db).request(row.id, input.evidence ?? [], ctx);
      return row.id;
    });
  }

  /**
   * Confirmations of a plan year that were not withdrawn (unless `includeUndone`), oldest first;
   * optionally of one unit and of some tasks (`task` one, `tasks` several).
   */
  async list(filter: { year: number; unit?: string; task?: number; tasks?: readonly number[]; includeUndone?: boolean }): Promise<StoredConfirmation[]> {
    if (filter.unit !== undefined && filter.tasks !== undefined && filter.task === undefined && !filter.includeUndone) {
      if (filter.tasks.length === 0) return [];
      const { rows } = await activeOfUnitTasks(this.db, { year: filter.year, unit: filter.unit, tasks: filter.tasks });
      return rows.map((r) => ({ ...r, evidence: parseList(r.evidence) }));
    }
    let q = this.db.selectFrom('confirmations').select(COLUMNS).where('year', '=', filter.year);
    if (filter.unit !== undefined) q = q.where('unit', '=', filter.unit);
    if (filter.task !== undefined) q = q.where('task', '=', filter.task);
    if (filter.tasks !== undefined) {
      if (filter.tasks.length === 0) return [];
      q = q.where('task', 'in', [...filter.tasks]);
    }
    if (!filter.includeUndone) q = q.where('undoneAt', 'is', null);
    const rows = await q.orderBy('at').orderBy('id').execute();
    return rows.map((r) => ({ ...r, evidence: parseList(r.evidence) }));
  }

  /** Withdraws a confirmation. Returns false when it does not exist or was already withdrawn. */
  async undo(id: number, ctx: ChangeContext): Promise<boolean> {
    return inTransaction(this.db, async (db) => {
      const r = await db.updateTable('confirmations').set({ undoneAt: iso(ctx.at), undoneBy: by(ctx.actor) }).where('id', '=', id).where('undoneAt', 'is', null).executeTakeFirst();
      if (Number(r.numUpdatedRows) === 0) return false;
      await new AuditRepository(db).append('confirmation.undo', { id }, ctx);
      return true;
    });
  }
}
