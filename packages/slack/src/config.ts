import { z } from 'zod';
import { SlackConfigError } from './errors.js';

/** A pino-compatible logger; `debug` is optional. Same shape as the bot engine's `Logger`. */
export interface SlackLogger {
  info(obj: object, msg?: string): void;
  warn(obj: object, msg?: string): void;
  error(obj: object, msg?: string): void;
  debug?(obj: object, msg?: string): void;
}

/** Options of {@link createSlackAdapter}. */
export interface SlackAdapterOptions {
  /** The bot user OAuth token, `xoxb-…` (`SLACK_BOT_TOKEN`): Web API calls. */
  botToken: string;
  /** The app-level token, `xapp-…`, with `connections:write` (`SLACK_APP_TOKEN`): Socket Mode. */
  appToken: string;
  /** Web API base for both tokens (default `https://slack.com/api/`; the emulator's `apiUrl` in tests). */
  apiUrl?: string;
  /** Reply in the thread of the message that asked (default false: replies go to the channel). Messages sent inside a thread are always answered there. */
  replyInThread?: boolean;
  /** Attempts per Web API call when Slack answers 429 or 5xx, the first included (default 5). Each 429 waits its `Retry-After`. */
  attempts?: number;
  /** Longest `Retry-After` honoured, in seconds (default 120); a longer one fails the call. */
  maxRetryAfterSeconds?: number;
  /** Socket Mode heartbeat: a client ping needs its pong within this long, and reconnecting waits this long × failures (default 5 000 ms, @slack/socket-mode's default). */
  clientPingTimeoutMs?: number;
  /** Socket Mode heartbeat: the server must ping within this long (default 30 000 ms). */
  serverPingTimeoutMs?: number;
  /** Where the adapter logs (default: warnings and errors to the console). */
  logger?: SlackLogger;
  /** The clock (default the system clock). */
  clock?: () => Date;
  /** Waits `ms` (default a `setTimeout`); inject to test Retry-After without waiting. */
  sleep?: (ms: number) => Promise<void>;
}

/** Options after validation and defaults. */
export interface ResolvedConfig {
  botToken: string;
  appToken: string;
  apiUrl: string;
  replyInThread: boolean;
  attempts: number;
  maxRetryAfterSeconds: number;
  clientPingTimeoutMs: number;
  serverPingTimeoutMs: number;
  logger: SlackLogger;
  clock: () => Date;
  sleep: (ms: number) => Promise<void>;
}

const fn = <T>(name: string) => z.custom<T>((v) => typeof v === 'function', { message: `${name}: expected a function` });

const schema = z.object({
  botToken: z
    .string({ message: 'expected the bot token, a string starting with xoxb-' })
    .trim()
    .refine((v) => /^xoxb-\S+$/u.test(v), 'expected the bot token, starting with xoxb- (Slack app → OAuth & Permissions → Bot User OAuth Token)'),
  appToken: z
    .string({ message: 'expected the app-level token, a string starting with xapp-' })
    .trim()
    .refine((v) => /^xapp-\S+$/u.test(v), 'expected the app-level token, starting with xapp- (Slack app → Basic Information → App-Level Tokens, scope connections:write)'),
  apiUrl: z
    .string()
    .refine((v) => {
      try {
        const u = new URL(v);
        return (u.protocol === 'https:' || u.protocol === 'http:') && u.search === '' && u.hash === '';
      } catch {
        return false;
      }
    }, 'expected an http(s) URL without query, e.g. https://slack.com/api/')
    .transform((v) => v.replace(/\/*$/u, '/'))
    .default('https://slack.com/api/'),
  replyInThread: z.boolean().default(false),
  attempts: z.number().int().min(1).max(20).default(5),
  maxRetryAfterSeconds: z.number().finite().nonnegative().default(120),
  clientPingTimeoutMs: z.number().int().min(1).default(5_000),
  serverPingTimeoutMs: z.number().int().min(1).default(30_000),
  logger: z.custom<SlackLogger>((v) => v !== null && typeof v === 'object' && ['info', 'warn', 'error'].every((k) => typeof (v as Record<string, unknown>)[k] === 'function'), { message: 'expected a logger with info, warn and error' }).optional(),
  clock: fn<() => Date>('clock').optional(),
  sleep: fn<(ms: number) => Promise<void>>('sleep').optional(),
});

const quiet: SlackLogger = {
  info() {},
  warn(obj, msg) {
    console.warn(msg ?? '', obj);
  },
  error(obj, msg) {
    console.error(msg ?? '', obj);
  },
};

/**
 * Validates {@link SlackAdapterOptions} and fills in defaults.
 * @throws {SlackConfigError} naming every bad field.
 */
export function resolveConfig(options: SlackAdapterOptions): ResolvedConfig {
  const parsed = schema.safeParse(options ?? {});
  if (!parsed.success) {
    const fields = parsed.error.issues.map((i) => i.path.join('.') || '(options)');
    const lines = parsed.error.issues.map((i) => `${i.path.join('.') || '(options)'}: ${i.message}`);
    throw new SlackConfigError(`Invalid Slack adapter options: ${lines.join('; ')}`, [...new Set(fields)]);
  }
  const d = parsed.data;
  return {
    botToken: d.botToken,
    appToken: d.appToken,
    apiUrl: d.apiUrl,
    replyInThread: d.replyInThread,
    attempts: d.attempts,
    maxRetryAfterSeconds: d.maxRetryAfterSeconds,
    clientPingTimeoutMs: d.clientPingTimeoutMs,
    serverPingTimeoutMs: d.serverPingTimeoutMs,
    logger: d.logger ?? quiet,
    clock: d.clock ?? (() => new Date()),
    sleep: d.sleep ?? ((ms) => new Promise((resolve) => setTimeout(resolve, ms))),
  };
}

/**
 * The adapter's settings that a configuration file can hold (everything but the injected functions), with
 * their defaults: an app composes this into its own configuration schema instead of restating the rules.
 *
 * @example
 * const AppConfig = z.object({ slack: SlackSettingsSchema.optional() });
 */
export const SlackSettingsSchema = schema.omit({ logger: true, clock: true, sleep: true }).strict();

/** Settings as written in a configuration file (defaults not yet applied). */
export type SlackSettings = z.input<typeof SlackSettingsSchema>;
