import { isRetryable } from '../adapter.js';

/** SQLite result codes of a database another connection holds: waiting and trying again can pass. */
const SQLITE_TRANSIENT = /^SQLITE_(?:BUSY|LOCKED)(?:_|$)/u;

/**
 * Whether handling failed for a reason that may pass by itself: an error that says it is `retryable` (the
 * store's busy error, an `AdapterError`), or SQLite's busy/locked codes from a driver that does not say.
 * Such a message is not apologised for and not acknowledged, so the platform redelivers it.
 */
export function isTransient(error: unknown): boolean {
  if (isRetryable(error, false)) return true;
  const code = error !== null && typeof error === 'object' ? (error as { code?: unknown }).code : undefined;
  return typeof code === 'string' && SQLITE_TRANSIENT.test(code);
}
