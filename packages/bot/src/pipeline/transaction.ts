import type { Store } from '../store/store.js';

/** What a unit of work decided: keep its writes, or drop them; either way it hands back a value. */
export type Decision<T> = { commit: true; value: T } | { commit: false; value: T };

/** Keep the writes of the transaction. */
export const commit = <T>(value: T): Decision<T> => ({ commit: true, value });
/** Drop the writes of the transaction (a read-only answer, a refusal, a message already handled). */
export const rollback = <T>(value: T): Decision<T> => ({ commit: false, value });

const ROLLED_BACK = Symbol('rolled back');
interface RolledBack {
  [ROLLED_BACK]: true;
  value: unknown;
}

function isRolledBack(error: unknown): error is RolledBack {
  return error !== null && typeof error === 'object' && ROLLED_BACK in error;
}

/**
 * Runs `work` in one store transaction and commits or rolls back as `work` decides, returning its value.
 * A throw from `work` still rolls back and rethrows (that is an error, not a decision).
 *
 * `Store.transaction` (Kysely) rolls back only on a throw, so a rollback decision travels as a private
 * value that never leaves this function.
 */
export async function decide<T>(store: Store, work: (tx: Store) => Promise<Decision<T>>): Promise<T> {
  try {
    return await store.transaction(async (tx) => {
      const decision = await work(tx);
      if (!decision.commit) throw { [ROLLED_BACK]: true, value: decision.value } satisfies RolledBack;
      return decision.value;
    });
  } catch (error) {
    if (isRolledBack(error)) return error.value as T;
    throw error;
  }
}
