import { by, inTransaction, iso, type ChangeContext, type Db } from '../db.js';
import { prepared } from '../prepared.js';
import { AuditRepository } from './audit.js';

const adminRow = prepared((db, v: { platform: string; userId: string }) => db.selectFrom('admins').select('userId').where('platform', '=', v.platform).where('userId', '=', v.userId));

/** A county-office administrator. */
export interface Admin {
  platform: string;
  userId: string;
  name: string;
  addedAt: string;
}

/** The county office's administrators. */
export class AdminRepository {
  constructor(private readonly db: Db) {}

  /** Makes someone an administrator. Returns false when already one. */
  async add(input: { platform: string; userId: string; name: string }, ctx: ChangeContext): Promise<boolean> {
    return inTransaction(this.db, async (db) => {
      if (await new AdminRepository(db).has(input.platform, input.userId)) return false;
      await db.insertInto('admins').values({ platform: input.platform, userId: input.userId, name: input.name, addedBy: by(ctx.actor), addedAt: iso(ctx.at) }).execute();
      await new AuditRepository(db).append('admin.add', input, ctx);
      return true;
    });
  }

  /** Removes an administrator. Returns false when not one. */
  async remove(input: { platform: string; userId: string }, ctx: ChangeContext): Promise<boolean> {
    return inTransaction(this.db, async (db) => {
      const r = await db.deleteFrom('admins').where('platform', '=', input.platform).where('userId', '=', input.userId).executeTakeFirst();
      if (Number(r.numDeletedRows) === 0) return false;
      await new AuditRepository(db).append('admin.remove', input, ctx);
      return true;
    });
  }

  /** Every administrator, by platform then when added. */
  async list(): Promise<Admin[]> {
    return this.db.selectFrom('admins').select(['platform', 'userId', 'name', 'addedAt']).orderBy('platform').orderBy('addedAt').execute();
  }

  /** True when the person is an administrator. */
  async has(platform: string, userId: string): Promise<boolean> {
    return (await adminRow(this.db, { platform, userId })).rows.length > 0;
  }
}
