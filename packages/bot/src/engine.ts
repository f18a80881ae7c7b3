import { randomUUID } from 'node:crypto';
import { createCalendar, type Plan, type Rubric, type WorkingCalendar } from '@zwgk/sdk';
import { z } from 'zod';
import type { Adapter, IncomingMessage } from './adapter.js';
import { checkSchedule, nextDigestTime, type DigestSchedule } from './digest/schedule.js';
import { createDigestRunner, type DigestPreview, type DigestRun, type DigestWork } from './digest/runner.js';
import { createDigestScheduler } from './digest/scheduler.js';
import type { EngineSettings, Reply } from './handlers/context.js';
import { reviewWords } from './handlers/info.js';
import { createDelivery } from './pipeline/delivery.js';
import { createMessagePipeline, type HandleResult } from './pipeline/message.js';
import { createReceiptSender } from './pipeline/receipts.js';
import { silentLogger, type Logger } from './pipeline/shared.js';
import type { Store } from './store/store.js';
import { createRenderer, type Renderer } from './templates/render.js';
import { milestoneChoices } from './views/build.js';
import { createEvidenceChecker, type EvidenceCheckRun } from './evidence/checker.js';
import { evidenceOptionsSchema } from './evidence/options.js';
import { notice } from './handlers/context.js';
import type { FlaggedEvidenceCheck } from './store/store.js';

export type { DigestDelivery, DigestOutcome, DigestPreview, DigestRun, DigestWork } from './digest/runner.js';
export type { EvidenceCheckRun } from './evidence/checker.js';
export type { HandleResult } from './pipeline/message.js';
export type { Logger } from './pipeline/shared.js';

const isFunction = (v: unknown) => typeof v === 'function';
const isObject = (v: unknown) => v !== null && typeof v === 'object';

/** Weekly digest settings: the only place their defaults are stated. */
export const digestOptionsSchema = z
  .object({
    /** Send weekly digests from the scheduler. `runDueDigests` works either way. */
    enabled: z.boolean().default(true),
    /** `'first-working-day'` or an ISO weekday 1–7. */
    day: z.union([z.literal('first-working-day'), z.number()]).default('first-working-day'),
    /** Send time `HH:mm`, Asia/Shanghai. */
    time: z.string().default('09:00'),
    /** "Due soon" horizon of the digest, in working days. */
    horizonDays: z.number().int().min(0).default(10),
    /** How often the scheduler looks for due digests, in ms. */
    tickMs: z.number().int().min(1).default(60_000),
    /**
     * Digests one pass sends at once (default 1, one after the other). More keeps a deployment of thousands
     * of groups at the app's send rate when one send takes longer than the rate's interval.
     */
    concurrency: z.number().int().min(1).max(64).default(1),
    /** A digest claimed this long ago without being sent is taken over (its sender died), in ms. */
    staleClaimMs: z.number().int().min(1).default(10 * 60_000),
    /**
     * Of several bots on one database (instances sharing PostgreSQL), only the holder of the scheduler
     * lease runs the scheduled passes; it renews the lease on every tick, and another instance takes it
     * over once it has not been renewed for this long, in ms (default 3 × `tickMs`). `runDueDigests`
     * called directly (e.g. `zwgk digest`) does not need the lease: per-digest claims keep every digest to
     * one send either way.
     */
    leaseMs: z.number().int().min(1).optional(),
    /** This process's name as lease holder (default a random UUID). */
    instanceId: z.string().min(1).optional(),
    /**
     * Another scheduler sends this bot's timed digests through {@link Bot.digestWork} (the tenant router's
     * one scheduler per process for every county): the bot runs no timer or lease of its own (default false).
     * `runDueDigests` works either way.
     */
    shared: z.boolean().default(false),
  })
  .strict();

/** Options of {@link createBot}: the only place their defaults are stated. */
export const botOptionsSchema = z
  .object({
    /** The plan the bot supervises (e.g. `getPlan('qinyuan-2022')`). */
    plan: z.custom<Plan>((v) => isObject(v) && Array.isArray((v as Plan).tasks), { message: 'expected a plan' }),
    /** The database (see `openStore`). The bot does not close it. */
    store: z.custom<Store>((v) => isObject(v) && isFunction((v as Store).transaction), { message: 'expected a store (openStore())' }),
    /** Chat platforms; at most one per `platform` id. Without any, use `handleMessage` directly. */
    adapters: z.array(z.custom<Adapter>((v) => isObject(v) && typeof (v as Adapter).platform === 'string', { message: 'expected an adapter' })).readonly().default([]),
    /** The clock (default: the system clock). Inject a fixed or simulated one to run at any date of the plan year. */
    clock: z.custom<() => Date>(isFunction, { message: 'expected a function returning a Date' }).optional(),
    /** Working-day calendar (default: the statutory calendar, `createCalendar()`). */
    calendar: z.custom<WorkingCalendar>(isObject, { message: 'expected a working calendar' }).optional(),
    /** Directory of overrides: templates (`<dir>/<name>.hbs`) and catalogue texts (`<dir>/texts.json`); see `createRenderer`. */
    templatesDir: z.string().optional(),
    /** A renderer to use instead of building one from `templatesDir`. */
    renderer: z.custom<Renderer>((v) => isObject(v) && isFunction((v as Renderer).render), { message: 'expected a renderer' }).optional(),
    /** Who may confirm for a unit: `'group'` (any member of its bound group) or `'liaisons'` (registered liaisons only). */
    policy: z.enum(['group', 'liaisons']).default('group'),
    /** Weekly digest settings. */
    digest: digestOptionsSchema.default(digestOptionsSchema.parse({})),
    /**
     * Evidence-link checks: the county's sites (`allowedHosts`; empty, the default, fetches nothing), time
     * limit, size cap, redirects (see `evidenceOptionsSchema`).
     */
    evidence: evidenceOptionsSchema.default(evidenceOptionsSchema.parse({})),
    /** Scoring rubric for 考核 (default: the SDK's default rubric). */
    rubric: z.custom<Rubric>(isObject, { message: 'expected a rubric' }).optional(),
    /** Messages longer than this many characters are answered with a short notice and not read, stored or echoed. */
    maxTextLength: z.number().int().min(1).default(2_000),
    /** At start-up, receipts stored with their records but never sent are sent if the record is at most this old, in ms. */
    receiptMaxAgeMs: z.number().int().min(0).default(24 * 60 * 60_000),
    /** Where the engine logs (default: nowhere). */
    logger: z.custom<Logger>((v) => isObject(v) && ['info', 'warn', 'error'].every((k) => isFunction((v as Record<string, unknown>)[k])), { message: 'expected a logger with info, warn and error' }).optional(),
  })
  .strict();

/** The lease whose holder runs the scheduled digest passes. */
const SCHEDULER_LEASE = 'digest-scheduler';

/** Weekly digest settings (see {@link digestOptionsSchema} for the defaults). */
export type DigestOptions = z.input<typeof digestOptionsSchema>;
/** Options of {@link createBot} (see {@link botOptionsSchema} for the defaults). */
export type BotOptions = z.input<typeof botOptionsSchema>;

/** The running bot. */
export interface Bot {
  readonly plan: Plan;
  readonly store: Store;
  /**
   * Connects the adapters, sends the receipts stored with their records but never sent (a crash between
   * commit and reply; at most `receiptMaxAgeMs` old), sends any digest due this week that has not gone out
   * (a restart after 09:00 catches up), then checks for due digests every `digest.tickMs`.
   */
  start(): Promise<void>;
  /**
   * Stops the scheduler, stops taking deliveries (they stay unacknowledged, so the platform redelivers them
   * to the next process), waits for the messages being handled and their acknowledgements and for a running
   * digest pass, then disconnects the adapters. Leaves the store open.
   */
  stop(): Promise<void>;
  /**
   * Handles one incoming message: parse, authorize, one transaction (dedupe row + effect + audit), commit,
   * then reply through the adapter of `msg.platform` (when there is one). A call for a message id being
   * handled shares that handling. Rejects, having written nothing and apologised for nothing, when the
   * store was busy or the reply could not be sent; a later call re-sends the stored reply and writes nothing.
   * Adapters do not call this: they hand events (with their `ack`) to the handler given to `onEvent`.
   */
  handleMessage(msg: IncomingMessage): Promise<HandleResult>;
  /**
   * Sends the weekly digests due at `now` (default: the clock): when this week's send time has passed,
   * one per bound group — unit groups get their unit's digest, the admin group the county overview —
   * each exactly once through the outbox. `units` limits the run to those units' groups.
   */
  runDueDigests(now?: Date, options?: { units?: readonly string[] }): Promise<DigestRun>;
  /** Renders digests without sending or touching the outbox: the given units (default: every assigned unit) and, unless `admin: false`, the county overview. */
  previewDigests(options: { asOf: Date; units?: readonly string[]; admin?: boolean }): Promise<DigestPreview[]>;
  /** When the next weekly digest is due after `now` (default: the clock), or null. */
  nextDigestAt(now?: Date): Date | null;
  /** The county's digests step by step, for a scheduler shared by many counties (see `digest.shared`). */
  readonly digestWork: DigestWork;
  /**
   * Runs the pending evidence-link checks now and resolves when none is left (the bot also runs them in the
   * background after each 确认/补充 with links, and at start-up). Failing links are announced in the
   * admin group once.
   */
  checkEvidence(): Promise<EvidenceCheckRun>;
}

function parseOptions(options: BotOptions): z.output<typeof botOptionsSchema> {
  const parsed = botOptionsSchema.safeParse(options);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `${i.path.join('.') || 'options'}: ${i.message}`);
    throw new RangeError(`createBot: invalid options — ${lines.join('; ')}`);
  }
  return parsed.data;
}

/**
 * Creates the bot engine: commands of docs/bot.md from any adapter, weekly digests through the outbox,
 * everything recorded in the store with its audit trail. Platform-agnostic: adapters bring the chat
 * platforms and hand the engine each delivery with its `ack`; the engine deduplicates, handles each message
 * once, acknowledges after commit and reply, and hands each reply to the adapter as a neutral message to render. Options
 * are checked once ({@link botOptionsSchema}); a bad one throws a `RangeError` naming it.
 *
 * @example
 * import { getPlan } from '@zwgk/sdk/qinyuan';
 * import { createBot, openStore } from '@zwgk/bot';
 *
 * const store = await openStore({ filename: './data/zwgk.sqlite' });
 * const bot = createBot({
 *   plan: getPlan('qinyuan-2022'),
 *   store,
 *   adapters: [dingtalkAdapter],
 *   clock: () => new Date(),
 *   policy: 'group',
 *   digest: { day: 'first-working-day', time: '09:00', horizonDays: 10 },
 *   logger: pino(),
 * });
 * await bot.start();
 * // later: await bot.stop(); await store.close();
 */
export function createBot(options: BotOptions): Bot {
  const o = parseOptions(options);
  const { plan, store, policy, digest } = o;
  const clock = o.clock ?? (() => new Date());
  const calendar = o.calendar ?? createCalendar();
  const logger = o.logger ?? silentLogger;
  const renderer = o.renderer ?? createRenderer(o.templatesDir === undefined ? {} : { templatesDir: o.templatesDir });
  const schedule: DigestSchedule = checkSchedule({ day: digest.day as DigestSchedule['day'], time: digest.time });
  const leaseMs = digest.leaseMs ?? 3 * digest.tickMs;
  const instanceId = digest.instanceId ?? randomUUID();

  const adapters = new Map<string, Adapter>();
  for (const adapter of o.adapters) {
    if (adapters.has(adapter.platform)) throw new Error(`createBot: two adapters for platform "${adapter.platform}"`);
    adapters.set(adapter.platform, adapter);
  }
  const texts = renderer.text.bind(renderer);
  const digestWhen = !digest.enabled
    ? null
    : schedule.day === 'first-working-day'
      ? texts('digestWhen.firstWorkingDay', { time: schedule.time })
      : texts('digestWhen.weekday', { weekday: [...texts('weekdays')][schedule.day - 1] ?? String(schedule.day), time: schedule.time });
  const render = (reply: Reply) => renderer.render(reply.template, reply.view as never);
  const announceFlagged = async (flagged: FlaggedEvidenceCheck[]) => {
    const lines = flagged.map((f) =>
      texts('evidence.flagged.line', {
        unit: f.unit,
        task: f.task,
        due: f.due,
        url: f.url,
        problem: texts(`evidence.result.${f.result ?? 'unreachable'}`, { status: f.httpStatus ?? '' }),
      }),
    );
    const reply = notice('refused', texts('evidence.flagged.title'), lines, texts('evidence.flagged.hint'));
    for (const g of await store.groups.list()) {
      if (g.kind !== 'admin') continue;
      const adapter = adapters.get(g.platform);
      if (!adapter) continue;
      try {
        await adapter.send(g.conversationId, render(reply), { mentions: [] });
      } catch (error) {
        logger.warn({ err: error instanceof Error ? error.message : String(error), conversationId: g.conversationId }, 'evidence-check notice failed');
      }
    }
  };
  const evidence = createEvidenceChecker({ store, settings: o.evidence, clock, logger, notify: announceFlagged });
  const settings: EngineSettings = {
    plan,
    calendar,
    policy,
    horizonDays: digest.horizonDays,
    rubric: o.rubric,
    adapters,
    digestWhen,
    texts,
    kickEvidenceChecks: () => evidence.kick(),
    evidenceHosts: o.evidence.allowedHosts,
  };
  const tasks = plan.tasks.map((t) => ({ no: t.no, name: t.name, milestones: milestoneChoices(plan, t.no).flatMap((m) => [m.due, m.writtenDue]) }));

  const digests = createDigestRunner({ store, plan, calendar, schedule, horizonDays: digest.horizonDays, staleClaimMs: digest.staleClaimMs, concurrency: digest.concurrency, adapters, render, texts, clock, logger, reviewLine: (counts) => reviewWords(texts, counts, settings.rubric?.review.required === true), reviewRequired: settings.rubric?.review.required === true });
  const pipeline = createMessagePipeline({
    store,
    settings,
    adapters,
    render,
    clock,
    logger,
    tasks,
    texts,
    maxTextLength: o.maxTextLength,
    updateDigest: (unit, platform) => digests.unitDigest(unit, platform, clock()),
  });
  const delivery = createDelivery({ handle: pipeline.handle, logger });
  const receipts = createReceiptSender({ store, adapters, delivery, clock, logger, maxAgeMs: o.receiptMaxAgeMs });
  const scheduler = createDigestScheduler({
    pass: digests.run,
    clock,
    tickMs: digest.tickMs,
    logger,
    lease: {
      acquire: (now) => store.leases.acquire(SCHEDULER_LEASE, instanceId, now, leaseMs),
      release: async () => {
        await store.leases.release(SCHEDULER_LEASE, instanceId);
      },
    },
  });

  let started = false;

  return {
    plan,
    store,
    async start() {
      if (started) return;
      started = true;
      delivery.open();
      for (const adapter of adapters.values()) {
        adapter.onEvent(delivery.receive);
        await adapter.connect();
      }
      logger.info({ adapters: [...adapters.keys()], policy, nextDigest: nextDigestTime(clock(), schedule, calendar)?.toISOString() ?? null }, 'bot started');
      // Receipts stored with their records before a crash (or a failed reply) go out now, once.
      try {
        await receipts.sendPending();
      } catch (error) {
        logger.error({ err: error instanceof Error ? error.message : String(error) }, 'pending receipts could not be read');
      }
      // Checks requested before a crash or a restart resume now, in the background.
      evidence.resume();
      if (digest.enabled && !digest.shared) await scheduler.start();
    },
    async stop() {
      const stopping = scheduler.stop();
      await delivery.drain();
      await stopping;
      await evidence.stop();
      if (started) for (const adapter of adapters.values()) await adapter.disconnect();
      started = false;
    },
    handleMessage: delivery.handle,
    runDueDigests(now: Date = clock(), runOptions: { units?: readonly string[] } = {}) {
      return scheduler.run(now, runOptions.units);
    },
    previewDigests: digests.preview,
    digestWork: digests.work,
    nextDigestAt(now: Date = clock()) {
      return nextDigestTime(now, schedule, calendar);
    },
    checkEvidence: () => evidence.runPending(),
  };
}
