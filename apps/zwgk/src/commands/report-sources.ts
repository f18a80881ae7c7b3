import { existsSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { countySummary, exportRecords, openStore, type CountySummary } from '@zwgk/bot';
import { shanghaiInstant, type Plan, type Records } from '@zwgk/sdk';
import { UsageError, type CliIo } from '../io.js';
import { readSimulatedMoment } from '../service/simulated-date.js';
import { openRegistry, registryExists } from '../service/tenants.js';
import { cliTenant, configOrExit } from './shared.js';

/** Why there is no database where the configuration points, and where the databases that do exist are. */
function noDatabase(file: string, cwd: string): string {
  const show = (path: string) => (relative(cwd, path).startsWith('..') ? path : relative(cwd, path) || '.');
  const dir = dirname(file);
  const lines = [`no bot database at ${show(file)}.`];
  const others = ['sandbox', 'terminal'].map((kind) => ({ kind, dir: join(dir, kind) })).filter((o) => existsSync(join(o.dir, 'zwgk.sqlite')));
  for (const o of others) {
    lines.push(`The ${o.kind === 'sandbox' ? 'sandbox (npm start, zwgk start --sandbox)' : 'terminal chat (zwgk start --terminal)'} wrote its own at ${show(join(o.dir, 'zwgk.sqlite'))}: read it with ZWGK_DATA_DIR=${show(o.dir)}.`);
  }
  if (!others.length) lines.push('The live bot (zwgk start with DingTalk or Slack configured) writes it there; the sandbox writes <dataDir>/sandbox/ instead (read it with ZWGK_DATA_DIR=<dataDir>/sandbox).');
  lines.push('Or pass --records FILE.');
  return lines.join('\n');
}

/**
 * Everything the bot recorded for the plan year, read once from its database. A database that runs on a
 * simulated clock (the sandbox's) is assessed at its simulated date, as the bot there does.
 */
export async function recordsFromDatabase(plan: Plan, io: CliIo): Promise<Records> {
  const cwd = io.cwd ?? process.cwd();
  const tenant = await cliTenant(io);
  const file = tenant.store.filename ?? '';
  if (!tenant.exists) throw new UsageError(noDatabase(file, cwd));
  // A PostgreSQL database is the live bot's: never on a simulated clock.
  const simulated = tenant.store.url === undefined ? readSimulatedMoment(dirname(file)) : undefined;
  const store = await openStore(tenant.store);
  try {
    return await exportRecords(store, plan, { year: plan.year, ...(simulated ? { asOf: simulated.date } : {}) });
  } finally {
    await store.close();
  }
}

/** The liaisons registered in the bot's database, names by unit; an empty record when there is no database. */
export async function liaisonsFromDatabase(_plan: Plan, io: CliIo): Promise<Record<string, string[]>> {
  const tenant = await cliTenant(io);
  if (!tenant.exists) return {};
  const store = await openStore(tenant.store);
  try {
    const out: Record<string, string[]> = {};
    for (const l of await store.liaisons.list()) (out[l.unit] ??= []).push(l.name);
    return out;
  } finally {
    await store.close();
  }
}

/**
 * Every tenant's roll-up line as of the end of `asOf` (Asia/Shanghai): progress and the units' assessment
 * under the tenant's rubric, read from each tenant's own store. No registry: no tenants.
 */
export async function rollupFromDatabase(io: CliIo, asOf: string): Promise<CountySummary[]> {
  const { config } = await configOrExit(io);
  const cwd = io.cwd ?? process.cwd();
  if (!registryExists(config, cwd)) return [];
  const registry = await openRegistry(config, cwd);
  try {
    const out: CountySummary[] = [];
    for (const t of await registry.list()) {
      const store = await registry.openStore(t.id);
      try {
        const summary = await countySummary(
          { tenant: t.id, plan: t.plan, store, rubric: t.rubric, horizonDays: t.settings.horizonDays ?? config.digest.horizonDays },
          shanghaiInstant(asOf, '23:59'),
        );
        out.push(summary);
      } finally {
        await store.close();
      }
    }
    return out;
  } finally {
    await registry.close();
  }
}
