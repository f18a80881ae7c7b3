import { CompiledQuery } from 'kysely';
import type { Store } from '../store/store.js';
import { decide, type Decision } from './transaction.js';

/** Runs units of work so that those arriving together share one commit (see {@link createGroupCommit}). */
export interface GroupCommit {
  /**
   * Runs `work` in a store transaction and commits or drops its writes as it decides, like `decide`;
   * resolves (or rejects with the work's error) only once the transaction it ran in has committed or
   * rolled back. When that commit fails, every unit of work in it rejects and none of their writes stays.
   */
  run<T>(work: (tx: Store) => Promise<Decision<T>>, options?: RunOptions): Promise<T>;
}

/** Options of one {@link GroupCommit.run}. */
export interface RunOptions {
  /**
   * The work may wait for company: it starts no commit of its own but joins the next one other work
   * starts, or commits on its own after {@link DEFERRED_MS} (default false). For bookkeeping that nothing
   * waits on, such as noting that a reply went out: it saves one blocking fsync per message under load.
   */
  deferrable?: boolean;
}

/** Options of {@link createGroupCommit}. */
export interface GroupCommitOptions {
  /**
   * How many units of work are under way (queued here or yet to be), e.g. messages being handled: while
   * there are more than the queue holds, a batch lingers for them (default: never).
   */
  busy?: () => number;
}

interface Queued {
  deferrable: boolean;
  work: (tx: Store) => Promise<Decision<unknown>>;
  resolve: (value: unknown) => void;
  reject: (error: unknown) => void;
}

/** The longest a deferrable unit of work waits for company before it commits on its own. */
export const DEFERRED_MS = 100;

/** Most units of work in one transaction. */
const MAX_BATCH = 64;

/** The linger while other work is under way: half the last commit's time (a slow disk makes waiting for company cheap), within these bounds. */
const LINGER_MIN_MS = 1;
const LINGER_MAX_MS = 10;

const SAVEPOINT = CompiledQuery.raw('savepoint unit_of_work');
const ROLLBACK_TO = CompiledQuery.raw('rollback to savepoint unit_of_work');
const RELEASE = CompiledQuery.raw('release savepoint unit_of_work');

/**
 * Group commit for the SQLite store. A commit there is one `fsync` (`synchronous = FULL`) that blocks
 * the process, and the single connection runs one transaction at a time anyway: the units of work that
 * arrive together wait for the next turn of the event loop (while more are under way, half a commit's time
 * more, 1–10 ms)
 * and then run in one transaction, each inside a savepoint of its own, so that one unit's rollback (or
 * throw) drops only its own writes. Nobody learns the outcome before the commit: what is acknowledged is on disk.
 *
 * On PostgreSQL (a pool of connections, several processes) each unit keeps a transaction of its own.
 *
 * @example
 * const commits = createGroupCommit(store);
 * const value = await commits.run(async (tx) => commit(await tx.inbox.markReplied('dingtalk', 'm1', now)));
 */
export function createGroupCommit(store: Store, options: GroupCommitOptions = {}): GroupCommit {
  if (store.dialect !== 'sqlite') return { run: (work) => decide(store, work) };
  const queue: Queued[] = [];
  let scheduled = false;
  let deferredTimer: ReturnType<typeof setTimeout> | undefined;
  let lastCommitMs = 0;

  async function runBatch(batch: Queued[]): Promise<void> {
    if (batch.length === 1) {
      // Alone: its own transaction, without savepoints.
      const [item] = batch as [Queued];
      await decide(store, item.work).then(item.resolve, item.reject);
      return;
    }
    const outcomes: Array<() => void> = [];
    try {
      await store.transaction(async (tx) => {
        for (const item of batch) {
          await tx.db.executeQuery(SAVEPOINT);
          let decision: Decision<unknown> | undefined;
          let failure: { error: unknown } | undefined;
          try {
            decision = await item.work(tx);
          } catch (error) {
            failure = { error };
          }
          // A failing rollback leaves the transaction in doubt: it throws, and the whole batch rolls back.
          if (!decision?.commit) await tx.db.executeQuery(ROLLBACK_TO);
          await tx.db.executeQuery(RELEASE);
          if (failure) outcomes.push(() => item.reject(failure.error));
          else outcomes.push(() => item.resolve(decision?.value));
        }
      });
    } catch (error) {
      for (const item of batch) item.reject(error);
      return;
    }
    for (const settle of outcomes) settle();
  }

  async function flush(): Promise<void> {
    clearTimeout(deferredTimer);
    deferredTimer = undefined;
    const started = performance.now();
    let batches = 0;
    try {
      while (queue.length > 0) {
        batches++;
        await runBatch(queue.splice(0, MAX_BATCH));
      }
    } finally {
      lastCommitMs = (performance.now() - started) / Math.max(1, batches);
      scheduled = false;
      if (queue.some((item) => !item.deferrable)) schedule();
      else if (queue.length > 0) scheduleDeferred();
    }
  }

  /** Only deferrable work waits: commit it after a while unless other work starts a commit first. */
  function scheduleDeferred(): void {
    deferredTimer ??= setTimeout(() => {
      deferredTimer = undefined;
      if (!scheduled) {
        scheduled = true;
        void flush();
      }
    }, DEFERRED_MS);
  }

  function schedule(): void {
    scheduled = true;
    // Idle: commit after this turn's I/O callbacks (messages read from a socket together join one batch).
    // Other work under way that will want a commit soon (messages being handled, replies on their way):
    // linger a little so that one fsync covers them too (PostgreSQL's commit_delay, here only under load).
    // A lone conversation waiting for each answer before its next message gains nothing from waiting.
    if ((options.busy?.() ?? 0) > queue.length) {
      setTimeout(() => void flush(), Math.min(LINGER_MAX_MS, Math.max(LINGER_MIN_MS, lastCommitMs / 2)));
    } else setImmediate(() => void flush());
  }

  return {
    run<T>(work: (tx: Store) => Promise<Decision<T>>, runOptions: RunOptions = {}): Promise<T> {
      return new Promise<T>((resolve, reject) => {
        const deferrable = runOptions.deferrable === true;
        queue.push({ deferrable, work, resolve: resolve as (value: unknown) => void, reject });
        if (scheduled) return;
        if (deferrable) scheduleDeferred();
        else schedule();
      });
    },
  };
}
