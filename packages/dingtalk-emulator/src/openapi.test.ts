import { afterEach, describe, expect, it } from 'vitest';
import { startEmulator, type Emulator, type EmulatorOptions } from './server.js';
import { call, connectRaw } from './test-support.js';

let emu: Emulator | undefined;
afterEach(async () => {
  await emu?.close();
  emu = undefined;
});

async function start(options: EmulatorOptions = {}): Promise<{ e: Emulator; cid: string }> {
  emu = await startEmulator({ port: 0, ...options });
  const g = emu.createGroup({
    title: '郭道镇',
    members: [
      { staffId: 'u1', nick: '张三' },
      { staffId: 'u2', nick: '李四' },
    ],
  });
  return { e: emu, cid: g.conversationId };
}

async function token(e: Emulator, appKey = 'sandbox-client', appSecret = 'sandbox-secret') {
  return call(`${e.url}/v1.0/oauth2/accessToken`, { body: { appKey, appSecret } });
}

async function send(e: Emulator, accessToken: string, body: Record<string, unknown>) {
  return call(`${e.url}/v1.0/robot/groupMessages/send`, { headers: { 'x-acs-dingtalk-access-token': accessToken }, body });
}

const markdown = (cid: string, text = '## 本周待办\n- 任务 4 @u1') => ({
  robotCode: 'sandbox-robot',
  openConversationId: cid,
  msgKey: 'sampleMarkdown',
  msgParam: JSON.stringify({ title: '本周待办', text }),
});

/** A session webhook, taken from the callback a member's message produces. */
async function sessionWebhook(e: Emulator, cid: string): Promise<string> {
  const c = await connectRaw(e);
  e.postMessage(cid, { senderStaffId: 'u1', text: '确认 4' });
  const frame = await c.next((f) => f.type === 'CALLBACK');
  c.ack(frame);
  return JSON.parse(frame.data).sessionWebhook as string;
}

describe('oauth2 accessToken', () => {
  it('issues a token that expires in 7200 s', async () => {
    const { e } = await start();
    const r = await token(e);
    expect(r.status).toBe(200);
    expect(r.body).toEqual({ accessToken: expect.stringMatching(/^[0-9a-f]{32}$/), expireIn: 7200 });
  });

  it('refuses a wrong secret with HTTP 400 invalidClientIdOrSecret', async () => {
    const { e } = await start();
    const r = await token(e, 'sandbox-client', 'nope');
    expect(r.status).toBe(400);
    expect(r.body).toEqual({ code: 'invalidClientIdOrSecret', message: '无效的clientId或者clientSecret', requestid: expect.any(String) });
  });

  it('refuses a body without appKey', async () => {
    const { e } = await start();
    const r = await call(`${e.url}/v1.0/oauth2/accessToken`, { body: { appSecret: 'x' } });
    expect(r.status).toBe(400);
    expect(r.body.message).toContain('appKey');
  });

  it('uses the configured lifetime, so a test can force a refresh', async () => {
    const { e, cid } = await start({ tokenTtlSeconds: 1 });
    const r = await token(e);
    expect(r.body.expireIn).toBe(1);
    await new Promise((resolve) => setTimeout(resolve, 1100));
    const late = await send(e, r.body.accessToken, markdown(cid));
    expect(late.status).toBe(401);
    const fresh = await token(e);
    expect(fresh.body.accessToken).not.toBe(r.body.accessToken);
  });

  it('answers the legacy gettoken too, for dingtalk-stream’s getAccessToken', async () => {
    const { e } = await start();
    const r = await call(`${e.url}/gettoken?appkey=sandbox-client&appsecret=sandbox-secret`);
    expect(r.body).toMatchObject({ errcode: 0, access_token: expect.any(String), expires_in: 7200 });
  });
});

describe('robot groupMessages/send', () => {
  it('posts a markdown message to the group and answers a processQueryKey', async () => {
    const { e, cid } = await start();
    const t = (await token(e)).body.accessToken;
    const r = await send(e, t, markdown(cid));
    expect(r.status).toBe(200);
    expect(r.body).toEqual({ processQueryKey: expect.any(String) });
    expect(e.messages(cid)).toEqual([
      expect.objectContaining({
        from: 'bot',
        robotCode: 'sandbox-robot',
        msgtype: 'markdown',
        markdown: { title: '本周待办', text: '## 本周待办\n- 任务 4 @u1' },
        atUserIds: ['u1'],
        via: 'openapi',
      }),
    ]);
  });

  it('refuses a missing or unknown token with 401 InvalidAuthentication', async () => {
    const { e, cid } = await start();
    const none = await call(`${e.url}/v1.0/robot/groupMessages/send`, { body: markdown(cid) });
    expect(none.status).toBe(401);
    expect(none.body.code).toBe('InvalidAuthentication');
    expect((await send(e, 'f'.repeat(32), markdown(cid))).status).toBe(401);
  });

  it('refuses an expired token after expireTokens', async () => {
    const { e, cid } = await start();
    const t = (await token(e)).body.accessToken;
    e.injectFaults({ expireTokens: true });
    expect((await send(e, t, markdown(cid))).status).toBe(401);
  });

  it('refuses an unknown conversation with 400 invalid.openConversationId', async () => {
    const { e } = await start();
    const t = (await token(e)).body.accessToken;
    const r = await send(e, t, markdown('cidNOPE=='));
    expect(r.status).toBe(400);
    expect(r.body.code).toBe('invalid.openConversationId');
  });

  it('refuses another app’s robotCode and an unknown robotCode', async () => {
    const { e, cid } = await start({
      apps: [
        { clientId: 'a', clientSecret: 'as', robotCode: 'ra' },
        { clientId: 'b', clientSecret: 'bs', robotCode: 'rb' },
      ],
    });
    const t = (await token(e, 'a', 'as')).body.accessToken;
    expect((await send(e, t, { ...markdown(cid), robotCode: 'rb' })).body.code).toBe('invalidParameter.robotCode.auth');
    expect((await send(e, t, { ...markdown(cid), robotCode: 'rz' })).body.code).toBe('invalidParameter.robotCode.notExsit');
  });

  it('refuses a template without its fields, naming them', async () => {
    const { e, cid } = await start();
    const t = (await token(e)).body.accessToken;
    const r = await send(e, t, { robotCode: 'sandbox-robot', openConversationId: cid, msgKey: 'sampleMarkdown', msgParam: '{"title":"x"}' });
    expect(r.status).toBe(400);
    expect(r.body).toMatchObject({ code: 'invalidParameter.msgParam.invalid', message: expect.stringContaining('text') });
    expect(e.messages(cid)).toEqual([]);
    expect(e.state().counters.rejectedSends).toBe(1);
  });

  it('refuses a body that is not JSON with a clear 400', async () => {
    const { e } = await start();
    const t = (await token(e)).body.accessToken;
    const r = await call(`${e.url}/v1.0/robot/groupMessages/send`, { headers: { 'x-acs-dingtalk-access-token': t }, raw: '{"robotCode":' });
    expect(r.status).toBe(400);
    expect(r.body.message).toContain('not valid JSON');
  });

  it('refuses msgParam over the byte limit, so the adapter has to split', async () => {
    const { e, cid } = await start({ limits: { maxMsgParamBytes: 300 } });
    const t = (await token(e)).body.accessToken;
    const r = await send(e, t, markdown(cid, '字'.repeat(100)));
    expect(r.status).toBe(400);
    expect(r.body.message).toContain('the limit is 300');
  });

  it('throttles with 403 QpsLimitForAppkeyAndApi while a throttle fault lasts, then delivers', async () => {
    const { e, cid } = await start();
    const t = (await token(e)).body.accessToken;
    e.injectFaults({ throttle: { count: 2 } });
    const first = await send(e, t, markdown(cid));
    expect(first.status).toBe(403);
    expect(first.body).toMatchObject({ code: 'Forbidden.AccessDenied.QpsLimitForAppkeyAndApi', requestid: expect.any(String) });
    expect(first.headers.get('retry-after')).toBeNull();
    expect((await send(e, t, markdown(cid))).status).toBe(403);
    expect((await send(e, t, markdown(cid))).status).toBe(200);
    expect(e.messages(cid)).toHaveLength(1);
    expect(e.state().counters.throttled).toBe(2);
  });

  it('throttles with 429 when the fault asks for it', async () => {
    const { e, cid } = await start();
    const t = (await token(e)).body.accessToken;
    e.injectFaults({ throttle: { count: 1, status: 429 } });
    expect((await send(e, t, markdown(cid))).status).toBe(429);
  });

  it('fails sends with a 5xx while a failSends fault lasts', async () => {
    const { e, cid } = await start();
    const t = (await token(e)).body.accessToken;
    e.injectFaults({ failSends: { count: 1, status: 503 } });
    const r = await send(e, t, markdown(cid));
    expect(r.status).toBe(503);
    expect(r.body.code).toBe('ServiceUnavailable');
    expect((await send(e, t, markdown(cid))).status).toBe(200);
  });

  it('delivers a send but holds its answer back while a delayAnswers fault lasts', async () => {
    const { e, cid } = await start();
    const t = (await token(e)).body.accessToken;
    e.injectFaults({ delayAnswers: { count: 1, ms: 300 } });
    const started = Date.now();
    const r = await send(e, t, markdown(cid));
    expect(r.status).toBe(200);
    expect(Date.now() - started).toBeGreaterThanOrEqual(290);
    expect(e.messages(cid)).toHaveLength(1);
    expect(e.state().counters.delayedAnswers).toBe(1);
  });

  it('delivers a send and cuts the connection without an answer while a dropAnswers fault lasts', async () => {
    const { e, cid } = await start();
    const t = (await token(e)).body.accessToken;
    e.injectFaults({ dropAnswers: { count: 1, target: 'openapi' } });
    await expect(send(e, t, markdown(cid))).rejects.toThrow();
    expect(e.messages(cid)).toHaveLength(1);
    expect((await send(e, t, markdown(cid))).status).toBe(200);
    expect(e.state().counters.droppedAnswers).toBe(1);
  });

  it('fails connections/open while a gatewayDown fault lasts, then opens again', async () => {
    const { e } = await start();
    e.injectFaults({ gatewayDown: { count: 1, status: 502 } });
    const open = () =>
      call(`${e.url}/v1.0/gateway/connections/open`, {
        headers: { Accept: 'application/json' },
        body: { clientId: 'sandbox-client', clientSecret: 'sandbox-secret', ua: 't', subscriptions: [{ type: 'CALLBACK', topic: '/v1.0/im/bot/messages/get' }] },
      });
    expect((await open()).status).toBe(502);
    expect((await open()).status).toBe(200);
    expect(e.state().counters.gatewayRefusals).toBe(1);
  });

  it('refuses an answer fault without a count', () => {
    emu = undefined;
    return start().then(({ e }) => {
      expect(() => e.injectFaults({ delayAnswers: { ms: 10 } as never })).toThrow(/delayAnswers.count/);
      expect(() => e.injectFaults({ gatewayDown: { count: 1, status: 200 } })).toThrow(/gatewayDown.status/);
    });
  });

  it('enforces a per-group rate limit', async () => {
    const { e, cid } = await start({ limits: { groupPerMinute: 2 } });
    const t = (await token(e)).body.accessToken;
    const statuses = [];
    for (let i = 0; i < 3; i++) statuses.push((await send(e, t, markdown(cid))).status);
    expect(statuses).toEqual([200, 200, 403]);
  });

  it('records an ActionCard with its buttons', async () => {
    const { e, cid } = await start();
    const t = (await token(e)).body.accessToken;
    await send(e, t, {
      robotCode: 'sandbox-robot',
      openConversationId: cid,
      msgKey: 'sampleActionCard2',
      msgParam: JSON.stringify({ title: '催办', text: '任务 4 未确认', actionTitle1: '确认', actionURL1: 'dtmd://dingtalkclient/sendMessage?content=确认 4', actionTitle2: '查看', actionURL2: 'https://example.org' }),
    });
    expect(e.messages(cid)[0]!.actionCard?.buttons).toEqual([
      { title: '确认', url: 'dtmd://dingtalkclient/sendMessage?content=确认 4' },
      { title: '查看', url: 'https://example.org' },
    ]);
  });
});

describe('session webhook', () => {
  it('posts a reply with its @-mentions and answers errcode 0', async () => {
    const { e, cid } = await start();
    const url = await sessionWebhook(e, cid);
    const r = await call(url, { body: { msgtype: 'markdown', markdown: { title: '回执', text: '已记录 @u1' }, at: { atUserIds: ['u1'], isAtAll: false } } });
    expect(r.body).toEqual({ errcode: 0, errmsg: 'ok' });
    const reply = e.messages(cid).at(-1)!;
    expect(reply).toMatchObject({ from: 'bot', via: 'sessionWebhook', msgtype: 'markdown', atUserIds: ['u1'], isAtAll: false });
  });

  it('answers errcode 300001 for an expired session', async () => {
    const { e, cid } = await start();
    const url = await sessionWebhook(e, cid);
    e.injectFaults({ expireSessions: true });
    const r = await call(url, { body: { msgtype: 'text', text: { content: 'x' } } });
    expect(r.status).toBe(200);
    expect(r.body).toEqual({ errcode: 300001, errmsg: 'session 不存在' });
  });

  it('answers errcode 300001 for a session that never existed', async () => {
    const { e } = await start();
    const r = await call(`${e.url}/robot/sendBySession?session=nope`, { body: { msgtype: 'text', text: { content: 'x' } } });
    expect(r.body.errcode).toBe(300001);
  });

  it('refuses content over the size limit with errcode 460101', async () => {
    const { e, cid } = await start({ limits: { maxWebhookBytes: 100 } });
    const url = await sessionWebhook(e, cid);
    const r = await call(url, { body: { msgtype: 'markdown', markdown: { title: 't', text: '字'.repeat(40) } } });
    expect(r.body).toEqual({ errcode: 460101, errmsg: 'message too long, exceed 100 bytes' });
  });

  it('answers errcode 130101 while throttled', async () => {
    const { e, cid } = await start();
    const url = await sessionWebhook(e, cid);
    e.injectFaults({ throttle: { count: 1, target: 'webhook' } });
    const r = await call(url, { body: { msgtype: 'text', text: { content: 'x' } } });
    expect(r.body).toEqual({ errcode: 130101, errmsg: 'send too fast, exceed 20 times per minute' });
  });

  it('refuses a body that is not JSON with a clear 400', async () => {
    const { e, cid } = await start();
    const url = await sessionWebhook(e, cid);
    const r = await call(url, { raw: 'msgtype=text' });
    expect(r.status).toBe(400);
    expect(r.body.errmsg).toContain('not valid JSON');
  });
});
