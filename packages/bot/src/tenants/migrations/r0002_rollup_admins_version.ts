import { sql, type Kysely } from 'kysely';
import { dialectOf } from '../../store/migrations/columns.js';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type AnyDb = Kysely<any>;

/** The channel a PostgreSQL registry notifies on after each committed change (see `TenantRegistry.snapshot`). */
export const REGISTRY_CHANNEL = 'zwgk_registry';

/*
 * Who may read a roll-up group's answers (its admins, by platform user id), and on PostgreSQL a version row
 * bumped by a statement trigger on every registry table, with a notification on commit: instances cache the
 * registry and reload it only when it changed. SQLite needs neither: `PRAGMA data_version` tells a
 * connection that another one committed.
 */

const TABLES = ['tenants', 'tenant_conversations', 'rollup_groups', 'rollup_admins'] as const;

export async function up(db: AnyDb): Promise<void> {
  await db.schema
    .createTable('rollup_admins')
    .addColumn('platform', 'text', (c) => c.notNull())
    .addColumn('conversation_id', 'text', (c) => c.notNull())
    .addColumn('user_id', 'text', (c) => c.notNull())
    .addColumn('name', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('rollup_admins_pk', ['platform', 'conversation_id', 'user_id'])
    .execute();
  if (dialectOf(db) !== 'postgres') return;
  await db.schema
    .createTable('registry_version')
    .addColumn('id', 'integer', (c) => c.primaryKey())
    .addColumn('version', 'bigint', (c) => c.notNull())
    .execute();
  await sql`insert into registry_version (id, version) values (1, 1)`.execute(db);
  await sql
    .raw(
      `create or replace function zwgk_registry_changed() returns trigger language plpgsql set search_path from current as $$
begin
  update registry_version set version = version + 1 where id = 1;
  perform pg_notify('${REGISTRY_CHANNEL}', '');
  return null;
end $$`,
    )
    .execute(db);
  for (const table of TABLES) {
    await sql
      .raw(`create trigger ${table}_changed after insert or update or delete or truncate on ${table} for each statement execute function zwgk_registry_changed()`)
      .execute(db);
  }
}

export async function down(db: AnyDb): Promise<void> {
  if (dialectOf(db) === 'postgres') {
    for (const table of TABLES) await sql.raw(`drop trigger if exists ${table}_changed on ${table}`).execute(db);
    await sql`drop function if exists zwgk_registry_changed()`.execute(db);
    await db.schema.dropTable('registry_version').execute();
  }
  await db.schema.dropTable('rollup_admins').execute();
}
