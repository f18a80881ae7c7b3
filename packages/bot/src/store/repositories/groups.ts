import { by, inTransaction, iso, type ChangeContext, type Db } from '../db.js';
import { prepared } from '../prepared.js';
import { AuditRepository } from './audit.js';

const unitGroup = prepared((db, v: { platform: string; conversationId: string }) =>
  db.selectFrom('unitGroups').selectAll().where('platform', '=', v.platform).where('conversationId', '=', v.conversationId),
);
const adminGroup = prepared((db, v: { platform: string; conversationId: string }) =>
  db.selectFrom('adminGroups').selectAll().where('platform', '=', v.platform).where('conversationId', '=', v.conversationId),
);

/** A group chat bound to a unit, or the admin group. */
export type GroupBinding =
  | { kind: 'unit'; platform: string; conversationId: string; unit: string; title: string | null; boundBy: string; boundAt: string }
  | { kind: 'admin'; platform: string; conversationId: string; title: string | null; boundBy: string; boundAt: string };

/** Group chats bound to units, and the county office's admin group(s). A conversation has one binding at most. */
export class GroupRepository {
  constructor(private readonly db: Db) {}

  /**
   * Binds a group chat to a unit (replacing an earlier binding of the same group, unit or admin).
   * Returns the group's binding before (a unit or the admin group), if it had one.
   */
  async bindUnit(input: { platform: string; conversationId: string; unit: string; title?: string | null }, ctx: ChangeContext): Promise<{ previous: GroupBinding | null }> {
    return inTransaction(this.db, async (db) => {
      const groups = new GroupRepository(db);
      const before = await groups.of(input.platform, input.conversationId);
      await groups.remove(input.platform, input.conversationId);
      await db
        .insertInto('unitGroups')
        .values({ platform: input.platform, conversationId: input.conversationId, unit: input.unit, title: input.title ?? null, boundBy: by(ctx.actor), boundAt: iso(ctx.at) })
        .execute();
      await new AuditRepository(db).append('group.bind', { platform: input.platform, conversationId: input.conversationId, unit: input.unit, title: input.title ?? null }, ctx);
      return { previous: before };
    });
  }

  /** Makes a group chat the county office's admin group (replacing a unit binding of it). */
  async bindAdmin(input: { platform: string; conversationId: string; title?: string | null }, ctx: ChangeContext): Promise<void> {
    await inTransaction(this.db, async (db) => {
      await new GroupRepository(db).remove(input.platform, input.conversationId);
      await db
        .insertInto('adminGroups')
        .values({ platform: input.platform, conversationId: input.conversationId, title: input.title ?? null, boundBy: by(ctx.actor), boundAt: iso(ctx.at) })
        .execute();
      await new AuditRepository(db).append('group.bind_admin', { platform: input.platform, conversationId: input.conversationId, title: input.title ?? null }, ctx);
    });
  }

  /** Removes a group's binding (unit or admin). Returns false when it had none. */
  async unbind(input: { platform: string; conversationId: string }, ctx: ChangeContext): Promise<boolean> {
    return inTransaction(this.db, async (db) => {
      const groups = new GroupRepository(db);
      const before = await groups.of(input.platform, input.conversationId);
      if (before === null) return false;
      await groups.remove(input.platform, input.conversationId);
      await new AuditRepository(db).append('group.unbind', { platform: input.platform, conversationId: input.conversationId, was: before.kind === 'unit' ? before.unit : 'admin' }, ctx);
      return true;
    });
  }

  private async remove(platform: string, conversationId: string): Promise<void> {
    await this.db.deleteFrom('unitGroups').where('platform', '=', platform).where('conversationId', '=', conversationId).execute();
    await this.db.deleteFrom('adminGroups').where('platform', '=', platform).where('conversationId', '=', conversationId).execute();
  }

  /** What a conversation is bound to, or null. */
  async of(platform: string, conversationId: string): Promise<GroupBinding | null> {
    const unit = (await unitGroup(this.db, { platform, conversationId })).rows[0];
    if (unit) return { kind: 'unit', ...unit };
    const admin = (await adminGroup(this.db, { platform, conversationId })).rows[0];
    return admin ? { kind: 'admin', ...admin } : null;
  }

  /** Every bound group: unit groups (by unit, then platform and id), then admin groups. */
  async list(): Promise<GroupBinding[]> {
    const units = await this.db.selectFrom('unitGroups').selectAll().orderBy('unit').orderBy('platform').orderBy('conversationId').execute();
    const admins = await this.db.selectFrom('adminGroups').selectAll().orderBy('platform').orderBy('conversationId').execute();
    return [...units.map((r): GroupBinding => ({ kind: 'unit', ...r })), ...admins.map((r): GroupBinding => ({ kind: 'admin', ...r }))];
  }

  /** The group chats bound to a unit (usually one per platform). */
  async ofUnit(unit: string): Promise<Array<{ platform: string; conversationId: string; title: string | null }>> {
    return this.db.selectFrom('unitGroups').select(['platform', 'conversationId', 'title']).where('unit', '=', unit).orderBy('platform').orderBy('conversationId').execute();
  }
}
