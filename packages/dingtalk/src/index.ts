/**
 * @zwgk/dingtalk — the DingTalk adapter of the zwgk bot, on the official Stream SDK (`dingtalk-stream`):
 * robot messages in over the Stream gateway, replies and digests out through session webhooks and the robot
 * OpenAPI, with rate limits, retries and reconnection. The API base is configurable, so the same code talks
 * to `@zwgk/dingtalk-emulator`.
 *
 * @example
 * import { createDingTalkAdapter } from '@zwgk/dingtalk';
 *
 * const dingtalk = createDingTalkAdapter({
 *   clientId: process.env.DINGTALK_CLIENT_ID!,
 *   clientSecret: process.env.DINGTALK_CLIENT_SECRET!,
 *   robotCode: process.env.DINGTALK_ROBOT_CODE!,
 * });
 *
 * @packageDocumentation
 */

// Adapter
export { createDingTalkAdapter } from './adapter.js';
export type { DingTalkAdapter, DingTalkAdapterState } from './adapter.js';
export { DingTalkSettingsSchema } from './config.js';
export type { CardOptions, DingTalkAdapterOptions, DingTalkLogger, DingTalkSettings, RateOptions, ReconnectOptions, RetryOptions, SharedRateLimiter } from './config.js';

// Errors
export { DingTalkApiError, DingTalkAuthError, DingTalkConfigError } from './errors.js';
export type { DingTalkFailureKind } from './errors.js';

// Incoming messages
export { DINGTALK_PLATFORM, parseRobotMessage, stripMentions } from './parse.js';
export type { DingTalkRaw, ParseResult, ParseRobotOptions, ParsedRobotMessage } from './parse.js';

// Interactive cards
export { conversationOfTrackId, groupSpaceId, newOutTrackId, toCardParamMap } from './transport/card.js';
export type { CardAction, CardToDeliver, DingTalkCardClient } from './transport/card.js';
export { parseCardCallback } from './card-callback.js';
export type { DingTalkCardRaw, ParseCardCallbackOptions, ParseCardResult } from './card-callback.js';

// Rendering
export { escapeMarkdown, escapeMarkdownLink, planMessage, renderDingTalk, sendMessageLink, splitMarkdown, toOpenApiMessage, toWebhookBody } from './format.js';
export type { Channel, DingTalkButton, DingTalkMessage, DingTalkPart, OpenApiMessage, RenderDingTalkOptions } from './format.js';

// Flow control
export { createRateLimiter } from './transport/rate.js';
export type { RateLimiter, RateLimiterOptions } from './transport/rate.js';
