import { userInfo } from 'node:os';
import type { ChangeContext } from '@zwgk/bot/store';
import { directoryOf, type Plan } from '@zwgk/sdk';
import { loadConfig, type LoadedConfig } from '../config.js';
import { planFor } from '../service/plan.js';
import { UsageError, type CliIo } from '../io.js';

/** Loads and validates the configuration once; a bad value exits with code 2. */
export async function configOrExit(io: CliIo): Promise<LoadedConfig> {
  const loaded = await loadConfig(io.env, io.cwd ?? process.cwd());
  if (!loaded.success) throw new UsageError(loaded.error, 2);
  return loaded.data;
}

/** The configured plan (bundled plan plus the county office's group mapping); bad configuration exits 2. */
export async function configuredPlan(io: CliIo): Promise<Plan> {
  const planned = planFor((await configOrExit(io)).config);
  if (!planned.success) throw new UsageError(planned.error, 2);
  return planned.data;
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
