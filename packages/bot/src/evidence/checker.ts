import type { FlaggedEvidenceCheck, StoredEvidenceCheck } from '../store/repositories/evidence-checks.js';
import { isFlagged } from '../store/repositories/evidence-checks.js';
import type { Store } from '../store/store.js';
import type { Logger } from '../pipeline/shared.js';
import { checkLink } from './check-link.js';
import type { EvidenceSettings } from './options.js';

/** What one pass of the checker did. */
export interface EvidenceCheckRun {
  /** Checks that got a result in this pass. */
  checked: number;
  /** Of those, the ones that need the office's attention. */
  flagged: number;
}

/** The background evidence checker of a bot (see {@link createEvidenceChecker}). */
export interface EvidenceChecker {
  /** Starts a pass over the pending checks unless one is running; returns at once (the message path never waits). */
  kick(): void;
  /** Runs the pending checks now (joining a running pass) and resolves when none is left. */
  runPending(): Promise<EvidenceCheckRun>;
  /** Resolves when no pass is running. */
  idle(): Promise<void>;
  /** Lets the running pass finish its current checks and starts no other until `resume`. */
  stop(): Promise<void>;
  /** Undoes `stop` and starts a pass over the pending checks (at start-up: checks requested before a crash resume). */
  resume(): void;
}

/** What the checker needs. */
export interface EvidenceCheckerDeps {
  store: Store;
  settings: EvidenceSettings;
  clock: () => Date;
  logger: Logger;
  /**
   * Tells the office about failing links (new ones only, each once). Called after the checks are marked
   * notified, so that two processes never both announce one; a notice that fails is not repeated, the
   * link stays listed in the admin overview.
   */
  notify?: (flagged: FlaggedEvidenceCheck[]) => Promise<void>;
  /** Checks one link (default {@link checkLink}). */
  check?: typeof checkLink;
}

/**
 * Creates the background checker of evidence links: it claims pending checks (written with their
 * confirmations, so a crash loses none — `runPending` at start-up resumes them), checks `concurrency`
 * links at a time, stores each result, and hands the new failing ones to `notify`.
 */
export function createEvidenceChecker(deps: EvidenceCheckerDeps): EvidenceChecker {
  const { store, settings, clock, logger } = deps;
  const check = deps.check ?? checkLink;
  let running: Promise<EvidenceCheckRun> | null = null;
  let again = false;
  let stopped = false;

  async function checkOne(row: StoredEvidenceCheck): Promise<boolean> {
    const outcome = await check(row.url, settings);
    const stored = await store.evidenceChecks.complete(row.id, outcome, clock());
    return stored && isFlagged(outcome.result);
  }

  async function announce(): Promise<void> {
    if (!deps.notify) return;
    const fresh = await store.evidenceChecks.flagged({ unnotified: true });
    if (fresh.length === 0) return;
    await store.evidenceChecks.markNotified(fresh.map((f) => f.id), clock());
    try {
      await deps.notify(fresh);
    } catch (error) {
      logger.warn({ err: error instanceof Error ? error.message : String(error), links: fresh.length }, 'evidence-check notice failed');
    }
  }

  async function pass(): Promise<EvidenceCheckRun> {
    const run: EvidenceCheckRun = { checked: 0, flagged: 0 };
    do {
      again = false;
      while (!stopped) {
        const now = clock();
        const batch = await store.evidenceChecks.claim(settings.concurrency, now, new Date(now.getTime() - settings.staleClaimMs));
        if (batch.length === 0) break;
        const results = await Promise.all(batch.map(checkOne));
        run.checked += batch.length;
        run.flagged += results.filter(Boolean).length;
      }
      if (!stopped) await announce();
    } while (again && !stopped);
    if (run.checked > 0) logger.info({ ...run }, 'evidence links checked');
    return run;
  }

  function start(): Promise<EvidenceCheckRun> {
    if (running) {
      again = true;
      return running;
    }
    running = pass()
      .catch((error: unknown) => {
        logger.error({ err: error instanceof Error ? error.message : String(error) }, 'evidence checks failed');
        return { checked: 0, flagged: 0 };
      })
      .finally(() => {
        running = null;
      });
    return running;
  }

  return {
    kick() {
      if (!stopped) void start();
    },
    async runPending() {
      stopped = false;
      const first = await start();
      // A pass that was already running may have missed checks requested meanwhile.
      if (await store.evidenceChecks.pendingCount()) {
        const more = await start();
        return { checked: first.checked + more.checked, flagged: first.flagged + more.flagged };
      }
      return first;
    },
    async idle() {
      while (running) await running;
    },
    async stop() {
      stopped = true;
      while (running) await running;
    },
    resume() {
      stopped = false;
      void start();
    },
  };
}
