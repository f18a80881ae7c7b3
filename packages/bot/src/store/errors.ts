/** Why a store operation failed, as {@link StoreError.code} names it. */
export type StoreErrorCode = 'busy';

/**
 * A store operation that failed for a reason worth telling apart from a bug. `code: 'busy'` means
 * another process (e.g. `zwgk liaison add` next to `zwgk start`) held the database's write lock for
 * longer than the busy timeout: nothing was written, and the same operation may succeed when tried
 * again, so `retryable` is true. A message whose handling failed this way should be left
 * unacknowledged for the platform to redeliver, not answered with an apology.
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
  /** What went wrong: `busy` (the database was locked by someone else). */
  readonly code: StoreErrorCode;
  /** True when trying the same operation again may succeed (nothing was written). */
  readonly retryable: boolean;

  constructor(code: StoreErrorCode, message: string, options: { retryable: boolean; cause?: unknown }) {
    super(message, { cause: options.cause });
    this.code = code;
    this.retryable = options.retryable;
  }
}

/**
 * True for a {@link StoreError} that may succeed when tried again (today: the database was busy).
 * Works across copies of the package (checks the shape, not the class).
 */
export function isRetryableStoreError(error: unknown): error is StoreError {
  return error instanceof Error && error.name === 'StoreError' && (error as Partial<StoreError>).retryable === true;
}

/** The driver's error codes that mean "locked by another connection" (SQLite: SQLITE_BUSY*, SQLITE_LOCKED*). */
function isBusy(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' && (code.startsWith('SQLITE_BUSY') || code.startsWith('SQLITE_LOCKED'));
}

/** The error to throw for a driver error: busy/locked ones become a retryable {@link StoreError}. */
export function storeErrorOf(error: unknown): unknown {
  if (error instanceof StoreError || !isBusy(error)) return error;
  const detail = error instanceof Error ? error.message : String(error);
  return new StoreError('busy', `the database is busy (another process holds its write lock): ${detail}`, { retryable: true, cause: error });
}
