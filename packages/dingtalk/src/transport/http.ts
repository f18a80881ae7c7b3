import { DingTalkApiError, type DingTalkFailureKind } from '../errors.js';
import type { ResolvedConfig } from '../config.js';
import type { HttpAnswer } from './node-http.js';

/** How one HTTP exchange with DingTalk ended. */
export type Outcome =
  | { ok: true; status: number; body: unknown }
  | { ok: false; kind: DingTalkFailureKind; status: number; code?: string | undefined; requestId?: string | undefined; message: string; retryAfterMs?: number | undefined };

// DingTalk's flow-control answers: new OpenAPI codes (Forbidden.AccessDenied.QpsLimitForApi,
// …QpsLimitForAppkeyAndApi), robot "send too fast" codes, and generic throttling wording.
const THROTTLE_CODE = /qpslimit|throttl|flow[._ -]?control|rate[._ -]?limit|too[._ -]?fast|toomany|too[._ -]?many|limit[._ -]?exceeded|over[._ -]?limit|frequen/iu;
// Old-style errcodes of robot webhooks and the legacy API that mean "slow down".
const THROTTLE_ERRCODES = new Set(['90002', '90018', '130101', '410100', '90030']);
const UNAUTHORIZED_CODE = /invalidauthentication|invalid[._ -]?(access)?[._ -]?token|token[._ -]?(is[._ -]?)?(invalid|expired|not[._ -]?exist)|unauthori[sz]ed|accesstoken(expired|invalid)/iu;

function field(body: unknown, ...names: string[]): string | undefined {
  if (body === null || typeof body !== 'object') return undefined;
  for (const name of names) {
    const v = (body as Record<string, unknown>)[name];
    if (typeof v === 'string' && v !== '') return v;
    if (typeof v === 'number') return String(v);
  }
  return undefined;
}

function retryAfter(header: string | null, now: Date): number | undefined {
  if (header === null || header.trim() === '') return undefined;
  const seconds = Number(header);
  if (Number.isFinite(seconds) && seconds >= 0) return seconds * 1000;
  const at = Date.parse(header);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now.getTime());
}

/**
 * Classifies an OpenAPI answer (`api.dingtalk.com/v1.0/…`): 2xx is success; 429, and 403/400 with a
 * flow-control code, are throttling; 401 (or an invalid-token code) is an expired or bad token; 5xx and
 * 408 are server trouble; anything else is a rejection.
 */
export function classifyOpenApi(status: number, body: unknown, retryAfterMs?: number): Outcome {
  if (status >= 200 && status < 300) return { ok: true, status, body };
  const code = field(body, 'code', 'errcode');
  const requestId = field(body, 'requestid', 'requestId', 'request_id');
  const message = field(body, 'message', 'errmsg') ?? `HTTP ${status}`;
  const probe = `${code ?? ''} ${message}`;
  let kind: DingTalkFailureKind;
  if (status === 429 || ((status === 403 || status === 400) && (THROTTLE_CODE.test(probe) || (code !== undefined && THROTTLE_ERRCODES.has(code))))) kind = 'throttled';
  else if (status === 401 || UNAUTHORIZED_CODE.test(probe)) kind = 'unauthorized';
  else if (status >= 500 || status === 408) kind = 'server';
  else kind = 'rejected';
  return { ok: false, kind, status, code, requestId, message, retryAfterMs };
}

/**
 * Classifies a session-webhook answer: HTTP errors as for the OpenAPI, and on HTTP 200 the body's
 * `errcode` (0 or absent is success; flow-control errcodes are throttling; others are rejections —
 * e.g. an expired webhook).
 */
export function classifyWebhook(status: number, body: unknown, retryAfterMs?: number): Outcome {
  if (status < 200 || status >= 300) return classifyOpenApi(status, body, retryAfterMs);
  const errcode = field(body, 'errcode');
  if (errcode === undefined || errcode === '0') return { ok: true, status, body };
  const message = field(body, 'errmsg', 'message') ?? `errcode ${errcode}`;
  const kind: DingTalkFailureKind = THROTTLE_ERRCODES.has(errcode) || THROTTLE_CODE.test(message) ? 'throttled' : 'rejected';
  return { ok: false, kind, status, code: errcode, message, retryAfterMs };
}

/** Error codes (of the error or its cause) that prove the request never reached DingTalk. */
const NOT_SENT_CODES = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH', 'UND_ERR_CONNECT_TIMEOUT', 'CERT_HAS_EXPIRED', 'DEPTH_ZERO_SELF_SIGNED_CERT', 'ERR_TLS_CERT_ALTNAME_INVALID']);
/** Error codes of an exchange cut off after the request may have been written: it may have arrived. */
const MAYBE_SENT_CODES = new Set(['UND_ERR_HEADERS_TIMEOUT', 'UND_ERR_BODY_TIMEOUT', 'UND_ERR_SOCKET', 'UND_ERR_CLOSED', 'ECONNRESET', 'EPIPE', 'ETIMEDOUT']);

/**
 * Whether a failed `fetch` may have delivered the request: our own timeout fired (the request was
 * sent and no answer came in time) or the connection broke mid-exchange. A refused or unresolvable
 * connection, or an error that says nothing, counts as not sent.
 */
export function maybeSent(error: unknown): boolean {
  if (error instanceof Error && (error.name === 'TimeoutError' || error.name === 'AbortError')) return true;
  for (let e: unknown = error, depth = 0; e !== null && typeof e === 'object' && depth < 4; e = (e as { cause?: unknown }).cause, depth++) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'string' && NOT_SENT_CODES.has(code)) return false;
    if (typeof code === 'string' && MAYBE_SENT_CODES.has(code)) return true;
    if (e instanceof Error && e.name === 'TimeoutError') return true;
  }
  return false;
}

/** One JSON POST (or PUT) to DingTalk. */
export interface PostSpec {
  /** What the call does, for errors and logs (`send to group cid…`). */
  what: string;
  /** HTTP method (default POST; card updates are PUT). */
  method?: 'POST' | 'PUT';
  url: string;
  body: unknown;
  headers?: Record<string, string> | undefined;
  classify: (status: number, body: unknown, retryAfterMs?: number) => Outcome;
  /** Runs before every attempt (rate limiting): the attempt waits for it. */
  beforeAttempt?: (() => Promise<void>) | undefined;
  /**
   * Attempts at most (default `retry.attempts`). Sends the engine owns use 1: the engine retries them
   * (digest outbox, redelivery) according to the error's `retryable`, so retries are never nested.
   */
  attempts?: number | undefined;
}

/** JSON over HTTP with retries: exponential backoff with full jitter on throttling, 5xx and network errors. */
export interface HttpClient {
  /** One exchange, no retries. */
  once(spec: PostSpec): Promise<Outcome>;
  /**
   * Posts with retries and resolves with the success body. An `unauthorized` answer is not retried
   * here (the caller refreshes its token); it rejects with a {@link DingTalkApiError} of kind `unauthorized`.
   */
  post(spec: PostSpec): Promise<unknown>;
}

/** The wait before retry number `retry` (1-based): full jitter over an exponentially growing, capped window. */
export function backoffDelay(retry: number, policy: { baseMs: number; maxMs: number }, random: () => number, retryAfterMs?: number): number {
  const window = Math.min(policy.maxMs, policy.baseMs * 2 ** Math.max(0, retry - 1));
  const jittered = Math.floor(random() * window);
  return retryAfterMs === undefined ? jittered : Math.min(policy.maxMs, Math.max(jittered, retryAfterMs));
}

/** Creates the HTTP client over `config.fetch`. */
export function createHttpClient(config: Pick<ResolvedConfig, 'fetch' | 'retry' | 'requestTimeoutMs' | 'sleep' | 'random' | 'clock' | 'logger'>): HttpClient {
  async function once(spec: PostSpec): Promise<Outcome> {
    let response: HttpAnswer;
    try {
      response = await config.fetch(spec.url, {
        method: spec.method ?? 'POST',
        headers: { 'Content-Type': 'application/json', Accept: 'application/json', ...spec.headers },
        body: JSON.stringify(spec.body),
        signal: AbortSignal.timeout(config.requestTimeoutMs),
      });
    } catch (error) {
      const message = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
      // Sent and unanswered is not the same as not sent: repeating it could deliver the message twice.
      return { ok: false, kind: maybeSent(error) ? 'uncertain' : 'network', status: 0, message };
    }
    let text = '';
    try {
      text = await response.text();
    } catch {
      // DingTalk answered with a status; only its body was lost. The status says what happened.
      return spec.classify(response.status, null, retryAfter(response.headers.get('retry-after'), config.clock()));
    }
    let body: unknown = text;
    if (text !== '') {
      try {
        body = JSON.parse(text);
      } catch {
        // Non-JSON bodies (HTML error pages from a proxy) are kept as text for the error message.
      }
    } else body = null;
    return spec.classify(response.status, body, retryAfter(response.headers.get('retry-after'), config.clock()));
  }

  async function post(spec: PostSpec): Promise<unknown> {
    const attempts = spec.attempts ?? config.retry.attempts;
    for (let attempt = 1; ; attempt++) {
      if (spec.beforeAttempt) await spec.beforeAttempt();
      const outcome = await once(spec);
      if (outcome.ok) return outcome.body;
      const retryable = outcome.kind === 'throttled' || outcome.kind === 'server' || outcome.kind === 'network';
      if (!retryable || attempt >= attempts) {
        throw new DingTalkApiError({ ...outcome, attempts: attempt, what: spec.what });
      }
      const delay = backoffDelay(attempt, config.retry, config.random, outcome.retryAfterMs);
      config.logger.warn({ what: spec.what, kind: outcome.kind, status: outcome.status, code: outcome.code, attempt, retryInMs: delay }, 'dingtalk call failed, retrying');
      await config.sleep(delay);
    }
  }

  return { once, post };
}
