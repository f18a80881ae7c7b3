/** What {@link AdapterError} takes besides its message. */
export interface AdapterErrorOptions {
  /** A short, stable code for logs and tests, e.g. `throttled`, `unauthorized`, `channel_not_found`. */
  code: string;
  /**
   * True when the same call may succeed later (throttling, a 5xx answer, a refused connection); false when
   * repeating it cannot help (bad credentials, a rejected message).
   */
  retryable: boolean;
  /**
   * True when the request may have reached the platform although no answer came (a read timeout after it
   * was sent, a connection lost mid-exchange): repeating it could deliver the message twice. Such an error
   * is never `retryable`. Default false.
   */
  uncertain?: boolean;
  /** The underlying error, when there is one. */
  cause?: unknown;
}

/**
 * The base class of every error an adapter reports to the engine. The engine looks only at `retryable`:
 * a failed digest send is tried again on a later pass when it is true and marked `failed` at once when it
 * is false; an incoming message whose reply failed retryably is left unacknowledged so the platform
 * redelivers it.
 *
 * @example
 * throw new AdapterError('chat.postMessage failed: ratelimited', { code: 'ratelimited', retryable: true });
 */
export class AdapterError extends Error {
  override readonly name: string = 'AdapterError';
  readonly code: string;
  readonly retryable: boolean;
  /** The request may have reached the platform (see {@link AdapterErrorOptions.uncertain}). */
  readonly uncertain: boolean;
  constructor(message: string, options: AdapterErrorOptions) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.code = options.code;
    this.uncertain = options.uncertain === true;
    this.retryable = options.retryable && !this.uncertain;
  }
}

/**
 * Whether trying again may help: an error's own `retryable` flag when it has one (an {@link AdapterError},
 * the store's busy error), otherwise `fallback` (default true: an unknown failure is not assumed final).
 */
export function isRetryable(error: unknown, fallback = true): boolean {
  if (error !== null && typeof error === 'object' && 'retryable' in error && typeof (error as { retryable: unknown }).retryable === 'boolean') {
    return (error as { retryable: boolean }).retryable;
  }
  return fallback;
}
