import { createHash } from 'node:crypto';
import { dirname, join, resolve } from 'node:path';
import { sql, type Kysely, type Migration, type Selectable } from 'kysely';
import { PlanSchema, resolveRubric, type Plan, type Rubric } from '@zwgk/sdk';
import { z } from 'zod';
import { DEFAULT_DATABASE_FILE, isPostgresUrl, openSqliteKysely, openStore, redactUrl, type OpenStoreOptions } from '../store/open.js';
import { applyMigrations } from '../store/migrations/index.js';
import type { SqlDialect } from '../store/migrations/columns.js';
import type { Store } from '../store/store.js';
import * as r0001 from './migrations/r0001_registry.js';
import * as r0002 from './migrations/r0002_rollup_admins_version.js';
import { REGISTRY_CHANNEL } from './migrations/r0002_rollup_admins_version.js';

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

/** Someone who may read a roll-up group's answers: a platform user id (DingTalk staffId, Slack user id). */
export interface RollupAdmin {
  userId: string;
  name: string | null;
}

/**
 * A city's or province's admin group: the tenants whose roll-up it sees (`'all'`, or a list of ids) and its
 * admins, the people who may read it (besides the covered tenants' own admins, for their own county).
 */
export interface RollupGroup {
  platform: string;
  conversationId: string;
  scope: 'all' | string[];
  title: string | null;
  /** Who may read the roll-up and drill into any county in scope. Read back always; on `addRollup`, omitted keeps the current ones. */
  admins?: RollupAdmin[];
}

/**
 * The registry as it was at one moment, held in memory (see {@link TenantRegistry.snapshot}): what routing
 * reads for every message without asking the database.
 */
export interface RegistrySnapshot {
  /** Opaque: changes whenever the registry changes. */
  readonly version: string;
  /** Every tenant, by id. */
  readonly tenants: readonly Tenant[];
  get(id: string): Tenant | null;
  /** The tenant whose id or county is `name` (the latest year first). */
  find(name: string): Tenant | null;
  /** The tenant a conversation is bound to, or {@link DEFAULT_TENANT}. */
  tenantOf(platform: string, conversationId: string): string;
  rollupOf(platform: string, conversationId: string): RollupGroup | null;
  /** The tenants of a roll-up scope, in id order. */
  inScope(scope: 'all' | readonly string[]): Tenant[];
  /** A digest of a tenant's plan and settings: changes when either does (null for an unknown id). */
  revisionOf(id: string): string | null;
}

/** How often {@link TenantRegistry.snapshot} has checked and reloaded the registry (for tests, benchmarks and metrics). */
export interface RegistryCacheStats {
  /** Version checks made against the database (a `PRAGMA data_version`, or a version row read). */
  checks: number;
  /** Full reloads of the registry. */
  loads: number;
  /** PostgreSQL: whether change notifications are being received (LISTEN); false on SQLite. */
  listening: boolean;
}

/** The registry's tables (camel-cased as Kysely's CamelCasePlugin shows them). */
export interface RegistryDatabase {
  tenants: { id: string; county: string; year: number; plan: string; settings: string; createdAt: string; updatedAt: string };
  tenantConversations: { platform: string; conversationId: string; tenantId: string; createdAt: string };
  rollupGroups: { platform: string; conversationId: string; scope: string; title: string | null; createdAt: string };
  rollupAdmins: { platform: string; conversationId: string; userId: string; name: string | null; createdAt: string };
  /** PostgreSQL only: bumped by a trigger on every change of the tables above. */
  registryVersion: { id: number; version: string };
}

/** The registry's own migrations, kept apart from the tenants' store migrations (`zwgk_registry_migrations`). */
export const registryMigrations: Readonly<Record<string, Migration>> = { r0001_registry: r0001, r0002_rollup_admins_version: r0002 };

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
  readonly #cacheOptions: RegistryCacheOptions & { dataVersion?: () => number };
  // The cached snapshot, the change token it was read at (data_version or the version row) and the count of
  // invalidations it has seen: a write of this process or a notification since makes it stale.
  #cache: { snapshot: RegistrySnapshot; token: string; invalidations: number; checkedAt: number } | undefined;
  #loading: { invalidations: number; promise: Promise<RegistrySnapshot> } | undefined;
  #invalidations = 0;
  readonly #stats = { checks: 0, loads: 0 };
  readonly #listener: { client: ListenClient | undefined; retry: NodeJS.Timeout | undefined; starting: Promise<void> | undefined } = { client: undefined, retry: undefined, starting: undefined };
  #listening = false;
  #closed = false;
  readonly #watchers = new Set<() => void>();

  constructor(
    /** The registry's database (camel-cased). */
    readonly db: Kysely<RegistryDatabase>,
    /** Its SQL dialect. */
    readonly dialect: SqlDialect,
    base: OpenStoreOptions,
    /** PostgreSQL: the pool the tenants' stores share (see {@link openTenantRegistry}); ended by `close`. */
    pool?: { end(): Promise<void> },
    /** How {@link TenantRegistry.snapshot} learns of changes (see {@link RegistryCacheOptions}); SQLite: `dataVersion` reads `PRAGMA data_version` of the registry's connection. */
    cache: RegistryCacheOptions & { dataVersion?: () => number } = {},
  ) {
    this.#base = base;
    this.#pool = pool;
    this.#cacheOptions = cache;
  }

  /**
   * The registry in memory, reloaded only when it changed, in this process or any other: what a running
   * service reads per message. On SQLite a change shows in `PRAGMA data_version` (no table is read); on
   * PostgreSQL a trigger bumps a version row and notifies `zwgk_registry` on commit, which the registry
   * LISTENs to on a connection of its own (opened on the first call). With the listener up a check reads
   * nothing, and the version row only every `pollMs` (default 30000) in case a notification was lost; with it
   * down (reconnected after `listenRetryMs`) the version row is read on every call. This process's own
   * writes invalidate the snapshot at once.
   */
  async snapshot(): Promise<RegistrySnapshot> {
    if (this.dialect === 'postgres' && this.#cacheOptions.listen !== false) this.#startListening();
    const cached = this.#cache;
    if (cached && cached.invalidations === this.#invalidations) {
      const now = Date.now();
      if (this.#listening && now - cached.checkedAt < (this.#cacheOptions.pollMs ?? 30_000)) return cached.snapshot;
      const token = await this.#token(this.db);
      if (token === cached.token && cached.invalidations === this.#invalidations) {
        cached.checkedAt = now;
        return cached.snapshot;
      }
    }
    return this.#reload();
  }

  /** How often {@link snapshot} checked and reloaded, and whether notifications are being received. */
  get cacheStats(): RegistryCacheStats {
    return { ...this.#stats, listening: this.#listening };
  }

  /**
   * Calls `listener` when the registry may have changed (a notification on PostgreSQL, a write through this
   * registry on either dialect), so that a service can act without waiting for a message. Returns the unsubscribe.
   */
  watch(listener: () => void): () => void {
    this.#watchers.add(listener);
    return () => this.#watchers.delete(listener);
  }

  #changed(): void {
    this.#invalidations++;
    for (const w of this.#watchers) {
      try {
        w();
      } catch {
        // A watcher's failure is its own: the others still hear of the change.
      }
    }
  }

  async #token(db: Kysely<RegistryDatabase>): Promise<string> {
    this.#stats.checks++;
    if (this.dialect === 'sqlite') {
      if (this.#cacheOptions.dataVersion) return String(this.#cacheOptions.dataVersion());
      const { rows } = await sql<Record<string, number>>`pragma data_version`.execute(db);
      return String(Object.values(rows[0] ?? {})[0] ?? '');
    }
    const row = await db.selectFrom('registryVersion').select('version').where('id', '=', 1).executeTakeFirst();
    return String(row?.version ?? '');
  }

  #reload(): Promise<RegistrySnapshot> {
    const invalidations = this.#invalidations;
    if (this.#loading && this.#loading.invalidations === invalidations) return this.#loading.promise;
    const read = async (db: Kysely<RegistryDatabase>) => {
      // The token first: a change committed while the tables are read shows as a new token at the next check.
      const token = await this.#token(db);
      const tenants = await db.selectFrom('tenants').selectAll().orderBy('id').execute();
      const conversations = await db.selectFrom('tenantConversations').select(['platform', 'conversationId', 'tenantId']).execute();
      const rollups = await db.selectFrom('rollupGroups').selectAll().orderBy('conversationId').execute();
      const admins = await db.selectFrom('rollupAdmins').selectAll().orderBy('userId').execute();
      return { token, tenants, conversations, rollups, admins };
    };
    const promise = (async () => {
      this.#stats.loads++;
      // PostgreSQL: one consistent view of the version and the tables. SQLite: one connection, read in turn
      // (a transaction there would take the database's write lock).
      const data = this.dialect === 'postgres' ? await this.db.transaction().setIsolationLevel('repeatable read').execute(read) : await read(this.db);
      const snapshot = snapshotOf(data);
      if (this.#invalidations === invalidations) this.#cache = { snapshot, token: data.token, invalidations, checkedAt: Date.now() };
      return snapshot;
    })();
    this.#loading = { invalidations, promise };
    return promise.finally(() => {
      if (this.#loading?.promise === promise) this.#loading = undefined;
    });
  }

  #startListening(): void {
    if (this.#closed || this.#listening || this.#listener.starting || this.#listener.retry || this.#base.url === undefined) return;
    const url = this.#base.url;
    this.#listener.starting = (async () => {
      const { default: pg } = await import('pg');
      const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 10_000 }) as unknown as ListenClient;
      const lost = () => {
        if (this.#listener.client !== client) return;
        this.#listener.client = undefined;
        this.#listening = false;
        client.end().catch(() => undefined);
        this.#retryListening();
      };
      client.on('notification', () => this.#changed());
      client.on('error', lost);
      client.on('end', lost);
      try {
        await client.connect();
        await client.query(`listen ${REGISTRY_CHANNEL}`);
      } catch {
        client.end().catch(() => undefined);
        this.#retryListening();
        return;
      }
      if (this.#closed) {
        await client.end().catch(() => undefined);
        return;
      }
      this.#listener.client = client;
      this.#listening = true;
      // A change committed before LISTEN took effect was not notified: the next snapshot reads the version.
      this.#changed();
    })()
      .catch(() => this.#retryListening())
      .finally(() => {
        this.#listener.starting = undefined;
      });
  }

  #retryListening(): void {
    if (this.#closed || this.#listener.retry) return;
    this.#listener.retry = setTimeout(() => {
      this.#listener.retry = undefined;
      this.#startListening();
    }, this.#cacheOptions.listenRetryMs ?? 5_000);
    this.#listener.retry.unref?.();
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
    this.#changed();
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
    const removed = await this.db.transaction().execute(async (trx) => {
      await trx.deleteFrom('tenantConversations').where('tenantId', '=', id).execute();
      const r = await trx.deleteFrom('tenants').where('id', '=', id).executeTakeFirst();
      return Number(r.numDeletedRows) > 0;
    });
    this.#changed();
    return removed;
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
    this.#changed();
    return { success: true, data: undefined };
  }

  /** Removes a conversation's tenant binding (it then belongs to the default tenant). */
  async unbind(platform: string, conversationId: string): Promise<boolean> {
    const r = await this.db.deleteFrom('tenantConversations').where('platform', '=', platform).where('conversationId', '=', conversationId).executeTakeFirst();
    this.#changed();
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

  /**
   * Makes a conversation a roll-up group over `scope` (every tenant, or the listed ids); replaces an earlier
   * scope and title, and its admins when `admins` is given (kept otherwise).
   */
  async addRollup(group: RollupGroup, at: Date = new Date()): Promise<TenantResult<void>> {
    if (group.scope !== 'all') {
      const known = new Set((await this.list()).map((t) => t.id));
      const unknown = group.scope.filter((id) => !known.has(id));
      if (unknown.length) return { success: false, error: `no tenant ${unknown.map((id) => `"${id}"`).join(', ')}` };
      if (!group.scope.length) return { success: false, error: 'a roll-up scope needs at least one tenant (or all)' };
    }
    if ((group.admins ?? []).some((a) => a.userId.trim() === '')) return { success: false, error: 'a roll-up admin needs a user id' };
    const scope = group.scope === 'all' ? 'all' : JSON.stringify(group.scope);
    const createdAt = at.toISOString();
    const where = { platform: group.platform, conversationId: group.conversationId };
    await this.db.transaction().execute(async (trx) => {
      await trx.deleteFrom('rollupGroups').where('platform', '=', where.platform).where('conversationId', '=', where.conversationId).execute();
      await trx.insertInto('rollupGroups').values({ ...where, scope, title: group.title, createdAt }).execute();
      if (group.admins) {
        await trx.deleteFrom('rollupAdmins').where('platform', '=', where.platform).where('conversationId', '=', where.conversationId).execute();
        for (const a of group.admins) {
          await trx
            .insertInto('rollupAdmins')
            .values({ ...where, userId: a.userId.trim(), name: a.name, createdAt })
            .onConflict((oc) => oc.columns(['platform', 'conversationId', 'userId']).doUpdateSet({ name: a.name }))
            .execute();
        }
      }
    });
    this.#changed();
    return { success: true, data: undefined };
  }

  /** Stops a conversation being a roll-up group (its admins go with it). */
  async removeRollup(platform: string, conversationId: string): Promise<boolean> {
    const removed = await this.db.transaction().execute(async (trx) => {
      await trx.deleteFrom('rollupAdmins').where('platform', '=', platform).where('conversationId', '=', conversationId).execute();
      const r = await trx.deleteFrom('rollupGroups').where('platform', '=', platform).where('conversationId', '=', conversationId).executeTakeFirst();
      return Number(r.numDeletedRows) > 0;
    });
    this.#changed();
    return removed;
  }

  /** Lets `admin` read a roll-up group's answers (given again, the name is replaced); fails when the conversation is no roll-up group. */
  async addRollupAdmin(platform: string, conversationId: string, admin: RollupAdmin, at: Date = new Date()): Promise<TenantResult<void>> {
    const userId = admin.userId.trim();
    if (!userId) return { success: false, error: 'a roll-up admin needs a user id' };
    if (!(await this.rollupOf(platform, conversationId))) return { success: false, error: `${conversationId} is no roll-up group (zwgk rollup add first)` };
    await this.db
      .insertInto('rollupAdmins')
      .values({ platform, conversationId, userId, name: admin.name, createdAt: at.toISOString() })
      .onConflict((oc) => oc.columns(['platform', 'conversationId', 'userId']).doUpdateSet({ name: admin.name }))
      .execute();
    this.#changed();
    return { success: true, data: undefined };
  }

  /** Takes a user off a roll-up group's admins; false when they were not one. */
  async removeRollupAdmin(platform: string, conversationId: string, userId: string): Promise<boolean> {
    const r = await this.db.deleteFrom('rollupAdmins').where('platform', '=', platform).where('conversationId', '=', conversationId).where('userId', '=', userId).executeTakeFirst();
    this.#changed();
    return Number(r.numDeletedRows) > 0;
  }

  /** The roll-up group of a conversation, with its admins, or null. */
  async rollupOf(platform: string, conversationId: string): Promise<RollupGroup | null> {
    const row = await this.db.selectFrom('rollupGroups').selectAll().where('platform', '=', platform).where('conversationId', '=', conversationId).executeTakeFirst();
    if (!row) return null;
    const admins = await this.db.selectFrom('rollupAdmins').selectAll().where('platform', '=', platform).where('conversationId', '=', conversationId).orderBy('userId').execute();
    return rollupOfRow(row, admins);
  }

  /** Every roll-up group, with its admins. */
  async rollups(): Promise<RollupGroup[]> {
    const rows = await this.db.selectFrom('rollupGroups').selectAll().orderBy('conversationId').execute();
    const admins = await this.db.selectFrom('rollupAdmins').selectAll().orderBy('userId').execute();
    return rows.map((row) => rollupOfRow(row, admins));
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

  /** Closes the registry's database, its change listener and the tenants' shared pool (close the tenants' stores first). */
  async close(): Promise<void> {
    this.#closed = true;
    if (this.#listener.retry) clearTimeout(this.#listener.retry);
    await this.#listener.starting?.catch(() => undefined);
    const client = this.#listener.client;
    this.#listener.client = undefined;
    this.#listening = false;
    await client?.end().catch(() => undefined);
    this.#watchers.clear();
    await this.db.destroy();
    await this.#pool?.end();
  }
}

/** How a registry's {@link TenantRegistry.snapshot} learns of changes. */
export interface RegistryCacheOptions {
  /** PostgreSQL: LISTEN for change notifications (default true); without, the version row is read on every snapshot. */
  listen?: boolean;
  /** PostgreSQL, while listening: read the version row anyway this often, in ms, in case a notification was lost (default 30000). */
  pollMs?: number;
  /** PostgreSQL: wait this long before opening a lost listening connection again, in ms (default 5000). */
  listenRetryMs?: number;
}

/** The part of a node-postgres Client the change listener uses. */
interface ListenClient {
  connect(): Promise<unknown>;
  query(text: string): Promise<unknown>;
  end(): Promise<void>;
  on(event: 'notification' | 'error' | 'end', listener: (...args: unknown[]) => void): unknown;
}

const keyOf = (platform: string, conversationId: string) => `${platform}\u0000${conversationId}`;

function rollupOfRow(row: Selectable<RegistryDatabase['rollupGroups']>, admins: ReadonlyArray<Selectable<RegistryDatabase['rollupAdmins']>>): RollupGroup {
  return {
    platform: row.platform,
    conversationId: row.conversationId,
    scope: scopeOf(row.scope),
    title: row.title,
    admins: admins.filter((a) => a.platform === row.platform && a.conversationId === row.conversationId).map((a) => ({ userId: a.userId, name: a.name })),
  };
}

/** The in-memory registry of one read (see {@link TenantRegistry.snapshot}). */
function snapshotOf(data: {
  token: string;
  tenants: Array<Selectable<RegistryDatabase['tenants']>>;
  conversations: Array<{ platform: string; conversationId: string; tenantId: string }>;
  rollups: Array<Selectable<RegistryDatabase['rollupGroups']>>;
  admins: Array<Selectable<RegistryDatabase['rollupAdmins']>>;
}): RegistrySnapshot {
  const tenants: Tenant[] = [];
  const revisions = new Map<string, string>();
  for (const row of data.tenants) {
    // A tenant whose stored plan no longer parses is left out; the others are still served.
    let tenant: Tenant;
    try {
      tenant = tenantOf(row);
    } catch {
      continue;
    }
    tenants.push(tenant);
    revisions.set(row.id, createHash('sha1').update(row.plan).update('\u0000').update(row.settings).digest('base64url'));
  }
  const byId = new Map(tenants.map((t) => [t.id, t]));
  const bindings = new Map(data.conversations.map((c) => [keyOf(c.platform, c.conversationId), c.tenantId]));
  const rollups = new Map(data.rollups.map((r) => [keyOf(r.platform, r.conversationId), rollupOfRow(r, data.admins)]));
  return {
    version: data.token,
    tenants,
    get: (id) => byId.get(id) ?? null,
    find: (name) => byId.get(name) ?? tenants.filter((t) => t.county === name).sort((a, b) => b.year - a.year)[0] ?? null,
    tenantOf: (platform, conversationId) => bindings.get(keyOf(platform, conversationId)) ?? DEFAULT_TENANT,
    rollupOf: (platform, conversationId) => rollups.get(keyOf(platform, conversationId)) ?? null,
    inScope: (scope) => (scope === 'all' ? [...tenants] : tenants.filter((t) => scope.includes(t.id))),
    revisionOf: (id) => revisions.get(id) ?? null,
  };
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
export async function openTenantRegistry(base: OpenStoreOptions = {}, cache: RegistryCacheOptions = {}): Promise<TenantRegistry> {
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
    return new TenantRegistry(db, 'postgres', base, pool, cache);
  }
  const filename = base.filename ?? DEFAULT_DATABASE_FILE;
  const memory = filename === ':memory:' || filename === '';
  let dataVersion: (() => number) | undefined;
  const db = openSqliteKysely<RegistryDatabase>(memory ? ':memory:' : join(dirname(resolve(filename)), 'tenants.sqlite'), base.busyTimeoutMs, (sqlite) => {
    // Read straight from the connection: through Kysely the check would cost ten times the pragma itself.
    const statement = sqlite.prepare('pragma data_version').pluck();
    dataVersion = () => statement.get() as number;
  });
  try {
    if (base.migrate !== false) await applyMigrations(db, registryMigrations, 'zwgk_registry_migrations');
  } catch (error) {
    await db.destroy();
    throw error;
  }
  return new TenantRegistry(db, 'sqlite', base, undefined, { ...cache, ...(dataVersion ? { dataVersion } : {}) });
}

