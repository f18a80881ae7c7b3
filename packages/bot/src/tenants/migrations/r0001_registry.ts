import type { Kysely } from 'kysely';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type AnyDb = Kysely<any>;

/*
 * The tenant registry: the tenants (a county's plan for a year, as JSON, with its settings), which tenant a
 * group chat belongs to, and the roll-up groups of a city or province. Kept apart from the store's own
 * migrations: the registry lives once per deployment, the store once per tenant.
 */

export async function up(db: AnyDb): Promise<void> {
  await db.schema
    .createTable('tenants')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('county', 'text', (c) => c.notNull())
    .addColumn('year', 'integer', (c) => c.notNull())
    .addColumn('plan', 'text', (c) => c.notNull())
    .addColumn('settings', 'text', (c) => c.notNull().defaultTo('{}'))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createTable('tenant_conversations')
    .addColumn('platform', 'text', (c) => c.notNull())
    .addColumn('conversation_id', 'text', (c) => c.notNull())
    .addColumn('tenant_id', 'text', (c) => c.notNull().references('tenants.id'))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('tenant_conversations_pk', ['platform', 'conversation_id'])
    .execute();
  await db.schema.createIndex('tenant_conversations_tenant').on('tenant_conversations').column('tenant_id').execute();
  await db.schema
    .createTable('rollup_groups')
    .addColumn('platform', 'text', (c) => c.notNull())
    .addColumn('conversation_id', 'text', (c) => c.notNull())
    .addColumn('scope', 'text', (c) => c.notNull())
    .addColumn('title', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('rollup_groups_pk', ['platform', 'conversation_id'])
    .execute();
}

export async function down(db: AnyDb): Promise<void> {
  await db.schema.dropTable('rollup_groups').execute();
  await db.schema.dropTable('tenant_conversations').execute();
  await db.schema.dropTable('tenants').execute();
}
