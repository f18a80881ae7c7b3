import { dirname, join, resolve } from 'node:path';
import type { Kysely, Migration, Selectable } from 'kysely';
import { PlanSchema, resolveRubric, type Plan, type Rubric } from '@zwgk/sdk';
import { z } from 'zod';
import { DEFAULT_DATABASE_FILE, isPostgresUrl, openSqliteKysely, openStore, redactUrl, type OpenStoreOptions } from '../store/open.js';
import { applyMigrations } from '../store/migrations/index.js';
import type { SqlDialect } from '../store/migrations/columns.js';
import type { Store } from '../store/store.js';
import * as r0001 from './migrations/r0001_registry.js';

/** The tenant a conversation bound nowhere belongs to: the deployment's own store and configured plan. */
export const DEFAULT_TENANT = 'default';

/** What a tenant id may be: lower-case letters, digits and `_`, starting with a letter, at most 40 characters. */
export const TENANT_ID = /^[a-z][a-z0-9_]{0,39}$/;

/** Whether `id` is a valid id for a new tenant (see {@link TENANT_ID}; `default` is taken by the default tenant). */
export function isTenantId(id: string): boolean {
  return TENANT_ID.test(id) && id !== DEFAULT_TENANT;
}

/**
 * A tenant's own settings, over the deployment's: who may confirm, the "due soon" horizon and the rubric
 * (partial, merged over the SDK's default rubric; `review.required` switches the office's 复核 on).
 */
export const tenantSettingsSchema = z
  .object({
    /** Who may confirm for a unit (default: the deployment's policy). */
    policy: z.enum(['group', 'liaisons']).optional(),
    /** "Due soon" horizon of the digest, in working days (default: the deployment's). */
    horizonDays: z.number().int().min(1).max(60).optional(),
    /** The rubric, as fields over the default rubric (e.g. `{ review: { required: true } }`). */
    rubric: z.record(z.string(), z.unknown()).optional(),
  })
  .strict();

/** A tenant's settings (see {@link tenantSettingsSchema}). */
export type TenantSettings = z.infer<typeof tenantSettingsSchema>;

/** A tenant: one county's plan for one year, with its settings. */
export interface Tenant {
  id: string;
  county: string;
  year: number;
  plan: Plan;
  settings: TenantSettings;
  /** The settings' rubric merged over the default one. */
  rubric: Rubric;
  createdAt: string;
  updatedAt: string;
}

/** A city's or province's admin group: the tenants whose roll-up it sees (`'all'`, or a list of ids). */
export interface RollupGroup {
  platform: string;
  conversationId: string;
  scope: 'all' | string[];
  title: string | null;
}

/** The registry's tables (camel-cased as Kysely's CamelCasePlugin shows them). */
export interface RegistryDatabase {
  tenants: { id: string; county: string; year: number; plan: string; settings: string; createdAt: string; updatedAt: string };
  tenantConversations: { platform: string; conversationId: string; tenantId: string; createdAt: string };
  rollupGroups: { platform: string; conversationId: string; scope: string; title: string | null; createdAt: string };
}

/** The registry's own migrations, kept apart from the tenants' store migrations (`zwgk_registry_migrations`). */
export const registryMigrations: Readonly<Record<string, Migration>> = { r0001_registry: r0001 };

/** Result of a registry change that input can make fail. */
export type TenantResult<T> = { success: true; data: T } | { success: false; error: string };

function tenantOf(row: Selectable<RegistryDatabase['tenants']>): Tenant {
  const plan = PlanSchema.parse(JSON.parse(row.plan)) as Plan;
  const settings = tenantSettingsSchema.parse(JSON.parse(row.settings));
  const rubric = resolveRubric(settings.rubric ?? null);
  if (!rubric.success) throw new Error(`tenant ${row.id}: stored rubric is invalid: ${rubric.error}`);
  return { id: row.id, county: row.county, year: Number(row.year), plan, settings, rubric: rubric.data, createdAt: row.createdAt, updatedAt: row.updatedAt };
}

function scopeOf(text: string): 'all' | string[] {
  if (text === 'all') return 'all';
  try {
    const list: unknown = JSON.parse(text);
    return Array.isArray(list) ? list.filter((v): v is string => typeof v === 'string') : [];
  } catch {
    return [];
  }
}

/**
 * The registry of a deployment's tenants: which tenants exist (their plans and settings), which tenant each
 * group chat belongs to, and the roll-up groups of a city or province. Each tenant has a store of its own
 * ({@link TenantRegistry.openStore}): on PostgreSQL the schema `tenant_<id>` of the deployment's database, on
 * SQLite the file `<dataDir>/tenants/<id>/zwgk.sqlite`; the registry itself is in the `public` schema or
 * `<dataDir>/tenants.sqlite`. A conversation bound to no tenant belongs to the default tenant, the
 * deployment's own store. Open it with {@link openTenantRegistry}.
 */
export class TenantRegistry {
  readonly #base: OpenStoreOptions;
  // The node-postgres pool the tenants' stores share (PostgreSQL only); kept opaque in the public types.
  readonly #pool: { end(): Promise<void> } | undefined;

  constructor(
    /** The registry's database (camel-cased). */
    readonly db: Kysely<RegistryDatabase>,
    /** Its SQL dialect. */
    readonly dialect: SqlDialect,
    base: OpenStoreOptions,
    /** PostgreSQL: the pool the tenants' stores share (see {@link openTenantRegistry}); ended by `close`. */
    pool?: { end(): Promise<void> },
  ) {
    this.#base = base;
    this.#pool = pool;
  }

  /** Every tenant, by id. */
  async list(): Promise<Tenant[]> {
    const rows = await this.db.selectFrom('tenants').selectAll().orderBy('id').execute();
    return rows.map(tenantOf);
  }

  /** One tenant, or null. */
  async get(id: string): Promise<Tenant | null> {
    const row = await this.db.selectFrom('tenants').selectAll().where('id', '=', id).executeTakeFirst();
    return row ? tenantOf(row) : null;
  }

  /** The tenant whose county is `name` (or whose id is `name`), or null; the latest year first when a county has several. */
  async find(name: string): Promise<Tenant | null> {
    const byId = await this.get(name);
    if (byId) return byId;
    const rows = await this.db.selectFrom('tenants').selectAll().where('county', '=', name).orderBy('year', 'desc').execute();
    return rows[0] ? tenantOf(rows[0]) : null;
  }

  /**
   * Creates the tenant `id`, or replaces its plan (and settings, when given) when it exists. Its store is
   * created and migrated on first open. Fails on a bad id or settings.
   */
  async put(input: { id: string; plan: Plan; settings?: TenantSettings }, at: Date = new Date()): Promise<TenantResult<{ tenant: Tenant; created: boolean }>> {
    if (!isTenantId(input.id)) return { success: false, error: `tenant id "${input.id}" must be lower-case letters, digits and _, starting with a letter (at most 40), and not "${DEFAULT_TENANT}"` };
    const settings = tenantSettingsSchema.safeParse(input.settings ?? {});
    if (!settings.success) return { success: false, error: `tenant settings: ${settings.error.issues.map((i) => `${i.path.join('.') || '(settings)'}: ${i.message}`).join('; ')}` };
    const rubric = resolveRubric(settings.data.rubric ?? null);
    if (!rubric.success) return { success: false, error: rubric.error };
    const now = at.toISOString();
    const existing = await this.db.selectFrom('tenants').select(['id', 'settings']).where('id', '=', input.id).executeTakeFirst();
    const row = {
      county: input.plan.county,
      year: input.plan.year,
      plan: JSON.stringify(input.plan),
      settings: JSON.stringify(input.settings === undefined && existing ? JSON.parse(existing.settings) : settings.data),
      updatedAt: now,
    };
    if (existing) await this.db.updateTable('tenants').set(row).where('id', '=', input.id).execute();
    else await this.db.insertInto('tenants').values({ id: input.id, ...row, createdAt: now }).execute();
    const tenant = await this.get(input.id);
    if (!tenant) throw new Error(`tenant ${input.id} vanished while being written`);
    return { success: true, data: { tenant, created: !existing } };
  }

  /** Changes a tenant's settings (merged over the current ones). */
  async configure(id: string, settings: TenantSettings, at: Date = new Date()): Promise<TenantResult<Tenant>> {
    const tenant = await this.get(id);
    if (!tenant) return { success: false, error: `no tenant "${id}"` };
    const r = await this.put({ id, plan: tenant.plan, settings: { ...tenant.settings, ...settings } }, at);
    return r.success ? { success: true, data: r.data.tenant } : r;
  }

  /**
   * Removes a tenant from the registry with its conversation bindings and its place in roll-up scopes.
   * Its store (schema or file) is left as it is: records are never deleted by this.
   */
  async remove(id: string): Promise<boolean> {
    return this.db.transaction().execute(async (trx) => {
      await trx.deleteFrom('tenantConversations').where('tenantId', '=', id).execute();
      const r = await trx.deleteFrom('tenants').where('id', '=', id).executeTakeFirst();
      return Number(r.numDeletedRows) > 0;
    });
  }

  /** Binds a conversation to a tenant (replacing an earlier binding); fails when the tenant does not exist. */
  async bind(platform: string, conversationId: string, tenantId: string, at: Date = new Date()): Promise<TenantResult<void>> {
    if (tenantId === DEFAULT_TENANT) {
      await this.unbind(platform, conversationId);
      return { success: true, data: undefined };
    }
    if (!(await this.get(tenantId))) return { success: false, error: `no tenant "${tenantId}"` };
    await this.db.transaction().execute(async (trx) => {
      await trx.deleteFrom('tenantConversations').where('platform', '=', platform).where('conversationId', '=', conversationId).execute();
      await trx.insertInto('tenantConversations').values({ platform, conversationId, tenantId, createdAt: at.toISOString() }).execute();
    });
    return { success: true, data: undefined };
  }

  /** Removes a conversation's tenant binding (it then belongs to the default tenant). */
  async unbind(platform: string, conversationId: string): Promise<boolean> {
    const r = await this.db.deleteFrom('tenantConversations').where('platform', '=', platform).where('conversationId', '=', conversationId).executeTakeFirst();
    return Number(r.numDeletedRows) > 0;
  }

  /** The tenant a conversation is bound to, or {@link DEFAULT_TENANT}. */
  async tenantOf(platform: string, conversationId: string): Promise<string> {
    const row = await this.db
      .selectFrom('tenantConversations')
      .select('tenantId')
      .where('platform', '=', platform)
      .where('conversationId', '=', conversationId)
      .executeTakeFirst();
    return row?.tenantId ?? DEFAULT_TENANT;
  }

  /** Every conversation bound to a tenant (of one tenant when given). */
  async conversations(tenantId?: string): Promise<Array<{ platform: string; conversationId: string; tenantId: string }>> {
    let q = this.db.selectFrom('tenantConversations').select(['platform', 'conversationId', 'tenantId']);
    if (tenantId !== undefined) q = q.where('tenantId', '=', tenantId);
    return q.orderBy('tenantId').orderBy('conversationId').execute();
  }

  /** Makes a conversation a roll-up group over `scope` (every tenant, or the listed ids); replaces an earlier scope. */
  async addRollup(group: RollupGroup, at: Date = new Date()): Promise<TenantResult<void>> {
    if (group.scope !== 'all') {
      const known = new Set((await this.list()).map((t) => t.id));
      const unknown = group.scope.filter((id) => !known.has(id));
      if (unknown.length) return { success: false, error: `no tenant ${unknown.map((id) => `"${id}"`).join(', ')}` };
      if (!group.scope.length) return { success: false, error: 'a roll-up scope needs at least one tenant (or all)' };
    }
    const scope = group.scope === 'all' ? 'all' : JSON.stringify(group.scope);
    await this.db.transaction().execute(async (trx) => {
      await trx.deleteFrom('rollupGroups').where('platform', '=', group.platform).where('conversationId', '=', group.conversationId).execute();
      await trx
        .insertInto('rollupGroups')
        .values({ platform: group.platform, conversationId: group.conversationId, scope, title: group.title, createdAt: at.toISOString() })
        .execute();
    });
    return { success: true, data: undefined };
  }

  /** Stops a conversation being a roll-up group. */
  async removeRollup(platform: string, conversationId: string): Promise<boolean> {
    const r = await this.db.deleteFrom('rollupGroups').where('platform', '=', platform).where('conversationId', '=', conversationId).executeTakeFirst();
    return Number(r.numDeletedRows) > 0;
  }

  /** The roll-up group of a conversation, or null. */
  async rollupOf(platform: string, conversationId: string): Promise<RollupGroup | null> {
    const row = await this.db.selectFrom('rollupGroups').selectAll().where('platform', '=', platform).where('conversationId', '=', conversationId).executeTakeFirst();
    return row ? { platform: row.platform, conversationId: row.conversationId, scope: scopeOf(row.scope), title: row.title } : null;
  }

  /** Every roll-up group. */
  async rollups(): Promise<RollupGroup[]> {
    const rows = await this.db.selectFrom('rollupGroups').selectAll().orderBy('conversationId').execute();
    return rows.map((row) => ({ platform: row.platform, conversationId: row.conversationId, scope: scopeOf(row.scope), title: row.title }));
  }

  /** The tenants a roll-up scope covers, in id order (ids no longer registered are left out). */
  async inScope(scope: 'all' | readonly string[]): Promise<Tenant[]> {
    const all = await this.list();
    return scope === 'all' ? all : all.filter((t) => scope.includes(t.id));
  }

  /**
   * Opens the tenant's store, migrated (created on first open): the schema `tenant_<id>` on PostgreSQL
   * (through the registry's shared connection pool), the file `<dataDir>/tenants/<id>/zwgk.sqlite` on
   * SQLite. `default` opens the deployment's own store. The caller closes it before the registry.
   */
  async openStore(id: string, options: { migrate?: boolean } = {}): Promise<Store> {
    if (id !== DEFAULT_TENANT && !isTenantId(id)) throw new Error(`openStore: bad tenant id "${id}"`);
    if (this.#base.url !== undefined) {
      const { openPostgresStore } = await import('../store/postgres.js');
      if (id === DEFAULT_TENANT) return openStore({ ...this.#base, ...options });
      return openPostgresStore({ url: this.#base.url, schema: `tenant_${id}`, pool: this.#pool as Parameters<typeof openPostgresStore>[0]['pool'], migrate: options.migrate });
    }
    return openStore({ ...this.#base, ...options, ...(id === DEFAULT_TENANT ? {} : { filename: tenantFile(this.#base, id) }) });
  }

  /**
   * The `openStore` options of a tenant's store on its own (a tool such as the CLI that opens one tenant and
   * closes the registry): the schema `tenant_<id>` or the tenant's file; `default` gives the deployment's own.
   */
  storeOptionsOf(id: string): OpenStoreOptions {
    if (id === DEFAULT_TENANT) return { ...this.#base };
    if (!isTenantId(id)) throw new Error(`storeOptionsOf: bad tenant id "${id}"`);
    return this.#base.url !== undefined ? { ...this.#base, schema: `tenant_${id}` } : { ...this.#base, filename: tenantFile(this.#base, id) };
  }

  /** Where a tenant's records are, for messages: its SQLite file or `schema tenant_<id>` of the database (password hidden). */
  locationOf(id: string): string {
    if (this.#base.url !== undefined) return id === DEFAULT_TENANT ? redactUrl(this.#base.url) : `${redactUrl(this.#base.url)} schema tenant_${id}`;
    return id === DEFAULT_TENANT ? resolve(this.#base.filename ?? DEFAULT_DATABASE_FILE) : tenantFile(this.#base, id);
  }

  /** Closes the registry's database and the tenants' shared pool (close the tenants' stores first). */
  async close(): Promise<void> {
    await this.db.destroy();
    await this.#pool?.end();
  }
}

function tenantFile(base: OpenStoreOptions, id: string): string {
  const filename = base.filename ?? DEFAULT_DATABASE_FILE;
  if (filename === ':memory:' || filename === '') return ':memory:';
  return join(dirname(resolve(filename)), 'tenants', id, 'zwgk.sqlite');
}

/**
 * Opens the tenant registry of the deployment whose default store `base` opens (the same options as
 * `openStore`): on PostgreSQL the registry tables in the database's `public` schema and one connection pool
 * (`poolSize`, default 10) shared by every tenant's store; on SQLite `tenants.sqlite` beside the default
 * store's file (in memory when that is `:memory:`). Applies the registry's migrations. With no tenant
 * registered, every conversation belongs to the default tenant: the single-county deployment as before.
 *
 * @example
 * const registry = await openTenantRegistry({ filename: './data/zwgk.sqlite' });
 * await registry.put({ id: 'qinyuan', plan: getPlan('qinyuan-2022') });
 * await registry.bind('dingtalk', 'cid-guodao', 'qinyuan');
 * const store = await registry.openStore('qinyuan'); // ./data/tenants/qinyuan/zwgk.sqlite
 * await store.close();
 * await registry.close();
 */
export async function openTenantRegistry(base: OpenStoreOptions = {}): Promise<TenantRegistry> {
  if (base.url !== undefined) {
    if (!isPostgresUrl(base.url)) throw new Error(`openTenantRegistry: url must start with postgres:// or postgresql://, got ${redactUrl(base.url)}`);
    const { newPostgresPool, postgresKysely } = await import('../store/postgres.js');
    const pool = await newPostgresPool({ url: base.url, poolSize: base.poolSize });
    const db = postgresKysely<RegistryDatabase>(pool, 'public', true);
    try {
      if (base.migrate !== false) await applyMigrations(db, registryMigrations, 'zwgk_registry_migrations');
    } catch (error) {
      await db.destroy();
      await pool.end();
      throw error;
    }
    return new TenantRegistry(db, 'postgres', base, pool);
  }
  const filename = base.filename ?? DEFAULT_DATABASE_FILE;
  const memory = filename === ':memory:' || filename === '';
  const db = openSqliteKysely<RegistryDatabase>(memory ? ':memory:' : join(dirname(resolve(filename)), 'tenants.sqlite'), base.busyTimeoutMs);
  try {
    if (base.migrate !== false) await applyMigrations(db, registryMigrations, 'zwgk_registry_migrations');
  } catch (error) {
    await db.destroy();
    throw error;
  }
  return new TenantRegistry(db, 'sqlite', base);
}

