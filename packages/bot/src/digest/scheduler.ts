import { errorText, type Logger } from '../pipeline/shared.js';
import type { DigestRun } from './runner.js';

/** Runs digest passes one at a time, and on a timer while started. */
export interface DigestScheduler {
  /** Runs one pass at `now`; a pass asked for while another runs waits for it. */
  run(now: Date, units: readonly string[] | undefined): Promise<DigestRun>;
  /** Runs a first pass, then one every `tickMs`, unless `stop()` came first. */
  start(): Promise<void>;
  /** Stops the timer (also one a running `start()` would arm) and waits for a running pass. */
  stop(): Promise<void>;
}

/**
 * Leadership among instances sharing one database: only the holder of the lease runs the timed passes
 * (a pass asked for directly with `run` needs none, since each digest is claimed on its own).
 */
export interface SchedulerLease {
  /** Takes or renews the lease at `now`; false while another instance holds it. */
  acquire(now: Date): Promise<boolean>;
  /** Hands the lease back so that another instance takes over at its next tick. */
  release(): Promise<void>;
}

/** Creates the scheduler over a digest pass. */
export function createDigestScheduler(options: {
  pass: (now: Date, units: readonly string[] | undefined) => Promise<DigestRun>;
  clock: () => Date;
  tickMs: number;
  logger: Logger;
  lease?: SchedulerLease;
}): DigestScheduler {
  const { pass, clock, tickMs, logger, lease } = options;
  let started = false;
  let chain: Promise<unknown> = Promise.resolve();
  let timer: ReturnType<typeof setInterval> | undefined;
  // Set by stop(): a start() still awaiting its first pass must not arm the timer afterwards.
  let stopping = false;

  function run(now: Date, units: readonly string[] | undefined): Promise<DigestRun> {
    const next = chain.then(() => pass(now, units));
    chain = next.catch(() => undefined);
    return next;
  }

  async function tick(): Promise<void> {
    try {
      const now = clock();
      if (lease !== undefined && !(await lease.acquire(now))) return;
      await run(now, undefined);
    } catch (error) {
      logger.error({ err: errorText(error) }, 'digest pass failed');
    }
  }

  return {
    run,
    async start() {
      stopping = false;
      started = true;
      await tick();
      if (!stopping) timer = setInterval(() => void tick(), tickMs);
    },
    async stop() {
      stopping = true;
      if (timer !== undefined) clearInterval(timer);
      timer = undefined;
      await chain;
      if (started && lease !== undefined) await lease.release().catch(() => undefined);
      started = false;
    },
  };
}
