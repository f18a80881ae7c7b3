import { resolve } from 'node:path';
import { createBot, openStore, type Adapter, type Bot, type Logger, type Renderer, type Store } from '@zwgk/bot';
import { checkAssignments, type Plan } from '@zwgk/sdk';
import type { Config } from '../config.js';
import { UsageError } from '../io.js';
import { planFor } from './plan.js';
import { storeOptions } from './store-location.js';
import type { TenantContext } from './tenants.js';

export { planFor };
export { databaseFile, storeLocation, storeOptions } from './store-location.js';

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
    /** The tenant to serve (default: the configured plan and store): its plan, store and settings over the config's. */
    tenant?: TenantContext;
  },
): Promise<BotService> {
  let plan: Plan;
  if (options.tenant) plan = options.tenant.plan;
  else {
    const planned = planFor(config);
    if (!planned.success) throw new UsageError(planned.error, 2);
    plan = planned.data;
  }
  const unassigned = checkAssignments(plan).unassigned;
  if (unassigned.length) {
    options.logger?.warn({ tasks: unassigned }, 'tasks without any assignee: nobody is reminded or scored for them (run zwgk plan check)');
  }
  const store = await openStore(options.inMemory ? { filename: ':memory:' } : (options.tenant?.store ?? storeOptions(config, options.cwd)));
  try {
    const bot = botFor(config, { ...options, plan, store });
    return {
      plan,
      store,
      bot,
      async close() {
        await bot.stop();
        await store.close();
      },
    };
  } catch (error) {
    await store.close();
    throw error;
  }
}

/** The bot of one tenant (the default one unless `tenant` is given) on an open store, built from validated configuration. */
export function botFor(
  config: Config,
  options: {
    cwd: string;
    plan: Plan;
    store: Store;
    adapters?: Adapter[] | ((store: Store) => Adapter[]);
    clock?: () => Date;
    logger?: Logger;
    digestEnabled?: boolean;
    tenant?: TenantContext;
    /** The process's one digest scheduler (the tenant router's) sends this bot's timed digests: it runs none of its own. */
    sharedDigests?: boolean;
    /** A renderer made once for every tenant's bot (same templates), instead of one each. */
    renderer?: Renderer;
  },
): Bot {
  const { plan, store } = options;
  const settings = options.tenant?.settings ?? {};
  return createBot({
    plan,
    store,
    adapters: typeof options.adapters === 'function' ? options.adapters(store) : (options.adapters ?? []),
    clock: options.clock,
    policy: settings.policy ?? config.policy,
    ...(options.tenant?.rubric ? { rubric: options.tenant.rubric } : {}),
    ...(options.renderer ? { renderer: options.renderer } : { templatesDir: config.templatesDir ? resolve(options.cwd, config.templatesDir) : undefined }),
    logger: options.logger,
    evidence: config.evidence,
    digest: {
      enabled: options.digestEnabled ?? config.digest.enabled,
      day: config.digest.day,
      time: config.digest.time,
      horizonDays: settings.horizonDays ?? config.digest.horizonDays,
      tickMs: config.digest.tickMs,
      concurrency: config.digest.concurrency,
      ...(config.digest.leaseMs !== undefined ? { leaseMs: config.digest.leaseMs } : {}),
      ...(config.digest.instanceId !== undefined ? { instanceId: config.digest.instanceId } : {}),
      ...(options.sharedDigests ? { shared: true } : {}),
    },
  });
}
