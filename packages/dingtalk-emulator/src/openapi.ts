/**
 * The DingTalk HTTP APIs the robot uses: the Stream gateway's `connections/open`, oauth2 access
 * tokens, robot `groupMessages/send` and the session webhook (`/robot/sendBySession`).
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { handleCardApi } from './cards.js';
import { answerAccepted, readJson, sendJson } from './http.js';
import {
  API_ERRORS,
  WEBHOOK_ERRORS,
  apiErrorBody,
  isRecord,
  mentionsIn,
  newMsgId,
  newProcessQueryKey,
  parseMsgParam,
  parseWebhookBody,
  type ApiError,
  type MessageContent,
} from './protocol.js';
import type { EmulatorState } from './state.js';
import type { ChatMessage, MessageVia } from './types.js';

/** What the API handlers need. */
export interface ApiContext {
  state: EmulatorState;
  /** `http://127.0.0.1:PORT`, known once the server listens. */
  baseUrl(): string;
}

const SUBSCRIPTION_TYPES = ['EVENT', 'CALLBACK', 'SYSTEM'];

/** Handles a DingTalk API route; false when the path is not one. */
export async function handleOpenApi(ctx: ApiContext, req: IncomingMessage, res: ServerResponse, url: URL): Promise<boolean> {
  const route = `${req.method} ${url.pathname}`;
  switch (route) {
    case 'POST /v1.0/gateway/connections/open':
      await openConnection(ctx, req, res);
      return true;
    case 'POST /v1.0/oauth2/accessToken':
      await accessToken(ctx, req, res);
      return true;
    case 'GET /gettoken':
      legacyToken(ctx, res, url);
      return true;
    case 'POST /v1.0/robot/groupMessages/send':
      await groupSend(ctx, req, res);
      return true;
    case 'POST /robot/sendBySession':
      await sessionSend(ctx, req, res, url);
      return true;
    default:
      return handleCardApi(ctx.state, req, res, url);
  }
}

function apiError(res: ServerResponse, e: ApiError): void {
  sendJson(res, e.status, apiErrorBody(e.code, e.message));
}

async function openConnection(ctx: ApiContext, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const body = await readJson(req);
  if (!body.success) return apiError(res, { status: body.error.status, code: 'invalidParameter', message: body.error.message });
  const b = body.data;
  if (!isRecord(b)) return apiError(res, { status: 400, code: 'invalidParameter', message: 'body must be a JSON object' });
  const app = ctx.state.authenticate(b.clientId, b.clientSecret);
  if (!app) return apiError(res, API_ERRORS.badCredentials);
  const outage = ctx.state.gatewayFault();
  if (outage === 0) {
    res.socket?.destroy();
    return;
  }
  if (outage !== undefined) return apiError(res, API_ERRORS.serverError(outage));
  const subs = b.subscriptions;
  if (
    !Array.isArray(subs) ||
    subs.length === 0 ||
    !subs.every((s) => isRecord(s) && SUBSCRIPTION_TYPES.includes(s.type as string) && typeof s.topic === 'string' && s.topic !== '')
  ) {
    return apiError(res, {
      status: 400,
      code: 'invalidParameter.subscriptions',
      message: 'subscriptions must be a non-empty array of { type: EVENT|CALLBACK|SYSTEM, topic }',
    });
  }
  const subscriptions = (subs as Array<{ type: string; topic: string }>).map((s) => ({ type: s.type, topic: s.topic }));
  const ticket = ctx.state.openTicket(app, typeof b.ua === 'string' ? b.ua : '', subscriptions);
  const endpoint = `${ctx.baseUrl().replace(/^http/, 'ws')}/connect`;
  // The real gateway answers XML unless asked for JSON (the dingtalk-stream client says so too).
  if (!(req.headers.accept ?? '').includes('application/json')) {
    const xml = `<?xml version="1.0" encoding="UTF-8"?><OpenConnectionResponse><endpoint>${endpoint}</endpoint><ticket>${ticket}</ticket></OpenConnectionResponse>`;
    res.writeHead(200, { 'Content-Type': 'application/xml;charset=utf-8' });
    res.end(xml);
    return;
  }
  sendJson(res, 200, { endpoint, ticket });
}

async function accessToken(ctx: ApiContext, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const body = await readJson(req);
  if (!body.success) return apiError(res, { status: body.error.status, code: 'invalidParameter', message: body.error.message });
  const b = isRecord(body.data) ? body.data : {};
  if (typeof b.appKey !== 'string' || typeof b.appSecret !== 'string') {
    return apiError(res, { status: 400, code: 'MissingParameter', message: 'appKey and appSecret are required' });
  }
  const app = ctx.state.authenticate(b.appKey, b.appSecret);
  if (!app) return apiError(res, API_ERRORS.badCredentials);
  sendJson(res, 200, ctx.state.issueToken(app));
}

function legacyToken(ctx: ApiContext, res: ServerResponse, url: URL): void {
  const app = ctx.state.authenticate(url.searchParams.get('appkey'), url.searchParams.get('appsecret'));
  if (!app) return sendJson(res, 200, { errcode: 40089, errmsg: '不合法的corpid或corpsecret' });
  const t = ctx.state.issueToken(app);
  sendJson(res, 200, { errcode: 0, errmsg: 'ok', access_token: t.accessToken, expires_in: t.expireIn });
}

async function groupSend(ctx: ApiContext, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const { state } = ctx;
  const token = req.headers['x-acs-dingtalk-access-token'];
  const app = state.appOfToken(typeof token === 'string' ? token : undefined);
  if (!app) return apiError(res, API_ERRORS.badToken);
  const reject = (e: ApiError): void => {
    state.counters.rejectedSends++;
    apiError(res, e);
  };
  const body = await readJson(req);
  if (!body.success) return reject({ status: body.error.status, code: 'invalidParameter.param.invalid', message: body.error.message });
  const b = isRecord(body.data) ? body.data : {};
  if (typeof b.robotCode !== 'string' || b.robotCode === '') {
    return reject({ status: 400, code: 'invalidParameter.robotCode.missing', message: '缺少robotCode' });
  }
  const robot = state.appByRobotCode(b.robotCode);
  if (!robot) return reject({ status: 400, code: 'invalidParameter.robotCode.notExsit', message: `机器人不存在: ${b.robotCode}` });
  if (robot.clientId !== app.clientId) {
    return reject({ status: 400, code: 'invalidParameter.robotCode.auth', message: 'the access token belongs to another app than this robotCode' });
  }
  if (typeof b.openConversationId !== 'string' || b.openConversationId === '') {
    return reject({ status: 400, code: 'invalidParameter.param.invalid', message: 'openConversationId is required' });
  }
  const group = state.group(b.openConversationId);
  if (!group) return reject({ status: 400, code: 'invalid.openConversationId', message: `无效的openConversationId: ${b.openConversationId}` });
  const content = parseMsgParam(b.msgKey, b.msgParam, state.limits.maxMsgParamBytes);
  if (!content.success) return reject(content.error);

  const verdict = state.admitSend('openapi', app.clientId, group.conversationId);
  if (verdict.kind === 'throttle') return apiError(res, API_ERRORS.throttled(verdict.status));
  if (verdict.kind === 'fail') return apiError(res, API_ERRORS.serverError(verdict.status));

  const atUserIds = mentionsIn(textOf(content.data), group.members).map((m) => m.staffId);
  state.addMessage(botMessage(ctx, group.conversationId, app.robotCode, content.data, atUserIds, false, 'openapi'));
  state.counters.openapiSends++;
  answerAccepted(state, 'openapi', res, { processQueryKey: newProcessQueryKey() });
}

async function sessionSend(ctx: ApiContext, req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> {
  const { state } = ctx;
  const session = state.session(url.searchParams.get('session'));
  const webhookError = (e: { status: number; errcode: number; errmsg: string }): void =>
    sendJson(res, e.status, { errcode: e.errcode, errmsg: e.errmsg });
  if (!session) return webhookError(WEBHOOK_ERRORS.sessionMissing);
  const body = await readJson(req);
  if (!body.success) {
    state.counters.rejectedSends++;
    return webhookError({ status: body.error.status, errcode: 40035, errmsg: `缺少参数 json: ${body.error.message}` });
  }
  const parsed = parseWebhookBody(body.data, state.limits.maxWebhookBytes);
  if (!parsed.success) {
    state.counters.rejectedSends++;
    return webhookError(parsed.error);
  }
  const verdict = state.admitSend('webhook', session.clientId, session.conversationId);
  if (verdict.kind === 'throttle') return webhookError(WEBHOOK_ERRORS.tooFast);
  if (verdict.kind === 'fail') return webhookError(WEBHOOK_ERRORS.busy(verdict.status));

  const app = state.appByClientId(session.clientId);
  const { atUserIds, isAtAll, ...content } = parsed.data;
  state.addMessage(botMessage(ctx, session.conversationId, app?.robotCode ?? '', content, atUserIds, isAtAll, 'sessionWebhook'));
  state.counters.webhookSends++;
  answerAccepted(state, 'webhook', res, { errcode: 0, errmsg: 'ok' });
}

function botMessage(
  ctx: ApiContext,
  conversationId: string,
  robotCode: string,
  content: MessageContent,
  atUserIds: string[],
  isAtAll: boolean,
  via: MessageVia,
): ChatMessage {
  return {
    msgId: newMsgId(),
    conversationId,
    from: 'bot',
    robotCode,
    ...content,
    atUserIds,
    isAtAll,
    createdAt: ctx.state.now(),
    via,
  };
}

function textOf(c: MessageContent): string {
  return c.text ?? c.markdown?.text ?? c.actionCard?.text ?? c.link?.text ?? '';
}
