import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { OpenStoreOptions, TenantRegistry, TenantSettings } from '@zwgk/bot';
import type { Plan, Rubric } from '@zwgk/sdk';
import type { Config } from '../config.js';
import { UsageError } from '../io.js';
import { databaseFile, storeLocation, storeOptions } from './store-location.js';
import { planFor } from './plan.js';

/** One tenant as a command or the service uses it: its plan, where its store is, its settings over the config's. */
export interface TenantContext {
  /** The tenant id; `default` for the deployment's own county (the configured plan and store). */
  id: string;
  plan: Plan;
  /** How to open its store on its own. */
  store: OpenStoreOptions;
  /** Where its records are, for messages. */
  location: string;
  settings: TenantSettings;
  /** The tenant's rubric (undefined for the default tenant: the default rubric). */
  rubric?: Rubric;
  /** Whether its store exists already (a SQLite file; a PostgreSQL schema is assumed to). */
  exists: boolean;
}

/** Whether the deployment has a tenant registry already (so opening it creates nothing). */
export function registryExists(config: Config, cwd: string): boolean {
  return config.database.url !== undefined || existsSync(join(dirname(databaseFile(config, cwd)), 'tenants.sqlite'));
}

/** The default tenant's id (as `@zwgk/bot`'s DEFAULT_TENANT; here so that the plan-only commands load no bot). */
const DEFAULT_TENANT = 'default';

/** Opens the deployment's tenant registry (beside the default store: `public` schema or `<dataDir>/tenants.sqlite`). */
export async function openRegistry(config: Config, cwd: string): Promise<TenantRegistry> {
  const { openTenantRegistry } = await import('@zwgk/bot');
  return openTenantRegistry(storeOptions(config, cwd));
}

/** The default tenant: the configured plan (with the office's setup) and the configured store. */
export function defaultTenant(config: Config, cwd: string): TenantContext {
  const planned = planFor(config);
  if (!planned.success) throw new UsageError(planned.error, 2);
  return {
    id: DEFAULT_TENANT,
    plan: planned.data,
    store: storeOptions(config, cwd),
    location: storeLocation(config, cwd),
    settings: {},
    exists: config.database.url !== undefined || existsSync(databaseFile(config, cwd)),
  };
}

/**
 * The tenant `id` (the default tenant when undefined or `default`): its plan and settings from the registry,
 * its store's options. An unknown id is a usage error naming the registered ones.
 */
export async function resolveTenant(config: Config, cwd: string, id: string | undefined): Promise<TenantContext> {
  if (id === undefined || id === DEFAULT_TENANT) return defaultTenant(config, cwd);
  if (!registryExists(config, cwd)) throw new UsageError(`no tenant "${id}": this deployment has no tenants yet (zwgk tenant add, or zwgk plan import FILE --tenant ${id})`);
  const registry = await openRegistry(config, cwd);
  try {
    const tenant = await registry.get(id);
    if (!tenant) {
      const known = (await registry.list()).map((t) => t.id);
      throw new UsageError(`no tenant "${id}"${known.length ? `; the tenants are ${known.join(', ')}` : ': there are no tenants yet'} (zwgk tenant list)`);
    }
    const store = registry.storeOptionsOf(id);
    return {
      id,
      plan: tenant.plan,
      store,
      location: registry.locationOf(id),
      settings: tenant.settings,
      rubric: tenant.rubric,
      exists: store.url !== undefined || existsSync(store.filename ?? ''),
    };
  } finally {
    await registry.close();
  }
}
