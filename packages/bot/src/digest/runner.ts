import type { Plan, WorkingCalendar } from '@zwgk/sdk';
import type { Adapter, Mention, OutgoingMessage } from '../adapter.js';
import { liaisonMentions, type Reply } from '../handlers/context.js';
import { errorText, isRetryable, plainMentions, type Logger, type RenderReply } from '../pipeline/shared.js';
import { reviewCounts } from '../review.js';
import { listUncertainReceipts } from '../store/pending-receipts.js';
import type { OutboxEntry, Store } from '../store/store.js';
import type { Texts } from '../templates/render.js';
import { MentionValue } from '../templates/views.js';
import { assignedUnits, takeSnapshot, type Snapshot } from '../views/build.js';
import { dueDigestWeek, type DigestSchedule } from './schedule.js';
import { adminDigestView, unitDigestView } from './views.js';

/** One digest of a run of {@link DigestRunner.run}. */
export interface DigestDelivery {
  platform: string;
  conversationId: string;
  kind: 'unit' | 'admin';
  unit: string | null;
  error?: string;
  /** The send may have reached the group although it failed (a timeout after the request went out): not repeated. */
  uncertain?: true;
}

/** What a digest run did. */
export interface DigestRun {
  /** The ISO week whose digests were due, or null when none were (before the send time, or a week off). */
  week: string | null;
  /** Outbox entries created by this run. */
  enqueued: number;
  sent: DigestDelivery[];
  /** Failed sends: retried on a later run while the failure is retryable, marked `failed` at once otherwise. */
  failed: DigestDelivery[];
  /** Entries left pending because no adapter of their platform is connected. */
  skipped: DigestDelivery[];
  /**
   * Digests (of any week) found interrupted inside their own request by a sender that stopped: marked
   * failed as uncertain by this run's recovery, never sent again. Also listed in `failed` when of this week.
   */
  uncertain: DigestDelivery[];
}

/** A send whose claim was taken over before its request left: nothing was sent, the new holder sends it. */
class ClaimLost extends Error {}

/** A digest, for previews (`zwgk digest --dry-run`): the neutral message, which an adapter would render. */
export interface DigestPreview {
  kind: 'unit' | 'admin';
  unit: string | null;
  message: OutgoingMessage;
  mentions: Mention[];
}

/** What became of one digest handed to {@link DigestWork.send}. */
export type DigestOutcome =
  | { status: 'sent'; delivery: DigestDelivery }
  | { status: 'failed'; delivery: DigestDelivery; retry: boolean }
  /** No adapter of its platform: the claim is handed back (pending again). */
  | { status: 'skipped'; delivery: DigestDelivery }
  /** The claim was taken over before the request left, or the group is no longer bound as queued: nothing sent. */
  | { status: 'dropped'; delivery: DigestDelivery };

/**
 * One county's weekly digests as steps, for a scheduler that sends the digests of many counties (one
 * per process, every tenant's): which week is due, queue the bound groups, claim, send one. Every step
 * goes through the county's outbox, so several processes doing the same send each digest once.
 */
export interface DigestWork {
  /** The ISO week whose digests are due at `now`, or null (before the send time, or a week off). */
  dueWeek(now: Date): string | null;
  /** Queues the digest of every bound group for `week` (once: those queued already are skipped); returns how many were added. */
  enqueue(week: string, now: Date): Promise<number>;
  /** How many digests of `week` wait for a sender. */
  waiting(week: string, now: Date): Promise<number>;
  /** Claims up to `limit` digests of `week` for `holder` (a sender whose liveness is its lease), oldest first. */
  claim(week: string, limit: number, holder: string, now: Date): Promise<OutboxEntry[]>;
  /** Sends one claimed digest (claimed at `claimedAt`): the digest of its group as of `asOf`. */
  send(entry: OutboxEntry, claimedAt: Date, asOf: Date): Promise<DigestOutcome>;
  /** Settles the claims of senders not in `live` (requeued, or uncertain when their request had started); returns the uncertain ones. */
  recover(now: Date, live: readonly string[]): Promise<DigestDelivery[]>;
}

/** Sends the weekly digests through the outbox, and renders them for previews. */
export interface DigestRunner {
  run(now: Date, units: readonly string[] | undefined): Promise<DigestRun>;
  /** The same sending, step by step, for a scheduler shared by many counties. */
  work: DigestWork;
  preview(options: { asOf: Date; units?: readonly string[]; admin?: boolean }): Promise<DigestPreview[]>;
  /** One unit's digest as of `now`, mentioning its liaisons on `platform` (to update a digest after a tap). */
  unitDigest(unit: string, platform: string, now: Date): Promise<OutgoingMessage>;
}

/** Everything the digest runner needs from the engine. */
export interface DigestRunnerDeps {
  /** The county's review (复核) counts in words for the admin digest (omitted: no such line). */
  reviewLine?: (counts: { pending: number; accepted: number; returned: number }) => string;
  /** Whether the rubric counts only accepted confirmations: then the line shows before the first review too. */
  reviewRequired?: boolean;
  store: Store;
  plan: Plan;
  calendar: WorkingCalendar;
  schedule: DigestSchedule;
  horizonDays: number;
  staleClaimMs: number;
  /** Digests sent at once by one pass (default 1: one after the other). */
  concurrency?: number;
  adapters: ReadonlyMap<string, Adapter>;
  render: RenderReply;
  /** The text catalogue (digest titles). */
  texts: Texts;
  clock: () => Date;
  logger: Logger;
}

/** Creates the digest runner (see {@link DigestRunner}). */
export function createDigestRunner(deps: DigestRunnerDeps): DigestRunner {
  const { store, plan, calendar, schedule, horizonDays, staleClaimMs, adapters, render, texts, clock, logger } = deps;
  const concurrency = deps.concurrency ?? 1;

  async function boundUnitSet(): Promise<Set<string>> {
    return new Set((await store.listGroups()).flatMap((g) => (g.kind === 'unit' ? [g.unit] : [])));
  }

  /** The office's list of sends that may or may not have arrived: digests of any week, receipts of the last 7 days. */
  async function uncertainSends(now: Date): Promise<Array<{ what: string; where: string; at: string }>> {
    const names = new Map((await store.listGroups()).map((g) => [`${g.platform}:${g.conversationId}`, g.kind === 'unit' ? g.unit : texts('group.adminName')]));
    const where = (platform: string, cid: string) => names.get(`${platform}:${cid}`) ?? cid;
    const digests = (await store.outbox.listUncertain()).map((e) => ({ what: texts('uncertain.digest', { week: e.week }), where: where(e.platform, e.conversationId), at: e.sendStartedAt ?? e.createdAt }));
    const receipts = (await listUncertainReceipts(store, new Date(now.getTime() - 7 * 86_400_000))).map((r) => ({
      what: texts('uncertain.receipt', { command: r.command }),
      where: where(r.platform, r.conversationId),
      at: r.replyStartedAt,
    }));
    return [...digests, ...receipts];
  }

  async function digestFor(
    entry: Pick<OutboxEntry, 'kind' | 'unit' | 'platform'>,
    snap: Snapshot,
    everyPlatform = false,
  ): Promise<{ message: OutgoingMessage; mentions: Mention[] }> {
    if (entry.kind === 'admin' || entry.unit === null) {
      const view = adminDigestView(snap, calendar, horizonDays, await boundUnitSet(), texts('digest.admin.title'));
      // Only once the office reviews (or waits for reviews): a county that never reviews sees no such line.
      if (deps.reviewLine && (deps.reviewRequired || (await store.reviews.list({ year: plan.year })).length > 0)) {
        const counts = await reviewCounts(store, plan);
        if (counts.pending + counts.accepted + counts.returned > 0) view.reviewLine = deps.reviewLine(counts);
      }
      view.uncertain = await uncertainSends(snap.now);
      const reply: Reply = { template: 'digest-admin', view };
      return { message: render(reply), mentions: [] };
    }
    const mentions = everyPlatform
      ? (await store.listLiaisons(entry.unit)).map((l) => new MentionValue(l.userId, l.name))
      : await liaisonMentions(store, entry.unit, entry.platform);
    const reply: Reply = { template: 'digest-unit', view: unitDigestView(entry.unit, snap, calendar, horizonDays, mentions, texts('digest.unit.title', { unit: entry.unit })) };
    return { message: render(reply), mentions: plainMentions(reply) };
  }

  /** Sends one digest whose claim (made at `claimedAt`) this sender holds, and records what became of it. */
  async function sendClaimed(entry: OutboxEntry, claimedAt: Date, snapshot: () => Promise<Snapshot>): Promise<DigestOutcome> {
    const delivery: DigestDelivery = { platform: entry.platform, conversationId: entry.conversationId, kind: entry.kind, unit: entry.unit };
    const adapter = adapters.get(entry.platform);
    if (!adapter) {
      await store.markDigestFailed(entry.id, `no ${entry.platform} connection`, false, claimedAt);
      return { status: 'skipped', delivery };
    }
    const binding = await store.groupOf(entry.platform, entry.conversationId);
    const stillBound = binding !== null && binding.kind === entry.kind && (binding.kind === 'admin' || binding.unit === entry.unit);
    if (!stillBound) {
      await store.markDigestFailed(entry.id, 'the group is no longer bound as it was when the digest was queued', true, claimedAt);
      return { status: 'dropped', delivery };
    }
    try {
      const { message, mentions } = await digestFor(entry, await snapshot());
      const beforeRequest = async (): Promise<void> => {
        if (!(await store.outbox.markStarted(entry.id, clock(), claimedAt))) throw new ClaimLost('the digest was claimed by another sender before its request left');
      };
      await adapter.send(entry.conversationId, message, { mentions, beforeRequest });
      if (!(await store.markDigestSent(entry.id, clock(), claimedAt))) {
        logger.warn({ week: entry.week, conversationId: entry.conversationId, unit: entry.unit }, 'digest sent after its claim was taken over');
      }
      return { status: 'sent', delivery };
    } catch (error) {
      if (error instanceof ClaimLost) return { status: 'dropped', delivery };
      // A failure that says it cannot pass (a refused group, bad credentials) is final, and so is an
      // uncertain send (it may have arrived: repeating it could send the digest twice); any other is retried on a later pass.
      const uncertain = (error as { uncertain?: unknown } | null)?.uncertain === true;
      const giveUp = uncertain || !isRetryable(error);
      const text = uncertain ? `uncertain: ${errorText(error)}` : errorText(error);
      await store.markDigestFailed(entry.id, text, giveUp, claimedAt);
      logger.warn({ err: text, week: entry.week, conversationId: entry.conversationId, unit: entry.unit, giveUp, uncertain }, 'digest send failed');
      return { status: 'failed', delivery: uncertain ? { ...delivery, error: text, uncertain: true } : { ...delivery, error: text }, retry: !giveUp };
    }
  }

  // The snapshot the shared scheduler's sends use: one per week, taken again once older than a minute (a
  // county's digests go out over minutes when many counties share the send rate).
  let shared: { week: string; at: number; snap: Promise<Snapshot> } | undefined;
  const SNAPSHOT_MAX_AGE_MS = 60_000;
  const work: DigestWork = {
    dueWeek: (now) => dueDigestWeek(now, schedule, calendar)?.week ?? null,
    enqueue: (week, now) => store.outbox.enqueueBound(week, now),
    waiting: (week, now) => store.outbox.countClaimable({ week }, new Date(now.getTime() - staleClaimMs)),
    claim: (week, limit, holder, now) => store.outbox.claimBatch({ week, limit, holder }, now, new Date(now.getTime() - staleClaimMs)),
    send(entry, claimedAt, asOf) {
      return sendClaimed(entry, claimedAt, () => {
        if (!shared || shared.week !== entry.week || asOf.getTime() - shared.at > SNAPSHOT_MAX_AGE_MS || asOf.getTime() < shared.at) {
          const snap = takeSnapshot(store, plan, asOf, calendar, horizonDays, texts);
          // A failed snapshot is not kept: the next send takes it again.
          snap.catch(() => {
            if (shared?.snap === snap) shared = undefined;
          });
          shared = { week: entry.week, at: asOf.getTime(), snap };
        }
        return shared.snap;
      });
    },
    async recover(now, live) {
      const recovered = await store.outbox.recoverAbandoned(now, live);
      return recovered.uncertain.map((e) => {
        logger.warn({ week: e.week, conversationId: e.conversationId, unit: e.unit, startedAt: e.sendStartedAt }, 'digest send interrupted inside its request: uncertain, not sent again');
        return { platform: e.platform, conversationId: e.conversationId, kind: e.kind, unit: e.unit, error: e.lastError ?? '', uncertain: true as const };
      });
    },
  };

  async function run(now: Date, only: readonly string[] | undefined): Promise<DigestRun> {
    const due = dueDigestWeek(now, schedule, calendar);
    const result: DigestRun = { week: due?.week ?? null, enqueued: 0, sent: [], failed: [], skipped: [], uncertain: [] };
    // Rows a stopped sender left behind: never-started claims are sent again, started ones are uncertain.
    const recovered = await store.outbox.recoverInterrupted(clock());
    for (const e of recovered.uncertain) {
      const delivery: DigestDelivery = { platform: e.platform, conversationId: e.conversationId, kind: e.kind, unit: e.unit, error: e.lastError ?? '', uncertain: true };
      result.uncertain.push(delivery);
      if (e.week === due?.week) result.failed.push(delivery);
      logger.warn({ week: e.week, conversationId: e.conversationId, unit: e.unit, startedAt: e.sendStartedAt }, 'digest send interrupted inside its request: uncertain, not sent again');
    }
    if (!due) return result;
    const wanted = (kind: 'unit' | 'admin', unit: string | null) => only === undefined || (kind === 'unit' && unit !== null && only.includes(unit));
    for (const g of await store.listGroups()) {
      const unit = g.kind === 'unit' ? g.unit : null;
      if (!wanted(g.kind, unit)) continue;
      if (await store.enqueueDigest({ week: due.week, platform: g.platform, conversationId: g.conversationId, kind: g.kind, unit }, now)) result.enqueued++;
    }
    const staleBefore = new Date(now.getTime() - staleClaimMs);
    const entries = (await store.listOutbox({ week: due.week })).filter(
      (e) => (e.status === 'pending' || e.status === 'sending') && wanted(e.kind, e.unit),
    );
    let snap: Promise<Snapshot> | undefined;
    // One snapshot per pass, shared by the lanes.
    const snapshot = () => (snap ??= takeSnapshot(store, plan, now, calendar, horizonDays, texts));
    // Several lanes send at once (digest.concurrency): each claims its own rows, so no digest goes twice.
    const lanes = Math.max(1, Math.min(concurrency, entries.length));
    const sendLane = async (lane: number): Promise<void> => {
      for (const entry of entries.filter((_, n) => n % lanes === lane)) {
        if (!adapters.has(entry.platform)) {
          result.skipped.push({ platform: entry.platform, conversationId: entry.conversationId, kind: entry.kind, unit: entry.unit });
          continue;
        }
        // Claim before anything else: only the holder of the claim may change the row (see markDigestSent).
        if (!(await store.claimDigest(entry.id, now, staleBefore))) continue;
        const outcome = await sendClaimed(entry, now, snapshot);
        if (outcome.status === 'sent') result.sent.push(outcome.delivery);
        else if (outcome.status === 'failed') result.failed.push(outcome.delivery);
      }
    };
    await Promise.all(Array.from({ length: lanes }, (_, lane) => sendLane(lane)));
    if (result.sent.length > 0 || result.failed.length > 0) {
      logger.info({ week: due.week, sent: result.sent.length, failed: result.failed.length, skipped: result.skipped.length }, 'weekly digests');
    }
    return result;
  }

  async function preview(options: { asOf: Date; units?: readonly string[]; admin?: boolean }): Promise<DigestPreview[]> {
    const snap = await takeSnapshot(store, plan, options.asOf, calendar, horizonDays, texts);
    const units = options.units ?? assignedUnits(snap);
    const out: DigestPreview[] = [];
    for (const unit of units) {
      const { message, mentions } = await digestFor({ kind: 'unit', unit, platform: '' }, snap, true);
      out.push({ kind: 'unit', unit, message, mentions });
    }
    if (options.admin !== false) {
      const { message } = await digestFor({ kind: 'admin', unit: null, platform: '' }, snap);
      out.push({ kind: 'admin', unit: null, message, mentions: [] });
    }
    return out;
  }

  async function unitDigest(unit: string, platform: string, now: Date): Promise<OutgoingMessage> {
    const snap = await takeSnapshot(store, plan, now, calendar, horizonDays, texts);
    return (await digestFor({ kind: 'unit', unit, platform }, snap)).message;
  }

  return { run, work, preview, unitDigest };
}
