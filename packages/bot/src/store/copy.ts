import { sql } from 'kysely';
import type { Database } from './schema.js';
import type { Store } from './store.js';

/** The tables {@link copyStore} copies, in this order. Leases and rate buckets are not copied: they belong to running processes. */
const TABLES = [
  'unitGroups',
  'adminGroups',
  'liaisons',
  'admins',
  'confirmations',
  'briefings',
  'highlights',
  'exemptions',
  'deductions',
  'carryover',
  'evidenceChecks',
  'rectifications',
  'processedMessages',
  'digestOutbox',
  'auditLog',
] as const satisfies readonly (keyof Database)[];

/** Tables whose `id` is auto-numbered: on PostgreSQL their sequences continue after the copied ids. */
const WITH_ID: ReadonlySet<string> = new Set(['liaisons', 'confirmations', 'briefings', 'highlights', 'exemptions', 'deductions', 'carryover', 'evidenceChecks', 'rectifications', 'digestOutbox', 'auditLog']);

const BATCH = 200;

/** What {@link copyStore} copied: rows per table (camelCase table names). */
export interface CopyReport {
  tables: Record<string, number>;
  total: number;
}

const snake = (name: string) => name.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);

/**
 * Copies every record of one store into another, e.g. a county's SQLite database into a shared
 * PostgreSQL one (`zwgk db copy`). Ids are kept, so audit entries and outbox rows still refer to the same
 * records; on PostgreSQL the id sequences then continue after the highest copied id. The copy is one
 * transaction on the target: it lands whole or not at all. Both stores must be at the same schema
 * version (open them with migrations, the default).
 *
 * Returns `{ success: false }` without writing when the target already holds records (copying must not
 * mix two counties' data or double one's), and a count per table once done.
 *
 * @example
 * const from = await openStore({ filename: './data/zwgk.sqlite' });
 * const to = await openStore({ url: 'postgres://zwgk:secret@127.0.0.1:5432/zwgk' });
 * const r = await copyStore(from, to); // { success: true, data: { tables: { confirmations: 412, … }, total: 1630 } }
 */
export async function copyStore(from: Store, to: Store): Promise<{ success: true; data: CopyReport } | { success: false; error: string }> {
  return to.transaction(async (target) => {
    for (const table of TABLES) {
      const r = await target.db.selectFrom(table).select(sql<number>`count(*)`.as('n')).executeTakeFirst();
      if (Number(r?.n ?? 0) > 0) return { success: false as const, error: `the target database is not empty (table ${snake(table)} has ${Number(r?.n)} rows): copy into a new, empty database` };
    }
    const tables: Record<string, number> = {};
    let total = 0;
    for (const table of TABLES) {
      // eslint-disable-next-line @typescript-eslint/no-explicit-any
      let q = from.db.selectFrom(table).selectAll() as any;
      if (WITH_ID.has(table)) q = q.orderBy('id');
      const rows = (await q.execute()) as Record<string, unknown>[];
      for (let i = 0; i < rows.length; i += BATCH) {
        // eslint-disable-next-line @typescript-eslint/no-explicit-any
        await target.db.insertInto(table).values(rows.slice(i, i + BATCH) as any).execute();
      }
      if (target.dialect === 'postgres' && WITH_ID.has(table)) {
        const name = snake(table);
        await sql`select setval(pg_get_serial_sequence(${name}, 'id'), coalesce((select max(id) from ${sql.table(name)}), 1), (select max(id) from ${sql.table(name)}) is not null)`.execute(target.db.withoutPlugins());
      }
      tables[table] = rows.length;
      total += rows.length;
    }
    return { success: true as const, data: { tables, total } };
  });
}
