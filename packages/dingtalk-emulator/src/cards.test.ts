import { afterEach, describe, expect, it } from 'vitest';
import { parseButtons } from './cards.js';
import { SANDBOX_APP, startEmulator, type Emulator } from './server.js';
import { call, connectRaw, sleep, until } from './test-support.js';

const TEMPLATE = 'zwgk-action.schema';
const CARD_SUBSCRIPTIONS = [{ type: 'CALLBACK', topic: '/v1.0/card/instances/callback' }];

let emu: Emulator | undefined;
afterEach(async () => {
  await emu?.close();
  emu = undefined;
});

async function setUp(options: Parameters<typeof startEmulator>[0] = {}) {
  emu = await startEmulator({ port: 0, ackTimeoutMs: 150, cardTemplates: [{ cardTemplateId: TEMPLATE, name: '政务公开操作卡片' }], ...options });
  const group = emu.createGroup({ title: '郭道镇', members: [{ staffId: 'u1', nick: '张三' }, { staffId: 'u2', nick: '李四' }] });
  emu.createGroup({ title: '县政府办', members: [{ staffId: 'admin', nick: '王主任' }] });
  const token = (await call(`${emu.url}/v1.0/oauth2/accessToken`, { body: { appKey: SANDBOX_APP.clientId, appSecret: SANDBOX_APP.clientSecret } })).body.accessToken as string;
  return { e: emu, cid: group.conversationId, token };
}

const buttons = JSON.stringify([
  { text: '已完成', actionId: 'done', params: { action: 'done-4', command: '确认 4' } },
  { text: '撤销', color: 'red', params: { action: 'undo-4', command: '撤销 4' } },
]);

function cardBody(cid: string, overrides: Record<string, unknown> = {}) {
  return {
    cardTemplateId: TEMPLATE,
    outTrackId: 'zwgk_track_1',
    callbackType: 'STREAM',
    openSpaceId: `dtv1.card//IM_GROUP.${cid}`,
    imGroupOpenDeliverModel: { robotCode: SANDBOX_APP.robotCode },
    imGroupOpenSpaceModel: { supportForward: false },
    cardData: { cardParamMap: { title: '本周待办', markdown: '**4.** 规范政府信息公开', buttons } },
    ...overrides,
  };
}

async function create(e: Emulator, token: string, body: unknown) {
  return call(`${e.url}/v1.0/card/instances/createAndDeliver`, { body, headers: { 'x-acs-dingtalk-access-token': token } });
}

async function update(e: Emulator, token: string, body: unknown) {
  return call(`${e.url}/v1.0/card/instances`, { method: 'PUT', body, headers: { 'x-acs-dingtalk-access-token': token } });
}

describe('card OpenAPI', () => {
  it('creates and delivers a card into the group and answers deliverResults', async () => {
    const { e, cid, token } = await setUp();
    const res = await create(e, token, cardBody(cid));
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ success: true, result: { outTrackId: 'zwgk_track_1', deliverResults: [{ spaceType: 'IM_GROUP', spaceId: cid, success: true }] } });
    const [message] = e.messages(cid);
    expect(message).toMatchObject({ from: 'bot', msgtype: 'card', via: 'openapi', robotCode: SANDBOX_APP.robotCode });
    expect(message!.card).toMatchObject({ outTrackId: 'zwgk_track_1', title: '本周待办', markdown: '**4.** 规范政府信息公开', version: 1, streamCallbacks: true });
    expect(message!.card!.buttons.map((b) => b.text)).toEqual(['已完成', '撤销']);
    expect(e.cards()).toHaveLength(1);
  });

  it('refuses a missing or foreign access token like the other OpenAPI endpoints', async () => {
    const { e, cid } = await setUp();
    const res = await create(e, 'not-a-token', cardBody(cid));
    expect(res.status).toBe(401);
    expect(res.body).toMatchObject({ code: 'InvalidAuthentication', requestid: expect.any(String) });
    expect(e.messages(cid)).toHaveLength(0);
  });

  it.each([
    ['an unknown template', { cardTemplateId: 'nope' }, 'invalidParameter.cardTemplateId.notExist'],
    ['no outTrackId', { outTrackId: undefined }, 'invalidParameter.outTrackId.missing'],
    ['a non-string variable', { cardData: { cardParamMap: { title: 't', markdown: 'm', count: 3 } } }, 'invalidParameter.cardData'],
    ['a missing required variable', { cardData: { cardParamMap: { title: 't' } } }, 'invalidParameter.cardData'],
    ['a button list that is not JSON', { cardData: { cardParamMap: { title: 't', markdown: 'm', buttons: '[{' } } }, 'invalidParameter.cardData'],
    ['an open space that is not a group', { openSpaceId: 'dtv1.card//IM_ROBOT.u1' }, 'invalidParameter.openSpaceId.unsupported'],
    ['a bare conversation id as open space', { openSpaceId: 'cid123' }, 'invalidParameter.openSpaceId.invalid'],
    ['no robot delivery model', { imGroupOpenDeliverModel: undefined }, 'invalidParameter.imGroupOpenDeliverModel.robotCode'],
    ['an unknown robot', { imGroupOpenDeliverModel: { robotCode: 'other' } }, 'invalidParameter.robotCode.notExsit'],
    ['a bad callbackType', { callbackType: 'WEBHOOK' }, 'invalidParameter.callbackType'],
  ])('answers 400 with a DingTalk code for %s', async (_what, overrides, code) => {
    const { e, cid, token } = await setUp();
    const res = await create(e, token, cardBody(cid, overrides));
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({ code, message: expect.any(String), requestid: expect.any(String) });
    expect(e.messages(cid)).toHaveLength(0);
    expect(e.cards()).toHaveLength(0);
  });

  it('refuses a second card with the same outTrackId and keeps the first', async () => {
    const { e, cid, token } = await setUp();
    await create(e, token, cardBody(cid));
    const again = await create(e, token, cardBody(cid));
    expect(again.status).toBe(400);
    expect(again.body.code).toBe('invalidParameter.outTrackId.duplicate');
    expect(e.messages(cid)).toHaveLength(1);
  });

  it('reports an unknown group in deliverResults, as DingTalk does per space', async () => {
    const { e, token, cid } = await setUp();
    const res = await create(e, token, cardBody(cid, { openSpaceId: 'dtv1.card//IM_GROUP.cidNOPE' }));
    expect(res.status).toBe(200);
    expect(res.body.result.deliverResults).toEqual([expect.objectContaining({ spaceId: 'cidNOPE', success: false, errorMsg: expect.stringContaining('cidNOPE') })]);
  });

  it('applies the throttle fault to card deliveries', async () => {
    const { e, cid, token } = await setUp();
    e.injectFaults({ throttle: { count: 1, status: 429 } });
    const res = await create(e, token, cardBody(cid));
    expect(res.status).toBe(429);
    expect(res.body.code).toMatch(/QpsLimit/);
    expect(e.messages(cid)).toHaveLength(0);
  });

  it('holds back or cuts the answer of a card delivery that went through (delayAnswers, dropAnswers on target card)', async () => {
    const { e, cid, token } = await setUp();
    e.injectFaults({ delayAnswers: { count: 1, ms: 300, target: 'card' } });
    const t0 = Date.now();
    const slow = await create(e, token, cardBody(cid));
    expect(slow.status).toBe(200);
    expect(Date.now() - t0).toBeGreaterThanOrEqual(250);
    expect(e.messages(cid)).toHaveLength(1);

    e.injectFaults({ dropAnswers: { count: 1, target: 'card' } });
    await expect(create(e, token, cardBody(cid, { outTrackId: 'zwgk_track_2' }))).rejects.toThrow();
    // The card arrived although no answer came.
    await until(() => e.messages(cid).length === 2);
    expect(e.cards().map((c) => c.outTrackId)).toEqual(['zwgk_track_1', 'zwgk_track_2']);
    expect(e.state().counters).toMatchObject({ delayedAnswers: 1, droppedAnswers: 1 });
  });

  it('applies card faults to card updates too, without counting updates in the send windows', async () => {
    const { e, cid, token } = await setUp({ limits: { groupPerMinute: 1 } });
    await create(e, token, cardBody(cid));
    // A robot-message fault (webhook) leaves cards alone; an openapi one reaches them.
    e.injectFaults({ failSends: { count: 1, status: 503, target: 'webhook' } });
    expect((await update(e, token, { outTrackId: 'zwgk_track_1', cardData: { cardParamMap: { markdown: 'a' } }, cardUpdateOptions: { updateCardDataByKey: true } })).status).toBe(200);
    e.clearFaults();
    e.injectFaults({ failSends: { count: 1, status: 502, target: 'openapi' } });
    const failed = await update(e, token, { outTrackId: 'zwgk_track_1', cardData: { cardParamMap: { markdown: 'b' } }, cardUpdateOptions: { updateCardDataByKey: true } });
    expect(failed.status).toBe(502);
    expect(e.messages(cid)[0]!.card).toMatchObject({ markdown: 'a' });

    e.injectFaults({ dropAnswers: { count: 1, target: 'card' } });
    await expect(update(e, token, { outTrackId: 'zwgk_track_1', cardData: { cardParamMap: { markdown: 'c' } }, cardUpdateOptions: { updateCardDataByKey: true } })).rejects.toThrow();
    // The change took effect; only its answer was lost.
    expect(e.messages(cid)[0]!.card).toMatchObject({ markdown: 'c' });

    e.injectFaults({ throttle: { count: 1, status: 429, target: 'card' } });
    expect((await update(e, token, { outTrackId: 'zwgk_track_1', cardData: { cardParamMap: { markdown: 'd' } }, cardUpdateOptions: { updateCardDataByKey: true } })).status).toBe(429);
    // Two more updates pass although the group allows one message a minute: updates are not messages.
    for (const m of ['e', 'f']) expect((await update(e, token, { outTrackId: 'zwgk_track_1', cardData: { cardParamMap: { markdown: m } }, cardUpdateOptions: { updateCardDataByKey: true } })).status).toBe(200);
    expect(e.messages(cid)).toHaveLength(1);
  });

  it('refuses an unknown fault target and names the known ones', async () => {
    const { e } = await setUp();
    expect(() => e.injectFaults({ delayAnswers: { count: 1, ms: 10, target: 'cards' as never } })).toThrow(/openapi, webhook, card or any/);
  });

  it('updates a card by outTrackId, by key or whole, and re-renders it in place', async () => {
    const { e, cid, token } = await setUp();
    await create(e, token, cardBody(cid));
    const seen: string[] = [];
    e.on((ev) => {
      if (ev.type === 'messageUpdate') seen.push(ev.message.card!.markdown);
    });
    const byKey = await update(e, token, { outTrackId: 'zwgk_track_1', cardData: { cardParamMap: { markdown: '✅ 张三 已确认', buttons: '[]' } }, cardUpdateOptions: { updateCardDataByKey: true } });
    expect(byKey).toMatchObject({ status: 200, body: { success: true, result: true } });
    let [message] = e.messages(cid);
    expect(message!.card).toMatchObject({ title: '本周待办', markdown: '✅ 张三 已确认', buttons: [], version: 2 });
    expect(seen).toEqual(['✅ 张三 已确认']);

    const whole = await update(e, token, { outTrackId: 'zwgk_track_1', cardData: { cardParamMap: { title: '新标题', markdown: '全部替换' } } });
    expect(whole.status).toBe(200);
    [message] = e.messages(cid);
    expect(message!.card).toMatchObject({ title: '新标题', markdown: '全部替换', version: 3 });
    expect(e.messages(cid)).toHaveLength(1);
  });

  it('refuses updates of unknown cards, bad data and without a token', async () => {
    const { e, cid, token } = await setUp();
    await create(e, token, cardBody(cid));
    expect((await update(e, token, { outTrackId: 'nope', cardData: { cardParamMap: { markdown: 'x' } } })).body.code).toBe('invalidParameter.outTrackId.notExist');
    expect((await update(e, token, { outTrackId: 'zwgk_track_1', cardData: { cardParamMap: { markdown: 1 } } })).body.code).toBe('invalidParameter.cardData');
    // A whole replacement must carry the required variables again.
    expect((await update(e, token, { outTrackId: 'zwgk_track_1', cardData: { cardParamMap: { markdown: 'x' } } })).body.code).toBe('invalidParameter.cardData');
    expect((await update(e, 'bad', { outTrackId: 'zwgk_track_1', cardData: { cardParamMap: { markdown: 'x' } } })).status).toBe(401);
    expect(e.messages(cid)[0]!.card!.version).toBe(1);
  });
});

describe('card templates', () => {
  it('registers templates through the control API with validation', async () => {
    const { e } = await setUp();
    const ok = await call(`${e.url}/_emulator/card-templates`, { body: { cardTemplateId: 'other.schema', markdownVariable: 'content' } });
    expect(ok.status).toBe(201);
    expect(ok.body).toMatchObject({ cardTemplateId: 'other.schema', titleVariable: 'title', markdownVariable: 'content', buttonsVariable: 'buttons', requiredVariables: ['title', 'content'] });
    const bad = await call(`${e.url}/_emulator/card-templates`, { body: { cardTemplateId: '', colour: 'x' } });
    expect(bad.status).toBe(400);
    expect(bad.body.error).toMatch(/colour/);
    const list = await call(`${e.url}/_emulator/card-templates`);
    expect(list.body.map((t: { cardTemplateId: string }) => t.cardTemplateId)).toEqual([TEMPLATE, 'other.schema']);
  });

  it('reads button lists and says what is wrong with a bad one', () => {
    expect(parseButtons('')).toEqual({ ok: true, buttons: [] });
    expect(parseButtons('[{"text":"a","params":{"k":"v"}}]')).toEqual({ ok: true, buttons: [{ text: 'a', params: { k: 'v' } }] });
    expect(parseButtons('[{"text":"a","params":{"k":1}}]')).toMatchObject({ ok: false, error: expect.stringContaining('params') });
    expect(parseButtons('[{"text":"a","color":"pink"}]')).toMatchObject({ ok: false, error: expect.stringContaining('color') });
    expect(parseButtons('{}')).toMatchObject({ ok: false });
  });
});

describe('card clicks', () => {
  it('sends the callback frame on TOPIC_CARD as DingTalk does, and stops after the ack', async () => {
    const { e, cid, token } = await setUp();
    await create(e, token, cardBody(cid));
    const client = await connectRaw(e, CARD_SUBSCRIPTIONS);
    const click = await call(`${e.url}/_emulator/cards/zwgk_track_1/actions`, { body: { userId: 'u1', text: '已完成' } });
    expect(click.status).toBe(201);
    const frame = await client.next((f) => f.type === 'CALLBACK');
    expect(frame.headers).toMatchObject({ topic: '/v1.0/card/instances/callback', messageId: click.body.messageId, contentType: 'application/json', appId: expect.any(String), connectionId: expect.any(String) });
    const data = JSON.parse(frame.data);
    expect(data).toMatchObject({ type: 'actionCallback', userId: 'u1', corpId: 'dingsandboxcorp', outTrackId: 'zwgk_track_1', userIdType: 1, extension: '{}' });
    expect(JSON.parse(data.content)).toEqual({ cardPrivateData: { actionIds: ['done'], params: { action: 'done-4', command: '确认 4' } } });
    expect(data.value).toBe(data.content);
    client.ack(frame);
    await until(() => e.deliveries()[0]?.status === 'acked', 2000, 'the ack');
    await sleep(300);
    expect(client.frames.filter((f) => f.type === 'CALLBACK')).toHaveLength(1);
    client.ws.terminate();
  });

  it('uses the template default action id for a button without its own, and redelivers an unacked click with the same messageId', async () => {
    const { e, cid, token } = await setUp();
    await create(e, token, cardBody(cid));
    const client = await connectRaw(e, CARD_SUBSCRIPTIONS);
    const result = e.clickCard('zwgk_track_1', { userId: 'u2', button: 1 });
    expect(result).toMatchObject({ actionIds: ['action'], params: { command: '撤销 4' }, conversationId: cid });
    const first = await client.next((f) => f.type === 'CALLBACK');
    const second = await client.next((f) => f.type === 'CALLBACK', 2000);
    expect(second.headers.messageId).toBe(first.headers.messageId);
    expect(e.state().counters.redeliveries).toBeGreaterThanOrEqual(1);
    client.ws.terminate();
  });

  it('queues a click while no connection subscribes to TOPIC_CARD', async () => {
    const { e, cid, token } = await setUp();
    await create(e, token, cardBody(cid));
    const robotOnly = await connectRaw(e);
    e.clickCard('zwgk_track_1', { userId: 'u1', button: 0 });
    expect(e.deliveries()[0]).toMatchObject({ status: 'queued', topic: '/v1.0/card/instances/callback' });
    const cards = await connectRaw(e, CARD_SUBSCRIPTIONS);
    const frame = await cards.next((f) => f.type === 'CALLBACK');
    expect(frame.headers.topic).toBe('/v1.0/card/instances/callback');
    expect(robotOnly.frames.filter((f) => f.type === 'CALLBACK')).toHaveLength(0);
    robotOnly.ws.terminate();
    cards.ws.terminate();
  });

  it('refuses clicks by non-members, on unknown buttons, and on cards without STREAM callbacks', async () => {
    const { e, cid, token } = await setUp();
    await create(e, token, cardBody(cid));
    await create(e, token, cardBody(cid, { outTrackId: 'no_callback', callbackType: undefined }));
    expect((await call(`${e.url}/_emulator/cards/zwgk_track_1/actions`, { body: { userId: 'admin', button: 0 } })).status).toBe(403);
    const unknown = await call(`${e.url}/_emulator/cards/zwgk_track_1/actions`, { body: { userId: 'u1', button: 5 } });
    expect(unknown.status).toBe(400);
    expect(unknown.body.error).toMatch(/0 已完成, 1 撤销/);
    expect((await call(`${e.url}/_emulator/cards/no_callback/actions`, { body: { userId: 'u1', button: 0 } })).status).toBe(409);
    expect((await call(`${e.url}/_emulator/cards/nope/actions`, { body: { userId: 'u1', button: 0 } })).status).toBe(404);
    expect(e.deliveries()).toHaveLength(0);
  });

  it('lists cards with their rendered view on the control API and forgets them on reset', async () => {
    const { e, cid, token } = await setUp();
    await create(e, token, cardBody(cid));
    const one = await call(`${e.url}/_emulator/cards/zwgk_track_1`);
    expect(one.body).toMatchObject({ outTrackId: 'zwgk_track_1', deliveries: [{ conversationId: cid }], view: { title: '本周待办' } });
    e.reset();
    expect((await call(`${e.url}/_emulator/cards`)).body).toEqual([]);
    expect(e.registerCardTemplate({ cardTemplateId: 'x.schema' }).cardTemplateId).toBe('x.schema');
  });
});
