import { resolve } from 'node:path';
import { createRenderer, createTenantRouter, openStore, type Adapter, type Logger, type Store, type TenantRegistry, type TenantRouter } from '@zwgk/bot';
import { checkAssignments, type Plan } from '@zwgk/sdk';
import type { Config } from '../config.js';
import { UsageError } from '../io.js';
import { botFor, storeOptions } from './bot-service.js';
import { planFor } from './plan.js';
import { openRegistry, type TenantContext } from './tenants.js';

/** The running service of a deployment with tenants: the default county's store and plan, and the router over every tenant. */
export interface TenantService {
  /** The default tenant's plan (the configured one). */
  plan: Plan;
  /** The default tenant's store: the deployment's own (health, shared rate limits). */
  store: Store;
  registry: TenantRegistry;
  router: TenantRouter;
  /** How many tenants are registered (the default one not counted). */
  tenants: number;
  /** Stops the router (every tenant's bot, the connections), then closes the stores and the registry. */
  close(): Promise<void>;
}

/**
 * Opens the registry and the default store and builds the router: one bot per tenant (its plan, store,
 * policy, horizon and rubric), all sharing the adapters made once on the default store (the app's rate
 * limits are the app's, not a county's).
 */
export async function openTenantService(
  config: Config,
  options: { cwd: string; adapters: (store: Store) => Adapter[]; clock?: () => Date; logger?: Logger; refreshMs?: number },
): Promise<TenantService> {
  const planned = planFor(config);
  if (!planned.success) throw new UsageError(planned.error, 2);
  const plan = planned.data;
  const store = await openStore(storeOptions(config, options.cwd));
  let registry: TenantRegistry;
  try {
    registry = await openRegistry(config, options.cwd);
  } catch (error) {
    await store.close();
    throw error;
  }
  const adapters = options.adapters(store);
  const renderer = createRenderer(config.templatesDir ? { templatesDir: resolve(options.cwd, config.templatesDir) } : {});
  const router = createTenantRouter({
    registry,
    adapters,
    defaultStore: store,
    renderer,
    ...(options.refreshMs !== undefined ? { refreshMs: options.refreshMs } : { refreshMs: config.digest.tickMs }),
    ...(options.clock ? { clock: options.clock } : {}),
    ...(options.logger ? { logger: options.logger } : {}),
    // One digest scheduler for the process, over every tenant (the bots run none of their own).
    ...(config.digest.enabled
      ? {
          digests: {
            tickMs: config.digest.tickMs,
            concurrency: config.digest.concurrency,
            ...(config.digest.leaseMs !== undefined ? { leaseMs: config.digest.leaseMs } : {}),
            ...(config.digest.instanceId !== undefined ? { instanceId: config.digest.instanceId } : {}),
          },
        }
      : {}),
    createBot: (t, routed) => {
      const tenant: TenantContext | undefined = t.tenant
        ? { id: t.id, plan: t.tenant.plan, store: registry.storeOptionsOf(t.id), location: registry.locationOf(t.id), settings: t.tenant.settings, rubric: t.tenant.rubric, exists: true }
        : undefined;
      const logger = options.logger && t.tenant ? (options.logger as Logger & { child?: (b: object) => Logger }).child?.({ tenant: t.id }) ?? options.logger : options.logger;
      // As the single county's service says at start (and again when a tenant starts on a changed plan).
      const unassigned = checkAssignments(t.tenant?.plan ?? plan).unassigned;
      if (unassigned.length) logger?.warn({ tasks: unassigned }, 'tasks without any assignee: nobody is reminded or scored for them (run zwgk plan check)');
      return botFor(config, {
        cwd: options.cwd,
        plan: t.tenant?.plan ?? plan,
        store: t.store,
        adapters: routed,
        ...(options.clock ? { clock: options.clock } : {}),
        ...(logger ? { logger } : {}),
        ...(tenant ? { tenant } : {}),
        sharedDigests: true,
        renderer,
      });
    },
  });
  const tenants = (await registry.list()).length;
  return {
    plan,
    store,
    registry,
    router,
    tenants,
    async close() {
      try {
        await router.stop();
      } finally {
        await registry.close();
        await store.close();
      }
    },
  };
}
