/**
 * Why a store operation failed, as {@link StoreError.code} names it: `busy` (SQLite: another process held
 * the write lock past the busy timeout), `conflict` (PostgreSQL: serialization failure or deadlock, the
 * transaction was rolled back), `unavailable` (PostgreSQL: the connection was refused or lost).
 */
export type StoreErrorCode = 'busy' | 'conflict' | 'unavailable';

/**
 * A store operation that failed for a reason worth telling apart from a bug. `code: 'busy'` means
 * another process (e.g. `zwgk liaison add` next to `zwgk start`) held the database's write lock for
 * longer than the busy timeout: nothing was written, and the same operation may succeed when tried
 * again, so `retryable` is true. On PostgreSQL, `conflict` (serialization failure 40001, deadlock
 * 40P01) and `unavailable` (connection refused, reset or terminated) are retryable too. A message
 * whose handling failed this way should be left unacknowledged for the platform to redeliver, not
 * answered with an apology.
 *
 * @example
 * try {
 *   await store.transaction(async (tx) => tx.admins.add(who, ctx));
 * } catch (error) {
 *   if (isRetryableStoreError(error)) return leaveUnacknowledged();
 *   throw error;
 * }
 */
export class StoreError extends Error {
  override readonly name = 'StoreError';
  /** What went wrong: `busy`, `conflict` or `unavailable` (see {@link StoreErrorCode}). */
  readonly code: StoreErrorCode;
  /** True when trying the same operation again may succeed. */
  readonly retryable: boolean;

  constructor(code: StoreErrorCode, message: string, options: { retryable: boolean; cause?: unknown }) {
    super(message, { cause: options.cause });
    this.code = code;
    this.retryable = options.retryable;
  }
}

/**
 * True for a {@link StoreError} that may succeed when tried again (the database was busy, a PostgreSQL
 * transaction lost a conflict, or its connection was lost). Works across copies of the package (checks
 * the shape, not the class).
 */
export function isRetryableStoreError(error: unknown): error is StoreError {
  return error instanceof Error && error.name === 'StoreError' && (error as Partial<StoreError>).retryable === true;
}

/** PostgreSQL SQLSTATEs of a transaction rolled back by a conflict with another one. */
const PG_CONFLICT = new Set(['40001', '40P01']);
/** Node socket errors of a connection that could not be made or was cut. */
const SOCKET_ERRORS = new Set(['ECONNREFUSED', 'ECONNRESET', 'EPIPE', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENOTCONN']);

/** The retryable code of a driver error, or null for any other error. */
function transientCode(error: unknown): StoreErrorCode | null {
  const code = (error as { code?: unknown } | null)?.code;
  if (typeof code === 'string') {
    if (code.startsWith('SQLITE_BUSY') || code.startsWith('SQLITE_LOCKED')) return 'busy';
    if (PG_CONFLICT.has(code)) return 'conflict';
    // Class 08 (connection exception), 57P01-57P03 (server shutting down or starting), 53300 (too many connections).
    if (code.startsWith('08') || code === '57P01' || code === '57P02' || code === '57P03' || code === '53300') return 'unavailable';
    if (SOCKET_ERRORS.has(code)) return 'unavailable';
  }
  // node-postgres reports a connection cut mid-query with a plain Error and no code.
  const message = error instanceof Error ? error.message : '';
  if (/^Connection terminated|^Client has encountered a connection error|^timeout exceeded when trying to connect/.test(message)) return 'unavailable';
  return null;
}

const WHY: Record<StoreErrorCode, string> = {
  busy: 'the database is busy (another process holds its write lock)',
  conflict: 'the transaction conflicted with another one and was rolled back',
  unavailable: 'the database connection was refused or lost',
};

/** The error to throw for a driver error: transient ones become a retryable {@link StoreError}. */
export function storeErrorOf(error: unknown): unknown {
  if (error instanceof StoreError) return error;
  const code = transientCode(error);
  if (code === null) return error;
  const detail = error instanceof Error ? error.message : String(error);
  return new StoreError(code, `${WHY[code]}: ${detail}`, { retryable: true, cause: error });
}
