import { userInfo } from 'node:os';
import type { OpenStoreOptions } from '@zwgk/bot';
import type { ChangeContext } from '@zwgk/bot/store';
import { directoryOf, type Plan } from '@zwgk/sdk';
import { loadConfig, type LoadedConfig } from '../config.js';
import { resolveTenant, type TenantContext } from '../service/tenants.js';
import { UsageError, type CliIo } from '../io.js';

/** Loads and validates the configuration once; a bad value exits with code 2. */
export async function configOrExit(io: CliIo): Promise<LoadedConfig> {
  const loaded = await loadConfig(io.env, io.cwd ?? process.cwd());
  if (!loaded.success) throw new UsageError(loaded.error, 2);
  return loaded.data;
}

/**
 * The tenant the command works on (`--tenant ID`, else the default tenant): its plan, store options and
 * settings. Read afresh on every call (a command that edits the configuration reads the result back). An
 * unknown tenant or bad configuration is a usage error.
 */
export async function cliTenant(io: CliIo): Promise<TenantContext> {
  const { config } = await configOrExit(io);
  return resolveTenant(config, io.cwd ?? process.cwd(), io.tenant);
}

/**
 * The plan the command works on: the configured plan (bundled plan plus the county office's setup) for the
 * default tenant, a registered tenant's plan with `--tenant ID`; bad configuration exits 2.
 */
export async function configuredPlan(io: CliIo): Promise<Plan> {
  return (await cliTenant(io)).plan;
}

/** The `openStore` options of the command's tenant (see {@link cliTenant}). */
export async function cliStoreOptions(io: CliIo): Promise<OpenStoreOptions> {
  return (await cliTenant(io)).store;
}

/** The canonical directory name of a unit, or a usage error with the closest names. */
export function unitOrFail(plan: Plan, name: string): string {
  const r = directoryOf(plan).resolve(name);
  if (!r.success) throw new UsageError(r.error.message);
  return r.data.name;
}

/** Who changes things from the command line: the operating-system user. */
export function cliContext(): ChangeContext {
  let id = 'cli';
  try {
    id = userInfo().username || id;
  } catch {
    // Some containers have no passwd entry for the uid; "cli" is still an honest actor.
  }
  return { actor: { platform: 'cli', id, channel: 'cli' } };
}
