import { z } from 'zod';
import { DingTalkConfigError } from './errors.js';
import { createNodeHttpExchange, type HttpExchange } from './transport/node-http.js';

/** A pino-compatible logger; `debug` is optional. Same shape as the bot engine's `Logger`. */
export interface DingTalkLogger {
  info(obj: object, msg?: string): void;
  warn(obj: object, msg?: string): void;
  error(obj: object, msg?: string): void;
  debug?(obj: object, msg?: string): void;
}

/** Send-rate limits (token buckets), both applied to every message the adapter sends. */
export interface RateOptions {
  /** Messages per group per minute (default 20, DingTalk's documented per-robot-per-group limit). */
  perGroupPerMinute?: number;
  /** Messages per second across the app (default 20, DingTalk's standard per-app API QPS). */
  perAppPerSecond?: number;
}

/**
 * Retries of throttled (HTTP 403/429 flow control) and failed (5xx, network) calls the adapter owns (access
 * tokens, card updates — an update that timed out too, as it replaces data and posts nothing). Message and
 * card sends make one attempt: the engine retries them by the error's `retryable`.
 */
export interface RetryOptions {
  /** Attempts per call, the first included (default 6). */
  attempts?: number;
  /** Backoff base in ms: attempt n waits a random time in [0, min(maxMs, baseMs·2ⁿ⁻¹)] (default 500). */
  baseMs?: number;
  /** Backoff cap in ms (default 30 000). */
  maxMs?: number;
}

/** Gateway reconnection after the connection drops (forever, until `disconnect`). */
export interface ReconnectOptions {
  /** First delay in ms (default 1 000); doubles per failed attempt, with full jitter. */
  baseMs?: number;
  /** Delay cap in ms (default 30 000). */
  maxMs?: number;
  /** A WebSocket ping every `heartbeatMs`; no pong before the next one closes the connection (default 10 000; 0 turns it off). */
  heartbeatMs?: number;
  /** Opening the WebSocket may take this long (default 15 000 ms). */
  connectTimeoutMs?: number;
}

/**
 * Interactive cards (互动卡片). Without them the adapter sends markdown and ActionCards and people type commands;
 * with them it can send cards whose buttons stand for commands (see docs/dingtalk.md for the template to build).
 */
export interface CardOptions {
  /** The id of the card template built in DingTalk's card designer (e.g. `1a2b3c…-….schema`). */
  templateId: string;
}

/** Options of {@link createDingTalkAdapter}. */
export interface DingTalkAdapterOptions {
  /** The app's Client ID (AppKey), `DINGTALK_CLIENT_ID`. */
  clientId: string;
  /** The app's Client Secret (AppSecret), `DINGTALK_CLIENT_SECRET`. */
  clientSecret: string;
  /** The robot's code (`robotCode`, usually equal to the Client ID), `DINGTALK_ROBOT_CODE`. */
  robotCode: string;
  /** The robot's display name in DingTalk (e.g. `政务公开助手`): `@name` is removed from incoming text wherever it stands. Optional — DingTalk usually removes the bot's @ itself. */
  robotName?: string;
  /** OpenAPI and Stream gateway base URL (default `https://api.dingtalk.com`; the emulator's address in tests and the sandbox). */
  apiBase?: string;
  /**
   * Send-rate limits, or `false` for none: the adapter then sends as fast as the platform answers. Only for
   * the emulator and load tests (the bench lifts the limits this way); DingTalk itself throttles past its limits.
   */
  rate?: RateOptions | false;
  /** Interactive cards: the template id. Default none (markdown and ActionCards only; no `TOPIC_CARD` subscription). */
  cards?: CardOptions;
  retry?: RetryOptions;
  reconnect?: ReconnectOptions;
  /** A session webhook is used until this long before it expires (default 5 min). */
  webhookMarginMs?: number;
  /** Largest message, in UTF-8 bytes of the JSON message parameters (default 14 000; DingTalk allows 15 000). Longer markdown is split into numbered parts. */
  maxMessageBytes?: number;
  /** An access token is refreshed this long before it expires (default 5 min). */
  tokenMarginMs?: number;
  /** One HTTP call may take this long (default 15 000 ms). */
  requestTimeoutMs?: number;
  /** The `fetch` used for every HTTP call (default: node:http(s) with keep-alive connections). */
  fetch?: typeof fetch;
  logger?: DingTalkLogger;
  /** The clock (default the system clock). Token expiry, webhook expiry and rate limits read it. */
  clock?: () => Date;
  /** Waits `ms` (default a `setTimeout`); inject with a fake clock. */
  sleep?: (ms: number) => Promise<void>;
  /** Random number in [0, 1) for backoff jitter (default `Math.random`). */
  random?: () => number;
  /**
   * Books each send instead of the in-process limiter built from `rate`: a limiter shared by several
   * processes of one app (e.g. one kept in PostgreSQL), so that together they keep the app's limits.
   * Ignored when `rate` is `false`.
   */
  rateLimiter?: SharedRateLimiter;
}

/** A send-rate limiter several processes share: `acquire` resolves when the send to `conversationId` may go. */
export interface SharedRateLimiter {
  acquire(conversationId: string): Promise<void>;
}

const fn = <T>(name: string) => z.custom<T>((v) => typeof v === 'function', { message: `${name}: expected a function` });
const positive = (what: string) => z.number({ message: `expected a number (${what})` }).finite().positive();
const nonNegativeInt = z.number().int().nonnegative();

const schema = z.object({
  clientId: z.string({ message: 'expected a non-empty string (the app’s Client ID / AppKey)' }).trim().min(1, 'expected a non-empty string (the app’s Client ID / AppKey)'),
  clientSecret: z.string({ message: 'expected a non-empty string (the app’s Client Secret / AppSecret)' }).min(1, 'expected a non-empty string (the app’s Client Secret / AppSecret)'),
  robotCode: z.string({ message: 'expected a non-empty string (the robot’s robotCode)' }).trim().min(1, 'expected a non-empty string (the robot’s robotCode)'),
  robotName: z.string().trim().min(1, 'expected a non-empty string (the robot’s display name)').optional(),
  apiBase: z
    .string()
    .refine((v) => {
      try {
        const u = new URL(v);
        return (u.protocol === 'https:' || u.protocol === 'http:') && u.search === '' && u.hash === '';
      } catch {
        return false;
      }
    }, 'expected an http(s) URL without query, e.g. https://api.dingtalk.com')
    .transform((v) => v.replace(/\/+$/u, ''))
    .default('https://api.dingtalk.com'),
  rate: z
    .union([
      z.literal(false),
      z
        .object({
          perGroupPerMinute: positive('messages per group per minute').default(20),
          perAppPerSecond: positive('messages per second for the app').default(20),
        })
        .strict(),
    ])
    .default({ perGroupPerMinute: 20, perAppPerSecond: 20 }),
  cards: z
    .object({
      templateId: z.string({ message: 'expected the card template id from DingTalk’s card designer' }).trim().min(1, 'expected the card template id from DingTalk’s card designer'),
    })
    .strict()
    .optional(),
  retry: z
    .object({
      attempts: z.number().int().min(1).max(50).default(6),
      baseMs: nonNegativeInt.default(500),
      maxMs: nonNegativeInt.default(30_000),
    })
    .strict()
    .default({ attempts: 6, baseMs: 500, maxMs: 30_000 }),
  reconnect: z
    .object({
      baseMs: z.number().int().min(1).default(1_000),
      maxMs: z.number().int().min(1).default(30_000),
      heartbeatMs: nonNegativeInt.default(10_000),
      connectTimeoutMs: z.number().int().min(1).default(15_000),
    })
    .strict()
    .default({ baseMs: 1_000, maxMs: 30_000, heartbeatMs: 10_000, connectTimeoutMs: 15_000 }),
  webhookMarginMs: nonNegativeInt.default(5 * 60_000),
  maxMessageBytes: z.number().int().min(500).max(15_000).default(14_000),
  tokenMarginMs: nonNegativeInt.default(5 * 60_000),
  requestTimeoutMs: z.number().int().min(1).default(15_000),
  fetch: fn<typeof fetch>('fetch').optional(),
  logger: z
    .custom<DingTalkLogger>((v) => v !== null && typeof v === 'object' && ['info', 'warn', 'error'].every((k) => typeof (v as Record<string, unknown>)[k] === 'function'), {
      message: 'expected a logger with info, warn and error methods',
    })
    .optional(),
  clock: fn<() => Date>('clock').optional(),
  sleep: fn<(ms: number) => Promise<void>>('sleep').optional(),
  random: fn<() => number>('random').optional(),
  rateLimiter: z
    .custom<SharedRateLimiter>((v) => v !== null && typeof v === 'object' && typeof (v as SharedRateLimiter).acquire === 'function', {
      message: 'expected a limiter with an acquire(conversationId) method',
    })
    .optional(),
});

/** The adapter's settings after validation, defaults filled in. */
export interface ResolvedConfig {
  clientId: string;
  clientSecret: string;
  robotCode: string;
  robotName: string | undefined;
  apiBase: string;
  rate: Required<RateOptions> | false;
  cards: CardOptions | undefined;
  retry: Required<RetryOptions>;
  reconnect: Required<ReconnectOptions>;
  webhookMarginMs: number;
  maxMessageBytes: number;
  tokenMarginMs: number;
  requestTimeoutMs: number;
  fetch: HttpExchange;
  logger: DingTalkLogger;
  clock: () => Date;
  sleep: (ms: number) => Promise<void>;
  random: () => number;
  rateLimiter: SharedRateLimiter | undefined;
}

const silent: DingTalkLogger = { info: () => {}, warn: () => {}, error: () => {} };

/**
 * Validates adapter options once and fills in the defaults.
 *
 * @throws {DingTalkConfigError} naming every bad field (a programmer or deployment error).
 */
export function resolveConfig(options: DingTalkAdapterOptions): ResolvedConfig {
  if (options === null || typeof options !== 'object') {
    throw new DingTalkConfigError('createDingTalkAdapter: expected an options object { clientId, clientSecret, robotCode }', ['options']);
  }
  const parsed = schema.strict().safeParse(options);
  if (!parsed.success) {
    const fields: string[] = [];
    const lines = parsed.error.issues.map((issue) => {
      const field = issue.path.map(String).join('.') || (issue.code === 'unrecognized_keys' ? issue.keys.join(', ') : 'options');
      fields.push(field);
      const message = issue.code === 'unrecognized_keys' ? `unknown option${issue.keys.length > 1 ? 's' : ''}` : issue.message;
      return `${field}: ${message}`;
    });
    throw new DingTalkConfigError(`createDingTalkAdapter: invalid options — ${lines.join('; ')}`, fields);
  }
  const c = parsed.data;
  if (c.retry.maxMs < c.retry.baseMs) throw new DingTalkConfigError(`createDingTalkAdapter: invalid options — retry.maxMs: expected ≥ retry.baseMs (${c.retry.baseMs})`, ['retry.maxMs']);
  if (c.reconnect.maxMs < c.reconnect.baseMs) {
    throw new DingTalkConfigError(`createDingTalkAdapter: invalid options — reconnect.maxMs: expected ≥ reconnect.baseMs (${c.reconnect.baseMs})`, ['reconnect.maxMs']);
  }
  // Without an injected fetch: node:http with keep-alive connections, cheaper per request than the global fetch.
  const fetchImpl: HttpExchange = c.fetch ?? createNodeHttpExchange();
  return {
    clientId: c.clientId,
    clientSecret: c.clientSecret,
    robotCode: c.robotCode,
    robotName: c.robotName,
    apiBase: c.apiBase,
    rate: c.rate,
    cards: c.cards,
    retry: c.retry,
    reconnect: c.reconnect,
    webhookMarginMs: c.webhookMarginMs,
    maxMessageBytes: c.maxMessageBytes,
    tokenMarginMs: c.tokenMarginMs,
    requestTimeoutMs: c.requestTimeoutMs,
    fetch: fetchImpl,
    logger: c.logger ?? silent,
    clock: c.clock ?? (() => new Date()),
    sleep: c.sleep ?? ((ms) => new Promise((resolve) => setTimeout(resolve, ms))),
    random: c.random ?? Math.random,
    rateLimiter: c.rateLimiter,
  };
}

/**
 * The adapter's settings that a configuration file can hold (everything but the injected functions), with
 * their defaults: an app composes this into its own configuration schema instead of restating the rules.
 *
 * @example
 * const AppConfig = z.object({ dingtalk: DingTalkSettingsSchema.optional() });
 */
export const DingTalkSettingsSchema = schema.omit({ fetch: true, logger: true, clock: true, sleep: true, random: true, rateLimiter: true }).strict();

/** Settings as written in a configuration file (defaults not yet applied). */
export type DingTalkSettings = z.input<typeof DingTalkSettingsSchema>;
