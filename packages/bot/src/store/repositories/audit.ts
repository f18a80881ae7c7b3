import { iso, type ChangeContext, type Db } from '../db.js';
import { prepared } from '../prepared.js';

const appendEntry = prepared(
  (db, v: { at: string; actorPlatform: string; actorId: string; actorName: string | null; channel: string; conversationId: string | null; action: string; payload: string }) =>
    db.insertInto('auditLog').values(v),
);

/** One entry of the append-only audit log. */
export interface AuditEntry {
  id: number;
  at: string;
  actor: { platform: string; id: string; name: string | null };
  channel: string;
  conversationId: string | null;
  action: string;
  payload: unknown;
}

/** The append-only audit log: every change, by whom, when and through which channel. */
export class AuditRepository {
  constructor(private readonly db: Db) {}

  /** Appends one entry. Change methods of the other repositories call it themselves; call it for changes made elsewhere (e.g. a nudge). */
  async append(action: string, payload: unknown, ctx: ChangeContext): Promise<void> {
    const { actor } = ctx;
    await appendEntry(this.db, {
      at: iso(ctx.at),
      actorPlatform: actor.platform,
      actorId: actor.id,
      actorName: actor.name ?? null,
      channel: actor.channel ?? (actor.conversationId ? 'chat' : 'system'),
      conversationId: actor.conversationId ?? null,
      action,
      payload: JSON.stringify(payload ?? null),
    });
  }

  /** The log, oldest first; optionally since a time, of one action, at most `limit` entries. */
  async list(options: { since?: Date; action?: string; limit?: number } = {}): Promise<AuditEntry[]> {
    let q = this.db.selectFrom('auditLog').selectAll().orderBy('id');
    if (options.since) q = q.where('at', '>=', options.since.toISOString());
    if (options.action) q = q.where('action', '=', options.action);
    if (options.limit !== undefined) q = q.limit(options.limit);
    const rows = await q.execute();
    return rows.map((r) => ({
      id: r.id,
      at: r.at,
      actor: { platform: r.actorPlatform, id: r.actorId, name: r.actorName },
      channel: r.channel,
      conversationId: r.conversationId,
      action: r.action,
      payload: JSON.parse(r.payload) as unknown,
    }));
  }
}
