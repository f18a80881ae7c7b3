import { join, resolve } from 'node:path';
import { createBot, openStore, type Adapter, type Bot, type Logger, type Store } from '@zwgk/bot';
import { getPlan, type Plan } from '@zwgk/sdk';
import type { Config } from '../config.js';

/** The plan named by the configuration, with the county office's mapping of unspecified groups applied. */
export function planFor(config: Config): Plan {
  const plan = getPlan(config.plan);
  return Object.keys(config.groups).length ? { ...plan, groups: { ...plan.groups, ...config.groups } } : plan;
}

/** The SQLite file under the configured data directory. */
export function databaseFile(config: Config, cwd: string): string {
  return join(resolve(cwd, config.dataDir), 'zwgk.sqlite');
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
  options: { cwd: string; adapters?: Adapter[]; clock?: () => Date; logger?: Logger; digestEnabled?: boolean },
): Promise<BotService> {
  const plan = planFor(config);
  const store = await openStore({ filename: databaseFile(config, options.cwd) });
  const bot = createBot({
    plan,
    store,
    adapters: options.adapters ?? [],
    clock: options.clock,
    policy: config.policy,
    templatesDir: config.templatesDir ? resolve(options.cwd, config.templatesDir) : undefined,
    logger: options.logger,
    digest: {
      enabled: options.digestEnabled ?? config.digest.enabled,
      day: config.digest.day,
      time: config.digest.time,
      horizonDays: config.digest.horizonDays,
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
