import { randomUUID } from 'node:crypto';
import type { DigestWork } from '../digest/runner.js';
import { errorText, silentLogger, type Logger } from '../pipeline/shared.js';
import type { LeaseRepository } from '../store/repositories/leases.js';

/** The lease whose holder queues the due digests and settles the claims of senders that are gone. */
export const DIGEST_SCHEDULER_LEASE = 'digest-scheduler';
/** Each running sender's own lease, `digest-sender:<holder>`: it is alive while the lease is renewed. */
export const DIGEST_SENDER_LEASE_PREFIX = 'digest-sender:';

/** Counties a tick looks at at once. */
const SCAN_PARALLEL = 3;

/** Runs `fn` for every county, SCAN_PARALLEL at a time: a tick ends sooner than one county after the other, without taking every connection of the pool. */
async function inTurns<T>(items: readonly T[], fn: (item: T, position: number) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const position = next++;
      await fn(items[position]!, position);
    }
  };
  await Promise.all(Array.from({ length: SCAN_PARALLEL }, worker));
}

/** Options of {@link createSharedDigestScheduler}. */
export interface SharedDigestSchedulerOptions {
  /** Where the leases are kept: the deployment's own store (its `leases`), shared by every instance. */
  leases: Pick<LeaseRepository, 'acquire' | 'release' | 'live'>;
  /** How often it looks for due digests and renews its leases, in ms. */
  tickMs: number;
  /** Digests this process sends at once, across every county (default 4). */
  concurrency?: number;
  /** A lease not renewed for this long is another instance's to take, in ms (default 3 × `tickMs`). */
  leaseMs?: number;
  /** This instance's name as holder of the scheduler's lease (default a random UUID). */
  instanceId?: string;
  /** A county is looked at (its newly bound groups queued, its waiting digests counted) every this many ticks (default 5). */
  idleTicks?: number;
  clock?: () => Date;
  logger?: Logger;
}

/** One digest scheduler for every county of a process (see {@link createSharedDigestScheduler}). */
export interface SharedDigestScheduler {
  /** Adds (or replaces) a county's digests; it is looked at from the next tick on. */
  add(id: string, work: DigestWork): void;
  /** Takes a county out (its digests in hand are still finished). */
  remove(id: string): void;
  /** Runs a first tick, then one every `tickMs`, with the sending lanes between them. */
  start(): Promise<void>;
  /** Stops ticking and sending, waits for the sends in hand, hands the leases back. */
  stop(): Promise<void>;
  /** One tick now: renew the leases, queue the due digests (lease holder), settle abandoned claims (lease holder), find the counties with digests waiting. */
  tick(): Promise<void>;
  /** Resolves once no county has a digest waiting that this process knows of and no send is in hand. */
  idle(): Promise<void>;
  /** This process's name as a sender (its lease is `digest-sender:<holder>`). */
  readonly holder: string;
}

interface County {
  id: string;
  work: DigestWork;
  week: string | null;
  /** Digests are waiting: the lanes claim from it. */
  busy: boolean;
  /** Ticks to skip before it is looked at again. */
  skip: number;
  /** Looked at once already. */
  scanned: boolean;
}

/**
 * One digest scheduler per process for every county (tenant) it serves, instead of one per county: a
 * fixed number of sending lanes (`concurrency`) take the counties in turn (one digest of one county, then
 * the next county's), so no county waits behind another's whole week and the app's shared send rate stays
 * busy. Every digest is claimed in its county's outbox (`FOR UPDATE SKIP LOCKED` on PostgreSQL) under this
 * process's sender name, so several instances on one database share the week's digests without doubles.
 * Each instance renews a lease of its own (`digest-sender:<holder>`); the holder of the lease
 * `digest-scheduler` queues the due digests of every county and settles the claims of senders whose lease
 * lapsed (a process killed mid-send): not started → sent again, started → marked uncertain, never repeated.
 * A county added while running (`add`) gets its digests from the next tick.
 *
 * @example
 * const scheduler = createSharedDigestScheduler({ leases: defaultStore.leases, tickMs: 60_000, concurrency: 4 });
 * scheduler.add('qinyuan', bot.digestWork); // a bot created with digest.shared: true
 * await scheduler.start();
 */
export function createSharedDigestScheduler(options: SharedDigestSchedulerOptions): SharedDigestScheduler {
  const { leases, tickMs } = options;
  const clock = options.clock ?? (() => new Date());
  const logger = options.logger ?? silentLogger;
  const leaseMs = options.leaseMs ?? 3 * tickMs;
  const concurrency = Math.max(1, options.concurrency ?? 4);
  const idleTicks = Math.max(1, options.idleTicks ?? 5);
  const instanceId = options.instanceId ?? randomUUID();
  // Unique per run, so that a restarted instance of the same name does not count its predecessor's claims as its own.
  const holder = `${instanceId}:${randomUUID().slice(0, 8)}`;
  const senderLease = `${DIGEST_SENDER_LEASE_PREFIX}${holder}`;

  const counties = new Map<string, County>();
  let order: County[] = [];
  let cursor = 0;
  let running = false;
  let leader = false;
  let liveBefore = new Set<string>();
  let ticksSinceRecovery = 0;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let ticking: Promise<void> = Promise.resolve();
  let lanes: Promise<void>[] = [];
  let inHand = 0;
  let sleepers: Array<() => void> = [];
  let waiting: Array<() => void> = [];

  const rebuild = () => {
    order = [...counties.values()];
  };
  /** Wakes every lane waiting for work. */
  const wakeAll = () => {
    const s = sleepers;
    sleepers = [];
    for (const f of s) f();
  };
  const settleIdle = () => {
    if (inHand === 0 && !order.some((c) => c.busy)) {
      const w = waiting;
      waiting = [];
      for (const f of w) f();
    }
  };

  /** The next county with digests waiting, in turn after the last one served; null when none has any. */
  function nextBusy(): County | null {
    for (let n = 0; n < order.length; n++) {
      const c = order[(cursor + n) % order.length]!;
      if (c.busy && c.week !== null) {
        cursor = (cursor + n + 1) % order.length;
        return c;
      }
    }
    return null;
  }

  async function lane(): Promise<void> {
    while (running) {
      const county = nextBusy();
      if (!county) {
        settleIdle();
        await new Promise<void>((resolve) => sleepers.push(resolve));
        continue;
      }
      const week = county.week!;
      inHand++;
      try {
        const claimedAt = clock();
        const [entry] = await county.work.claim(week, 1, holder, claimedAt);
        if (!entry) {
          county.busy = false;
          continue;
        }
        const outcome = await county.work.send(entry, claimedAt, claimedAt);
        // A digest that failed and will be retried, or one whose platform is not connected, waits for the next tick instead of being claimed again at once.
        if ((outcome.status === 'failed' && outcome.retry) || outcome.status === 'skipped') county.busy = false;
      } catch (error) {
        county.busy = false;
        logger.error({ tenant: county.id, err: errorText(error) }, 'digest send failed');
      } finally {
        inHand--;
      }
    }
  }

  async function scan(county: County, position: number, now: Date, starving: boolean): Promise<void> {
    const week = county.work.dueWeek(now);
    const changed = week !== county.week;
    county.week = week;
    if (week === null) {
      county.busy = false;
      return;
    }
    // A county is looked at every idleTicks ticks (at once when its week turns): the ticks of a hundred
    // counties would otherwise cost more database round trips than their sends. The first look is spread
    // over the ticks, so that the looks do not all fall on the same tick.
    // Lanes with nothing to send look at every county with nothing waiting at once.
    if (county.skip > 0 && !changed && !(starving && !county.busy)) {
      county.skip--;
      return;
    }
    county.skip = county.scanned ? idleTicks - 1 : position % idleTicks;
    county.scanned = true;
    // The lease holder queues the groups bound since (their digests are due too); the lanes find out by claiming.
    const added = leader ? await county.work.enqueue(week, now) : 0;
    // The lanes are woken once the tick has looked at every county, so that they take the counties found in turn.
    if (!county.busy) county.busy = added > 0 || (await county.work.waiting(week, now)) > 0;
  }

  async function tick(): Promise<void> {
    const now = clock();
    try {
      await leases.acquire(senderLease, holder, now, leaseMs);
      const wasLeader = leader;
      leader = await leases.acquire(DIGEST_SCHEDULER_LEASE, instanceId, now, leaseMs);
      if (leader) {
        const live = new Set((await leases.live(DIGEST_SENDER_LEASE_PREFIX, now)).map((l) => l.holder));
        live.add(holder);
        // Claims are settled when a sender's lease lapsed (or this instance just took the lead, not knowing who was there), and now and then anyway.
        const lost = [...liveBefore].some((h) => !live.has(h));
        if (!wasLeader || lost || ++ticksSinceRecovery >= 10 * idleTicks) {
          ticksSinceRecovery = 0;
          await inTurns(order, async (county) => {
            try {
              const uncertain = await county.work.recover(now, [...live]);
              if (uncertain.length > 0) logger.warn({ tenant: county.id, uncertain: uncertain.length }, 'digests interrupted inside their request: uncertain, not sent again');
            } catch (error) {
              logger.error({ tenant: county.id, err: errorText(error) }, 'digest claims could not be settled');
            }
          });
        }
        liveBefore = live;
      }
    } catch (error) {
      logger.error({ err: errorText(error) }, 'digest leases could not be renewed');
      return;
    }
    const starving = !order.some((c) => c.busy);
    await inTurns(order, async (county, position) => {
      try {
        await scan(county, position, now, starving);
      } catch (error) {
        county.busy = false;
        logger.error({ tenant: county.id, err: errorText(error) }, 'due digests could not be queued');
      }
    });
    if (order.some((c) => c.busy)) wakeAll();
    settleIdle();
  }

  function runTick(): Promise<void> {
    ticking = ticking.then(tick);
    return ticking;
  }

  function arm(): void {
    timer = setTimeout(() => {
      void runTick().finally(() => {
        if (running) arm();
      });
    }, tickMs);
    timer.unref?.();
  }

  return {
    holder,
    add(id, work) {
      const had = counties.get(id);
      counties.set(id, { id, work, week: null, busy: false, skip: 0, scanned: false });
      if (!had) rebuild();
      else order = order.map((c) => (c.id === id ? counties.get(id)! : c));
    },
    remove(id) {
      if (counties.delete(id)) rebuild();
    },
    async start() {
      if (running) return;
      running = true;
      lanes = Array.from({ length: concurrency }, () => lane());
      await runTick();
      if (running) arm();
    },
    async stop() {
      if (!running) return;
      running = false;
      if (timer !== undefined) clearTimeout(timer);
      timer = undefined;
      await ticking.catch(() => undefined);
      // Every lane waiting for work is let go; the others finish the digest in hand.
      wakeAll();
      await Promise.all(lanes);
      lanes = [];
      settleIdle();
      await leases.release(senderLease, holder).catch(() => false);
      if (leader) await leases.release(DIGEST_SCHEDULER_LEASE, instanceId).catch(() => false);
      leader = false;
    },
    tick: runTick,
    idle() {
      if (inHand === 0 && !order.some((c) => c.busy)) return Promise.resolve();
      return new Promise<void>((resolve) => waiting.push(resolve));
    },
  };
}
