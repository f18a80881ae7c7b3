/**
 * Errors of the Slack adapter. Expected platform failures reach the engine as rejected promises of
 * `send`/`reply`/`connect`; these classes let callers tell them apart.
 */

/** A configuration mistake found by {@link createSlackAdapter}: the message names the field. */
export class SlackConfigError extends Error {
  override readonly name = 'SlackConfigError';
  /** The offending fields, e.g. `['botToken']`. */
  readonly fields: string[];
  constructor(message: string, fields: string[]) {
    super(message);
    this.fields = fields;
  }
}

/**
 * Slack refused a token (`invalid_auth`, `not_authed`, `account_inactive`, `not_allowed_token_type` …).
 * Never retried: fix `SLACK_BOT_TOKEN` / `SLACK_APP_TOKEN` and restart.
 */
export class SlackAuthError extends Error {
  override readonly name = 'SlackAuthError';
  /** Which token Slack refused. */
  readonly token: 'botToken' | 'appToken';
  /** Slack's error code, e.g. `invalid_auth`. */
  readonly code: string;
  constructor(token: 'botToken' | 'appToken', code: string, method: string) {
    const env = token === 'botToken' ? 'SLACK_BOT_TOKEN (xoxb-…)' : 'SLACK_APP_TOKEN (xapp-…, with connections:write)';
    super(`Slack refused the ${token} in ${method}: ${code}. Check ${env}.`);
    this.token = token;
    this.code = code;
  }
}

/** A Web API call failed for another reason (`channel_not_found`, `not_in_channel`, rate limits past the last retry …). */
export class SlackApiError extends Error {
  override readonly name = 'SlackApiError';
  /** The Web API method, e.g. `chat.postMessage`. */
  readonly method: string;
  /** Slack's error code (`channel_not_found`, `ratelimited`, `http_503` …). */
  readonly code: string;
  constructor(method: string, code: string, detail?: string) {
    super(`Slack ${method} failed: ${code}${detail ? ` (${detail})` : ''}`);
    this.method = method;
    this.code = code;
  }
}
