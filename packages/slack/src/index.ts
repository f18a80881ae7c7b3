/**
 * @zwgk/slack — the Slack adapter of the zwgk bot, on `@slack/bolt` in Socket Mode: `app_mention` events in
 * over a WebSocket (no public HTTP endpoint needed), Block Kit replies and digests out through
 * `chat.postMessage`, with Retry-After handling. The Web API base is configurable, so the same code talks to the
 * loopback emulator {@link startSlackEmulator} in tests and the sandbox.
 *
 * @example
 * import { createSlackAdapter } from '@zwgk/slack';
 *
 * const slack = createSlackAdapter({ botToken: process.env.SLACK_BOT_TOKEN!, appToken: process.env.SLACK_APP_TOKEN! });
 *
 * @packageDocumentation
 */

// Adapter
export { createSlackAdapter } from './adapter.js';
export type { SlackAdapter, SlackAdapterState } from './adapter.js';
export { SlackSettingsSchema } from './config.js';
export type { SlackAdapterOptions, SlackLogger, SlackSettings } from './config.js';

// Errors
export { SlackApiError, SlackAuthError, SlackConfigError } from './errors.js';

// Incoming messages
export { parseSlackEvent, SLACK_PLATFORM, slackMentions, slackText } from './parse.js';
export type { ParseSlackOptions, ParseSlackResult, SlackRaw } from './parse.js';
export { parseBlockActions } from './interactive.js';
export type { ParseBlockActionsResult, SlackActionRaw } from './interactive.js';

// Rendering
export { MAX_BLOCKS, MAX_SECTION_TEXT, escapeSlack, escapeSlackLink, renderSlack, toSlackPosts } from './format.js';
export type { SlackMessage, SlackPost } from './format.js';

// Loopback emulator (tests, sandbox); needs the `ws` package at run time
export { startSlackEmulator } from './emulator/index.js';
export type {
  EnvelopeAttempt,
  EnvelopeRecord,
  SlackChannel,
  SlackChatMessage,
  SlackEmulator,
  SlackEmulatorCounters,
  SlackEmulatorOptions,
  SlackFaults,
  SlackPerson,
} from './emulator/index.js';
