/**
 * Errors of the DingTalk adapter. Expected platform failures (throttling, bad credentials, a rejected
 * message) reach the engine as rejected promises of `send`/`reply`/`connect`; these classes let callers
 * tell them apart. All are `AdapterError`s of `@zwgk/chat-contract`: `retryable` tells the engine whether
 * trying again later can help.
 */
import { AdapterError } from '@zwgk/chat-contract';

/** A configuration mistake found by {@link createDingTalkAdapter}: the message names the field. */
export class DingTalkConfigError extends AdapterError {
  override readonly name = 'DingTalkConfigError';
  /** The offending fields, e.g. `['clientId', 'rate.perAppPerSecond']`. */
  readonly fields: string[];
  constructor(message: string, fields: string[]) {
    super(message, { code: 'config', retryable: false });
    this.fields = fields;
  }
}

/**
 * DingTalk refused the app's credentials (oauth2 access token or Stream gateway). Never retried: fix
 * `DINGTALK_CLIENT_ID` / `DINGTALK_CLIENT_SECRET` and restart.
 */
export class DingTalkAuthError extends AdapterError {
  override readonly name = 'DingTalkAuthError';
  readonly clientId: string;
  /** HTTP status of the refusal (0 when the response was not usable). */
  readonly status: number;
  constructor(clientId: string, status: number, code: string | undefined, detail: string) {
    // `code`: DingTalk's error code when the body carried one, else `unauthorized`.
    super(`DingTalk refused the credentials of app ${JSON.stringify(clientId)} (HTTP ${status}${code ? `, ${code}` : ''}): ${detail}. Check DINGTALK_CLIENT_ID and DINGTALK_CLIENT_SECRET.`, {
      code: code ?? 'unauthorized',
      retryable: false,
    });
    this.clientId = clientId;
    this.status = status;
  }
}

/** Why a DingTalk call failed, as far as retrying is concerned. */
export type DingTalkFailureKind = 'throttled' | 'server' | 'network' | 'uncertain' | 'unauthorized' | 'rejected';

/** Failures that may pass: trying the same call later can succeed. */
const RETRYABLE_KINDS: ReadonlySet<DingTalkFailureKind> = new Set(['throttled', 'server', 'network']);

/**
 * A DingTalk HTTP call that failed for good: the request was rejected (HTTP 400 with a DingTalk code,
 * a webhook `errcode`), throttling / server errors / refused connections outlasted the retries, or the
 * request went out and no answer came (`uncertain`: it may have arrived, so it is not repeated). `code` is
 * DingTalk's `code` (OpenAPI) or `errcode` (webhooks) when given, else the `kind`; `retryable` is true for
 * `throttled`, `server` and `network` (the request provably did not get through); `uncertain` is true for
 * `uncertain`.
 */
export class DingTalkApiError extends AdapterError {
  override readonly name = 'DingTalkApiError';
  readonly kind: DingTalkFailureKind;
  /** HTTP status (0 for network errors). */
  readonly status: number;
  /** DingTalk `requestid`, when given: quote it to DingTalk support. */
  readonly requestId: string | undefined;
  /** How many attempts were made. */
  readonly attempts: number;
  constructor(init: { kind: DingTalkFailureKind; status: number; code?: string | undefined; requestId?: string | undefined; message: string; attempts: number; what: string }) {
    super(`${init.what} failed after ${init.attempts} attempt${init.attempts === 1 ? '' : 's'} (${init.kind}, HTTP ${init.status}${init.code ? `, ${init.code}` : ''}${init.requestId ? `, requestid ${init.requestId}` : ''}): ${init.message}`, {
      code: init.code ?? init.kind,
      retryable: RETRYABLE_KINDS.has(init.kind),
      uncertain: init.kind === 'uncertain',
    });
    this.kind = init.kind;
    this.status = init.status;
    this.requestId = init.requestId;
    this.attempts = init.attempts;
  }
}
