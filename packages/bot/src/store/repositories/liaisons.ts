import { by, inTransaction, iso, type ChangeContext, type Db } from '../db.js';
import { AuditRepository } from './audit.js';

/** A registered liaison (联络员) of a unit. */
export interface Liaison {
  unit: string;
  platform: string;
  userId: string;
  name: string;
  addedAt: string;
}

/** The liaisons (联络员) of units. */
export class LiaisonRepository {
  constructor(private readonly db: Db) {}

  /** Registers a liaison of a unit (updating the name when already registered). Returns false when already registered. */
  async add(input: { unit: string; platform: string; userId: string; name: string }, ctx: ChangeContext): Promise<boolean> {
    return inTransaction(this.db, async (db) => {
      const existing = await db
        .selectFrom('liaisons')
        .select('id')
        .where('unit', '=', input.unit)
        .where('platform', '=', input.platform)
        .where('userId', '=', input.userId)
        .executeTakeFirst();
      if (existing) {
        await db.updateTable('liaisons').set({ name: input.name }).where('id', '=', existing.id).execute();
        return false;
      }
      await db
        .insertInto('liaisons')
        .values({ unit: input.unit, platform: input.platform, userId: input.userId, name: input.name, addedBy: by(ctx.actor), addedAt: iso(ctx.at) })
        .execute();
      await new AuditRepository(db).append('liaison.add', input, ctx);
      return true;
    });
  }

  /** Removes a liaison. Returns false when not registered. */
  async remove(input: { unit: string; platform: string; userId: string }, ctx: ChangeContext): Promise<boolean> {
    return inTransaction(this.db, async (db) => {
      const r = await db
        .deleteFrom('liaisons')
        .where('unit', '=', input.unit)
        .where('platform', '=', input.platform)
        .where('userId', '=', input.userId)
        .executeTakeFirst();
      if (Number(r.numDeletedRows) === 0) return false;
      await new AuditRepository(db).append('liaison.remove', input, ctx);
      return true;
    });
  }

  /** Liaisons of one unit, or of every unit, by unit then registration order. */
  async list(unit?: string): Promise<Liaison[]> {
    let q = this.db.selectFrom('liaisons').select(['unit', 'platform', 'userId', 'name', 'addedAt']).orderBy('unit').orderBy('id');
    if (unit !== undefined) q = q.where('unit', '=', unit);
    return q.execute();
  }

  /** True when the person is a registered liaison of the unit. */
  async has(unit: string, platform: string, userId: string): Promise<boolean> {
    const row = await this.db
      .selectFrom('liaisons')
      .select('id')
      .where('unit', '=', unit)
      .where('platform', '=', platform)
      .where('userId', '=', userId)
      .executeTakeFirst();
    return row !== undefined;
  }
}
