import { createCalendar, type Rubric } from '@zwgk/sdk';
import type { Adapter, EventHandler, IncomingEvent, IncomingMessage, OutgoingMessage } from '../adapter.js';
import type { Bot } from '../engine.js';
import { matchWord } from '../commands/grammar.js';
import { notice, type Reply } from '../handlers/context.js';
import { createDelivery } from '../pipeline/delivery.js';
import type { HandleResult } from '../pipeline/message.js';
import { silentLogger, type Logger } from '../pipeline/shared.js';
import type { Store } from '../store/store.js';
import type { Renderer } from '../templates/render.js';
import { DEFAULT_TENANT, type RegistrySnapshot, type RollupGroup, type Tenant, type TenantRegistry } from './registry.js';
import { createSharedDigestScheduler, type SharedDigestScheduler, type SharedDigestSchedulerOptions } from './digests.js';
import { countyOverviewView, rollupSummaries, type RollupSource } from './rollup.js';

/** A tenant as the router hands it to {@link TenantRouterOptions.createBot}: its registry entry (none for the default tenant) and open store. */
export interface RoutedTenant {
  id: string;
  /** The registry's entry; undefined for the default tenant (its plan and settings come from the deployment's configuration). */
  tenant?: Tenant;
  store: Store;
}

/** Options of {@link createTenantRouter}. */
export interface TenantRouterOptions {
  /** The deployment's tenant registry (the router does not close it). */
  registry: TenantRegistry;
  /** The chat platforms, shared by every tenant: the router connects them and routes their events. */
  adapters: readonly Adapter[];
  /**
   * Builds a tenant's bot on its store with the adapters given (the shared ones, whose events the router
   * hands to this bot only). Called once per tenant, the default one included.
   */
  createBot(tenant: RoutedTenant, adapters: Adapter[]): Bot;
  /** The default tenant's store (the deployment's own; the router does not close it). */
  defaultStore: Store;
  /** Renders the roll-up groups' answers (the bots' renderer: same templates and catalogue). */
  renderer: Renderer;
  /**
   * How often the router brings its tenants in line with the registry without being told (tenants added,
   * changed or removed by another process on SQLite, or a lost notification on PostgreSQL), in ms (default 60000).
   */
  refreshMs?: number;
  /**
   * Sends every tenant's timed digests with one scheduler for the process (see `createSharedDigestScheduler`;
   * build the bots with `digest.shared: true` then). Omitted: each tenant's bot runs its own.
   */
  digests?: Omit<SharedDigestSchedulerOptions, 'leases' | 'clock' | 'logger'>;
  clock?: () => Date;
  logger?: Logger;
}

/** A tenant as {@link TenantRouter.status} reports it: running on its store, or not started and why. */
export interface TenantStatus {
  id: string;
  store: Store | null;
  error: string | null;
}

/** Many counties in one deployment: one bot per tenant behind one set of chat connections. */
export interface TenantRouter {
  /**
   * Connects the adapters and routes their events, then opens every tenant's store and starts its bot (the
   * default one first; its failure fails the start, another tenant's is logged). A tenant's messages are
   * taken as soon as its bot listens, while its start-up digest pass may still be sending.
   */
  start(): Promise<void>;
  /** Stops taking deliveries, stops every tenant's bot (waiting for messages in hand), disconnects, closes the tenants' stores. */
  stop(): Promise<void>;
  /**
   * The bot of a tenant as the registry has it now: started when it was not yet (a tenant registered after
   * start-up), restarted when its plan or settings changed; null for an unknown or removed id.
   */
  botOf(id: string): Promise<Bot | null>;
  /** Brings the running tenants in line with the registry now (new ones started, changed ones restarted, removed ones stopped). */
  refresh(): Promise<void>;
  /** Every tenant the router runs or failed to start, the default one first: its open store, or why it is not running. */
  status(): TenantStatus[];
  /** Handles one message as a delivery would (routing, roll-up), without an acknowledgement. */
  handleMessage(msg: IncomingMessage): Promise<HandleResult>;
  /** Runs the due digests of every tenant now (each through its own outbox, so each goes out once). */
  runDueDigests(now?: Date): Promise<Map<string, Awaited<ReturnType<Bot['runDueDigests']>>>>;
  /** The process's digest scheduler for every tenant (with `digests`), else undefined. */
  readonly digestScheduler: SharedDigestScheduler | undefined;
}

/** 「绑定 县名 单位」: the bind command word, the county and the rest (the unit), read with the parser's grammar. */
function bindInto(text: string): { word: string; county: string; rest: string } | null {
  const word = matchWord(text.trim());
  if (word?.kind !== 'bind') return null;
  const m = /^(\S+)\s+(\S.*?)\s*$/u.exec(word.rest);
  return m ? { word: word.word, county: m[1] as string, rest: m[2] as string } : null;
}

/** A roll-up group's command: 进度/考核 (or help, or nothing) and its target, read with the parser's grammar. */
function rollupCommand(text: string): { verb: 'progress' | 'help' | 'other'; target: string } {
  const trimmed = text.trim();
  if (trimmed === '') return { verb: 'help', target: '' };
  const word = matchWord(trimmed);
  if (!word) return { verb: 'other', target: trimmed };
  if (word.kind === 'help') return { verb: 'help', target: '' };
  if (word.kind === 'status' || word.kind === 'scores') return { verb: 'progress', target: word.rest.trim() };
  return { verb: 'other', target: '' };
}

/**
 * A shared adapter as one tenant's bot sees it: sends go out through the shared one, events come from the
 * router; `connected` is called when the bot "connects" it (after registering its handler).
 */
function routedAdapter(real: Adapter, register: (handler: EventHandler) => void, connected: () => void): Adapter {
  const adapter: Adapter = {
    platform: real.platform,
    supportsButtons: real.supportsButtons,
    connect: async () => connected(),
    disconnect: async () => undefined,
    onEvent: register,
    send: (conversationId, message, options) => real.send(conversationId, message, options),
    reply: (incoming, message, options) => real.reply(incoming, message, options),
  };
  if (real.update) adapter.update = (conversationId, messageId, message) => real.update!(conversationId, messageId, message);
  if (real.sendFile) adapter.sendFile = (conversationId, file) => real.sendFile!(conversationId, file);
  return adapter;
}

/**
 * Routes each incoming message (and card button callback) of the shared chat connections by its
 * conversation: to the bot of the tenant the conversation is bound to in the registry, else to the default
 * tenant's bot (the single-county case, unchanged). A roll-up group's `进度` / `考核` lists every county in its
 * scope (progress, overdue count, mean score and grade through the SDK's scoring); `进度 沁源县` (or the
 * tenant id) shows that county's overview. 「绑定 县名 单位」 from an admin of that county moves the group into it. With `digests`, one
 * scheduler per process sends every tenant's digests, fair across tenants, claiming each in its tenant's
 * outbox, so several instances share the week's digests and still send each once; without it each
 * tenant's bot runs its own scheduler and lease in its own store.
 *
 * @example
 * const router = createTenantRouter({ registry, adapters: [dingtalk], defaultStore, renderer, createBot: (t, adapters) => createBot({ plan: t.tenant?.plan ?? plan, store: t.store, adapters }) });
 * await router.start();
 */
export function createTenantRouter(options: TenantRouterOptions): TenantRouter {
  const { registry, renderer } = options;
  const logger = options.logger ?? silentLogger;
  const clock = options.clock ?? (() => new Date());
  const calendar = createCalendar();
  const real = new Map(options.adapters.map((a) => [a.platform, a]));
  // Per tenant: its bot, its store (closed by the router unless it is the default one), its handlers per
  // platform and the revision (plan and settings) it was started with.
  const tenants = new Map<string, { bot: Bot; store: Store; handlers: Map<string, EventHandler>; started: Promise<void>; tenant?: Tenant; revision: string | null }>();
  // A tenant being started, restarted or retired: whoever needs it waits for that.
  const starting = new Map<string, Promise<Bot | null>>();
  // Tenants that could not start, with why (readiness names them); cleared when one starts or leaves.
  const failed = new Map<string, string>();
  let running = false;
  let timer: NodeJS.Timeout | undefined;
  const scheduler = options.digests
    ? createSharedDigestScheduler({ ...options.digests, leases: options.defaultStore.leases, ...(options.clock ? { clock: options.clock } : {}), logger })
    : undefined;
  let reconciling: Promise<void> | undefined;
  let again = false;
  let unwatch: (() => void) | undefined;

  const errorText = (error: unknown) => (error instanceof Error ? error.message : String(error));

  async function launch(id: string, snap: RegistrySnapshot): Promise<Bot | null> {
    const tenant = id === DEFAULT_TENANT ? undefined : (snap.get(id) ?? undefined);
    if (id !== DEFAULT_TENANT && !tenant) return null;
    let store: Store;
    try {
      store = id === DEFAULT_TENANT ? options.defaultStore : await registry.openStore(id);
    } catch (error) {
      failed.set(id, errorText(error));
      throw error;
    }
    const handlers = new Map<string, EventHandler>();
    let connected = 0;
    let ready!: () => void;
    const handling = new Promise<void>((resolve) => (ready = resolve));
    const adapters = [...real.values()].map((a) =>
      routedAdapter(
        a,
        (h) => handlers.set(a.platform, h),
        () => {
          if (++connected === real.size) ready();
        },
      ),
    );
    let bot: Bot;
    let started: Promise<void>;
    try {
      bot = options.createBot({ id, store, ...(tenant ? { tenant } : {}) }, adapters);
      started = bot.start();
      // The bot takes messages once its handlers are registered; its start-up digest pass (which may send
      // a whole week's digests) goes on meanwhile instead of holding its messages back.
      await Promise.race([handling, started]);
    } catch (error) {
      failed.set(id, errorText(error));
      if (id !== DEFAULT_TENANT) await store.close();
      throw error;
    }
    started.catch((error: unknown) => logger.error({ tenant: id, err: errorText(error) }, 'tenant start-up failed'));
    tenants.set(id, { bot, store, handlers, started, ...(tenant ? { tenant } : {}), revision: id === DEFAULT_TENANT ? null : snap.revisionOf(id) });
    failed.delete(id);
    scheduler?.add(id, bot.digestWork);
    logger.info({ tenant: id, county: tenant?.county }, 'tenant started');
    return bot;
  }

  /** Stops a tenant's bot (its messages in hand first) and closes its store. */
  async function retire(id: string): Promise<void> {
    const entry = tenants.get(id);
    if (!entry) return;
    tenants.delete(id);
    scheduler?.remove(id);
    await entry.bot.stop();
    await entry.started.catch(() => undefined);
    if (id !== DEFAULT_TENANT) await entry.store.close();
  }

  /** Runs `work` for a tenant once whatever is under way for it has finished; meanwhile others wait for it. */
  function serial(id: string, work: () => Promise<Bot | null>): Promise<Bot | null> {
    const before = starting.get(id);
    const pending: Promise<Bot | null> = (before ? before.catch(() => null) : Promise.resolve(null)).then(work).finally(() => {
      if (starting.get(id) === pending) starting.delete(id);
    });
    starting.set(id, pending);
    return pending;
  }

  /**
   * The tenant's bot as the registry has it now: started when it was not, restarted when its plan or settings
   * changed, stopped (null) when it left the registry. Unknown ids give null.
   */
  async function ensure(id: string, snap?: RegistrySnapshot): Promise<Bot | null> {
    const pending = starting.get(id);
    if (pending) await pending.catch(() => null);
    const current = snap ?? (await registry.snapshot());
    const have = tenants.get(id);
    const wanted = id === DEFAULT_TENANT || current.get(id) !== null;
    if (have && (id === DEFAULT_TENANT || (wanted && have.revision === current.revisionOf(id)))) return have.bot;
    if (!have && !wanted) {
      failed.delete(id);
      return null;
    }
    return serial(id, async () => {
      const now = tenants.get(id);
      if (now && (id === DEFAULT_TENANT || now.revision === current.revisionOf(id))) return now.bot;
      if (now) {
        logger.info({ tenant: id, reason: wanted ? 'plan or settings changed' : 'removed from the registry' }, 'tenant stopping');
        await retire(id);
      }
      if (!wanted) {
        failed.delete(id);
        return null;
      }
      return launch(id, current);
    });
  }

  /** Brings the running tenants in line with the registry: new ones started, changed ones restarted, removed ones stopped. */
  async function reconcile(): Promise<void> {
    const snap = await registry.snapshot();
    const ids = new Set([...snap.tenants.map((t) => t.id), ...[...tenants.keys()].filter((id) => id !== DEFAULT_TENANT), ...failed.keys()]);
    await Promise.all(
      [...ids].map((id) => ensure(id, snap).catch((error: unknown) => logger.error({ tenant: id, err: errorText(error) }, 'tenant could not start'))),
    );
  }

  /** Reconciles now, or once more after the one under way (changes during it are not lost). */
  function reconcileSoon(): Promise<void> {
    if (!running) return Promise.resolve();
    if (reconciling) {
      again = true;
      return reconciling;
    }
    reconciling = (async () => {
      do {
        again = false;
        await reconcile().catch((error: unknown) => logger.warn({ err: errorText(error) }, 'tenant refresh failed'));
      } while (again && running);
    })().finally(() => {
      reconciling = undefined;
    });
    return reconciling;
  }

  async function sources(scope: 'all' | readonly string[], snap: RegistrySnapshot): Promise<RollupSource[]> {
    const out: RollupSource[] = [];
    for (const t of snap.inScope(scope)) {
      await ensure(t.id, snap).catch(() => null);
      const entry = tenants.get(t.id);
      if (entry) out.push({ tenant: t.id, plan: t.plan, store: entry.store, rubric: t.rubric as Rubric, ...(t.settings.horizonDays ? { horizonDays: t.settings.horizonDays } : {}) });
    }
    return out;
  }

  const show = (reply: Reply): OutgoingMessage => renderer.render(reply.template, reply.view as never);

  /**
   * Who the sender is to a roll-up group: one of its admins (everything in scope), an admin of counties in its
   * scope (the roll-up, and those counties' overviews), or nobody (refused).
   */
  async function viewerOf(msg: IncomingMessage, group: RollupGroup, all: readonly RollupSource[]): Promise<{ kind: 'admin' } | { kind: 'county'; tenants: RollupSource[] } | { kind: 'none' }> {
    if ((group.admins ?? []).some((a) => a.userId === msg.senderId)) return { kind: 'admin' };
    const own: RollupSource[] = [];
    for (const s of all) if (await s.store.admins.has(msg.platform, msg.senderId)) own.push(s);
    return own.length ? { kind: 'county', tenants: own } : { kind: 'none' };
  }

  /** A roll-up group's answer: every county in scope, or one county's overview, to those allowed to read it. */
  async function rollupReply(msg: IncomingMessage, group: RollupGroup, snap: RegistrySnapshot): Promise<HandleResult> {
    const now = clock();
    const { verb, target } = rollupCommand(msg.text.replace(/^[@＠]\S+\s*/u, ''));
    const adapter = real.get(msg.platform);
    const all = await sources(group.scope, snap);
    const t = renderer.text.bind(renderer);
    const help = [t('rollup.help.progress'), t('rollup.help.county')];
    const viewer = await viewerOf(msg, group, all);
    const sender = msg.senderName || msg.senderId;
    let reply: OutgoingMessage;
    let command = 'rollup';
    if (viewer.kind === 'none') {
      command = 'rollup-refused';
      reply = show(notice('refused', t('rollup.refused.title'), [t('rollup.refused.line', { sender })], t('rollup.refused.hint')));
    } else if (verb === 'help') {
      reply = show(notice('info', t('rollup.title'), help));
    } else if (verb === 'progress' && target !== '') {
      command = 'rollup-county';
      const one = all.find((s) => s.tenant === target || s.plan.county === target);
      if (!one) {
        const names = all.map((s) => s.plan.county).join('、');
        reply = show(notice('info', t('rollup.notVisible', { target }), names ? [t('rollup.canSee', { names })] : []));
      } else if (viewer.kind === 'county' && !viewer.tenants.includes(one)) {
        command = 'rollup-refused';
        reply = show(notice('refused', t('rollup.refused.countyTitle', { county: one.plan.county }), [t('rollup.refused.countyLine', { sender, counties: viewer.tenants.map((s) => s.plan.county).join('、') })], t('rollup.refused.hint')));
      } else {
        const heading = t('rollup.countyHeading', { county: one.plan.county, year: one.plan.year });
        const overview = renderer.render('digest-admin', await countyOverviewView({ ...one, texts: t }, now, heading, calendar));
        // The overview's template speaks of 全县 without naming it: the county goes on top.
        reply = { ...overview, title: heading, blocks: [{ type: 'heading', content: [{ type: 'text', text: heading }] }, ...overview.blocks] };
      }
    } else if (verb === 'progress') {
      const lines = await rollupSummaries(
        all.map((s) => ({ ...s, texts: t })),
        now,
        calendar,
      );
      const estimate = lines.some((l) => l.estimate);
      const text = lines.map((l) =>
        t('rollup.line', {
          county: l.county,
          tenant: l.tenant,
          done: l.done,
          total: l.total,
          percent: l.percent,
          overdue: l.overdue,
          average: l.average.toFixed(1),
          grade: l.grade,
          excellent: l.grades.优秀,
          good: l.grades.良好,
          pass: l.grades.合格,
          fail: l.grades.不合格,
        }),
      );
      reply = show(notice('info', t(estimate ? 'rollup.summaryTitle.estimate' : 'rollup.summaryTitle'), text.length ? text : [t('rollup.empty')], t('rollup.footer')));
    } else {
      reply = show(notice('info', t('rollup.onlyProgress'), help));
    }
    if (adapter) await adapter.reply(msg, reply, { mentions: [] });
    return { status: 'handled', command, wrote: false, reply };
  }

  /**
   * 「绑定 县名 单位」 (or the tenant id) from an admin of that county: the group joins that tenant (taken out of
   * the one it belonged to) and the tenant's bot binds it as 「绑定 单位」. Anything else: null.
   */
  async function claim(msg: IncomingMessage, snap: RegistrySnapshot): Promise<{ id: string; message: IncomingMessage } | null> {
    const m = bindInto(msg.text.replace(/^[@＠]\S+\s*/u, ''));
    if (!m || !msg.isGroup) return null;
    const tenant = snap.find(m.county);
    if (!tenant) return null;
    await ensure(tenant.id, snap);
    const entry = tenants.get(tenant.id);
    if (!entry || !(await entry.store.admins.has(msg.platform, msg.senderId))) return null;
    const previous = snap.tenantOf(msg.platform, msg.conversationId);
    if (previous !== tenant.id) {
      const before = tenants.get(previous) ?? ((await ensure(previous, snap)) ? tenants.get(previous) : undefined);
      await before?.store.groups.unbind({ platform: msg.platform, conversationId: msg.conversationId }, { actor: { platform: msg.platform, id: msg.senderId, name: msg.senderName, conversationId: msg.conversationId } });
      const bound = await registry.bind(msg.platform, msg.conversationId, tenant.id);
      if (!bound.success) return null;
      logger.info({ tenant: tenant.id, from: previous, conversationId: msg.conversationId }, 'group moved to tenant');
    }
    return { id: tenant.id, message: { ...msg, text: `${m.word} ${m.rest}` } };
  }

  type Route = { rollup: RollupGroup; snap: RegistrySnapshot } | { id: string; handler?: EventHandler; bot: Bot | null; message?: IncomingMessage };

  /** Where a message goes, from the registry's snapshot (one cheap check per message, a reload only after a change). */
  async function route(msg: IncomingMessage): Promise<Route> {
    const snap = await registry.snapshot();
    const rollup = snap.rollupOf(msg.platform, msg.conversationId);
    if (rollup) return { rollup, snap };
    const claimed = await claim(msg, snap);
    if (claimed) {
      const entry = tenants.get(claimed.id);
      return { id: claimed.id, handler: entry?.handlers.get(msg.platform), bot: entry?.bot ?? null, message: claimed.message };
    }
    let id = snap.tenantOf(msg.platform, msg.conversationId);
    let bot = await ensure(id, snap);
    // A tenant no longer registered: its groups are the default tenant's again.
    if (!bot) {
      id = DEFAULT_TENANT;
      bot = await ensure(id, snap);
    }
    return { id, handler: tenants.get(id)?.handlers.get(msg.platform), bot };
  }

  // Roll-up answers read only: an in-memory dedupe (the delivery layer's) is enough against redeliveries.
  const rollups = createDelivery({
    logger,
    handle: async (msg) => {
      const snap = await registry.snapshot();
      const group = snap.rollupOf(msg.platform, msg.conversationId) ?? { platform: msg.platform, conversationId: msg.conversationId, scope: [], title: null, admins: [] };
      return rollupReply(msg, group, snap);
    },
  });

  async function receive(event: IncomingEvent): Promise<void> {
    if (!running) return; // unacknowledged: the platform redelivers it to a running instance
    let target: Route;
    try {
      target = await route(event.message);
    } catch (error) {
      // The registry could not be read: leave it unacknowledged, the platform redelivers.
      logger.warn({ err: errorText(error), conversationId: event.message.conversationId }, 'tenant routing failed');
      return;
    }
    if ('rollup' in target) return rollups.receive(event);
    if (target.handler) return target.handler(target.message ? { ...event, message: target.message } : event);
    logger.warn({ platform: event.message.platform }, 'no bot takes events of this platform');
  }

  return {
    async start() {
      if (running) return;
      running = true;
      rollups.open();
      for (const adapter of real.values()) {
        adapter.onEvent(receive);
        await adapter.connect();
      }
      let snap: RegistrySnapshot;
      try {
        snap = await registry.snapshot();
        await ensure(DEFAULT_TENANT, snap);
      } catch (error) {
        running = false;
        for (const adapter of real.values()) await adapter.disconnect();
        throw error;
      }
      // One county that cannot start (its schema unreachable, a bad plan) does not keep the others down.
      await Promise.all(snap.tenants.map((t) => ensure(t.id, snap).catch((error: unknown) => logger.error({ tenant: t.id, err: errorText(error) }, 'tenant could not start'))));
      // A change notified by the registry (PostgreSQL's LISTEN, or a write through this registry) is acted on
      // at once; the timer catches the rest (another process's write on SQLite) within refreshMs.
      unwatch = registry.watch(() => void reconcileSoon());
      await scheduler?.start();
      const every = options.refreshMs ?? 60_000;
      const tick = () => {
        timer = setTimeout(() => {
          void reconcileSoon().finally(() => {
            if (running) tick();
          });
        }, every);
        timer.unref?.();
      };
      tick();
    },
    async stop() {
      running = false;
      unwatch?.();
      if (timer) clearTimeout(timer);
      await reconciling;
      await Promise.allSettled([...starting.values()]);
      await scheduler?.stop();
      await rollups.drain();
      for (const [id, entry] of tenants) {
        await entry.bot.stop();
        await entry.started.catch(() => undefined);
        if (id !== DEFAULT_TENANT) await entry.store.close();
      }
      tenants.clear();
      for (const adapter of real.values()) await adapter.disconnect();
    },
    digestScheduler: scheduler,
    botOf: (id) => ensure(id),
    refresh: () => reconcileSoon(),
    status() {
      const out: TenantStatus[] = [...tenants].map(([id, entry]) => ({ id, store: entry.store, error: null }));
      for (const [id, error] of failed) if (!tenants.has(id)) out.push({ id, store: null, error });
      return out.sort((a, b) => (a.id === DEFAULT_TENANT ? -1 : b.id === DEFAULT_TENANT ? 1 : a.id.localeCompare(b.id)));
    },
    async handleMessage(msg) {
      const target = await route(msg);
      if ('rollup' in target) return rollups.handle(msg);
      if (!target.bot) throw new Error('the default tenant has no bot');
      return target.bot.handleMessage(target.message ?? msg);
    },
    async runDueDigests(now = clock()) {
      const out = new Map<string, Awaited<ReturnType<Bot['runDueDigests']>>>();
      for (const [id, entry] of tenants) out.set(id, await entry.bot.runDueDigests(now));
      return out;
    },
  };
}
