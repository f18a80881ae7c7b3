import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { createBot, openStore, redactUrl, type Adapter, type OpenStoreOptions, type Bot, type Logger, type Store } from '@zwgk/bot';
import { checkAssignments, type Plan } from '@zwgk/sdk';
import type { Config } from '../config.js';
import { UsageError } from '../io.js';
import { planFor } from './plan.js';

export { planFor };

/** The SQLite file under the configured data directory. */
export function databaseFile(config: Config, cwd: string): string {
  return join(resolve(cwd, config.dataDir), 'zwgk.sqlite');
}

/**
 * How to open the configured store: the PostgreSQL server of `database.url` when set, else the SQLite
 * file under the data directory.
 */
export function storeOptions(config: Config, cwd: string): OpenStoreOptions {
  return config.database.url !== undefined ? { url: config.database.url, poolSize: config.database.poolSize } : { filename: databaseFile(config, cwd) };
}

/** Where the configured store lives, for messages: the SQLite file, or the PostgreSQL url without its password. */
export function storeLocation(config: Config, cwd: string): string {
  return config.database.url !== undefined ? redactUrl(config.database.url) : databaseFile(config, cwd);
}

/** True when the configured store exists already (a PostgreSQL server is assumed to). */
export function storeExists(config: Config, cwd: string): boolean {
  return config.database.url !== undefined || existsSync(databaseFile(config, cwd));
}

/** A running bot with its store; `close` stops the bot, then closes the database. */
export interface BotService {
  plan: Plan;
  store: Store;
  bot: Bot;
  close(): Promise<void>;
}

/** Opens the database and builds the bot from validated configuration. */
export async function openBotService(
  config: Config,
  options: {
    cwd: string;
    /** The chat adapters, or a function making them once the store is open (to share its rate limits). */
    adapters?: Adapter[] | ((store: Store) => Adapter[]);
    clock?: () => Date;
    logger?: Logger;
    digestEnabled?: boolean;
    /** Use a throwaway in-memory database instead of the configured file (previews that must not create one). */
    inMemory?: boolean;
  },
): Promise<BotService> {
  const planned = planFor(config);
  if (!planned.success) throw new UsageError(planned.error, 2);
  const plan = planned.data;
  const unassigned = checkAssignments(plan).unassigned;
  if (unassigned.length) {
    options.logger?.warn({ tasks: unassigned }, 'tasks without any assignee: nobody is reminded or scored for them (run zwgk plan check)');
  }
  const store = await openStore(options.inMemory ? { filename: ':memory:' } : storeOptions(config, options.cwd));
  const bot = createBot({
    plan,
    store,
    adapters: typeof options.adapters === 'function' ? options.adapters(store) : (options.adapters ?? []),
    clock: options.clock,
    policy: config.policy,
    templatesDir: config.templatesDir ? resolve(options.cwd, config.templatesDir) : undefined,
    logger: options.logger,
    evidence: config.evidence,
    digest: {
      enabled: options.digestEnabled ?? config.digest.enabled,
      day: config.digest.day,
      time: config.digest.time,
      horizonDays: config.digest.horizonDays,
      tickMs: config.digest.tickMs,
      concurrency: config.digest.concurrency,
      ...(config.digest.leaseMs !== undefined ? { leaseMs: config.digest.leaseMs } : {}),
      ...(config.digest.instanceId !== undefined ? { instanceId: config.digest.instanceId } : {}),
    },
  });
  return {
    plan,
    store,
    bot,
    async close() {
      await bot.stop();
      await store.close();
    },
  };
}
