/**
 * Errors of the Slack adapter. Expected platform failures reach the engine as rejected promises of
 * `send`/`reply`/`connect`; these classes let callers tell them apart. All are `AdapterError`s of
 * `@zwgk/chat-contract`: `retryable` tells the engine whether trying again later can help.
 */
import { AdapterError } from '@zwgk/chat-contract';

/** A configuration mistake found by {@link createSlackAdapter}: the message names the field. */
export class SlackConfigError extends AdapterError {
  override readonly name = 'SlackConfigError';
  /** The offending fields, e.g. `['botToken']`. */
  readonly fields: string[];
  constructor(message: string, fields: string[]) {
    super(message, { code: 'config', retryable: false });
    this.fields = fields;
  }
}

/**
 * Slack refused a token (`invalid_auth`, `not_authed`, `account_inactive`, `not_allowed_token_type` …).
 * Never retried: fix `SLACK_BOT_TOKEN` / `SLACK_APP_TOKEN` and restart.
 */
export class SlackAuthError extends AdapterError {
  override readonly name = 'SlackAuthError';
  /** Which token Slack refused. */
  readonly token: 'botToken' | 'appToken';
  /** `code`: Slack's error code, e.g. `invalid_auth`. */
  constructor(token: 'botToken' | 'appToken', code: string, method: string) {
    const env = token === 'botToken' ? 'SLACK_BOT_TOKEN (xoxb-…)' : 'SLACK_APP_TOKEN (xapp-…, with connections:write)';
    super(`Slack refused the ${token} in ${method}: ${code}. Check ${env}.`, { code, retryable: false });
    this.token = token;
  }
}

/** Slack error codes of failures that may pass: rate limits, server errors, requests that did not get through. */
function retryableCode(code: string): boolean {
  return code === 'ratelimited' || code === 'request_failed' || /^http_5\d\d$/u.test(code) || code === 'internal_error' || code === 'fatal_error' || code === 'service_unavailable';
}

/**
 * A Web API call failed for another reason (`channel_not_found`, `not_in_channel`, rate limits past the last
 * retry …). `code` is Slack's error code (`channel_not_found`, `ratelimited`, `http_503` …); `retryable` is
 * true for rate limits, 5xx answers and requests that failed to get through; code `uncertain` (the request
 * went out and no answer came) is `uncertain` and never retried.
 */
export class SlackApiError extends AdapterError {
  override readonly name = 'SlackApiError';
  /** The Web API method, e.g. `chat.postMessage`. */
  readonly method: string;
  constructor(method: string, code: string, detail?: string) {
    super(`Slack ${method} failed: ${code}${detail ? ` (${detail})` : ''}`, { code, retryable: retryableCode(code), uncertain: code === 'uncertain' });
    this.method = method;
  }
}
