/**
 * The emulator's in-memory state: apps, groups and their messages, access tokens, stream tickets,
 * session webhooks, send windows, faults, deliveries and counters. No I/O; time comes from `now`.
 */
import { EventEmitter } from 'node:events';
import {
  newAccessToken,
  newConversationId,
  newSessionKey,
  newTicket,
  isRecord,
  dingtalkIdOf,
} from './protocol.js';
import { CardRegistry } from './cards.js';
import type {
  ChatMessage,
  Counters,
  DeliveryRecord,
  EmulatorApp,
  EmulatorEvent,
  FaultInput,
  FaultState,
  Group,
  Limits,
  Member,
  Result,
  SendTarget,
} from './types.js';

/** An app with the ids DingTalk derives for it. */
export interface AppRecord extends Required<EmulatorApp> {
  /** The `appId` stream frames carry. */
  appId: string;
  /** The robot's DingTalk id (`chatbotUserId`). */
  chatbotUserId: string;
}

interface TicketRecord {
  clientId: string;
  ua: string;
  subscriptions: Array<{ type: string; topic: string }>;
  expiresAt: number;
}

interface SessionRecord {
  conversationId: string;
  clientId: string;
  expiresAt: number;
}

/** Why a send is refused before it is looked at. */
export type SendVerdict = { kind: 'ok' } | { kind: 'throttle'; status: number } | { kind: 'fail'; status: number };

const ONE_MINUTE = 60_000;

/** Settings of {@link EmulatorState}. */
export interface StateOptions {
  apps: EmulatorApp[];
  corpId: string;
  tokenTtlSeconds: number;
  ticketTtlMs: number;
  sessionWebhookTtlMs: number;
  limits: Limits;
  now: () => number;
}

/** In-memory state shared by the gateway, the OpenAPI and the control API. */
export class EmulatorState {
  readonly apps: AppRecord[];
  readonly corpId: string;
  readonly events = new EventEmitter();
  limits: Limits;
  faults: FaultState = freshFaults();
  counters: Counters = freshCounters();
  readonly deliveries = new Map<string, DeliveryRecord>();
  /** Card templates and interactive card instances. */
  readonly cards = new CardRegistry();

  private readonly groups = new Map<string, Group>();
  private readonly messages = new Map<string, ChatMessage[]>();
  private readonly tokens = new Map<string, { clientId: string; expiresAt: number }>();
  private readonly tickets = new Map<string, TicketRecord>();
  private readonly sessions = new Map<string, SessionRecord>();
  private readonly sendWindows = new Map<string, number[]>();

  constructor(private readonly options: StateOptions) {
    if (options.apps.length === 0) throw new Error('the emulator needs at least one app');
    const seen = new Set<string>();
    this.apps = options.apps.map((a, i) => {
      if (!a.clientId || !a.clientSecret || !a.robotCode) throw new Error(`app ${i} needs clientId, clientSecret and robotCode`);
      if (seen.has(a.clientId)) throw new Error(`duplicate app clientId ${a.clientId}`);
      seen.add(a.clientId);
      return {
        ...a,
        name: a.name ?? '政务公开助手',
        appId: `app-${Buffer.from(a.clientId).toString('hex').slice(0, 24)}`,
        chatbotUserId: dingtalkIdOf(`robot:${a.robotCode}`),
      };
    });
    this.corpId = options.corpId;
    this.limits = { ...options.limits };
    this.events.setMaxListeners(0);
  }

  /** The clock every timestamp comes from. */
  now(): number {
    return this.options.now();
  }

  emit(event: EmulatorEvent): void {
    this.events.emit('event', event);
  }

  appByClientId(clientId: string): AppRecord | undefined {
    return this.apps.find((a) => a.clientId === clientId);
  }

  appByRobotCode(robotCode: string): AppRecord | undefined {
    return this.apps.find((a) => a.robotCode === robotCode);
  }

  /** The app whose credentials these are, if they are right. */
  authenticate(clientId: unknown, clientSecret: unknown): AppRecord | undefined {
    const app = typeof clientId === 'string' ? this.appByClientId(clientId) : undefined;
    return app && app.clientSecret === clientSecret ? app : undefined;
  }

  // ---- groups and messages -------------------------------------------------------------------

  /** Validates and adds a group. 400 on bad input, 409 when the id is taken. */
  createGroup(input: unknown): Result<Group> {
    if (!isRecord(input)) return bad(400, 'body must be a JSON object { title, members, conversationId? }');
    const { title, members, conversationId } = input;
    if (typeof title !== 'string' || title.trim() === '') return bad(400, 'title must be a non-empty string');
    if (!Array.isArray(members)) return bad(400, 'members must be an array of { staffId, nick }');
    const list: Member[] = [];
    for (const [i, m] of members.entries()) {
      if (!isRecord(m) || typeof m.staffId !== 'string' || m.staffId.trim() === '') {
        return bad(400, `members[${i}].staffId must be a non-empty string`);
      }
      if (m.nick !== undefined && (typeof m.nick !== 'string' || m.nick.trim() === '')) {
        return bad(400, `members[${i}].nick must be a non-empty string`);
      }
      if (list.some((x) => x.staffId === m.staffId)) return bad(400, `members[${i}].staffId ${m.staffId} appears twice`);
      list.push({ staffId: m.staffId, nick: (m.nick as string | undefined) ?? m.staffId, ...(m.isAdmin === true ? { isAdmin: true } : {}) });
    }
    if (conversationId !== undefined && (typeof conversationId !== 'string' || conversationId.trim() === '')) {
      return bad(400, 'conversationId must be a non-empty string when given');
    }
    const id = (conversationId as string | undefined) ?? newConversationId();
    if (this.groups.has(id)) return bad(409, `a group with conversationId ${id} exists`);
    const group: Group = { conversationId: id, title: title.trim(), members: list };
    this.groups.set(id, group);
    this.messages.set(id, []);
    this.emit({ type: 'group', group: structuredClone(group) });
    return { success: true, data: structuredClone(group) };
  }

  listGroups(): Group[] {
    return [...this.groups.values()].map((g) => structuredClone(g));
  }

  group(conversationId: string): Group | undefined {
    return this.groups.get(conversationId);
  }

  addMessage(message: ChatMessage): void {
    const list = this.messages.get(message.conversationId);
    if (!list) throw new Error(`no group ${message.conversationId}`);
    list.push(message);
    this.emit({ type: 'message', message: structuredClone(message) });
  }

  /** Changes a message in place (a card update) and announces it as `messageUpdate`; false when there is no such message. */
  updateMessage(conversationId: string, msgId: string, change: (m: ChatMessage) => void): boolean {
    const message = this.messages.get(conversationId)?.find((m) => m.msgId === msgId);
    if (!message) return false;
    change(message);
    this.emit({ type: 'messageUpdate', message: structuredClone(message) });
    return true;
  }

  /** A group's messages, oldest first, from index `since` on (default 0: all); undefined for no such group. */
  messagesOf(conversationId: string, since = 0): ChatMessage[] | undefined {
    const list = this.messages.get(conversationId);
    return list?.slice(since).map((m) => structuredClone(m));
  }

  // ---- tokens, tickets, sessions -------------------------------------------------------------

  /** Issues an access token; while one is valid DingTalk answers the same token, and so does this. */
  issueToken(app: AppRecord): { accessToken: string; expireIn: number } {
    const now = this.now();
    this.counters.tokensIssued++;
    const ttlMs = this.options.tokenTtlSeconds * 1000;
    for (const [token, t] of this.tokens) {
      if (t.clientId === app.clientId && t.expiresAt > now) {
        return { accessToken: token, expireIn: Math.max(0, Math.floor((t.expiresAt - now) / 1000)) };
      }
    }
    const accessToken = newAccessToken();
    this.tokens.set(accessToken, { clientId: app.clientId, expiresAt: now + ttlMs });
    return { accessToken, expireIn: this.options.tokenTtlSeconds };
  }

  /** The app a token belongs to, if it is valid now. */
  appOfToken(token: string | undefined): AppRecord | undefined {
    const t = token ? this.tokens.get(token) : undefined;
    if (!t || t.expiresAt <= this.now()) return undefined;
    return this.appByClientId(t.clientId);
  }

  openTicket(app: AppRecord, ua: string, subscriptions: Array<{ type: string; topic: string }>): string {
    const ticket = newTicket();
    this.tickets.set(ticket, { clientId: app.clientId, ua, subscriptions, expiresAt: this.now() + this.options.ticketTtlMs });
    this.counters.gatewayOpens++;
    return ticket;
  }

  /** Consumes a ticket: valid once, within its lifetime. */
  takeTicket(ticket: string | null): TicketRecord | undefined {
    if (!ticket) return undefined;
    const t = this.tickets.get(ticket);
    this.tickets.delete(ticket);
    return t && t.expiresAt > this.now() ? t : undefined;
  }

  /** Issues a session webhook key valid from `from` (default now) for the configured lifetime. */
  openSession(conversationId: string, clientId: string, from = this.now()): { key: string; expiresAt: number } {
    const key = newSessionKey();
    const expiresAt = from + this.options.sessionWebhookTtlMs;
    this.sessions.set(key, { conversationId, clientId, expiresAt });
    return { key, expiresAt };
  }

  session(key: string | null): SessionRecord | undefined {
    const s = key ? this.sessions.get(key) : undefined;
    return s && s.expiresAt > this.now() ? s : undefined;
  }

  // ---- sends: faults and rate limits ---------------------------------------------------------

  /**
   * Decides whether a robot send goes through: armed faults first, then the per-app and per-group
   * one-minute windows. An admitted send is counted in the windows. `windows: false` (card updates, which
   * post no message) checks the armed faults only.
   */
  admitSend(target: Exclude<SendTarget, 'any'>, clientId: string, conversationId: string, options: { windows?: boolean } = {}): SendVerdict {
    const f = this.faults;
    if (f.failSends.count > 0 && matches(f.failSends.target, target)) {
      f.failSends.count--;
      this.counters.failedSends++;
      return { kind: 'fail', status: f.failSends.status };
    }
    if (f.throttle.count > 0 && matches(f.throttle.target, target)) {
      f.throttle.count--;
      this.counters.throttled++;
      return { kind: 'throttle', status: f.throttle.status };
    }
    if (options.windows === false) return { kind: 'ok' };
    const now = this.now();
    const appKey = `app:${clientId}`;
    const groupKey = `group:${clientId}:${conversationId}`;
    const over = (key: string, limit: number | undefined): boolean =>
      limit !== undefined && this.window(key, now).length >= limit;
    if (over(appKey, this.limits.appPerMinute) || over(groupKey, this.limits.groupPerMinute)) {
      this.counters.throttled++;
      return { kind: 'throttle', status: 403 };
    }
    this.countSend(appKey, now);
    this.countSend(groupKey, now);
    return { kind: 'ok' };
  }

  /**
   * What happens to the answer of a send that was accepted: given now, held back (`delayAnswers`) or
   * never given (`dropAnswers`). Consumes one armed fault.
   */
  answerFault(target: Exclude<SendTarget, 'any'>): { kind: 'now' } | { kind: 'delay'; ms: number } | { kind: 'drop' } {
    const f = this.faults;
    if (f.dropAnswers.count > 0 && matches(f.dropAnswers.target, target)) {
      f.dropAnswers.count--;
      this.counters.droppedAnswers++;
      return { kind: 'drop' };
    }
    if (f.delayAnswers.count > 0 && matches(f.delayAnswers.target, target)) {
      f.delayAnswers.count--;
      this.counters.delayedAnswers++;
      return { kind: 'delay', ms: f.delayAnswers.ms };
    }
    return { kind: 'now' };
  }

  /** Whether the next `connections/open` fails (`gatewayDown`): the status to answer (0: cut), or undefined. */
  gatewayFault(): number | undefined {
    const g = this.faults.gatewayDown;
    if (g.count <= 0) return undefined;
    g.count--;
    this.counters.gatewayRefusals++;
    return g.status;
  }

  /** The sends of the last minute under `key`, oldest first (older ones are dropped here). */
  private window(key: string, now: number): number[] {
    let list = this.sendWindows.get(key);
    if (!list) this.sendWindows.set(key, (list = []));
    // Sorted, so the expired ones are a prefix: dropping them costs nothing per send under a steady rate.
    let expired = 0;
    while (expired < list.length && list[expired]! <= now - (this.limits.windowMs ?? ONE_MINUTE)) expired++;
    if (expired > 0) list.splice(0, expired);
    return list;
  }

  /** Counts a send at `now` in a window, keeping it sorted (the clock may be set back in tests). */
  private countSend(key: string, now: number): void {
    const list = this.window(key, now);
    let at = list.length;
    while (at > 0 && list[at - 1]! > now) at--;
    list.splice(at, 0, now);
  }

  /** Arms faults (counts add up). `disconnect` is the gateway's business and is ignored here. */
  applyFaults(input: unknown): Result<FaultState> {
    if (!isRecord(input)) return bad(400, 'body must be a JSON object of faults');
    const known = ['dropAcks', 'disconnect', 'throttle', 'failSends', 'expireTokens', 'expireSessions', 'delayAnswers', 'dropAnswers', 'gatewayDown', 'malformedFrames'];
    const unknown = Object.keys(input).filter((k) => !known.includes(k));
    if (unknown.length > 0) return bad(400, `unknown fault ${unknown.join(', ')}; known: ${known.join(', ')}`);
    const f = input as FaultInput;
    if (f.dropAcks !== undefined && !isCount(f.dropAcks)) return bad(400, 'dropAcks must be a non-negative integer');
    const checkSend = (name: string, v: unknown, statuses: (s: number) => boolean): string | undefined => {
      if (v === undefined) return undefined;
      if (!isRecord(v) || !isCount(v.count)) return `${name}.count must be a non-negative integer`;
      if (v.status !== undefined && (typeof v.status !== 'number' || !statuses(v.status))) return `${name}.status is not allowed`;
      if (v.target !== undefined && !['openapi', 'webhook', 'card', 'any'].includes(v.target as string)) {
        return `${name}.target must be openapi, webhook, card or any`;
      }
      return undefined;
    };
    const e1 = checkSend('throttle', f.throttle, (s) => s === 403 || s === 429);
    if (e1) return bad(400, e1);
    const e2 = checkSend('failSends', f.failSends, (s) => Number.isInteger(s) && s >= 500 && s <= 599);
    if (e2) return bad(400, e2);
    const e3 = checkSend('delayAnswers', f.delayAnswers, () => false);
    if (e3) return bad(400, e3);
    if (f.delayAnswers && !isCount((f.delayAnswers as { ms?: unknown }).ms)) return bad(400, 'delayAnswers.ms must be a non-negative integer');
    const e4 = checkSend('dropAnswers', f.dropAnswers, () => false);
    if (e4) return bad(400, e4);
    if (f.gatewayDown !== undefined) {
      const g = f.gatewayDown as unknown;
      if (!isRecord(g) || !isCount(g.count)) return bad(400, 'gatewayDown.count must be a non-negative integer');
      if (g.status !== undefined && !(g.status === 0 || (Number.isInteger(g.status) && (g.status as number) >= 400 && (g.status as number) <= 599))) {
        return bad(400, 'gatewayDown.status must be 0 (cut the connection) or an HTTP error status 400–599');
      }
    }
    if (f.malformedFrames !== undefined && f.malformedFrames !== true && !(Array.isArray(f.malformedFrames) && f.malformedFrames.every((x) => typeof x === 'string'))) {
      return bad(400, 'malformedFrames must be true or a list of raw frame texts');
    }
    if (f.disconnect !== undefined && typeof f.disconnect !== 'boolean' && !isRecord(f.disconnect)) {
      return bad(400, 'disconnect must be true or { graceMs?, reason?, clientId? }');
    }
    if (isRecord(f.disconnect)) {
      const d = f.disconnect;
      if (d.graceMs !== undefined && !isCount(d.graceMs)) return bad(400, 'disconnect.graceMs must be a non-negative integer');
      if (d.clientId !== undefined && !this.appByClientId(d.clientId)) return bad(400, `disconnect.clientId ${d.clientId} is not an app`);
    }

    if (f.dropAcks) this.faults.dropAcks += f.dropAcks;
    if (f.throttle) {
      this.faults.throttle = {
        count: this.faults.throttle.count + f.throttle.count,
        status: f.throttle.status ?? 403,
        target: f.throttle.target ?? 'any',
      };
    }
    if (f.failSends) {
      this.faults.failSends = {
        count: this.faults.failSends.count + f.failSends.count,
        status: f.failSends.status ?? 500,
        target: f.failSends.target ?? 'any',
      };
    }
    if (f.delayAnswers) {
      this.faults.delayAnswers = { count: this.faults.delayAnswers.count + f.delayAnswers.count, ms: f.delayAnswers.ms, target: f.delayAnswers.target ?? 'any' };
    }
    if (f.dropAnswers) {
      this.faults.dropAnswers = { count: this.faults.dropAnswers.count + f.dropAnswers.count, target: f.dropAnswers.target ?? 'any' };
    }
    if (f.gatewayDown) {
      this.faults.gatewayDown = { count: this.faults.gatewayDown.count + f.gatewayDown.count, status: f.gatewayDown.status ?? 503 };
    }
    if (f.expireTokens) this.tokens.clear();
    if (f.expireSessions) for (const s of this.sessions.values()) s.expiresAt = 0;
    return { success: true, data: structuredClone(this.faults) };
  }

  clearFaults(): FaultState {
    this.faults = freshFaults();
    return structuredClone(this.faults);
  }

  /** Changes limits; 400 on values that are not positive integers (null removes a rate limit). */
  setLimits(input: unknown): Result<Limits> {
    if (!isRecord(input)) return bad(400, 'body must be a JSON object of limits');
    const next: Limits = { ...this.limits };
    for (const [k, v] of Object.entries(input)) {
      if (k === 'appPerMinute' || k === 'groupPerMinute' || k === 'windowMs') {
        if (v === null) delete next[k];
        else if (isCount(v) && v > 0) next[k] = v;
        else return bad(400, `${k} must be a positive integer or null`);
      } else if (k === 'maxMsgParamBytes' || k === 'maxWebhookBytes') {
        if (isCount(v) && v > 0) next[k] = v;
        else return bad(400, `${k} must be a positive integer`);
      } else {
        return bad(400, `unknown limit ${k}; known: appPerMinute, groupPerMinute, windowMs, maxMsgParamBytes, maxWebhookBytes`);
      }
    }
    this.limits = next;
    return { success: true, data: { ...next } };
  }

  /** Forgets groups, messages, tokens, sessions, deliveries, faults and counters (apps stay). */
  reset(): void {
    this.groups.clear();
    this.messages.clear();
    this.tokens.clear();
    this.tickets.clear();
    this.sessions.clear();
    this.sendWindows.clear();
    this.deliveries.clear();
    this.cards.clearInstances();
    this.faults = freshFaults();
    this.counters = freshCounters();
    this.limits = { ...this.options.limits };
    this.emit({ type: 'reset' });
  }
}

function matches(faultTarget: SendTarget, target: Exclude<SendTarget, 'any'>): boolean {
  // Card calls are OpenAPI calls: an `openapi` fault reaches them as well as robot messages.
  return faultTarget === 'any' || faultTarget === target || (faultTarget === 'openapi' && target === 'card');
}

function isCount(v: unknown): v is number {
  return typeof v === 'number' && Number.isInteger(v) && v >= 0;
}

function bad(status: number, message: string): { success: false; error: { status: number; message: string } } {
  return { success: false, error: { status, message } };
}

function freshFaults(): FaultState {
  return {
    dropAcks: 0,
    throttle: { count: 0, status: 403, target: 'any' },
    failSends: { count: 0, status: 500, target: 'any' },
    delayAnswers: { count: 0, ms: 0, target: 'any' },
    dropAnswers: { count: 0, target: 'any' },
    gatewayDown: { count: 0, status: 503 },
  };
}

function freshCounters(): Counters {
  return {
    tokensIssued: 0,
    gatewayOpens: 0,
    openapiSends: 0,
    webhookSends: 0,
    throttled: 0,
    failedSends: 0,
    rejectedSends: 0,
    callbacksSent: 0,
    redeliveries: 0,
    acks: 0,
    pings: 0,
    pingEchoes: 0,
    malformedFrames: 0,
    delayedAnswers: 0,
    droppedAnswers: 0,
    gatewayRefusals: 0,
    malformedFramesSent: 0,
  };
}
