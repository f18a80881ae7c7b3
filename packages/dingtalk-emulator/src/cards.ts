/**
 * Interactive cards (互动卡片): card templates registered by id, the card OpenAPI the robot uses
 * (`POST /v1.0/card/instances/createAndDeliver`, `PUT /v1.0/card/instances`), and the button clicks that
 * DingTalk sends back over the Stream connection on topic `/v1.0/card/instances/callback`.
 *
 * Sources: the card OpenAPI reference (创建并投放卡片, 更新卡片; request fields as in DingTalk's
 * `card_1.0` SDK models), the 互动卡片 tutorial (callback `{corpId, outTrackId, userId, value}` with
 * `cardPrivateData.actionIds/params`) and the Stream SDKs' card callback message
 * (`extension, corpId, spaceType, userIdType, type:'actionCallback', userId, content, spaceId, outTrackId, value`).
 *
 * The emulator cannot run a template built in DingTalk's card designer, so a template is described by
 * which of its variables hold the title, the markdown body and the button list (a JSON string, since
 * `cardParamMap` values are strings). See {@link CardTemplate}.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { answerAccepted, readJson, sendError, sendJson } from './http.js';
import { API_ERRORS, apiErrorBody, isRecord, newMessageId, newMsgId, type ApiError } from './protocol.js';
import type { EmulatorState } from './state.js';
import type { StreamGateway } from './stream.js';
import type { CardButton, CardView, ChatMessage, Result } from './types.js';

/** The card callback topic (`TOPIC_CARD` of `dingtalk-stream`). */
export const TOPIC_CARD = '/v1.0/card/instances/callback';

/** The open space id prefix of a group (`dtv1.card//IM_GROUP.<openConversationId>`). */
export const IM_GROUP_SPACE = 'dtv1.card//IM_GROUP.';

/**
 * A card template as the emulator knows it: the id the card designer gave it and which variables
 * hold what. `POST /_emulator/card-templates` takes the same shape.
 *
 * The button list variable holds a JSON array of {@link CardButton}: `{ text, actionId?, color?, params? }`.
 * A click sends `cardPrivateData: { actionIds: [actionId], params }`, which is what a template built in
 * DingTalk's designer sends when its button (in a loop over the list) has a 回传请求 with those params.
 *
 * @example
 * { cardTemplateId: 'zwgk-action.schema', name: '政务公开操作卡片' } // title / markdown / buttons
 */
export interface CardTemplate {
  /** The template id (`cardTemplateId`). */
  cardTemplateId: string;
  /** Shown in listings. Default: the id. */
  name?: string;
  /** The variable holding the card's title. Default `title`. */
  titleVariable?: string;
  /** The variable holding the card's markdown body. Default `markdown`. */
  markdownVariable?: string;
  /** The variable holding the JSON button list. Default `buttons`. */
  buttonsVariable?: string;
  /** `actionIds[0]` of a button entry without its own `actionId`. Default `action`. */
  buttonActionId?: string;
  /** Variables every card of the template must set. Default: the title and markdown variables. */
  requiredVariables?: string[];
}

type ResolvedTemplate = Required<CardTemplate>;

/** One card instance: what `createAndDeliver` created, where it went, and its current data. */
export interface CardInstance {
  outTrackId: string;
  cardTemplateId: string;
  clientId: string;
  /** `STREAM`, `HTTP` or absent (then DingTalk sends callbacks nowhere). */
  callbackType: string | undefined;
  cardParamMap: Record<string, string>;
  /** Where it was delivered: a group and the chat message that shows it there. */
  deliveries: Array<{ conversationId: string; msgId: string }>;
  version: number;
  createdAt: number;
  updatedAt: number;
}

/** Input of a button click (`POST /_emulator/cards/:outTrackId/actions`). */
export interface CardClickInput {
  /** The staff id of the member who clicks; must be in a group the card was delivered to. */
  userId: string;
  /** 0-based index of the button in the card's list (or give `text`). */
  button?: number;
  /** The button's label (or give `button`). */
  text?: string;
}

/** What a click sends: the callback's `data` and the stream message id tracking it. */
export interface CardClickResult {
  /** The stream `headers.messageId` (the same on redeliveries). */
  messageId: string;
  outTrackId: string;
  conversationId: string;
  actionIds: string[];
  params: Record<string, string>;
}

/** The card callback as DingTalk pushes it in the CALLBACK frame's `data` (before stringifying). */
export interface CardCallbackData {
  extension: string;
  corpId: string;
  spaceType: string;
  userIdType: number;
  type: 'actionCallback';
  userId: string;
  /** JSON: `{"cardPrivateData":{"actionIds":[…],"params":{…}}}`. */
  content: string;
  spaceId: string;
  outTrackId: string;
  /** The same JSON as `content` (older SDKs read this one). */
  value: string;
}

const OUT_TRACK_ID = /^[\w.:@+=/-]{1,128}$/u;

/** Templates and card instances. No I/O; the handlers below use it. */
export class CardRegistry {
  private readonly templates = new Map<string, ResolvedTemplate>();
  private readonly instances = new Map<string, CardInstance>();

  /** Validates and registers (or replaces) a template. */
  registerTemplate(input: unknown): Result<ResolvedTemplate> {
    if (!isRecord(input)) return bad(400, 'body must be a JSON object { cardTemplateId, name?, titleVariable?, markdownVariable?, buttonsVariable?, buttonActionId?, requiredVariables? }');
    const known = ['cardTemplateId', 'name', 'titleVariable', 'markdownVariable', 'buttonsVariable', 'buttonActionId', 'requiredVariables'];
    const unknown = Object.keys(input).filter((k) => !known.includes(k));
    if (unknown.length > 0) return bad(400, `unknown template field ${unknown.join(', ')}; known: ${known.join(', ')}`);
    for (const k of known.slice(0, 6)) {
      const v = input[k];
      if (v === undefined && k !== 'cardTemplateId') continue;
      if (typeof v !== 'string' || v.trim() === '') return bad(400, `${k} must be a non-empty string`);
    }
    const req = input.requiredVariables;
    if (req !== undefined && (!Array.isArray(req) || !req.every((v) => typeof v === 'string' && v !== ''))) {
      return bad(400, 'requiredVariables must be an array of variable names');
    }
    const titleVariable = (input.titleVariable as string | undefined) ?? 'title';
    const markdownVariable = (input.markdownVariable as string | undefined) ?? 'markdown';
    const t: ResolvedTemplate = {
      cardTemplateId: input.cardTemplateId as string,
      name: (input.name as string | undefined) ?? (input.cardTemplateId as string),
      titleVariable,
      markdownVariable,
      buttonsVariable: (input.buttonsVariable as string | undefined) ?? 'buttons',
      buttonActionId: (input.buttonActionId as string | undefined) ?? 'action',
      requiredVariables: (req as string[] | undefined) ?? [titleVariable, markdownVariable],
    };
    this.templates.set(t.cardTemplateId, t);
    return { success: true, data: { ...t, requiredVariables: [...t.requiredVariables] } };
  }

  template(id: string): ResolvedTemplate | undefined {
    return this.templates.get(id);
  }

  listTemplates(): ResolvedTemplate[] {
    return [...this.templates.values()].map((t) => ({ ...t, requiredVariables: [...t.requiredVariables] }));
  }

  instance(outTrackId: string): CardInstance | undefined {
    return this.instances.get(outTrackId);
  }

  listInstances(): CardInstance[] {
    return [...this.instances.values()].map((c) => structuredClone(c));
  }

  add(instance: CardInstance): void {
    this.instances.set(instance.outTrackId, instance);
  }

  /** Forgets card instances (templates stay: they are configuration). */
  clearInstances(): void {
    this.instances.clear();
  }

  /** The card as a group shows it. Buttons that do not parse were refused at create/update time. */
  view(card: CardInstance): CardView {
    const t = this.templates.get(card.cardTemplateId);
    const map = card.cardParamMap;
    const buttons = t ? (parseButtons(map[t.buttonsVariable]) as { ok: true; buttons: CardButton[] }).buttons ?? [] : [];
    return {
      outTrackId: card.outTrackId,
      cardTemplateId: card.cardTemplateId,
      title: t ? (map[t.titleVariable] ?? '') : '',
      markdown: t ? (map[t.markdownVariable] ?? '') : '',
      buttons,
      cardParamMap: { ...map },
      version: card.version,
      streamCallbacks: card.callbackType === 'STREAM',
    };
  }

  /** Checks `cardData` against a template: a `cardParamMap` of strings, required variables, a readable button list. */
  checkCardData(template: ResolvedTemplate, cardData: unknown, partial: boolean): { ok: true; map: Record<string, string> } | { ok: false; error: ApiError } {
    const invalid = (message: string): { ok: false; error: ApiError } => ({ ok: false, error: { status: 400, code: 'invalidParameter.cardData', message } });
    if (!isRecord(cardData)) return invalid('cardData must be an object { cardParamMap: { variable: string } }');
    const map = cardData.cardParamMap;
    if (!isRecord(map)) return invalid('cardData.cardParamMap must be an object of string values');
    for (const [k, v] of Object.entries(map)) {
      if (typeof v !== 'string') return invalid(`cardData.cardParamMap.${k} must be a string (DingTalk takes Map<String,String>; JSON-encode lists)`);
    }
    const strings = map as Record<string, string>;
    if (!partial) {
      const missing = template.requiredVariables.filter((v) => strings[v] === undefined);
      if (missing.length > 0) return invalid(`cardData.cardParamMap lacks ${missing.join(', ')}, required by template ${template.cardTemplateId}`);
    }
    const buttons = strings[template.buttonsVariable];
    if (buttons !== undefined) {
      const parsed = parseButtons(buttons);
      if (!parsed.ok) return invalid(`cardData.cardParamMap.${template.buttonsVariable}: ${parsed.error}`);
    }
    return { ok: true, map: { ...strings } };
  }
}

/** Reads a button list variable: a JSON array of `{ text, actionId?, color?, params? }`; empty string = none. */
export function parseButtons(value: string | undefined): { ok: true; buttons: CardButton[] } | { ok: false; error: string } {
  if (value === undefined || value.trim() === '') return { ok: true, buttons: [] };
  let list: unknown;
  try {
    list = JSON.parse(value);
  } catch (e) {
    return { ok: false, error: `not JSON: ${(e as Error).message}` };
  }
  if (!Array.isArray(list)) return { ok: false, error: 'must be a JSON array of { text, actionId?, color?, params? }' };
  if (list.length > 20) return { ok: false, error: `${list.length} buttons; at most 20` };
  const out: CardButton[] = [];
  for (const [i, b] of list.entries()) {
    if (!isRecord(b) || typeof b.text !== 'string' || b.text.trim() === '') return { ok: false, error: `[${i}].text must be a non-empty string` };
    if (b.actionId !== undefined && (typeof b.actionId !== 'string' || b.actionId === '')) return { ok: false, error: `[${i}].actionId must be a non-empty string` };
    if (b.color !== undefined && !['blue', 'red', 'gray'].includes(b.color as string)) return { ok: false, error: `[${i}].color must be blue, red or gray` };
    if (b.params !== undefined && (!isRecord(b.params) || !Object.values(b.params).every((v) => typeof v === 'string'))) {
      return { ok: false, error: `[${i}].params must be an object of string values` };
    }
    const button: CardButton = { text: b.text };
    if (b.actionId !== undefined) button.actionId = b.actionId as string;
    if (b.color !== undefined) button.color = b.color as CardButton['color'];
    if (b.params !== undefined) button.params = { ...(b.params as Record<string, string>) };
    out.push(button);
  }
  return { ok: true, buttons: out };
}

/** The Stream callback DingTalk sends when `userId` clicks a button of card `outTrackId`. */
export function cardCallbackData(input: { corpId: string; userId: string; outTrackId: string; actionIds: string[]; params: Record<string, string> }): CardCallbackData {
  const content = JSON.stringify({ cardPrivateData: { actionIds: input.actionIds, params: input.params } });
  return {
    extension: '{}',
    corpId: input.corpId,
    // DingTalk's own samples of this callback leave the space fields empty; the card is named by outTrackId.
    spaceType: '',
    userIdType: 1,
    type: 'actionCallback',
    userId: input.userId,
    content,
    spaceId: '',
    outTrackId: input.outTrackId,
    value: content,
  };
}

// ---- OpenAPI --------------------------------------------------------------------------------------

/** Handles the card OpenAPI routes; false for other paths. */
export async function handleCardApi(state: EmulatorState, req: IncomingMessage, res: ServerResponse, url: URL): Promise<boolean> {
  const route = `${req.method} ${url.pathname}`;
  if (route === 'POST /v1.0/card/instances/createAndDeliver') {
    await createAndDeliver(state, req, res);
    return true;
  }
  if (route === 'PUT /v1.0/card/instances') {
    await updateCard(state, req, res);
    return true;
  }
  return false;
}

function apiError(res: ServerResponse, e: ApiError): void {
  sendJson(res, e.status, apiErrorBody(e.code, e.message));
}

async function authorised(state: EmulatorState, req: IncomingMessage, res: ServerResponse): Promise<{ clientId: string; robotCode: string; body: Record<string, unknown> } | undefined> {
  const token = req.headers['x-acs-dingtalk-access-token'];
  const app = state.appOfToken(typeof token === 'string' ? token : undefined);
  if (!app) {
    apiError(res, API_ERRORS.badToken);
    return undefined;
  }
  const body = await readJson(req);
  if (!body.success) {
    state.counters.rejectedSends++;
    apiError(res, { status: body.error.status, code: 'invalidParameter', message: body.error.message });
    return undefined;
  }
  if (!isRecord(body.data)) {
    state.counters.rejectedSends++;
    apiError(res, { status: 400, code: 'invalidParameter', message: 'body must be a JSON object' });
    return undefined;
  }
  return { clientId: app.clientId, robotCode: app.robotCode, body: body.data };
}

async function createAndDeliver(state: EmulatorState, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const auth = await authorised(state, req, res);
  if (!auth) return;
  const { body: b, clientId } = auth;
  const reject = (status: number, code: string, message: string): void => {
    state.counters.rejectedSends++;
    apiError(res, { status, code, message });
  };
  if (typeof b.cardTemplateId !== 'string' || b.cardTemplateId === '') return reject(400, 'invalidParameter.cardTemplateId.missing', 'cardTemplateId is required');
  const template = state.cards.template(b.cardTemplateId);
  if (!template) {
    return reject(400, 'invalidParameter.cardTemplateId.notExist', `card template ${b.cardTemplateId} does not exist; registered: ${state.cards.listTemplates().map((t) => t.cardTemplateId).join(', ') || 'none'} (POST /_emulator/card-templates)`);
  }
  if (typeof b.outTrackId !== 'string' || b.outTrackId === '') return reject(400, 'invalidParameter.outTrackId.missing', 'outTrackId is required');
  if (!OUT_TRACK_ID.test(b.outTrackId)) return reject(400, 'invalidParameter.outTrackId.invalid', 'outTrackId must be 1–128 characters of letters, digits and ._:@+=/-');
  if (state.cards.instance(b.outTrackId)) return reject(400, 'invalidParameter.outTrackId.duplicate', `a card with outTrackId ${b.outTrackId} exists; update it with PUT /v1.0/card/instances`);
  if (b.callbackType !== undefined && b.callbackType !== 'STREAM' && b.callbackType !== 'HTTP') {
    return reject(400, 'invalidParameter.callbackType', 'callbackType must be STREAM or HTTP');
  }
  if (b.callbackType === 'HTTP' && (typeof b.callbackRouteKey !== 'string' || b.callbackRouteKey === '')) {
    return reject(400, 'invalidParameter.callbackRouteKey', 'callbackType HTTP needs a registered callbackRouteKey');
  }
  if (b.userIdType !== undefined && b.userIdType !== 1 && b.userIdType !== 2) return reject(400, 'invalidParameter.userIdType', 'userIdType must be 1 (userId) or 2 (unionId)');
  const data = state.cards.checkCardData(template, b.cardData, false);
  if (!data.ok) return reject(data.error.status, data.error.code, data.error.message);
  if (typeof b.openSpaceId !== 'string' || b.openSpaceId === '') return reject(400, 'invalidParameter.openSpaceId.missing', 'openSpaceId is required, e.g. dtv1.card//IM_GROUP.<openConversationId>');
  const spaces = b.openSpaceId.split(';').filter((s) => s !== '');
  const groupIds: string[] = [];
  for (const space of spaces) {
    if (!space.startsWith('dtv1.card//')) return reject(400, 'invalidParameter.openSpaceId.invalid', `openSpaceId ${space} must look like dtv1.card//IM_GROUP.<openConversationId>`);
    if (!space.startsWith(IM_GROUP_SPACE) || space.length === IM_GROUP_SPACE.length) {
      return reject(400, 'invalidParameter.openSpaceId.unsupported', `open space ${space}: the emulator delivers to groups only (dtv1.card//IM_GROUP.<openConversationId>)`);
    }
    groupIds.push(space.slice(IM_GROUP_SPACE.length));
  }
  const deliver = b.imGroupOpenDeliverModel;
  if (!isRecord(deliver) || typeof deliver.robotCode !== 'string' || deliver.robotCode === '') {
    return reject(400, 'invalidParameter.imGroupOpenDeliverModel.robotCode', 'a group card is delivered by a robot: imGroupOpenDeliverModel.robotCode is required');
  }
  const robot = state.appByRobotCode(deliver.robotCode);
  if (!robot) return reject(400, 'invalidParameter.robotCode.notExsit', `机器人不存在: ${deliver.robotCode}`);
  if (robot.clientId !== clientId) return reject(400, 'invalidParameter.robotCode.auth', 'the access token belongs to another app than this robotCode');
  if (deliver.atUserIds !== undefined && !isRecord(deliver.atUserIds)) return reject(400, 'invalidParameter.imGroupOpenDeliverModel.atUserIds', 'atUserIds must be an object { staffId: nick }');
  if (b.imGroupOpenSpaceModel !== undefined && !isRecord(b.imGroupOpenSpaceModel)) return reject(400, 'invalidParameter.imGroupOpenSpaceModel', 'imGroupOpenSpaceModel must be an object');

  const first = groupIds[0] ?? '';
  const verdict = state.admitSend('card', clientId, first);
  if (verdict.kind === 'throttle') return apiError(res, API_ERRORS.throttled(verdict.status));
  if (verdict.kind === 'fail') return apiError(res, API_ERRORS.serverError(verdict.status));

  const now = state.now();
  const card: CardInstance = {
    outTrackId: b.outTrackId,
    cardTemplateId: template.cardTemplateId,
    clientId,
    callbackType: b.callbackType as string | undefined,
    cardParamMap: data.map,
    deliveries: [],
    version: 1,
    createdAt: now,
    updatedAt: now,
  };
  state.cards.add(card);
  const atUserIds = isRecord(deliver.atUserIds) ? Object.keys(deliver.atUserIds) : [];
  const deliverResults = groupIds.map((cid) => {
    const group = state.group(cid);
    if (!group) return { spaceType: 'IM_GROUP', spaceId: cid, success: false, errorMsg: `openConversationId ${cid} 不存在或机器人不在群内`, carrierId: '' };
    const msgId = newMsgId();
    card.deliveries.push({ conversationId: cid, msgId });
    const message: ChatMessage = {
      msgId,
      conversationId: cid,
      from: 'bot',
      robotCode: robot.robotCode,
      msgtype: 'card',
      card: state.cards.view(card),
      atUserIds: atUserIds.filter((id) => group.members.some((m) => m.staffId === id)),
      isAtAll: false,
      createdAt: now,
      via: 'openapi',
    };
    state.addMessage(message);
    state.counters.openapiSends++;
    return { spaceType: 'IM_GROUP', spaceId: cid, success: true, errorMsg: '', carrierId: msgId };
  });
  answerAccepted(state, 'card', res, { success: true, result: { outTrackId: card.outTrackId, deliverResults } });
}

async function updateCard(state: EmulatorState, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const auth = await authorised(state, req, res);
  if (!auth) return;
  const { body: b, clientId } = auth;
  const reject = (status: number, code: string, message: string): void => {
    state.counters.rejectedSends++;
    apiError(res, { status, code, message });
  };
  if (typeof b.outTrackId !== 'string' || b.outTrackId === '') return reject(400, 'invalidParameter.outTrackId.missing', 'outTrackId is required');
  const card = state.cards.instance(b.outTrackId);
  if (!card || card.clientId !== clientId) return reject(400, 'invalidParameter.outTrackId.notExist', `no card with outTrackId ${b.outTrackId} for this app`);
  const template = state.cards.template(card.cardTemplateId);
  if (!template) return reject(400, 'invalidParameter.cardTemplateId.notExist', `the card's template ${card.cardTemplateId} is no longer registered`);
  if (b.cardData === undefined && b.privateData === undefined) return reject(400, 'invalidParameter.cardData', 'cardData or privateData is required');
  const options = b.cardUpdateOptions;
  if (options !== undefined && !isRecord(options)) return reject(400, 'invalidParameter.cardUpdateOptions', 'cardUpdateOptions must be an object { updateCardDataByKey?, updatePrivateDataByKey? }');
  const byKey = isRecord(options) && options.updateCardDataByKey === true;
  if (b.cardData !== undefined) {
    const data = state.cards.checkCardData(template, b.cardData, byKey);
    if (!data.ok) return reject(data.error.status, data.error.code, data.error.message);
  }
  // A card update posts no message: the armed faults apply, the robot's send windows do not.
  const verdict = state.admitSend('card', clientId, card.deliveries[0]?.conversationId ?? '', { windows: false });
  if (verdict.kind === 'throttle') return apiError(res, API_ERRORS.throttled(verdict.status));
  if (verdict.kind === 'fail') return apiError(res, API_ERRORS.serverError(verdict.status));
  if (b.cardData !== undefined) {
    const data = state.cards.checkCardData(template, b.cardData, byKey);
    if (data.ok) card.cardParamMap = byKey ? { ...card.cardParamMap, ...data.map } : data.map;
  }
  card.version++;
  card.updatedAt = state.now();
  const view = state.cards.view(card);
  for (const d of card.deliveries) state.updateMessage(d.conversationId, d.msgId, (m) => (m.card = structuredClone(view)));
  answerAccepted(state, 'card', res, { success: true, result: true });
}

// ---- control API ----------------------------------------------------------------------------------

/** Sends the callback of a button click on the Stream connection (queued, acked and redelivered like robot messages). */
export function clickCard(state: EmulatorState, stream: StreamGateway, outTrackId: string, input: unknown): Result<CardClickResult> {
  const card = state.cards.instance(outTrackId);
  if (!card) return bad(404, `no card with outTrackId ${outTrackId}`);
  if (!isRecord(input)) return bad(400, 'body must be a JSON object { userId, button? | text? }');
  const { userId, button, text } = input;
  if (typeof userId !== 'string' || userId === '') return bad(400, 'userId must be the staff id of the member who clicks');
  const where = card.deliveries.find((d) => state.group(d.conversationId)?.members.some((m) => m.staffId === userId));
  if (!where) return bad(403, `${userId} is not a member of a group this card was delivered to`);
  const view = state.cards.view(card);
  if ((button === undefined) === (text === undefined)) return bad(400, 'give exactly one of button (0-based index) and text (the label)');
  const index = button !== undefined ? button : view.buttons.findIndex((b) => b.text === text);
  if (typeof index !== 'number' || !Number.isInteger(index) || index < 0 || index >= view.buttons.length) {
    return bad(400, `the card has no button ${button !== undefined ? String(button) : JSON.stringify(text)}; buttons: ${view.buttons.map((b, i) => `${i} ${b.text}`).join(', ') || 'none'}`);
  }
  if (card.callbackType !== 'STREAM') {
    return bad(409, `card ${outTrackId} was created with callbackType ${card.callbackType ?? '(none)'}: DingTalk sends its clicks to no Stream connection (create it with callbackType STREAM)`);
  }
  const app = state.appByClientId(card.clientId);
  if (!app) return bad(409, `the card's app ${card.clientId} is gone`);
  const chosen = view.buttons[index] as CardButton;
  const template = state.cards.template(card.cardTemplateId);
  const actionIds = [chosen.actionId ?? template?.buttonActionId ?? 'action'];
  const params = { ...(chosen.params ?? {}) };
  const data = cardCallbackData({ corpId: state.corpId, userId, outTrackId, actionIds, params });
  const messageId = newMessageId(state.now());
  stream.deliver(app, TOPIC_CARD, messageId, where.msgId, where.conversationId, data);
  return { success: true, data: { messageId, outTrackId, conversationId: where.conversationId, actionIds, params } };
}

/** Handles `/_emulator/card-templates` and `/_emulator/cards…`; false for other paths. */
export async function handleCardControl(state: EmulatorState, stream: StreamGateway, req: IncomingMessage, res: ServerResponse, parts: string[]): Promise<boolean> {
  const [first, id, sub, ...rest] = parts;
  const method = req.method ?? 'GET';
  const answer = <T>(r: Result<T>, okStatus = 200): void => (r.success ? sendJson(res, okStatus, r.data) : sendError(res, r.error.status, r.error.message));
  const withBody = async (f: (body: unknown) => void): Promise<void> => {
    const body = await readJson(req);
    if (!body.success) return sendError(res, body.error.status, body.error.message);
    f(body.data);
  };
  const allow = (...methods: string[]): boolean => {
    if (methods.includes(method)) return true;
    sendError(res, 405, `${method} is not allowed here; use ${methods.join(' or ')}`);
    return false;
  };
  if (first === 'card-templates' && id === undefined) {
    if (!allow('GET', 'POST')) return true;
    if (method === 'GET') sendJson(res, 200, state.cards.listTemplates());
    else await withBody((b) => answer(state.cards.registerTemplate(b), 201));
    return true;
  }
  if (first !== 'cards') return false;
  if (id === undefined) {
    if (allow('GET')) sendJson(res, 200, state.cards.listInstances().map((c) => ({ ...c, view: state.cards.view(c) })));
    return true;
  }
  if (sub === undefined) {
    if (!allow('GET')) return true;
    const card = state.cards.instance(id);
    if (card) sendJson(res, 200, { ...structuredClone(card), view: state.cards.view(card) });
    else sendError(res, 404, `no card with outTrackId ${id}`);
    return true;
  }
  if (sub === 'actions' && rest.length === 0) {
    if (allow('POST')) await withBody((b) => answer(clickCard(state, stream, id, b), 201));
    return true;
  }
  sendError(res, 404, `no card route; routes: /_emulator/card-templates, /_emulator/cards, /_emulator/cards/:outTrackId, /_emulator/cards/:outTrackId/actions`);
  return true;
}

function bad(status: number, message: string): { success: false; error: { status: number; message: string } } {
  return { success: false, error: { status, message } };
}
