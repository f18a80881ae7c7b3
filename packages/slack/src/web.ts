import { LogLevel, webApi, type Logger as BoltLogger } from '@slack/bolt';
import type { ResolvedConfig, SlackLogger } from './config.js';
import { SlackApiError, SlackAuthError } from './errors.js';

const AUTH_CODES = new Set(['invalid_auth', 'not_authed', 'account_inactive', 'token_revoked', 'token_expired', 'not_allowed_token_type', 'team_disabled', 'user_removed_from_team']);

/** Whether a Slack error code means the token itself is refused. */
export function isAuthCode(code: string): boolean {
  return AUTH_CODES.has(code);
}

/** The Slack SDK logger interface over the adapter's pino-style logger (the SDKs log strings). */
export function slackSdkLogger(log: SlackLogger, name: string): BoltLogger {
  const text = (msgs: unknown[]) => msgs.map((m) => (typeof m === 'string' ? m : m instanceof Error ? m.message : JSON.stringify(m))).join(' ');
  return {
    debug: (...m: unknown[]) => log.debug?.({ sdk: name }, text(m)),
    info: (...m: unknown[]) => log.debug?.({ sdk: name }, text(m)),
    warn: (...m: unknown[]) => log.warn({ sdk: name }, text(m)),
    error: (...m: unknown[]) => log.error({ sdk: name }, text(m)),
    setLevel: () => {},
    getLevel: () => LogLevel.INFO,
    setName: () => {},
  };
}

/** A Web API caller: one method, retries on 429 (honouring `Retry-After`) and 5xx/network failures, typed errors. */
export type SlackCall = (method: string, args: Record<string, unknown>, options?: { attempts?: number }) => Promise<Record<string, unknown>>;

/** Error codes of an exchange cut off after the request may have been written: it may have arrived. */
const MAYBE_SENT = new Set(['ECONNRESET', 'EPIPE', 'ETIMEDOUT', 'ECONNABORTED', 'ERR_SOCKET_CLOSED']);

/** Whether a failed request may have reached Slack (timed out or cut off after it was sent). */
export function maybeSent(error: CodedError): boolean {
  const original = (error as { original?: { code?: unknown; message?: unknown } }).original;
  const code = typeof original?.code === 'string' ? original.code : undefined;
  return (code !== undefined && MAYBE_SENT.has(code)) || (typeof original?.message === 'string' && /timeout/iu.test(original.message));
}

export interface CodedError {
  code?: string;
  retryAfter?: number;
  statusCode?: number;
  data?: { error?: string };
  message?: string;
}

/**
 * Builds the Web API caller on `@slack/web-api`'s `WebClient` (re-exported by bolt as `webApi`), with the SDK's
 * own retries off so that `Retry-After` waits go through the injectable `sleep`.
 */
export function createSlackCall(config: ResolvedConfig, token: string, which: 'botToken' | 'appToken'): SlackCall {
  const client = new webApi.WebClient(token, {
    slackApiUrl: config.apiUrl,
    logger: slackSdkLogger(config.logger, 'web-api'),
    rejectRateLimitedCalls: true,
    retryConfig: { retries: 0 },
    timeout: 30_000,
  });
  return async (method, args, options) => {
    // Posts the engine owns pass attempts 1: the engine retries them by `retryable`, one layer only.
    const attempts = options?.attempts ?? config.attempts;
    for (let attempt = 1; ; attempt++) {
      try {
        return (await client.apiCall(method, args)) as unknown as Record<string, unknown>;
      } catch (error) {
        const e = (error ?? {}) as CodedError;
        const last = attempt >= attempts;
        if (e.code === webApi.ErrorCode.PlatformError) {
          const code = e.data?.error ?? 'unknown_error';
          if (isAuthCode(code)) throw new SlackAuthError(which, code, method);
          throw new SlackApiError(method, code);
        }
        if (e.code === webApi.ErrorCode.RateLimitedError) {
          const seconds = typeof e.retryAfter === 'number' && Number.isFinite(e.retryAfter) ? Math.max(0, e.retryAfter) : 1;
          if (last || seconds > config.maxRetryAfterSeconds) throw new SlackApiError(method, 'ratelimited', `Retry-After ${seconds}s, attempt ${attempt}`);
          config.logger.warn({ method, retryAfter: seconds, attempt }, 'slack: rate limited; waiting Retry-After');
          await config.sleep(seconds * 1000);
          continue;
        }
        // Sent and unanswered may have arrived: repeating it could post the message twice.
        if (e.code === webApi.ErrorCode.RequestError && maybeSent(e)) throw new SlackApiError(method, 'uncertain', e.message);
        const status = typeof e.statusCode === 'number' ? e.statusCode : 0;
        const retriable = e.code === webApi.ErrorCode.RequestError || (e.code === webApi.ErrorCode.HTTPError && status >= 500);
        if (!retriable || last) throw new SlackApiError(method, status ? `http_${status}` : 'request_failed', e.message);
        await config.sleep(Math.min(30_000, 500 * 2 ** (attempt - 1)));
      }
    }
  };
}
