import { by, inTransaction, iso, type ChangeContext, type Db } from '../db.js';
import { AuditRepository } from './audit.js';

/** A rectification item's state: 待整改 (`open`), 已整改 (`rectified`, awaiting 复查), 复查通过 (`verified`). */
export type RectificationState = 'open' | 'rectified' | 'verified';

/** A rectification item (整改) as stored. */
export interface StoredRectification {
  id: number;
  year: number;
  unit: string;
  item: string;
  /** Due date `YYYY-MM-DD` (Asia/Shanghai). */
  due: string;
  state: RectificationState;
  recordedAt: string;
  rectifiedAt: string | null;
  rectifiedNote: string | null;
  verifiedAt: string | null;
}

/** Why a state change was not made. */
export type RectificationRefusal = 'not_found' | 'other_unit' | 'already_rectified' | 'already_verified' | 'not_rectified';

const COLUMNS = ['id', 'year', 'unit', 'item', 'due', 'state', 'recordedAt', 'rectifiedAt', 'rectifiedNote', 'verifiedAt'] as const;

// eslint-disable-next-line @typescript-eslint/no-explicit-any
const toItem = (r: any): StoredRectification => ({ ...r, id: Number(r.id), year: Number(r.year) });

/**
 * Rectification items (整改): the county office sets a unit an item with a due date (`add`); the unit
 * reports it rectified (`rectify`, 已整改); the office verifies it (`verify`, 复查通过) or sends it back
 * (`reopen`, 复查不通过). Scoring reads them (a late or unverified item costs carry-over points). Every
 * change writes an audit entry in the same transaction.
 */
export class RectificationRepository {
  constructor(private readonly db: Db) {}

  /** Sets a unit an item. Returns its id (the number the unit and the office use: 已整改 N, 复查通过 N). */
  async add(input: { year: number; unit: string; item: string; due: string }, ctx: ChangeContext): Promise<number> {
    return inTransaction(this.db, async (db) => {
      const row = await db
        .insertInto('rectifications')
        .values({ year: input.year, unit: input.unit, item: input.item, due: input.due, state: 'open', recordedAt: iso(ctx.at), recordedBy: by(ctx.actor), rectifiedAt: null, rectifiedBy: null, rectifiedNote: null, verifiedAt: null, verifiedBy: null })
        .returning('id')
        .executeTakeFirstOrThrow();
      await new AuditRepository(db).append('rectification.add', { id: row.id, ...input }, ctx);
      return row.id;
    });
  }

  /** One item, or null. */
  async get(id: number): Promise<StoredRectification | null> {
    const row = await this.db.selectFrom('rectifications').select(COLUMNS).where('id', '=', id).executeTakeFirst();
    return row ? toItem(row) : null;
  }

  /**
   * Items of a year, oldest first; optionally of one unit, and `open` only those not yet verified
   * (待整改 and 已整改).
   */
  async list(filter: { year: number; unit?: string; open?: boolean }): Promise<StoredRectification[]> {
    let q = this.db.selectFrom('rectifications').select(COLUMNS).where('year', '=', filter.year);
    if (filter.unit !== undefined) q = q.where('unit', '=', filter.unit);
    if (filter.open) q = q.where('state', '!=', 'verified');
    return (await q.orderBy('id').execute()).map(toItem);
  }

  /**
   * The unit reports an open item rectified (已整改), with an optional note. With `unit`, only that unit's
   * item may be reported.
   */
  async rectify(id: number, input: { unit?: string; note?: string | null }, ctx: ChangeContext): Promise<{ success: true; data: StoredRectification } | { success: false; error: RectificationRefusal; item?: StoredRectification }> {
    return inTransaction(this.db, async (db) => {
      const item = await new RectificationRepository(db).get(id);
      if (!item) return { success: false, error: 'not_found' };
      if (input.unit !== undefined && item.unit !== input.unit) return { success: false, error: 'other_unit', item };
      if (item.state === 'verified') return { success: false, error: 'already_verified', item };
      if (item.state === 'rectified') return { success: false, error: 'already_rectified', item };
      const note = input.note?.trim() ? input.note.trim() : null;
      await db.updateTable('rectifications').set({ state: 'rectified', rectifiedAt: iso(ctx.at), rectifiedBy: by(ctx.actor), rectifiedNote: note }).where('id', '=', id).execute();
      await new AuditRepository(db).append('rectification.rectify', { id, note }, ctx);
      return { success: true, data: { ...item, state: 'rectified', rectifiedAt: iso(ctx.at), rectifiedNote: note } };
    });
  }

  /**
   * The office's 复查 passes (复查通过): the item is closed. An item still 待整改 may be verified too (the
   * office checked it itself).
   */
  async verify(id: number, ctx: ChangeContext): Promise<{ success: true; data: StoredRectification } | { success: false; error: RectificationRefusal; item?: StoredRectification }> {
    return inTransaction(this.db, async (db) => {
      const item = await new RectificationRepository(db).get(id);
      if (!item) return { success: false, error: 'not_found' };
      if (item.state === 'verified') return { success: false, error: 'already_verified', item };
      await db.updateTable('rectifications').set({ state: 'verified', verifiedAt: iso(ctx.at), verifiedBy: by(ctx.actor) }).where('id', '=', id).execute();
      await new AuditRepository(db).append('rectification.verify', { id }, ctx);
      return { success: true, data: { ...item, state: 'verified', verifiedAt: iso(ctx.at) } };
    });
  }

  /** The office's 复查 fails (复查不通过): a reported item goes back to 待整改, with the reason in the audit log. */
  async reopen(id: number, reason: string, ctx: ChangeContext): Promise<{ success: true; data: StoredRectification } | { success: false; error: RectificationRefusal; item?: StoredRectification }> {
    return inTransaction(this.db, async (db) => {
      const item = await new RectificationRepository(db).get(id);
      if (!item) return { success: false, error: 'not_found' };
      if (item.state !== 'rectified') return { success: false, error: item.state === 'verified' ? 'already_verified' : 'not_rectified', item };
      await db.updateTable('rectifications').set({ state: 'open', rectifiedAt: null, rectifiedBy: null }).where('id', '=', id).execute();
      await new AuditRepository(db).append('rectification.reopen', { id, reason }, ctx);
      return { success: true, data: { ...item, state: 'open', rectifiedAt: null } };
    });
  }
}
