import { randomUUID } from 'node:crypto';
import { createCalendar, type Plan, type Rubric, type WorkingCalendar } from '@zwgk/sdk';
import type { Adapter, IncomingMessage, Mention, OutputStyle, RenderedMessage } from './adapter.js';
import { parseCommand, type Command, type ParseResult } from './commands/parse.js';
import { DEFAULT_DIGEST_SCHEDULE, checkSchedule, dueDigestWeek, nextDigestTime, type DigestSchedule } from './digest/schedule.js';
import { adminDigestView, unitDigestView } from './digest/views.js';
import { handleBind, handleExempt, handleExport, handleLiaison, handleNudge, handleScores, handleSelect, handleUnbind } from './handlers/admin.js';
import { answer, liaisonMentions, makeContext, notice, type ConfirmPolicy, type EngineSettings, type HandlerContext, type Outcome, type Reply } from './handlers/context.js';
import { handleDigest, handleHelp, handleStatus, helpReply } from './handlers/info.js';
import { handleSupplement, handleUndo } from './handlers/corrections.js';
import { handleDetail, handleStatusQuestion } from './handlers/questions.js';
import { handleBriefing, handleConfirm, handleHighlight } from './handlers/records.js';
import type { OutboxEntry, ProcessedMessage, Store } from './store/store.js';
import { createRenderer, type Renderer } from './templates/render.js';
import { MentionValue } from './templates/views.js';
import { assignedUnits, milestoneChoices, takeSnapshot, type Snapshot } from './views/build.js';

/** A pino-compatible logger (the subset the engine uses). */
export interface Logger {
  info(obj: object, msg?: string): void;
  warn(obj: object, msg?: string): void;
  error(obj: object, msg?: string): void;
}

const silentLogger: Logger = { info: () => {}, warn: () => {}, error: () => {} };

/** Weekly digest settings. */
export interface DigestOptions {
  /** Send weekly digests from the scheduler (default true). `runDueDigests` works either way. */
  enabled?: boolean;
  /** `'first-working-day'` (default) or an ISO weekday 1–7. */
  day?: DigestSchedule['day'];
  /** Send time `HH:mm`, Asia/Shanghai (default `09:00`). */
  time?: string;
  /** "Due soon" horizon of the digest, in working days (default 10). */
  horizonDays?: number;
  /** How often the scheduler looks for due digests, in ms (default 60 000). */
  tickMs?: number;
  /** Failed sends of one digest before it is marked `failed` (default 5). */
  maxAttempts?: number;
  /** A digest claimed this long ago without being sent is taken over (its sender died), in ms (default 10 min). */
  staleClaimMs?: number;
}

/** Options of {@link createBot}. */
export interface BotOptions {
  /** The plan the bot supervises (e.g. `getPlan('qinyuan-2022')`). */
  plan: Plan;
  /** The database (see `openStore`). The bot does not close it. */
  store: Store;
  /** Chat platforms; at most one per `platform` id. Default: none (use `handleMessage` directly). */
  adapters?: readonly Adapter[];
  /** The clock (default: the system clock). Inject a fixed or simulated one to run at any date of the plan year. */
  clock?: () => Date;
  /** Working-day calendar (default: the statutory calendar, `createCalendar()`). */
  calendar?: WorkingCalendar;
  /** Directory of template overrides (`<dir>/<style>/<name>.hbs`). */
  templatesDir?: string;
  /** A renderer to use instead of building one from `templatesDir`. */
  renderer?: Renderer;
  /** Who may confirm for a unit: `'group'` (default: any member of its bound group) or `'liaisons'` (registered liaisons only). */
  policy?: ConfirmPolicy;
  /** Weekly digest settings. */
  digest?: DigestOptions;
  /** Scoring rubric for 考核 (default: the SDK's default rubric). */
  rubric?: Rubric;
  logger?: Logger;
}

/** What {@link Bot.handleMessage} did. */
export interface HandleResult {
  /**
   * `handled`: answered (and, when `wrote`, committed before the reply); `duplicate`: the message id was
   * handled before, nothing new was written (the stored reply is re-sent if it never went out); `failed`:
   * an internal error, nothing written, an apology sent.
   */
  status: 'handled' | 'duplicate' | 'failed';
  /** The parsed command kind (`unknown`, `ambiguous`, `confirm` …). */
  command: string;
  /** True when the message changed state. */
  wrote: boolean;
  /** The reply, rendered for the adapter's style (`text` without an adapter); absent for a duplicate already answered. */
  reply?: RenderedMessage;
}

/** One digest of a run of {@link Bot.runDueDigests}. */
export interface DigestDelivery {
  platform: string;
  conversationId: string;
  kind: 'unit' | 'admin';
  unit: string | null;
  error?: string;
}

/** What {@link Bot.runDueDigests} did. */
export interface DigestRun {
  /** The ISO week whose digests were due, or null when none were (before the send time, or a week off). */
  week: string | null;
  /** Outbox entries created by this run. */
  enqueued: number;
  sent: DigestDelivery[];
  /** Failed sends (retried on a later run until `maxAttempts`). */
  failed: DigestDelivery[];
  /** Entries left pending because no adapter of their platform is connected. */
  skipped: DigestDelivery[];
}

/** A rendered digest, for previews (`zwgk digest --dry-run`). */
export interface DigestPreview {
  kind: 'unit' | 'admin';
  unit: string | null;
  message: RenderedMessage;
  mentions: Mention[];
}

/** The running bot. */
export interface Bot {
  readonly plan: Plan;
  readonly store: Store;
  /**
   * Connects the adapters, sends any digest due this week that has not gone out (a restart after 09:00
   * catches up), then checks for due digests every `digest.tickMs`.
   */
  start(): Promise<void>;
  /** Stops the scheduler, waits for messages being handled and a running digest pass, disconnects the adapters. Leaves the store open. */
  stop(): Promise<void>;
  /**
   * Handles one incoming message: parse, authorize, one transaction (dedupe row + effect + audit),
   * commit, then reply through the adapter of `msg.platform` (when there is one). Rejects only when the
   * reply could not be sent, so the platform redelivers; the redelivery re-sends the stored reply and
   * writes nothing.
   */
  handleMessage(msg: IncomingMessage): Promise<HandleResult>;
  /**
   * Sends the weekly digests due at `now` (default: the clock): when this week's send time has passed,
   * one per bound group — unit groups get their unit's digest, the admin group the county overview —
   * each exactly once through the outbox. `units` limits the run to those units' groups.
   */
  runDueDigests(now?: Date, options?: { units?: readonly string[] }): Promise<DigestRun>;
  /** Renders digests without sending or touching the outbox: the given units (default: every assigned unit) and, unless `admin: false`, the county overview. */
  previewDigests(options: { asOf: Date; units?: readonly string[]; admin?: boolean; style?: OutputStyle }): Promise<DigestPreview[]>;
  /** When the next weekly digest is due after `now` (default: the clock), or null. */
  nextDigestAt(now?: Date): Date | null;
}

class Rollback extends Error {
  constructor(readonly outcome: Outcome, readonly rendered: RenderedMessage) {
    super('rollback');
  }
}

class DuplicateRace extends Error {}

type Route = (ctx: HandlerContext) => Promise<Outcome>;

const HANDLERS: { [K in Command['kind']]: (ctx: HandlerContext<Extract<Command, { kind: K }>>) => Promise<Outcome> } = {
  confirm: handleConfirm,
  undo: handleUndo,
  supplement: handleSupplement,
  digest: handleDigest,
  status: handleStatusQuestion,
  detail: handleDetail,
  briefing: handleBriefing,
  highlight: handleHighlight,
  help: handleHelp,
  bind: handleBind,
  unbind: handleUnbind,
  liaison: handleLiaison,
  nudge: handleNudge,
  exempt: handleExempt,
  select: handleSelect,
  scores: handleScores,
  export: handleExport,
};

function route(parsed: ParseResult): Route {
  switch (parsed.kind) {
    case 'unknown':
      // The help menu answers 帮助 and an empty mention only: anything else not understood says so.
      return async () => answer({ template: 'question', view: { title: '没看懂', mentions: [], code: 'not_understood', data: { command: '确认 4' }, candidates: [] } });
    case 'ambiguous':
      return async () => answer({ template: 'question', view: { title: '请再说明一下', mentions: [], code: parsed.code, data: parsed.data, candidates: parsed.candidates ?? [] } });
    default:
      return HANDLERS[parsed.kind] as (ctx: HandlerContext) => Promise<Outcome>;
  }
}

function plainMentions(reply: Reply): Mention[] {
  return reply.view.mentions.map((m) => ({ id: m.id, name: m.name }));
}

function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/**
 * Creates the bot engine: commands of docs/bot.md from any adapter, weekly digests through the outbox,
 * everything recorded in the store with its audit trail. Platform-agnostic: adapters bring the chat
 * platforms, the engine renders each reply in the adapter's output style.
 *
 * @example
 * import { getPlan } from '@zwgk/sdk';
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
  const { plan, store } = options;
  const clock = options.clock ?? (() => new Date());
  const calendar = options.calendar ?? createCalendar();
  const logger = options.logger ?? silentLogger;
  const renderer = options.renderer ?? createRenderer(options.templatesDir === undefined ? {} : { templatesDir: options.templatesDir });
  const digest = options.digest ?? {};
  const schedule = checkSchedule({ day: digest.day ?? DEFAULT_DIGEST_SCHEDULE.day, time: digest.time ?? DEFAULT_DIGEST_SCHEDULE.time });
  const horizonDays = digest.horizonDays ?? 10;
  if (!Number.isInteger(horizonDays) || horizonDays < 0) throw new RangeError(`digest horizonDays: expected a whole number ≥ 0, got ${horizonDays}`);
  const tickMs = digest.tickMs ?? 60_000;
  const maxAttempts = digest.maxAttempts ?? 5;
  const staleClaimMs = digest.staleClaimMs ?? 10 * 60_000;
  const policy = options.policy ?? 'group';
  if (policy !== 'group' && policy !== 'liaisons') throw new RangeError(`policy: expected 'group' or 'liaisons', got ${JSON.stringify(policy)}`);

  const adapters = new Map<string, Adapter>();
  for (const adapter of options.adapters ?? []) {
    if (adapters.has(adapter.platform)) throw new Error(`createBot: two adapters for platform "${adapter.platform}"`);
    adapters.set(adapter.platform, adapter);
  }
  const weekdays = ['一', '二', '三', '四', '五', '六', '日'];
  const digestWhen = digest.enabled === false ? null : `${schedule.day === 'first-working-day' ? '每周首个工作日' : `每周${weekdays[schedule.day - 1] ?? ''}`} ${schedule.time}`;
  const settings: EngineSettings = { plan, calendar, policy, horizonDays, rubric: options.rubric, adapters, digestWhen };
  const tasks = plan.tasks.map((t) => ({ no: t.no, name: t.name, milestones: milestoneChoices(plan, t.no).flatMap((m) => [m.due, m.writtenDue]) }));

  const render = (style: OutputStyle, reply: Reply): RenderedMessage => renderer.render(style, reply.template, reply.view as never);

  async function sendOutbound(outcome: Outcome): Promise<void> {
    for (const out of outcome.outbound ?? []) {
      const adapter = adapters.get(out.platform);
      if (!adapter) continue;
      try {
        await adapter.send(out.conversationId, render(adapter.style, out.reply), { mentions: plainMentions(out.reply) });
      } catch (error) {
        logger.warn({ err: errorText(error), platform: out.platform, conversationId: out.conversationId }, 'outbound message failed');
      }
    }
  }

  async function resendStored(msg: IncomingMessage, stored: ProcessedMessage, adapter: Adapter | undefined): Promise<HandleResult> {
    const saved = stored.reply as { message?: RenderedMessage; mentions?: Mention[] } | null;
    const result: HandleResult = { status: 'duplicate', command: stored.command, wrote: false };
    if (stored.repliedAt === null && saved?.message && adapter) {
      await adapter.reply(msg, saved.message, { mentions: saved.mentions ?? [] });
      await store.markReplied(msg.platform, msg.messageId, clock());
      result.reply = saved.message;
    }
    return result;
  }

  // Messages being handled, so that stop() can wait for them before the caller closes the store.
  const inFlight = new Set<Promise<HandleResult>>();
  function handleMessage(raw: IncomingMessage): Promise<HandleResult> {
    const running = handleMessageNow(raw);
    inFlight.add(running);
    const settle = (): void => {
      inFlight.delete(running);
    };
    running.then(settle, settle);
    return running;
  }

  async function handleMessageNow(raw: IncomingMessage): Promise<HandleResult> {
    const now = clock();
    const msg: IncomingMessage = {
      ...raw,
      text: typeof raw.text === 'string' ? raw.text : '',
      mentions: Array.isArray(raw.mentions) ? raw.mentions : [],
      senderName: raw.senderName || raw.senderId,
      messageId: raw.messageId || `local-${randomUUID()}`,
    };
    const adapter = adapters.get(msg.platform);
    const style: OutputStyle = adapter?.style ?? 'text';
    const parsed = parseCommand(msg.text, { tasks, now, year: plan.year });

    let outcome: Outcome;
    let rendered: RenderedMessage;
    try {
      type Done = { duplicate: ProcessedMessage } | { outcome: Outcome; message: RenderedMessage };
      const done = await store.transaction(async (tx): Promise<Done> => {
        const seen = await tx.findProcessed(msg.platform, msg.messageId);
        if (seen) return { duplicate: seen };
        const group = await tx.groupOf(msg.platform, msg.conversationId);
        const isAdmin = await tx.isAdmin(msg.platform, msg.senderId);
        const command = (parsed.kind === 'unknown' || parsed.kind === 'ambiguous' ? { kind: 'help' } : parsed) as Command;
        const ctx = makeContext({ command, msg, tx, now, settings, group, isAdmin });
        const result = await route(parsed)(ctx);
        const message = render(style, result.reply);
        // Nothing to keep: roll back so that not even an accidental write survives a read-only answer or a refusal.
        if (!result.wrote) throw new Rollback(result, message);
        const claimed = await tx.recordProcessed(
          { platform: msg.platform, messageId: msg.messageId, conversationId: msg.conversationId, senderId: msg.senderId, command: parsed.kind, reply: { message, mentions: plainMentions(result.reply) } },
          now,
        );
        if (!claimed) throw new DuplicateRace();
        return { outcome: result, message };
      });
      if ('duplicate' in done) return await resendStored(msg, done.duplicate, adapter);
      outcome = done.outcome;
      rendered = done.message;
    } catch (error) {
      if (error instanceof Rollback) {
        outcome = error.outcome;
        rendered = error.rendered;
      } else if (error instanceof DuplicateRace) {
        const seen = await store.findProcessed(msg.platform, msg.messageId);
        return seen ? resendStored(msg, seen, adapter) : { status: 'duplicate', command: parsed.kind, wrote: false };
      } else {
        logger.error({ err: errorText(error), platform: msg.platform, conversationId: msg.conversationId, messageId: msg.messageId, command: parsed.kind }, 'message handling failed');
        const apology = render(style, notice('error', '处理出错，本条未记录', ['请稍后再试；多次出错请联系县政府办。']));
        if (adapter) await adapter.reply(msg, apology, { mentions: [] });
        return { status: 'failed', command: parsed.kind, wrote: false, reply: apology };
      }
    }

    if (outcome.wrote) logger.info({ platform: msg.platform, conversationId: msg.conversationId, sender: msg.senderId, command: parsed.kind }, 'recorded');
    await sendOutbound(outcome);
    if (adapter) {
      await adapter.reply(msg, rendered, { mentions: plainMentions(outcome.reply) });
      if (outcome.wrote) await store.markReplied(msg.platform, msg.messageId, clock());
    }
    if (outcome.after) {
      try {
        await outcome.after();
      } catch (error) {
        logger.warn({ err: errorText(error), command: parsed.kind }, 'post-reply step failed');
      }
    }
    return { status: 'handled', command: parsed.kind, wrote: outcome.wrote, reply: rendered };
  }

  async function boundUnitSet(): Promise<Set<string>> {
    return new Set((await store.listGroups()).flatMap((g) => (g.kind === 'unit' ? [g.unit] : [])));
  }

  async function digestFor(
    entry: Pick<OutboxEntry, 'kind' | 'unit' | 'platform'>,
    snap: Snapshot,
    style: OutputStyle,
    everyPlatform = false,
  ): Promise<{ message: RenderedMessage; mentions: Mention[] }> {
    if (entry.kind === 'admin' || entry.unit === null) {
      const reply: Reply = { template: 'digest-admin', view: adminDigestView(snap, calendar, horizonDays, await boundUnitSet()) };
      return { message: render(style, reply), mentions: [] };
    }
    const mentions = everyPlatform
      ? (await store.listLiaisons(entry.unit)).map((l) => new MentionValue(l.userId, l.name))
      : await liaisonMentions(store, entry.unit, entry.platform);
    const reply: Reply = { template: 'digest-unit', view: unitDigestView(entry.unit, snap, calendar, horizonDays, mentions) };
    return { message: render(style, reply), mentions: plainMentions(reply) };
  }

  async function runDigestsNow(now: Date, only: readonly string[] | undefined): Promise<DigestRun> {
    const due = dueDigestWeek(now, schedule, calendar);
    const run: DigestRun = { week: due?.week ?? null, enqueued: 0, sent: [], failed: [], skipped: [] };
    if (!due) return run;
    const wanted = (kind: 'unit' | 'admin', unit: string | null) => only === undefined || (kind === 'unit' && unit !== null && only.includes(unit));
    for (const g of await store.listGroups()) {
      const unit = g.kind === 'unit' ? g.unit : null;
      if (!wanted(g.kind, unit)) continue;
      if (await store.enqueueDigest({ week: due.week, platform: g.platform, conversationId: g.conversationId, kind: g.kind, unit }, now)) run.enqueued++;
    }
    const staleBefore = new Date(now.getTime() - staleClaimMs);
    const entries = (await store.listOutbox({ week: due.week })).filter(
      (e) => (e.status === 'pending' || e.status === 'sending') && wanted(e.kind, e.unit),
    );
    let snap: Snapshot | undefined;
    for (const entry of entries) {
      const delivery: DigestDelivery = { platform: entry.platform, conversationId: entry.conversationId, kind: entry.kind, unit: entry.unit };
      const adapter = adapters.get(entry.platform);
      if (!adapter) {
        run.skipped.push(delivery);
        continue;
      }
      // Claim before anything else: only the holder of the claim may change the row (see markDigestSent).
      if (!(await store.claimDigest(entry.id, now, staleBefore))) continue;
      const binding = await store.groupOf(entry.platform, entry.conversationId);
      const stillBound = binding !== null && binding.kind === entry.kind && (binding.kind === 'admin' || binding.unit === entry.unit);
      if (!stillBound) {
        await store.markDigestFailed(entry.id, 'the group is no longer bound as it was when the digest was queued', true, now);
        continue;
      }
      try {
        snap ??= await takeSnapshot(store, plan, now, calendar, horizonDays);
        const { message, mentions } = await digestFor(entry, snap, adapter.style);
        await adapter.send(entry.conversationId, message, { mentions });
        if (!(await store.markDigestSent(entry.id, clock(), now))) {
          logger.warn({ week: due.week, conversationId: entry.conversationId, unit: entry.unit }, 'digest sent after its claim was taken over');
        }
        run.sent.push(delivery);
      } catch (error) {
        const giveUp = entry.attempts + 1 >= maxAttempts;
        await store.markDigestFailed(entry.id, errorText(error), giveUp, now);
        run.failed.push({ ...delivery, error: errorText(error) });
        logger.warn({ err: errorText(error), week: due.week, conversationId: entry.conversationId, unit: entry.unit, giveUp }, 'digest send failed');
      }
    }
    if (run.sent.length > 0 || run.failed.length > 0) {
      logger.info({ week: due.week, sent: run.sent.length, failed: run.failed.length, skipped: run.skipped.length }, 'weekly digests');
    }
    return run;
  }

  // One digest pass at a time: a tick that comes while a pass runs waits for it.
  let digestChain: Promise<unknown> = Promise.resolve();
  function runDueDigests(now: Date = clock(), runOptions: { units?: readonly string[] } = {}): Promise<DigestRun> {
    const next = digestChain.then(() => runDigestsNow(now, runOptions.units));
    digestChain = next.catch(() => undefined);
    return next;
  }

  let timer: ReturnType<typeof setInterval> | undefined;
  let started = false;
  // Set by stop(): a start() still awaiting its first digest pass must not arm the timer afterwards.
  let stopping = false;

  async function tick(): Promise<void> {
    try {
      await runDueDigests(clock());
    } catch (error) {
      logger.error({ err: errorText(error) }, 'digest pass failed');
    }
  }

  return {
    plan,
    store,
    async start() {
      if (started) return;
      started = true;
      stopping = false;
      for (const adapter of adapters.values()) {
        adapter.onMessage(async (msg) => {
          await handleMessage(msg);
        });
        await adapter.connect();
      }
      logger.info({ adapters: [...adapters.keys()], policy, nextDigest: nextDigestTime(clock(), schedule, calendar)?.toISOString() ?? null }, 'bot started');
      if (digest.enabled !== false && !stopping) {
        await tick();
        if (!stopping) timer = setInterval(() => void tick(), tickMs);
      }
    },
    async stop() {
      stopping = true;
      if (timer !== undefined) clearInterval(timer);
      timer = undefined;
      // Messages may still arrive (and be tracked) while earlier ones finish: wait until none is left.
      while (inFlight.size > 0) await Promise.allSettled([...inFlight]);
      await digestChain;
      if (started) for (const adapter of adapters.values()) await adapter.disconnect();
      started = false;
    },
    handleMessage,
    runDueDigests,
    async previewDigests(preview) {
      const style = preview.style ?? 'text';
      const snap = await takeSnapshot(store, plan, preview.asOf, calendar, horizonDays);
      const units = preview.units ?? assignedUnits(snap);
      const out: DigestPreview[] = [];
      for (const unit of units) {
        const { message, mentions } = await digestFor({ kind: 'unit', unit, platform: '' }, snap, style, true);
        out.push({ kind: 'unit', unit, message, mentions });
      }
      if (preview.admin !== false) {
        const { message } = await digestFor({ kind: 'admin', unit: null, platform: '' }, snap, style);
        out.push({ kind: 'admin', unit: null, message, mentions: [] });
      }
      return out;
    },
    nextDigestAt(now: Date = clock()) {
      return nextDigestTime(now, schedule, calendar);
    },
  };
}
