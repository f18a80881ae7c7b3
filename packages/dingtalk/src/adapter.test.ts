import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { IncomingEvent, IncomingMessage } from '@zwgk/chat-contract';
import { createDingTalkAdapter, type DingTalkAdapter } from './adapter.js';
import type { DingTalkAdapterOptions } from './config.js';
import { DingTalkAuthError } from './errors.js';
import { robotData, startFakeDingTalk, type FakeDingTalk } from './testing/fake-dingtalk.js';

let fake: FakeDingTalk;
let adapter: DingTalkAdapter | undefined;

beforeEach(async () => {
  fake = await startFakeDingTalk();
});

afterEach(async () => {
  await adapter?.disconnect();
  adapter = undefined;
  await fake.close();
});

/** Registers a handler the way the engine does: acknowledges each event once `handle` resolved, never when it rejected. */
function handleWith(a: DingTalkAdapter, handle: (m: IncomingMessage) => Promise<void>): void {
  a.onEvent(async (event) => {
    try {
      await handle(event.message);
    } catch {
      return;
    }
    await event.ack();
  });
}

function make(extra: Partial<DingTalkAdapterOptions> = {}): DingTalkAdapter {
  adapter = createDingTalkAdapter({
    clientId: 'client-1',
    clientSecret: fake.secret,
    robotCode: 'robot-1',
    apiBase: fake.url,
    retry: { attempts: 4, baseMs: 1, maxMs: 5 },
    reconnect: { baseMs: 10, maxMs: 50, heartbeatMs: 0 },
    ...extra,
  });
  return adapter;
}

function deferred() {
  let resolve!: () => void;
  let reject!: (e: Error) => void;
  const promise = new Promise<void>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

const settle = () => new Promise((r) => setTimeout(r, 60));

describe('createDingTalkAdapter', () => {
  it('opens the WebSocket endpoint the gateway at apiBase returns', async () => {
    const a = make();
    await a.connect();
    expect(fake.requests.some((r) => r.path === '/v1.0/gateway/connections/open' && r.body.clientId === 'client-1')).toBe(true);
    const gateway = fake.requests.find((r) => r.path === '/v1.0/gateway/connections/open');
    expect(gateway?.body.subscriptions).toEqual([{ type: 'CALLBACK', topic: '/v1.0/im/bot/messages/get' }]);
    expect(fake.sockets).toHaveLength(1);
    expect(a.state().connected).toBe(true);
  });

  it('rejects connect with DingTalkAuthError naming the client id on bad credentials, without retrying', async () => {
    const a = make({ clientSecret: 'wrong' });
    const error = await a.connect().then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(DingTalkAuthError);
    expect(String((error as Error).message)).toContain('client-1');
    expect(fake.requests.filter((r) => r.path === '/v1.0/oauth2/accessToken')).toHaveLength(1);
    expect(fake.connections).toBe(0);
  });

  it('hands a robot message to the handler normalised, and acks its frame only when the engine acknowledges', async () => {
    const a = make();
    const gate = deferred();
    const seen: IncomingMessage[] = [];
    handleWith(a, async (m) => {
      seen.push(m);
      await gate.promise;
    });
    await a.connect();
    const frameId = fake.callback(robotData({ msgId: 'm-1', text: { content: ' 确认 4 ' } }));
    await fake.waitFor(() => seen.length === 1);
    expect(seen[0]).toMatchObject({ platform: 'dingtalk', conversationId: 'cidGroupA', messageId: 'm-1', senderId: 'staff-1', senderName: '张三', text: '确认 4', isGroup: true });
    await settle();
    expect(fake.acksFor(frameId)).toHaveLength(0);
    gate.resolve();
    const acks = await fake.waitFor(() => fake.acksFor(frameId).length > 0 && fake.acksFor(frameId));
    expect(acks[0]).toMatchObject({ code: 200, message: 'OK', headers: { messageId: frameId }, data: '{"response":null}' });
  });

  it('does not ack a frame the engine leaves unacknowledged, and hands over its redelivery', async () => {
    const a = make();
    let calls = 0;
    handleWith(a, async () => {
      calls++;
      if (calls === 1) throw new Error('reply failed');
    });
    await a.connect();
    const data = robotData({ msgId: 'm-fail' });
    const first = fake.callback(data);
    await fake.waitFor(() => calls === 1);
    await settle();
    expect(fake.acksFor(first)).toHaveLength(0);
    const again = fake.callback(data, first);
    await fake.waitFor(() => fake.acksFor(again).length > 0);
    expect(calls).toBe(2);
  });

  it('acks and drops malformed robot messages without calling the handler', async () => {
    const a = make();
    let calls = 0;
    handleWith(a, async () => {
      calls++;
    });
    await a.connect();
    const notJson = fake.callback('{not json');
    const noMsgId = fake.callback(robotData({ msgId: undefined }));
    await fake.waitFor(() => fake.acksFor(notJson).length > 0 && fake.acksFor(noMsgId).length > 0);
    fake.push('this is not a frame');
    const ok = fake.callback(robotData());
    await fake.waitFor(() => fake.acksFor(ok).length > 0);
    expect(calls).toBe(1);
  });

  it('hands every delivery to the engine, a redelivery in flight included, each with the ack of its own frame', async () => {
    const a = make();
    const events: IncomingEvent[] = [];
    a.onEvent(async (event) => {
      events.push(event);
    });
    await a.connect();
    const data = robotData({ msgId: 'm-slow' });
    const first = fake.callback(data);
    await fake.waitFor(() => events.length === 1);
    const second = fake.callback(data, `${first}-redelivered`);
    await fake.waitFor(() => events.length === 2);
    expect(events.map((e) => e.message.messageId)).toEqual(['m-slow', 'm-slow']);
    await settle();
    expect(fake.acksFor(first)).toHaveLength(0);
    expect(await events[1]!.ack()).toBe(true);
    await fake.waitFor(() => fake.acksFor(second).length === 1);
    expect(fake.acksFor(first)).toHaveLength(0);
    expect(await events[0]!.ack()).toBe(true);
    await fake.waitFor(() => fake.acksFor(first).length === 1);
  });

  it('echoes SYSTEM pings', async () => {
    const a = make();
    await a.connect();
    fake.push({ specVersion: '1.0', type: 'SYSTEM', headers: { messageId: 'ping-1', topic: 'ping', contentType: 'application/json' }, data: '{"opaque":"x"}' });
    const echo = await fake.waitFor(() => fake.received.find((f) => f?.headers?.messageId === 'ping-1'));
    expect(echo).toMatchObject({ code: 200, data: '{"opaque":"x"}' });
  });

  it('replies through a valid session webhook with @-mentions', async () => {
    const a = make();
    const seen: IncomingMessage[] = [];
    handleWith(a, async (m) => {
      seen.push(m);
    });
    await a.connect();
    fake.callback(robotData({ sessionWebhook: `${fake.url}/webhook/s1`, sessionWebhookExpiredTime: Date.now() + 60 * 60_000 }));
    await fake.waitFor(() => seen.length === 1);
    await a.reply(seen[0] as IncomingMessage, { title: '回执', text: '已确认 @staff-1' }, { mentions: [{ id: 'staff-1', name: '张三' }] });
    const hook = fake.requests.filter((r) => r.path === '/webhook/s1');
    expect(hook).toHaveLength(1);
    expect(hook[0]?.body).toEqual({ msgtype: 'markdown', markdown: { title: '回执', text: '已确认 @staff-1' }, at: { atUserIds: ['staff-1'], isAtAll: false } });
    expect(fake.requests.some((r) => r.path === '/v1.0/robot/groupMessages/send')).toBe(false);
  });

  it('replies through the OpenAPI once the session webhook is within the safety margin of its expiry', async () => {
    const a = make({ webhookMarginMs: 5 * 60_000 });
    const seen: IncomingMessage[] = [];
    handleWith(a, async (m) => {
      seen.push(m);
    });
    await a.connect();
    fake.callback(robotData({ sessionWebhook: `${fake.url}/webhook/s2`, sessionWebhookExpiredTime: Date.now() + 4 * 60_000 }));
    await fake.waitFor(() => seen.length === 1);
    const sent = await a.reply(seen[0] as IncomingMessage, { title: '回执', text: '已确认 @staff-1' }, { mentions: [{ id: 'staff-1', name: '张三' }] });
    expect(fake.requests.some((r) => r.path === '/webhook/s2')).toBe(false);
    const send = fake.requests.find((r) => r.path === '/v1.0/robot/groupMessages/send');
    expect(send?.headers['x-acs-dingtalk-access-token']).toMatch(/^token-/);
    expect(send?.body).toMatchObject({ robotCode: 'robot-1', openConversationId: 'cidGroupA', msgKey: 'sampleMarkdown' });
    expect(JSON.parse(send?.body.msgParam)).toEqual({ title: '回执', text: '已确认 @张三' });
    expect(sent.messageId).toMatch(/^pqk-/);
  });

  it('falls back to the OpenAPI when the session webhook refuses', async () => {
    const a = make();
    const seen: IncomingMessage[] = [];
    handleWith(a, async (m) => {
      seen.push(m);
    });
    await a.connect();
    fake.script('/webhook/s3', { status: 200, body: { errcode: 300001, errmsg: 'session expired' } });
    fake.callback(robotData({ sessionWebhook: `${fake.url}/webhook/s3`, sessionWebhookExpiredTime: Date.now() + 60 * 60_000 }));
    await fake.waitFor(() => seen.length === 1);
    await a.reply(seen[0] as IncomingMessage, { title: 't', text: 'x' });
    expect(fake.requests.filter((r) => r.path === '/webhook/s3')).toHaveLength(1);
    expect(fake.requests.filter((r) => r.path === '/v1.0/robot/groupMessages/send')).toHaveLength(1);
  });

  it('sends to one-to-one chats it has seen through oToMessages/batchSend', async () => {
    const a = make();
    const seen: IncomingMessage[] = [];
    handleWith(a, async (m) => {
      seen.push(m);
    });
    await a.connect();
    fake.callback(robotData({ conversationId: 'cidSingle', conversationType: '1', senderStaffId: 'staff-9', atUsers: [], sessionWebhookExpiredTime: Date.now() }));
    await fake.waitFor(() => seen.length === 1);
    expect(seen[0]?.isGroup).toBe(false);
    await a.reply(seen[0] as IncomingMessage, { title: 't', text: 'hi' });
    const send = fake.requests.find((r) => r.path === '/v1.0/robot/oToMessages/batchSend');
    expect(send?.body).toMatchObject({ robotCode: 'robot-1', userIds: ['staff-9'], msgKey: 'sampleMarkdown' });
  });

  it('caches the access token across sends and refreshes it once after a 401', async () => {
    const a = make();
    await a.send('cidA', { title: 't', text: 'one' });
    await a.send('cidB', { title: 't', text: 'two' });
    expect(fake.requests.filter((r) => r.path === '/v1.0/oauth2/accessToken')).toHaveLength(1);
    fake.script('/v1.0/robot/groupMessages/send', { status: 401, body: { code: 'InvalidAuthentication', message: 'token expired' } });
    await a.send('cidC', { title: 't', text: 'three' });
    const tokens = fake.requests.filter((r) => r.path === '/v1.0/oauth2/accessToken');
    expect(tokens).toHaveLength(2);
    const sends = fake.requests.filter((r) => r.path === '/v1.0/robot/groupMessages/send');
    expect(sends.map((s) => s.headers['x-acs-dingtalk-access-token'])).toEqual(['token-1', 'token-1', 'token-1', 'token-2']);
  });

  it('makes one attempt per send and leaves retrying to the engine: throttled and failing sends reject as retryable', async () => {
    const a = make();
    fake.script(
      '/v1.0/robot/groupMessages/send',
      { status: 429, body: { code: 'Throttling', message: 'too many requests' } },
      { status: 403, body: { code: 'Forbidden.AccessDenied.QpsLimitForAppkeyAndApi', message: 'qps' } },
      { status: 503, body: 'unavailable' },
    );
    for (let i = 0; i < 3; i++) {
      await expect(a.send('cidA', { title: 't', text: 'digest' })).rejects.toMatchObject({ retryable: true, uncertain: false, attempts: 1 });
    }
    const sent = await a.send('cidA', { title: 't', text: 'digest' });
    expect(sent.messageId).toBeDefined();
    expect(fake.requests.filter((r) => r.path === '/v1.0/robot/groupMessages/send')).toHaveLength(4);
  });

  it('books every send attempt with a shared rate limiter when one is given, and waits for it', async () => {
    const booked: string[] = [];
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    const a = make({
      rateLimiter: {
        acquire: async (cid) => {
          booked.push(cid);
          if (cid === 'cidSlow') await gate;
        },
      },
    });
    await a.send('cidA', { title: 't', text: 'one' });
    const slow = a.send('cidSlow', { title: 't', text: 'two' });
    await settle();
    expect(fake.requests.filter((r) => r.path === '/v1.0/robot/groupMessages/send')).toHaveLength(1);
    release();
    await slow;
    expect(booked).toEqual(['cidA', 'cidSlow']);
    expect(fake.requests.filter((r) => r.path === '/v1.0/robot/groupMessages/send')).toHaveLength(2);
  });

  it('refuses a shared rate limiter without acquire', () => {
    expect(() => make({ rateLimiter: {} as never })).toThrow(/rateLimiter: expected a limiter with an acquire\(conversationId\) method/);
  });

  it('calls beforeRequest once, before the first request leaves, and sends nothing when it rejects', async () => {
    const a = make();
    const order: string[] = [];
    await a.send('cidA', { title: 't', text: 'digest' }, { beforeRequest: async () => void order.push(`marked with ${fake.requests.filter((r) => r.path === '/v1.0/robot/groupMessages/send').length} sent`) });
    expect(order).toEqual(['marked with 0 sent']);
    await expect(a.send('cidA', { title: 't', text: 'again' }, { beforeRequest: async () => Promise.reject(new Error('claim lost')) })).rejects.toThrow('claim lost');
    expect(fake.requests.filter((r) => r.path === '/v1.0/robot/groupMessages/send')).toHaveLength(1);
  });

  it('splits a long digest into numbered parts sent in order', async () => {
    const a = make({ maxMessageBytes: 2_000 });
    const lines = Array.from({ length: 120 }, (_, i) => `- 任务${i + 1} 某项公开工作（截止 2022-12-31）`);
    await a.send('cidA', { title: '本周提醒', text: lines.join('\n') });
    const sends = fake.requests.filter((r) => r.path === '/v1.0/robot/groupMessages/send');
    expect(sends.length).toBeGreaterThan(1);
    const texts = sends.map((s) => JSON.parse(s.body.msgParam).text as string);
    for (const [i, t] of texts.entries()) expect(t.endsWith(`（${i + 1}/${sends.length}）`)).toBe(true);
    const got = texts.flatMap((t) => t.split('\n')).filter((l) => l.startsWith('- '));
    expect(got).toEqual(lines);
    for (const s of sends) expect(Buffer.byteLength(s.body.msgParam)).toBeLessThanOrEqual(2_000);
  });

  it('reconnects after the gateway closes the connection and keeps receiving', async () => {
    const a = make();
    const seen: string[] = [];
    handleWith(a, async (m) => {
      seen.push(m.messageId);
    });
    await a.connect();
    fake.sockets[0]?.close(1001, 'going away');
    await fake.waitFor(() => fake.connections === 2 && fake.sockets.length === 1);
    await fake.waitFor(() => a.state().connected);
    const id = fake.callback(robotData({ msgId: 'after-reconnect' }));
    await fake.waitFor(() => fake.acksFor(id).length === 1);
    expect(seen).toEqual(['after-reconnect']);
    expect(a.state().reconnects).toBe(1);
  });

  it('reconnects right away after a SYSTEM disconnect, still acking on the old connection', async () => {
    const a = make();
    const gate = deferred();
    const seen: string[] = [];
    handleWith(a, async (m) => {
      seen.push(m.messageId);
      if (m.messageId === 'on-old') await gate.promise;
    });
    await a.connect();
    const old = fake.sockets[0];
    const onOld = fake.callback(robotData({ msgId: 'on-old' }));
    await fake.waitFor(() => seen.length === 1);
    fake.push({ specVersion: '1.0', type: 'SYSTEM', headers: { messageId: 'd-1', topic: 'disconnect', contentType: 'application/json' }, data: '{"reason":"rebalance"}' });
    await fake.waitFor(() => fake.connections === 2);
    expect(fake.sockets).toContain(old);
    gate.resolve();
    await fake.waitFor(() => fake.acksFor(onOld).length === 1);
    const fresh = fake.callback(robotData({ msgId: 'on-new' }));
    await fake.waitFor(() => fake.acksFor(fresh).length === 1);
    expect(seen).toEqual(['on-old', 'on-new']);
  });

  it('keeps retrying while the gateway is unreachable, and comes back', async () => {
    const a = make();
    handleWith(a, async () => {});
    await a.connect();
    fake.script('/v1.0/gateway/connections/open', { status: 503, body: 'down' }, { status: 502, body: 'down' });
    fake.sockets[0]?.terminate();
    await fake.waitFor(() => fake.connections === 2, 5_000);
    expect(fake.requests.filter((r) => r.path === '/v1.0/gateway/connections/open').length).toBe(4);
  });

  it('does not reconnect after disconnect', async () => {
    const a = make();
    await a.connect();
    await a.disconnect();
    await new Promise((r) => setTimeout(r, 150));
    expect(fake.connections).toBe(1);
    expect(fake.sockets).toHaveLength(0);
    expect(a.state().connected).toBe(false);
  });
});
