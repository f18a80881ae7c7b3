/**
 * The interactive-card OpenAPI (互动卡片): `POST /v1.0/card/instances/createAndDeliver` puts a card from a
 * template into a group, delivered by the robot, with clicks called back over the Stream connection
 * (`callbackType: 'STREAM'`); `PUT /v1.0/card/instances` changes its data by `outTrackId`.
 */
import { randomBytes } from 'node:crypto';
import { AdapterError } from '@zwgk/chat-contract';
import type { ResolvedConfig } from '../config.js';
import { DingTalkApiError } from '../errors.js';
import { backoffDelay, classifyOpenApi, type HttpClient } from './http.js';
import type { RateLimiter } from './rate.js';
import { withFreshToken, type TokenProvider } from './token.js';

/** The open space id of a group: `dtv1.card//IM_GROUP.<openConversationId>`. */
export function groupSpaceId(conversationId: string): string {
  return `dtv1.card//IM_GROUP.${conversationId}`;
}

const TRACK_PREFIX = 'zwgk.';

/**
 * A new `outTrackId` that names its group: `zwgk.<base64url(openConversationId)>.<random>`. A card callback
 * carries only the `outTrackId`, so the group is read back from it ({@link conversationOfTrackId}) even after
 * a restart.
 *
 * @example
 * conversationOfTrackId(newOutTrackId('cid6KeBBLoveMJOGXoYKF5x7EeiodoA==')); // 'cid6KeBBLoveMJOGXoYKF5x7EeiodoA=='
 */
export function newOutTrackId(conversationId: string, random: () => Buffer = () => randomBytes(8)): string {
  return `${TRACK_PREFIX}${Buffer.from(conversationId, 'utf8').toString('base64url')}.${random().toString('hex')}`;
}

/** The group an `outTrackId` made by {@link newOutTrackId} names; undefined for any other id. */
export function conversationOfTrackId(outTrackId: string): string | undefined {
  const m = /^zwgk\.([A-Za-z0-9_-]+)\.[0-9a-f]+$/u.exec(outTrackId);
  if (!m) return undefined;
  const cid = Buffer.from(m[1] as string, 'base64url').toString('utf8');
  return cid === '' ? undefined : cid;
}

/** A button as the engine describes it (the contract's message actions). */
export interface CardAction {
  /** Stable id of the action; comes back as `IncomingMessage.action.id`. */
  id: string;
  /** The button's label, e.g. `已完成`. */
  label: string;
  /** The command the tap stands for, e.g. `确认 4`; comes back as `IncomingMessage.text`. */
  command: string;
  /** `primary` (blue, the default), `danger` (red) or anything else (gray). */
  style?: string;
}

/**
 * The `cardParamMap` of zwgk's card template (docs/dingtalk.md): `title`, `markdown`, and `buttons` as a JSON
 * string of `{ text, color, params: { action, command } }` — the params a button's 回传请求 sends back, which
 * `parseCardCallback` reads. No actions gives `buttons: '[]'` (a card that shows what was done).
 *
 * @example
 * toCardParamMap({ title: '本周待办', markdown: '**任务 4**', actions: [{ id: 'done-4', label: '已完成', command: '确认 4' }] });
 * // → { title: '本周待办', markdown: '**任务 4**', buttons: '[{"text":"已完成","color":"blue","params":{"action":"done-4","command":"确认 4"}}]' }
 */
export function toCardParamMap(card: { title: string; markdown: string; actions?: readonly CardAction[] }): Record<string, string> {
  const buttons = (card.actions ?? []).map((a) => ({
    text: a.label,
    color: a.style === undefined || a.style === 'primary' ? 'blue' : a.style === 'danger' ? 'red' : 'gray',
    params: { action: a.id, command: a.command },
  }));
  return { title: card.title, markdown: card.markdown, buttons: JSON.stringify(buttons) };
}

/** A card to create and deliver to a group. */
export interface CardToDeliver {
  /** The group (`openConversationId`). */
  conversationId: string;
  /** The template's variables; every value a string (lists JSON-encoded). */
  cardParamMap: Record<string, string>;
  /** Default: the configured `cards.templateId`. */
  templateId?: string;
  /** Default: a new {@link newOutTrackId}. Reuse the id of a failed attempt to retry it without a second card. */
  outTrackId?: string;
  /** Staff ids the card @-mentions. */
  atUserIds?: string[];
  /** The conversation-list preview (`imGroupOpenSpaceModel.lastMessageI18n.ZH_CN`). */
  preview?: string;
  /**
   * Called once, immediately before the request leaves (after the rate limiter), and awaited: the engine
   * marks the send as started there (the contract's `SendOptions.beforeRequest`). When it rejects, nothing is
   * sent and the call rejects with its error.
   */
  beforeRequest?: () => Promise<void>;
}

/** Creates, delivers and updates interactive cards for the adapter's robot. */
export interface DingTalkCardClient {
  /** The configured template id. */
  readonly templateId: string;
  /**
   * Creates the card and delivers it to the group, in one attempt, like a robot message: the caller (the
   * engine's outbox or DingTalk's redelivery) retries by the error's `retryable`, so retries are never
   * nested. Resolves with its `outTrackId` (the id to update it by, and the `sourceMessageId` of its taps).
   * `existed` is true when DingTalk already had a card with that `outTrackId` (a retry after an uncertain
   * attempt): it is not delivered twice.
   *
   * @throws {DingTalkApiError} when DingTalk refuses or fails: `retryable` only when the request provably did
   * not reach DingTalk (refused connection, an explicit 429/403 throttle or 5xx answer); `uncertain` when it
   * went out and no answer came (a timeout, a cut connection) — it may have been delivered, so it is not repeated
   * @throws {AdapterError} code `card_not_delivered` when the card was created but not delivered to the group
   */
  createAndDeliver(card: CardToDeliver): Promise<{ outTrackId: string; existed: boolean }>;
  /**
   * Changes a card's data. With `byKey` (default true) only the given variables change; otherwise the card's
   * data is replaced. An update posts no new message and setting the same data twice leaves the card as once,
   * so a throttled, failed or uncertain (timed-out) update is tried again here, with backoff, up to
   * `retry.attempts` — but only while no newer update of the same card has started, so an old retry never
   * overwrites newer data.
   *
   * @throws {DingTalkApiError} when DingTalk refuses it, or it failed every attempt (`superseded` updates
   * resolve: the newer one carries the card's data)
   */
  update(outTrackId: string, cardParamMap: Record<string, string>, options?: { byKey?: boolean }): Promise<void>;
}

/** What {@link createCardClient} needs. */
export interface CardClientParts {
  config: Pick<ResolvedConfig, 'apiBase' | 'clientId' | 'robotCode' | 'retry' | 'sleep' | 'random' | 'logger'> & { cards: { templateId: string } };
  http: HttpClient;
  tokens: TokenProvider;
  limiter: Pick<RateLimiter, 'acquire'>;
}

const DUPLICATE = /outTrackId[._ ]?(duplicate|exist)|重复|已存在/iu;

function checkParamMap(map: Record<string, string>): void {
  if (map === null || typeof map !== 'object') throw new TypeError('dingtalk cards: cardParamMap must be an object of strings');
  for (const [k, v] of Object.entries(map)) {
    if (typeof v !== 'string') throw new TypeError(`dingtalk cards: cardParamMap.${k} must be a string (JSON-encode lists)`);
  }
}

/** Creates the card client over the adapter's HTTP client, token cache and rate limiter. */
export function createCardClient({ config, http, tokens, limiter }: CardClientParts): DingTalkCardClient {
  const withToken = <T>(call: (token: string) => Promise<T>): Promise<T> => withFreshToken(tokens, config.clientId, call);
  /** The newest update started per card: an older one stops retrying once a newer one exists. */
  const latest = new Map<string, number>();
  let updates = 0;

  return {
    templateId: config.cards.templateId,

    async createAndDeliver(card) {
      if (typeof card?.conversationId !== 'string' || card.conversationId === '') throw new TypeError('dingtalk cards: conversationId must be a non-empty string');
      checkParamMap(card.cardParamMap);
      const outTrackId = card.outTrackId ?? newOutTrackId(card.conversationId);
      const deliver: Record<string, unknown> = { robotCode: config.robotCode };
      if (card.atUserIds && card.atUserIds.length > 0) deliver.atUserIds = Object.fromEntries(card.atUserIds.map((id) => [id, id]));
      const space: Record<string, unknown> = { supportForward: false };
      if (card.preview) space.lastMessageI18n = { ZH_CN: card.preview };
      const body = {
        cardTemplateId: card.templateId ?? config.cards.templateId,
        outTrackId,
        callbackType: 'STREAM',
        openSpaceId: groupSpaceId(card.conversationId),
        imGroupOpenSpaceModel: space,
        imGroupOpenDeliverModel: deliver,
        cardData: { cardParamMap: card.cardParamMap },
        userIdType: 1,
      };
      // Once, even when a 401 makes withFreshToken repeat the request with a new token.
      let marked = false;
      const before = async (): Promise<void> => {
        await limiter.acquire(card.conversationId);
        if (marked || !card.beforeRequest) return;
        marked = true;
        await card.beforeRequest();
      };
      let answer: unknown;
      try {
        answer = await withToken((token) =>
          http.post({
            what: `deliver card ${outTrackId} to ${card.conversationId}`,
            url: `${config.apiBase}/v1.0/card/instances/createAndDeliver`,
            body,
            headers: { 'x-acs-dingtalk-access-token': token },
            classify: classifyOpenApi,
            beforeAttempt: before,
            // A card shows in the group like a message: the engine retries it by `retryable`, one layer only.
            attempts: 1,
          }),
        );
      } catch (error) {
        // A card with this outTrackId exists: an earlier attempt got through (its answer was lost).
        if (error instanceof DingTalkApiError && error.kind === 'rejected' && DUPLICATE.test(`${error.code} ${error.message}`)) return { outTrackId, existed: true };
        throw error;
      }
      const results = (answer as { result?: { deliverResults?: unknown } } | null)?.result?.deliverResults;
      const failed = Array.isArray(results) ? results.find((r) => r !== null && typeof r === 'object' && (r as { success?: unknown }).success === false) : undefined;
      if (failed) {
        const why = (failed as { errorMsg?: unknown }).errorMsg;
        throw new AdapterError(`card ${outTrackId} was created but not delivered to ${card.conversationId}: ${typeof why === 'string' && why !== '' ? why : 'no reason given'}`, {
          code: 'card_not_delivered',
          retryable: false,
        });
      }
      return { outTrackId, existed: false };
    },

    async update(outTrackId, cardParamMap, options) {
      if (typeof outTrackId !== 'string' || outTrackId === '') throw new TypeError('dingtalk cards: outTrackId must be a non-empty string');
      checkParamMap(cardParamMap);
      const generation = ++updates;
      latest.set(outTrackId, generation);
      const body = { outTrackId, cardData: { cardParamMap }, cardUpdateOptions: { updateCardDataByKey: options?.byKey ?? true }, userIdType: 1 };
      try {
        for (let attempt = 1; ; attempt++) {
          try {
            await withToken((token) =>
              http.post({
                what: `update card ${outTrackId}`,
                method: 'PUT',
                url: `${config.apiBase}/v1.0/card/instances`,
                body,
                headers: { 'x-acs-dingtalk-access-token': token },
                // Not a robot message: the per-group send limit does not apply to card updates.
                classify: classifyOpenApi,
                attempts: 1,
              }),
            );
            return;
          } catch (error) {
            // An update replaces data by outTrackId and posts nothing: repeating one that may have arrived
            // (uncertain) shows nothing twice. Refusals are final.
            const again = error instanceof DingTalkApiError && (error.retryable || error.uncertain);
            if (!again || attempt >= config.retry.attempts) throw error;
            const delay = backoffDelay(attempt, config.retry, config.random);
            config.logger.warn({ what: `update card ${outTrackId}`, kind: error.kind, status: error.status, attempt, retryInMs: delay }, 'dingtalk card update failed, retrying');
            await config.sleep(delay);
            // A newer update of this card started meanwhile: it carries the newer data; this one must not undo it.
            if (latest.get(outTrackId) !== generation) return;
          }
        }
      } finally {
        if (latest.get(outTrackId) === generation) latest.delete(outTrackId);
      }
    },
  };
}
