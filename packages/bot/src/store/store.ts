import type { Kysely, Selectable } from 'kysely';
import type { SqlDialect } from './migrations.js';
import type {
  BriefingsTable,
  CarryoverTable,
  ConfirmationsTable,
  Database,
  DeductionsTable,
  DigestOutboxTable,
  ExemptionsTable,
  HighlightsTable,
} from './schema.js';

/** Who made a change, and through which channel (`chat`, `cli`, `system`). */
export interface Actor {
  /** Platform of the person (`dingtalk`, `slack`, `cli` …). */
  platform: string;
  /** Platform user id (for the CLI, the operating-system user name). */
  id: string;
  name?: string;
  /** `chat` (default when `conversationId` is set), `cli` or `system`. */
  channel?: string;
  /** The conversation the change came from. */
  conversationId?: string;
}

/** Who changes something and when; every change writes one audit entry. `at` defaults to the current time. */
export interface ChangeContext {
  actor: Actor;
  at?: Date;
}

/** A group chat bound to a unit, or the admin group. */
export type GroupBinding =
  | { kind: 'unit'; platform: string; conversationId: string; unit: string; title: string | null; boundBy: string; boundAt: string }
  | { kind: 'admin'; platform: string; conversationId: string; title: string | null; boundBy: string; boundAt: string };

/** A registered liaison (联络员) of a unit. */
export interface Liaison {
  unit: string;
  platform: string;
  userId: string;
  name: string;
  addedAt: string;
}

/** A county-office administrator. */
export interface Admin {
  platform: string;
  userId: string;
  name: string;
  addedAt: string;
}

/** A confirmation as stored. `undoneAt` is set once it was withdrawn (撤销); withdrawn ones do not count. */
export interface StoredConfirmation {
  id: number;
  year: number;
  unit: string;
  task: number;
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

export interface StoredBriefing {
  id: number;
  year: number;
  unit: string;
  date: string;
  note: string | null;
  recordedAt: string;
  recordedBy: string;
}

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

export interface StoredExemption {
  id: number;
  year: number;
  task: number;
  unit: string;
  due: string | null;
  reason: string;
  grantedAt: string;
  grantedBy: string;
}

export interface StoredDeduction {
  id: number;
  year: number;
  unit: string;
  points: number;
  reason: string;
  recordedAt: string;
}

export interface StoredCarryover {
  id: number;
  year: number;
  unit: string;
  item: string;
  resolved: boolean;
  recordedAt: string;
}

/** One weekly digest of one group. */
export interface OutboxEntry {
  id: number;
  /** ISO week id, e.g. `2022-W47`. */
  week: string;
  platform: string;
  conversationId: string;
  kind: 'unit' | 'admin';
  unit: string | null;
  status: 'pending' | 'sending' | 'sent' | 'failed';
  attempts: number;
  createdAt: string;
  sentAt: string | null;
  lastError: string | null;
}

export interface AuditEntry {
  id: number;
  at: string;
  actor: { platform: string; id: string; name: string | null };
  channel: string;
  conversationId: string | null;
  action: string;
  payload: unknown;
}

/** A handled state-changing message, with the reply stored for re-sending after a crash. */
export interface ProcessedMessage {
  platform: string;
  messageId: string;
  conversationId: string;
  command: string;
  processedAt: string;
  reply: unknown;
  repliedAt: string | null;
}

function iso(at: Date | undefined): string {
  return (at ?? new Date()).toISOString();
}

function by(actor: Actor): string {
  return `${actor.platform}:${actor.id}`;
}

function parseList(json: string): string[] {
  try {
    const value: unknown = JSON.parse(json);
    return Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : [];
  } catch {
    return [];
  }
}

function toConfirmation(r: Selectable<ConfirmationsTable>): StoredConfirmation {
  return {
    id: r.id,
    year: r.year,
    unit: r.unit,
    task: r.task,
    due: r.due,
    at: r.at,
    platform: r.platform,
    conversationId: r.conversation_id,
    senderId: r.sender_id,
    senderName: r.sender_name,
    messageId: r.message_id,
    evidence: parseList(r.evidence),
    note: r.note,
    undoneAt: r.undone_at,
  };
}

function toBriefing(r: Selectable<BriefingsTable>): StoredBriefing {
  return { id: r.id, year: r.year, unit: r.unit, date: r.date, note: r.note, recordedAt: r.recorded_at, recordedBy: r.recorded_by };
}

function toHighlight(r: Selectable<HighlightsTable>): StoredHighlight {
  return {
    id: r.id,
    year: r.year,
    unit: r.unit,
    title: r.title,
    status: r.status,
    evidence: parseList(r.evidence),
    submittedAt: r.submitted_at,
    selectedAt: r.selected_at,
  };
}

function toExemption(r: Selectable<ExemptionsTable>): StoredExemption {
  return { id: r.id, year: r.year, task: r.task, unit: r.unit, due: r.due, reason: r.reason, grantedAt: r.granted_at, grantedBy: r.granted_by };
}

function toDeduction(r: Selectable<DeductionsTable>): StoredDeduction {
  return { id: r.id, year: r.year, unit: r.unit, points: Number(r.points), reason: r.reason, recordedAt: r.recorded_at };
}

function toCarryover(r: Selectable<CarryoverTable>): StoredCarryover {
  return { id: r.id, year: r.year, unit: r.unit, item: r.item, resolved: Number(r.resolved) === 1, recordedAt: r.recorded_at };
}

function toOutbox(r: Selectable<DigestOutboxTable>): OutboxEntry {
  return {
    id: r.id,
    week: r.week,
    platform: r.platform,
    conversationId: r.conversation_id,
    kind: r.kind,
    unit: r.unit,
    status: r.status,
    attempts: Number(r.attempts),
    createdAt: r.created_at,
    sentAt: r.sent_at,
    lastError: r.last_error,
  };
}

/**
 * The bot's durable state over Kysely: bindings, liaisons, admins, records (confirmations, briefings,
 * highlights, exemptions, deductions, carry-over), processed message ids, the digest outbox and the
 * append-only audit log. Open one with `openStore`.
 *
 * Every change method writes its audit entry in the same transaction as the change. Methods take unit
 * names as the plan's directory spells them (resolve aliases first). The queries use no dialect-specific
 * SQL, so the same store runs on PostgreSQL through a Kysely `PostgresDialect`.
 */
export class Store {
  /** @internal */
  constructor(
    /** The Kysely instance (or the transaction) the store runs on. */
    readonly db: Kysely<Database>,
    /** The SQL dialect of `db`. */
    readonly dialect: SqlDialect,
    private readonly inTransaction = false,
    private readonly onClose?: () => Promise<void>,
  ) {}

  /**
   * Runs `fn` in one transaction: everything it does through the given store commits together or not at
   * all (a throw rolls back). Nested calls join the outer transaction. Inside `fn`, use only the store it
   * receives: the outer store waits for the transaction to end.
   */
  async transaction<T>(fn: (store: Store) => Promise<T>): Promise<T> {
    if (this.inTransaction) return fn(this);
    return this.db.transaction().execute((trx) => fn(new Store(trx, this.dialect, true)));
  }

  /** Closes the database. */
  async close(): Promise<void> {
    if (this.inTransaction) throw new Error('Store.close: cannot close from inside a transaction');
    await this.db.destroy();
    await this.onClose?.();
  }

  // ── Audit ────────────────────────────────────────────────────────────────────────────────────────

  /** Appends one audit entry. Change methods call it themselves; call it for changes made elsewhere (e.g. a nudge). */
  async audit(action: string, payload: unknown, ctx: ChangeContext): Promise<void> {
    const { actor } = ctx;
    await this.db
      .insertInto('audit_log')
      .values({
        at: iso(ctx.at),
        actor_platform: actor.platform,
        actor_id: actor.id,
        actor_name: actor.name ?? null,
        channel: actor.channel ?? (actor.conversationId ? 'chat' : 'system'),
        conversation_id: actor.conversationId ?? null,
        action,
        payload: JSON.stringify(payload ?? null),
      })
      .execute();
  }

  /** The audit log, oldest first. */
  async auditLog(options: { since?: Date; action?: string; limit?: number } = {}): Promise<AuditEntry[]> {
    let q = this.db.selectFrom('audit_log').selectAll().orderBy('id');
    if (options.since) q = q.where('at', '>=', options.since.toISOString());
    if (options.action) q = q.where('action', '=', options.action);
    if (options.limit !== undefined) q = q.limit(options.limit);
    const rows = await q.execute();
    return rows.map((r) => ({
      id: r.id,
      at: r.at,
      actor: { platform: r.actor_platform, id: r.actor_id, name: r.actor_name },
      channel: r.channel,
      conversationId: r.conversation_id,
      action: r.action,
      payload: JSON.parse(r.payload) as unknown,
    }));
  }

  // ── Groups ───────────────────────────────────────────────────────────────────────────────────────

  /**
   * Binds a group chat to a unit (replacing an earlier binding of the same group, unit or admin).
   * Returns the unit it was bound to before, if any.
   */
  async bindUnitGroup(
    input: { platform: string; conversationId: string; unit: string; title?: string | null },
    ctx: ChangeContext,
  ): Promise<{ previous: string | null }> {
    return this.transaction(async (s) => {
      const before = await s.groupOf(input.platform, input.conversationId);
      await s.removeGroupRows(input.platform, input.conversationId);
      await s.db
        .insertInto('unit_groups')
        .values({
          platform: input.platform,
          conversation_id: input.conversationId,
          unit: input.unit,
          title: input.title ?? null,
          bound_by: by(ctx.actor),
          bound_at: iso(ctx.at),
        })
        .execute();
      await s.audit('group.bind', { platform: input.platform, conversationId: input.conversationId, unit: input.unit, title: input.title ?? null }, ctx);
      return { previous: before === null ? null : before.kind === 'unit' ? before.unit : '管理群' };
    });
  }

  /** Makes a group chat the county office's admin group (replacing a unit binding of it). */
  async bindAdminGroup(input: { platform: string; conversationId: string; title?: string | null }, ctx: ChangeContext): Promise<void> {
    await this.transaction(async (s) => {
      await s.removeGroupRows(input.platform, input.conversationId);
      await s.db
        .insertInto('admin_groups')
        .values({
          platform: input.platform,
          conversation_id: input.conversationId,
          title: input.title ?? null,
          bound_by: by(ctx.actor),
          bound_at: iso(ctx.at),
        })
        .execute();
      await s.audit('group.bind_admin', { platform: input.platform, conversationId: input.conversationId, title: input.title ?? null }, ctx);
    });
  }

  /** Removes a group's binding (unit or admin). Returns false when it had none. */
  async unbindGroup(input: { platform: string; conversationId: string }, ctx: ChangeContext): Promise<boolean> {
    return this.transaction(async (s) => {
      const before = await s.groupOf(input.platform, input.conversationId);
      if (before === null) return false;
      await s.removeGroupRows(input.platform, input.conversationId);
      await s.audit('group.unbind', { platform: input.platform, conversationId: input.conversationId, was: before.kind === 'unit' ? before.unit : 'admin' }, ctx);
      return true;
    });
  }

  private async removeGroupRows(platform: string, conversationId: string): Promise<void> {
    await this.db.deleteFrom('unit_groups').where('platform', '=', platform).where('conversation_id', '=', conversationId).execute();
    await this.db.deleteFrom('admin_groups').where('platform', '=', platform).where('conversation_id', '=', conversationId).execute();
  }

  /** What a conversation is bound to, or null. */
  async groupOf(platform: string, conversationId: string): Promise<GroupBinding | null> {
    const unit = await this.db
      .selectFrom('unit_groups')
      .selectAll()
      .where('platform', '=', platform)
      .where('conversation_id', '=', conversationId)
      .executeTakeFirst();
    if (unit) {
      return { kind: 'unit', platform, conversationId, unit: unit.unit, title: unit.title, boundBy: unit.bound_by, boundAt: unit.bound_at };
    }
    const admin = await this.db
      .selectFrom('admin_groups')
      .selectAll()
      .where('platform', '=', platform)
      .where('conversation_id', '=', conversationId)
      .executeTakeFirst();
    return admin ? { kind: 'admin', platform, conversationId, title: admin.title, boundBy: admin.bound_by, boundAt: admin.bound_at } : null;
  }

  /** Every bound group: unit groups (by unit, then platform and id), then admin groups. */
  async listGroups(): Promise<GroupBinding[]> {
    const units = await this.db.selectFrom('unit_groups').selectAll().orderBy('unit').orderBy('platform').orderBy('conversation_id').execute();
    const admins = await this.db.selectFrom('admin_groups').selectAll().orderBy('platform').orderBy('conversation_id').execute();
    return [
      ...units.map(
        (r): GroupBinding => ({
          kind: 'unit',
          platform: r.platform,
          conversationId: r.conversation_id,
          unit: r.unit,
          title: r.title,
          boundBy: r.bound_by,
          boundAt: r.bound_at,
        }),
      ),
      ...admins.map(
        (r): GroupBinding => ({ kind: 'admin', platform: r.platform, conversationId: r.conversation_id, title: r.title, boundBy: r.bound_by, boundAt: r.bound_at }),
      ),
    ];
  }

  /** The group chats bound to a unit (usually one per platform). */
  async groupsOfUnit(unit: string): Promise<Array<{ platform: string; conversationId: string; title: string | null }>> {
    const rows = await this.db.selectFrom('unit_groups').selectAll().where('unit', '=', unit).orderBy('platform').orderBy('conversation_id').execute();
    return rows.map((r) => ({ platform: r.platform, conversationId: r.conversation_id, title: r.title }));
  }

  // ── Liaisons and admins ──────────────────────────────────────────────────────────────────────────

  /** Registers a liaison of a unit (updating the name when already registered). Returns false when already registered. */
  async addLiaison(input: { unit: string; platform: string; userId: string; name: string }, ctx: ChangeContext): Promise<boolean> {
    return this.transaction(async (s) => {
      const existing = await s.db
        .selectFrom('liaisons')
        .select('id')
        .where('unit', '=', input.unit)
        .where('platform', '=', input.platform)
        .where('user_id', '=', input.userId)
        .executeTakeFirst();
      if (existing) {
        await s.db.updateTable('liaisons').set({ name: input.name }).where('id', '=', existing.id).execute();
        return false;
      }
      await s.db
        .insertInto('liaisons')
        .values({ unit: input.unit, platform: input.platform, user_id: input.userId, name: input.name, added_by: by(ctx.actor), added_at: iso(ctx.at) })
        .execute();
      await s.audit('liaison.add', input, ctx);
      return true;
    });
  }

  /** Removes a liaison. Returns false when not registered. */
  async removeLiaison(input: { unit: string; platform: string; userId: string }, ctx: ChangeContext): Promise<boolean> {
    return this.transaction(async (s) => {
      const r = await s.db
        .deleteFrom('liaisons')
        .where('unit', '=', input.unit)
        .where('platform', '=', input.platform)
        .where('user_id', '=', input.userId)
        .executeTakeFirst();
      if (Number(r.numDeletedRows) === 0) return false;
      await s.audit('liaison.remove', input, ctx);
      return true;
    });
  }

  /** Liaisons of one unit, or of every unit, by unit then registration order. */
  async listLiaisons(unit?: string): Promise<Liaison[]> {
    let q = this.db.selectFrom('liaisons').selectAll().orderBy('unit').orderBy('id');
    if (unit !== undefined) q = q.where('unit', '=', unit);
    const rows = await q.execute();
    return rows.map((r) => ({ unit: r.unit, platform: r.platform, userId: r.user_id, name: r.name, addedAt: r.added_at }));
  }

  /** True when the person is a registered liaison of the unit. */
  async isLiaison(unit: string, platform: string, userId: string): Promise<boolean> {
    const row = await this.db
      .selectFrom('liaisons')
      .select('id')
      .where('unit', '=', unit)
      .where('platform', '=', platform)
      .where('user_id', '=', userId)
      .executeTakeFirst();
    return row !== undefined;
  }

  /** Makes someone an administrator. Returns false when already one. */
  async addAdmin(input: { platform: string; userId: string; name: string }, ctx: ChangeContext): Promise<boolean> {
    return this.transaction(async (s) => {
      if (await s.isAdmin(input.platform, input.userId)) return false;
      await s.db
        .insertInto('admins')
        .values({ platform: input.platform, user_id: input.userId, name: input.name, added_by: by(ctx.actor), added_at: iso(ctx.at) })
        .execute();
      await s.audit('admin.add', input, ctx);
      return true;
    });
  }

  /** Removes an administrator. Returns false when not one. */
  async removeAdmin(input: { platform: string; userId: string }, ctx: ChangeContext): Promise<boolean> {
    return this.transaction(async (s) => {
      const r = await s.db.deleteFrom('admins').where('platform', '=', input.platform).where('user_id', '=', input.userId).executeTakeFirst();
      if (Number(r.numDeletedRows) === 0) return false;
      await s.audit('admin.remove', input, ctx);
      return true;
    });
  }

  async listAdmins(): Promise<Admin[]> {
    const rows = await this.db.selectFrom('admins').selectAll().orderBy('platform').orderBy('added_at').execute();
    return rows.map((r) => ({ platform: r.platform, userId: r.user_id, name: r.name, addedAt: r.added_at }));
  }

  async isAdmin(platform: string, userId: string): Promise<boolean> {
    const row = await this.db.selectFrom('admins').select('user_id').where('platform', '=', platform).where('user_id', '=', userId).executeTakeFirst();
    return row !== undefined;
  }

  // ── Confirmations ────────────────────────────────────────────────────────────────────────────────

  /** Records a confirmation of one milestone (`due` is its date in the plan year). Returns its id. */
  async addConfirmation(
    input: {
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
    },
    ctx: ChangeContext,
  ): Promise<number> {
    return this.transaction(async (s) => {
      const row = await s.db
        .insertInto('confirmations')
        .values({
          year: input.year,
          unit: input.unit,
          task: input.task,
          due: input.due,
          at: input.at.toISOString(),
          platform: input.platform,
          conversation_id: input.conversationId,
          sender_id: input.senderId,
          sender_name: input.senderName,
          message_id: input.messageId ?? null,
          evidence: JSON.stringify(input.evidence ?? []),
          note: input.note ?? null,
          undone_at: null,
          undone_by: null,
        })
        .returning('id')
        .executeTakeFirstOrThrow();
      await s.audit(
        'confirmation.add',
        { id: row.id, year: input.year, unit: input.unit, task: input.task, due: input.due, at: input.at.toISOString(), evidence: input.evidence ?? [], note: input.note ?? null },
        ctx,
      );
      return row.id;
    });
  }

  /** Confirmations of a plan year that were not withdrawn, oldest first; optionally of one unit and task. */
  async listConfirmations(filter: { year: number; unit?: string; task?: number; includeUndone?: boolean }): Promise<StoredConfirmation[]> {
    let q = this.db.selectFrom('confirmations').selectAll().where('year', '=', filter.year);
    if (filter.unit !== undefined) q = q.where('unit', '=', filter.unit);
    if (filter.task !== undefined) q = q.where('task', '=', filter.task);
    if (!filter.includeUndone) q = q.where('undone_at', 'is', null);
    const rows = await q.orderBy('at').orderBy('id').execute();
    return rows.map(toConfirmation);
  }

  /** Withdraws a confirmation. Returns false when it does not exist or was already withdrawn. */
  async undoConfirmation(id: number, ctx: ChangeContext): Promise<boolean> {
    return this.transaction(async (s) => {
      const r = await s.db
        .updateTable('confirmations')
        .set({ undone_at: iso(ctx.at), undone_by: by(ctx.actor) })
        .where('id', '=', id)
        .where('undone_at', 'is', null)
        .executeTakeFirst();
      if (Number(r.numUpdatedRows) === 0) return false;
      await s.audit('confirmation.undo', { id }, ctx);
      return true;
    });
  }

  // ── Briefings, highlights ────────────────────────────────────────────────────────────────────────

  /** Records a leader briefing (task 32). Returns its id. */
  async addBriefing(input: { year: number; unit: string; date: string; note?: string | null; conversationId?: string | null }, ctx: ChangeContext): Promise<number> {
    return this.transaction(async (s) => {
      const row = await s.db
        .insertInto('briefings')
        .values({
          year: input.year,
          unit: input.unit,
          date: input.date,
          note: input.note ?? null,
          recorded_at: iso(ctx.at),
          recorded_by: by(ctx.actor),
          platform: ctx.actor.platform,
          conversation_id: input.conversationId ?? ctx.actor.conversationId ?? null,
        })
        .returning('id')
        .executeTakeFirstOrThrow();
      await s.audit('briefing.add', { id: row.id, year: input.year, unit: input.unit, date: input.date, note: input.note ?? null }, ctx);
      return row.id;
    });
  }

  async listBriefings(filter: { year: number; unit?: string }): Promise<StoredBriefing[]> {
    let q = this.db.selectFrom('briefings').selectAll().where('year', '=', filter.year);
    if (filter.unit !== undefined) q = q.where('unit', '=', filter.unit);
    return (await q.orderBy('date').orderBy('id').execute()).map(toBriefing);
  }

  /** Records a 亮点工程 entry as submitted (task 31). Returns its number. */
  async addHighlight(input: { year: number; unit: string; title: string; evidence?: readonly string[]; conversationId?: string | null }, ctx: ChangeContext): Promise<number> {
    return this.transaction(async (s) => {
      const row = await s.db
        .insertInto('highlights')
        .values({
          year: input.year,
          unit: input.unit,
          title: input.title,
          status: 'submitted',
          evidence: JSON.stringify(input.evidence ?? []),
          submitted_at: iso(ctx.at),
          submitted_by: by(ctx.actor),
          selected_at: null,
          selected_by: null,
          platform: ctx.actor.platform,
          conversation_id: input.conversationId ?? ctx.actor.conversationId ?? null,
        })
        .returning('id')
        .executeTakeFirstOrThrow();
      await s.audit('highlight.add', { id: row.id, year: input.year, unit: input.unit, title: input.title }, ctx);
      return row.id;
    });
  }

  async getHighlight(id: number): Promise<StoredHighlight | null> {
    const row = await this.db.selectFrom('highlights').selectAll().where('id', '=', id).executeTakeFirst();
    return row ? toHighlight(row) : null;
  }

  /** Marks a highlight selected (入选). Returns false when it does not exist or is already selected. */
  async selectHighlight(id: number, ctx: ChangeContext): Promise<boolean> {
    return this.transaction(async (s) => {
      const r = await s.db
        .updateTable('highlights')
        .set({ status: 'selected', selected_at: iso(ctx.at), selected_by: by(ctx.actor) })
        .where('id', '=', id)
        .where('status', '=', 'submitted')
        .executeTakeFirst();
      if (Number(r.numUpdatedRows) === 0) return false;
      await s.audit('highlight.select', { id }, ctx);
      return true;
    });
  }

  async listHighlights(filter: { year: number; unit?: string }): Promise<StoredHighlight[]> {
    let q = this.db.selectFrom('highlights').selectAll().where('year', '=', filter.year);
    if (filter.unit !== undefined) q = q.where('unit', '=', filter.unit);
    return (await q.orderBy('id').execute()).map(toHighlight);
  }

  // ── Exemptions, deductions, carry-over ───────────────────────────────────────────────────────────

  /** Exempts a unit from a task (or from one milestone, by its due date). Returns its id. */
  async addExemption(input: { year: number; task: number; unit: string; due?: string | null; reason: string }, ctx: ChangeContext): Promise<number> {
    return this.transaction(async (s) => {
      const row = await s.db
        .insertInto('exemptions')
        .values({
          year: input.year,
          task: input.task,
          unit: input.unit,
          due: input.due ?? null,
          reason: input.reason,
          granted_at: iso(ctx.at),
          granted_by: by(ctx.actor),
          revoked_at: null,
          revoked_by: null,
        })
        .returning('id')
        .executeTakeFirstOrThrow();
      await s.audit('exemption.add', { id: row.id, ...input, due: input.due ?? null }, ctx);
      return row.id;
    });
  }

  /** Revokes an exemption. Returns false when it does not exist or was already revoked. */
  async revokeExemption(id: number, ctx: ChangeContext): Promise<boolean> {
    return this.transaction(async (s) => {
      const r = await s.db
        .updateTable('exemptions')
        .set({ revoked_at: iso(ctx.at), revoked_by: by(ctx.actor) })
        .where('id', '=', id)
        .where('revoked_at', 'is', null)
        .executeTakeFirst();
      if (Number(r.numUpdatedRows) === 0) return false;
      await s.audit('exemption.revoke', { id }, ctx);
      return true;
    });
  }

  /** Exemptions in force for a plan year. */
  async listExemptions(filter: { year: number; unit?: string; task?: number }): Promise<StoredExemption[]> {
    let q = this.db.selectFrom('exemptions').selectAll().where('year', '=', filter.year).where('revoked_at', 'is', null);
    if (filter.unit !== undefined) q = q.where('unit', '=', filter.unit);
    if (filter.task !== undefined) q = q.where('task', '=', filter.task);
    return (await q.orderBy('id').execute()).map(toExemption);
  }

  /** Records a manual deduction by the county office. Returns its id. */
  async addDeduction(input: { year: number; unit: string; points: number; reason: string }, ctx: ChangeContext): Promise<number> {
    return this.transaction(async (s) => {
      const row = await s.db
        .insertInto('deductions')
        .values({ year: input.year, unit: input.unit, points: input.points, reason: input.reason, recorded_at: iso(ctx.at), recorded_by: by(ctx.actor) })
        .returning('id')
        .executeTakeFirstOrThrow();
      await s.audit('deduction.add', { id: row.id, ...input }, ctx);
      return row.id;
    });
  }

  async listDeductions(filter: { year: number; unit?: string }): Promise<StoredDeduction[]> {
    let q = this.db.selectFrom('deductions').selectAll().where('year', '=', filter.year);
    if (filter.unit !== undefined) q = q.where('unit', '=', filter.unit);
    return (await q.orderBy('id').execute()).map(toDeduction);
  }

  /** Records an item carried over from the previous year's 回头看 (task 33). Returns its id. */
  async addCarryover(input: { year: number; unit: string; item: string; resolved?: boolean }, ctx: ChangeContext): Promise<number> {
    return this.transaction(async (s) => {
      const row = await s.db
        .insertInto('carryover')
        .values({
          year: input.year,
          unit: input.unit,
          item: input.item,
          resolved: input.resolved ? 1 : 0,
          recorded_at: iso(ctx.at),
          recorded_by: by(ctx.actor),
          resolved_at: input.resolved ? iso(ctx.at) : null,
        })
        .returning('id')
        .executeTakeFirstOrThrow();
      await s.audit('carryover.add', { id: row.id, ...input, resolved: input.resolved ?? false }, ctx);
      return row.id;
    });
  }

  /** Marks a carry-over item resolved. Returns false when it does not exist or is already resolved. */
  async resolveCarryover(id: number, ctx: ChangeContext): Promise<boolean> {
    return this.transaction(async (s) => {
      const r = await s.db
        .updateTable('carryover')
        .set({ resolved: 1, resolved_at: iso(ctx.at) })
        .where('id', '=', id)
        .where('resolved', '=', 0)
        .executeTakeFirst();
      if (Number(r.numUpdatedRows) === 0) return false;
      await s.audit('carryover.resolve', { id }, ctx);
      return true;
    });
  }

  async listCarryover(filter: { year: number; unit?: string }): Promise<StoredCarryover[]> {
    let q = this.db.selectFrom('carryover').selectAll().where('year', '=', filter.year);
    if (filter.unit !== undefined) q = q.where('unit', '=', filter.unit);
    return (await q.orderBy('id').execute()).map(toCarryover);
  }

  // ── Processed messages ───────────────────────────────────────────────────────────────────────────

  /** The processed-message row of a platform message id, or null when it was never handled. */
  async findProcessed(platform: string, messageId: string): Promise<ProcessedMessage | null> {
    const r = await this.db
      .selectFrom('processed_messages')
      .selectAll()
      .where('platform', '=', platform)
      .where('message_id', '=', messageId)
      .executeTakeFirst();
    if (!r) return null;
    return {
      platform: r.platform,
      messageId: r.message_id,
      conversationId: r.conversation_id,
      command: r.command,
      processedAt: r.processed_at,
      reply: r.reply === null ? null : (JSON.parse(r.reply) as unknown),
      repliedAt: r.replied_at,
    };
  }

  /**
   * Claims a platform message id for a state-changing command, with the reply to send. Returns false when
   * the id was already processed (the unique key makes a concurrent redelivery lose).
   */
  async recordProcessed(
    input: { platform: string; messageId: string; conversationId: string; senderId: string; command: string; reply: unknown },
    at: Date,
  ): Promise<boolean> {
    const r = await this.db
      .insertInto('processed_messages')
      .values({
        platform: input.platform,
        message_id: input.messageId,
        conversation_id: input.conversationId,
        sender_id: input.senderId,
        command: input.command,
        processed_at: at.toISOString(),
        reply: JSON.stringify(input.reply ?? null),
        replied_at: null,
      })
      .onConflict((oc) => oc.columns(['platform', 'message_id']).doNothing())
      .executeTakeFirst();
    return Number(r.numInsertedOrUpdatedRows ?? 0n) > 0;
  }

  /** Notes that the reply of a processed message went out. */
  async markReplied(platform: string, messageId: string, at: Date): Promise<void> {
    await this.db
      .updateTable('processed_messages')
      .set({ replied_at: at.toISOString() })
      .where('platform', '=', platform)
      .where('message_id', '=', messageId)
      .execute();
  }

  // ── Digest outbox ────────────────────────────────────────────────────────────────────────────────

  /** Adds the digest of a group for a week unless it is there already. Returns true when added. */
  async enqueueDigest(
    input: { week: string; platform: string; conversationId: string; kind: 'unit' | 'admin'; unit: string | null },
    at: Date,
  ): Promise<boolean> {
    const r = await this.db
      .insertInto('digest_outbox')
      .values({
        week: input.week,
        platform: input.platform,
        conversation_id: input.conversationId,
        kind: input.kind,
        unit: input.unit,
        status: 'pending',
        attempts: 0,
        created_at: at.toISOString(),
        claimed_at: null,
        sent_at: null,
        last_error: null,
      })
      .onConflict((oc) => oc.columns(['platform', 'conversation_id', 'week']).doNothing())
      .executeTakeFirst();
    return Number(r.numInsertedOrUpdatedRows ?? 0n) > 0;
  }

  /**
   * Claims a digest for sending: a pending one, or one whose earlier claim is older than `staleBefore`
   * (its sender died mid-send). Returns false when another sender holds it or it was sent.
   */
  async claimDigest(id: number, at: Date, staleBefore: Date): Promise<boolean> {
    const r = await this.db
      .updateTable('digest_outbox')
      .set((eb) => ({ status: 'sending', claimed_at: at.toISOString(), attempts: eb('attempts', '+', 1) }))
      .where('id', '=', id)
      .where((eb) =>
        eb.or([eb('status', '=', 'pending'), eb.and([eb('status', '=', 'sending'), eb('claimed_at', '<', staleBefore.toISOString())])]),
      )
      .executeTakeFirst();
    return Number(r.numUpdatedRows) > 0;
  }

  /**
   * Marks a digest sent, only while the claim made at `claimedAt` still holds it: a sender whose claim was
   * taken over as stale must not touch the row. Returns false when the claim was lost.
   */
  async markDigestSent(id: number, at: Date, claimedAt: Date): Promise<boolean> {
    const r = await this.db
      .updateTable('digest_outbox')
      .set({ status: 'sent', sent_at: at.toISOString(), last_error: null })
      .where('id', '=', id)
      .where('status', '=', 'sending')
      .where('claimed_at', '=', claimedAt.toISOString())
      .executeTakeFirst();
    return Number(r.numUpdatedRows) > 0;
  }

  /**
   * Records a failed send of the claim made at `claimedAt`: back to pending for a retry, or `failed` once
   * `giveUp` is true. Does nothing (returns false) when that claim no longer holds the row.
   */
  async markDigestFailed(id: number, error: string, giveUp: boolean, claimedAt: Date): Promise<boolean> {
    const r = await this.db
      .updateTable('digest_outbox')
      .set({ status: giveUp ? 'failed' : 'pending', last_error: error.slice(0, 1000) })
      .where('id', '=', id)
      .where('status', '=', 'sending')
      .where('claimed_at', '=', claimedAt.toISOString())
      .executeTakeFirst();
    return Number(r.numUpdatedRows) > 0;
  }

  /** Outbox entries, optionally of one week, oldest first. */
  async listOutbox(filter: { week?: string; status?: OutboxEntry['status'] } = {}): Promise<OutboxEntry[]> {
    let q = this.db.selectFrom('digest_outbox').selectAll().orderBy('id');
    if (filter.week !== undefined) q = q.where('week', '=', filter.week);
    if (filter.status !== undefined) q = q.where('status', '=', filter.status);
    return (await q.execute()).map(toOutbox);
  }
}
