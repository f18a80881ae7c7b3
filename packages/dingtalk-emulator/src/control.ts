/**
 * The control API (`/_emulator/*`), a contract for tests, tools and the web page: groups, typing as
 * a member, every message of a group, faults, limits, state and a Server-Sent Events feed.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { handleCardControl } from './cards.js';
import { readJson, sendError, sendJson } from './http.js';
import { TOPIC_ROBOT, isRecord, mentionsIn, newMessageId, newMsgId, robotMessageData } from './protocol.js';
import type { EmulatorState } from './state.js';
import type { StreamGateway } from './stream.js';
import type { ChatMessage, EmulatorEvent, EmulatorSnapshot, FaultInput, Result } from './types.js';

/** What the control API needs. */
export interface ControlContext {
  state: EmulatorState;
  stream: StreamGateway;
  baseUrl(): string;
  /** Open SSE responses, ended when the emulator closes. */
  sseClients: Set<ServerResponse>;
}

/** Input of {@link postUserMessage} and `POST /_emulator/groups/:conversationId/messages`. */
export interface UserMessageInput {
  senderStaffId: string;
  text: string;
  /** The robot the message @-mentions. Default: the first app's. */
  robotCode?: string;
  /** Whether the message @-mentions the robot (and so reaches it). Default true. */
  atBot?: boolean;
}

/**
 * A member types in a group: the message is added to the group and, when it @-mentions the robot,
 * pushed to the robot's app as a CALLBACK (queued while no stream client is connected).
 */
export function postUserMessage(ctx: ControlContext, conversationId: string, input: unknown): Result<{ msgId: string; messageId?: string }> {
  const { state } = ctx;
  const bad = (message: string) => ({ success: false as const, error: { status: 400, message } });
  const group = state.group(conversationId);
  if (!group) return bad(`no group with conversationId ${conversationId}`);
  if (!isRecord(input)) return bad('body must be a JSON object { senderStaffId, text }');
  const { senderStaffId, robotCode, atBot } = input;
  if (typeof senderStaffId !== 'string') return bad('senderStaffId must be a string');
  const sender = group.members.find((m) => m.staffId === senderStaffId);
  if (!sender) return bad(`${senderStaffId} is not a member of ${group.title}; members: ${group.members.map((m) => m.staffId).join(', ') || 'none'}`);
  if (typeof input.text !== 'string' || input.text.trim() === '') return bad('text must be a non-empty string');
  if (robotCode !== undefined && typeof robotCode !== 'string') return bad('robotCode must be a string');
  if (atBot !== undefined && typeof atBot !== 'boolean') return bad('atBot must be a boolean');
  const app = robotCode === undefined ? state.apps[0]! : state.appByRobotCode(robotCode);
  if (!app) return bad(`no robot with robotCode ${robotCode}`);

  // A typed "@robot" is the mention itself: DingTalk strips it from the content.
  const text = input.text.trim().replace(new RegExp(`^@${escapeRegExp(app.name)}\\s*`), '').trim() || input.text.trim();
  const mentioned = mentionsIn(text, group.members);
  const now = state.now();
  const msgId = newMsgId();
  const message: ChatMessage = {
    msgId,
    conversationId,
    from: { staffId: sender.staffId, nick: sender.nick },
    msgtype: 'text',
    text,
    atUserIds: mentioned.map((m) => m.staffId),
    isAtAll: false,
    createdAt: now,
    via: 'user',
  };
  state.addMessage(message);
  if (atBot === false) return { success: true, data: { msgId } };

  const session = state.openSession(conversationId, app.clientId, now);
  const data = robotMessageData({
    conversationId,
    conversationTitle: group.title,
    msgId,
    sender,
    corpId: state.corpId,
    chatbotUserId: app.chatbotUserId,
    robotCode: app.robotCode,
    text,
    mentioned,
    createAt: now,
    sessionWebhook: `${ctx.baseUrl()}/robot/sendBySession?session=${session.key}`,
    sessionWebhookExpiredTime: session.expiresAt,
  });
  const messageId = newMessageId(now);
  ctx.stream.deliver(app, TOPIC_ROBOT, messageId, msgId, conversationId, data);
  return { success: true, data: { msgId, messageId } };
}

/**
 * The built-in malformed frames of the `malformedFrames` fault: what a broken gateway or a hostile
 * network could put on the socket. Each must be ignored (or answered) without harm by a client.
 */
export function malformedFrameSet(now: number): string[] {
  const topic = TOPIC_ROBOT;
  const headers = (extra: object = {}) => ({ appId: 'x', connectionId: 'x', contentType: 'application/json', messageId: `bad-${now}-${Math.random().toString(36).slice(2)}`, time: String(now), topic, ...extra });
  const frame = (f: object) => JSON.stringify(f);
  return [
    'not json at all',
    '{"truncated": ',
    '',
    'null',
    '[]',
    '42',
    '"a string"',
    frame({}),
    frame({ specVersion: '1.0' }),
    frame({ specVersion: '1.0', type: 'CALLBACK' }),
    frame({ specVersion: '1.0', type: 'CALLBACK', headers: null, data: '{}' }),
    frame({ specVersion: '1.0', type: 'CALLBACK', headers: headers(), data: 'not json' }),
    frame({ specVersion: '1.0', type: 'CALLBACK', headers: headers(), data: '{}' }),
    frame({ specVersion: '1.0', type: 'CALLBACK', headers: headers(), data: 'null' }),
    frame({ specVersion: '1.0', type: 'CALLBACK', headers: headers(), data: 42 }),
    frame({ specVersion: '1.0', type: 'CALLBACK', headers: headers(), data: JSON.stringify({ conversationId: 42, text: { content: null } }) }),
    frame({ specVersion: '1.0', type: 'CALLBACK', headers: headers(), data: JSON.stringify({ conversationId: 'cid-none', conversationType: '2', msgId: 'm', senderStaffId: 'nobody', text: 'not an object' }) }),
    frame({ specVersion: '1.0', type: 'CALLBACK', headers: headers({ topic: '/v1.0/unknown/topic' }), data: '{}' }),
    frame({ specVersion: '1.0', type: 'CALLBACK', headers: headers({ messageId: undefined }), data: '{}' }),
    frame({ specVersion: '1.0', type: 'EVENT', headers: headers({ topic: 'unknown_event' }), data: '{}' }),
    frame({ specVersion: '1.0', type: 'SYSTEM', headers: headers({ topic: 'ping' }), data: 'not json' }),
    frame({ specVersion: '1.0', type: 'SYSTEM', headers: headers({ topic: 'unknown' }), data: '{}' }),
    frame({ specVersion: '1.0', type: 'SYSTEM', headers: headers({ topic: 'KEEPALIVE' }) }),
    frame({ specVersion: '1.0', type: 'WHATEVER', headers: headers(), data: '{}' }),
    frame({ specVersion: '9.9', type: 'CALLBACK', headers: headers(), data: JSON.stringify({ msgtype: 'text' }) }),
    frame({ specVersion: '1.0', type: 'CALLBACK', headers: headers(), data: 'x'.repeat(64 * 1024) }),
    frame({ specVersion: '1.0', type: 'CALLBACK', headers: headers(), data: JSON.stringify({ conversationId: '\u0000', msgtype: 'text', text: { content: '\ud800' } }) }),
    frame({ type: 'CALLBACK', headers: headers(), data: JSON.stringify({ __proto__: { polluted: true }, constructor: { prototype: { polluted: true } } }) }),
  ];
}

/** Applies faults, including the gateway's `disconnect` and pushed malformed frames. */
export function injectFaults(ctx: ControlContext, input: unknown): Result<EmulatorSnapshot['faults'] & { disconnected: number; malformedSent: number }> {
  const applied = ctx.state.applyFaults(input);
  if (!applied.success) return applied;
  const f = input as FaultInput;
  const d = f.disconnect;
  const disconnected = d ? ctx.stream.disconnect(d === true ? {} : d) : 0;
  const frames = f.malformedFrames === true ? malformedFrameSet(ctx.state.now()) : (f.malformedFrames ?? []);
  const malformedSent = frames.length > 0 ? ctx.stream.sendRaw(frames) : 0;
  return { success: true, data: { ...applied.data, disconnected, malformedSent } };
}

/**
 * `GET /_emulator/state`. With `open: true` (`?deliveries=open`) `deliveries` lists only those not acknowledged
 * (queued, pending, failed): a poll that waits for acks stays small however many messages went before.
 */
export function snapshot(ctx: ControlContext, options: { open?: boolean } = {}): EmulatorSnapshot {
  const { state } = ctx;
  const deliveries = [...state.deliveries.values()].filter((d) => !options.open || d.status !== 'acked').map((d) => structuredClone(d));
  return {
    url: ctx.baseUrl(),
    apps: state.apps.map((a) => ({ clientId: a.clientId, robotCode: a.robotCode, name: a.name })),
    connections: ctx.stream.connectionInfos(),
    pendingAcks: deliveries.filter((d) => d.status === 'queued' || d.status === 'pending'),
    deliveries,
    faults: structuredClone(state.faults),
    limits: { ...state.limits },
    counters: { ...state.counters },
  };
}

/** Handles `/_emulator/*`; false for other paths. */
export async function handleControl(ctx: ControlContext, req: IncomingMessage, res: ServerResponse, url: URL): Promise<boolean> {
  if (url.pathname !== '/_emulator' && !url.pathname.startsWith('/_emulator/')) return false;
  let parts: string[];
  try {
    parts = url.pathname.split('/').slice(2).map((p) => decodeURIComponent(p));
  } catch {
    sendError(res, 400, `malformed percent-encoding in ${url.pathname}`);
    return true;
  }
  const method = req.method ?? 'GET';
  const answer = <T>(r: Result<T>, okStatus = 200): void =>
    r.success ? sendJson(res, okStatus, r.data) : sendError(res, r.error.status, r.error.message);
  const withBody = async (f: (body: unknown) => void): Promise<void> => {
    const body = await readJson(req);
    if (!body.success) return sendError(res, body.error.status, body.error.message);
    f(body.data);
  };
  const allow = (...methods: string[]): boolean => {
    if (methods.includes(method)) return true;
    sendError(res, 405, `${method} is not allowed on ${url.pathname}; use ${methods.join(' or ')}`);
    return false;
  };

  const [first, cid, sub, ...rest] = parts;
  if (first === 'groups' && cid === undefined) {
    if (!allow('GET', 'POST')) return true;
    if (method === 'GET') sendJson(res, 200, ctx.state.listGroups());
    else await withBody((b) => answer(ctx.state.createGroup(b), 201));
    return true;
  }
  if (first === 'groups' && cid !== undefined && sub === undefined) {
    if (!allow('GET')) return true;
    const g = ctx.state.group(cid);
    if (g) sendJson(res, 200, g);
    else sendError(res, 404, `no group with conversationId ${cid}`);
    return true;
  }
  if (first === 'groups' && cid !== undefined && sub === 'messages' && rest.length === 0) {
    if (!allow('GET', 'POST')) return true;
    if (method === 'POST') {
      await withBody((b) => answer(postUserMessage(ctx, cid, b), 201));
      return true;
    }
    const since = url.searchParams.get('since');
    if (since !== null && !/^\d{1,9}$/u.test(since)) {
      sendError(res, 400, `since must be a message index (a non-negative integer), not ${JSON.stringify(since)}`);
      return true;
    }
    const list = ctx.state.messagesOf(cid, since === null ? 0 : Number(since));
    if (list) sendJson(res, 200, list);
    else sendError(res, 404, `no group with conversationId ${cid}`);
    return true;
  }
  if (first === 'faults' && cid === undefined) {
    if (!allow('GET', 'POST', 'DELETE')) return true;
    if (method === 'GET') sendJson(res, 200, ctx.state.faults);
    else if (method === 'DELETE') sendJson(res, 200, ctx.state.clearFaults());
    else await withBody((b) => answer(injectFaults(ctx, b)));
    return true;
  }
  if (first === 'limits' && cid === undefined) {
    if (!allow('GET', 'POST')) return true;
    if (method === 'GET') sendJson(res, 200, ctx.state.limits);
    else await withBody((b) => answer(ctx.state.setLimits(b)));
    return true;
  }
  if (first === 'state' && cid === undefined) {
    const which = url.searchParams.get('deliveries');
    if (which !== null && which !== 'open' && which !== 'all') {
      sendError(res, 400, `deliveries must be open or all, not ${JSON.stringify(which)}`);
      return true;
    }
    if (allow('GET')) sendJson(res, 200, snapshot(ctx, { open: which === 'open' }));
    return true;
  }
  if (first === 'reset' && cid === undefined) {
    if (!allow('POST')) return true;
    ctx.stream.forgetDeliveries();
    ctx.state.reset();
    sendJson(res, 200, { ok: true });
    return true;
  }
  if (first === 'events' && cid === undefined) {
    if (allow('GET')) openEvents(ctx, req, res);
    return true;
  }
  if (await handleCardControl(ctx.state, ctx.stream, req, res, parts)) return true;
  sendError(
    res,
    404,
    `no control route ${url.pathname}; routes: /_emulator/groups, /_emulator/groups/:conversationId, /_emulator/groups/:conversationId/messages, /_emulator/faults, /_emulator/limits, /_emulator/state, /_emulator/reset, /_emulator/events, /_emulator/card-templates, /_emulator/cards, /_emulator/cards/:outTrackId/actions`,
  );
  return true;
}

function openEvents(ctx: ControlContext, req: IncomingMessage, res: ServerResponse): void {
  res.writeHead(200, {
    'Content-Type': 'text/event-stream;charset=utf-8',
    'Cache-Control': 'no-store',
    Connection: 'keep-alive',
    'X-Accel-Buffering': 'no',
  });
  res.write('retry: 1000\n\n');
  const onEvent = (e: EmulatorEvent): void => {
    res.write(`event: ${e.type}\ndata: ${JSON.stringify(e)}\n\n`);
  };
  const heartbeat = setInterval(() => res.write(': keep-alive\n\n'), 15_000);
  ctx.state.events.on('event', onEvent);
  ctx.sseClients.add(res);
  const stop = (): void => {
    clearInterval(heartbeat);
    ctx.state.events.off('event', onEvent);
    ctx.sseClients.delete(res);
  };
  req.on('close', stop);
  res.on('close', stop);
}

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
