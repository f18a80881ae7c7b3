/**
 * Changes to a confirmation after it was recorded, which keep its time: evidence and notes added (补充, or a
 * repeated 确认 with new links) and the completion date the liaison stated (`claimedDate`). Each writes an
 * audit entry in the same transaction.
 */
import { inTransaction, parseList, type ChangeContext } from './db.js';
import { AuditRepository } from './repositories/audit.js';
import { EvidenceCheckRepository } from './repositories/evidence-checks.js';
import type { Store } from './store.js';

/** Stores the completion date a liaison stated for a confirmation (`YYYY-MM-DD`). Scoring keeps the confirmation's time. */
export async function setClaimedDate(store: Store, id: number, claimedDate: string, ctx: ChangeContext): Promise<void> {
  await inTransaction(store.db, async (db) => {
    await db.updateTable('confirmations').set({ claimedDate }).where('id', '=', id).execute();
    await new AuditRepository(db).append('confirmation.claim', { id, claimedDate }, ctx);
  });
}

/** The stated completion dates of a plan year's confirmations (optionally one unit's), by confirmation id. */
export async function claimedDates(store: Store, filter: { year: number; unit?: string }): Promise<Map<number, string>> {
  let q = store.db.selectFrom('confirmations').select(['id', 'claimedDate']).where('year', '=', filter.year).where('claimedDate', 'is not', null);
  if (filter.unit !== undefined) q = q.where('unit', '=', filter.unit);
  const rows = await q.execute();
  return new Map(rows.flatMap((r) => (r.claimedDate === null ? [] : [[r.id, r.claimedDate] as const])));
}

/** What {@link amendConfirmation} changed. */
export interface Amendment {
  /** Links that were new (already stored ones are not added twice). */
  added: string[];
  /** True when the note was extended. */
  noted: boolean;
  /** Every link of the confirmation after the change. */
  evidence: string[];
}

/**
 * Adds links and a note to an active confirmation, keeping its time (补充). Returns null when the
 * confirmation does not exist or was withdrawn.
 */
export async function amendConfirmation(store: Store, id: number, input: { evidence: readonly string[]; note?: string | null }, ctx: ChangeContext): Promise<Amendment | null> {
  return inTransaction(store.db, async (db) => {
    const row = await db.selectFrom('confirmations').select(['evidence', 'note']).where('id', '=', id).where('undoneAt', 'is', null).executeTakeFirst();
    if (!row) return null;
    const evidence = parseList(row.evidence);
    const added = input.evidence.filter((link, i) => !evidence.includes(link) && input.evidence.indexOf(link) === i);
    const before = row.note;
    const note = input.note?.trim() ? input.note.trim() : null;
    const noted = note !== null && !(before ?? '').includes(note);
    if (added.length === 0 && !noted) return { added, noted, evidence };
    const after = noted ? (before ? `${before}；${note}` : note) : before;
    await db.updateTable('confirmations').set({ evidence: JSON.stringify([...evidence, ...added]), note: after }).where('id', '=', id).execute();
    await new AuditRepository(db).append('confirmation.amend', { id, added, note: noted ? note : null }, ctx);
    await new EvidenceCheckRepository(db).request(id, added, ctx);
    return { added, noted, evidence: [...evidence, ...added] };
  });
}
