import { afterEach, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { startEmulator, SANDBOX_APP, type Emulator, type EmulatorOptions } from './server.js';
import { call, connectRaw, sleep, until } from './test-support.js';

let emu: Emulator | undefined;
afterEach(async () => {
  await emu?.close();
  emu = undefined;
});

async function start(options: EmulatorOptions = {}): Promise<Emulator> {
  emu = await startEmulator({ port: 0, ackTimeoutMs: 200, pingIntervalMs: 60_000, ...options });
  return emu;
}

function group(e: Emulator) {
  return e.createGroup({
    title: '郭道镇',
    members: [
      { staffId: 'u1', nick: '张三' },
      { staffId: 'u2', nick: '李四', isAdmin: true },
    ],
  });
}

describe('gateway: connections/open', () => {
  it('answers an endpoint on the emulator and a ticket', async () => {
    const e = await start();
    const r = await call(`${e.url}/v1.0/gateway/connections/open`, {
      body: { clientId: 'sandbox-client', clientSecret: 'sandbox-secret', ua: 'x', subscriptions: [{ type: 'EVENT', topic: '*' }] },
    });
    expect(r.status).toBe(200);
    expect(r.body.endpoint).toBe(`ws://127.0.0.1:${e.port}/connect`);
    expect(r.body.ticket).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('answers XML when the client does not ask for JSON, like the real gateway', async () => {
    const e = await start();
    const r = await call(`${e.url}/v1.0/gateway/connections/open`, {
      headers: { Accept: '*/*' },
      body: { clientId: 'sandbox-client', clientSecret: 'sandbox-secret', subscriptions: [{ type: 'EVENT', topic: '*' }] },
    });
    expect(r.headers.get('content-type')).toContain('xml');
    expect(r.body).toContain('<ticket>');
  });

  it('refuses bad credentials with DingTalk’s error body', async () => {
    const e = await start();
    const r = await call(`${e.url}/v1.0/gateway/connections/open`, {
      body: { clientId: 'sandbox-client', clientSecret: 'wrong', subscriptions: [{ type: 'EVENT', topic: '*' }] },
    });
    expect(r.status).toBe(400);
    expect(r.body).toMatchObject({ code: 'invalidClientIdOrSecret', requestid: expect.any(String) });
  });

  it('refuses missing or malformed subscriptions', async () => {
    const e = await start();
    const r = await call(`${e.url}/v1.0/gateway/connections/open`, {
      body: { clientId: 'sandbox-client', clientSecret: 'sandbox-secret', subscriptions: [{ type: 'PUSH', topic: '*' }] },
    });
    expect(r.status).toBe(400);
    expect(r.body.message).toContain('subscriptions');
  });
});

describe('gateway: WebSocket', () => {
  it('accepts a ticket once', async () => {
    const e = await start();
    const open = await call(`${e.url}/v1.0/gateway/connections/open`, {
      body: { clientId: 'sandbox-client', clientSecret: 'sandbox-secret', subscriptions: [{ type: 'EVENT', topic: '*' }] },
    });
    const url = `${open.body.endpoint}?ticket=${open.body.ticket}`;
    const first = new WebSocket(url);
    await new Promise((resolve, reject) => first.once('open', resolve).once('error', reject));
    const second = new WebSocket(url);
    const status = await new Promise<number>((resolve) => second.once('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0)));
    expect(status).toBe(401);
    first.close();
  });

  it('refuses an expired ticket', async () => {
    const e = await start({ ticketTtlMs: 20 });
    const open = await call(`${e.url}/v1.0/gateway/connections/open`, {
      body: { clientId: 'sandbox-client', clientSecret: 'sandbox-secret', subscriptions: [{ type: 'EVENT', topic: '*' }] },
    });
    await sleep(40);
    const ws = new WebSocket(`${open.body.endpoint}?ticket=${open.body.ticket}`);
    const status = await new Promise<number>((resolve) => ws.once('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0)));
    expect(status).toBe(401);
  });

  it('lists the connection with its subscriptions and ua', async () => {
    const e = await start();
    await connectRaw(e);
    expect(e.connections()).toEqual([
      expect.objectContaining({ clientId: 'sandbox-client', ua: 'test-raw/1.0', closing: false, subscriptions: expect.arrayContaining([{ type: 'CALLBACK', topic: '/v1.0/im/bot/messages/get' }]) }),
    ]);
  });
});

describe('gateway: SYSTEM ping', () => {
  it('pings with an opaque id and counts an echo with the same messageId and data', async () => {
    const e = await start({ pingIntervalMs: 50 });
    const c = await connectRaw(e);
    const ping = await c.next((f) => f.type === 'SYSTEM' && f.headers.topic === 'ping');
    expect(JSON.parse(ping.data)).toEqual({ opaque: expect.any(String) });
    c.sendJson({ code: 200, headers: ping.headers, message: 'OK', data: ping.data });
    await until(() => e.connections()[0]!.pingsAnswered === 1, 2000, 'the echo');
  });

  it('does not count an echo with other data, and keeps the connection', async () => {
    const e = await start({ pingIntervalMs: 50 });
    const c = await connectRaw(e);
    const ping = await c.next((f) => f.headers.topic === 'ping');
    c.sendJson({ code: 200, headers: ping.headers, message: 'OK', data: '{"opaque":"other"}' });
    await until(() => e.connections()[0]!.malformedFrames === 1, 2000, 'the bad echo');
    expect(e.connections()[0]!.pingsAnswered).toBe(0);
    expect(c.ws.readyState).toBe(WebSocket.OPEN);
  });

  it('closes a connection that leaves its pings unanswered', async () => {
    const e = await start({ pingIntervalMs: 30, maxMissedPings: 2 });
    const c = await connectRaw(e);
    const closed = await c.closed;
    expect(closed.code).toBe(1001);
    await until(() => e.connections().length === 0, 2000, 'the server to forget the connection');
  });
});

describe('gateway: robot-message callbacks', () => {
  it('pushes a CALLBACK on the robot topic with the docs/dingtalk.md data', async () => {
    const e = await start();
    const g = group(e);
    const c = await connectRaw(e);
    const { msgId, messageId } = e.postMessage(g.conversationId, { senderStaffId: 'u2', text: '确认 4' });
    const frame = await c.next((f) => f.type === 'CALLBACK');
    expect(frame.headers).toMatchObject({ topic: '/v1.0/im/bot/messages/get', messageId, contentType: 'application/json' });
    expect(frame.headers.connectionId).toBe(e.connections()[0]!.connectionId);
    const data = JSON.parse(frame.data);
    expect(data).toMatchObject({
      conversationId: g.conversationId,
      conversationType: '2',
      conversationTitle: '郭道镇',
      msgId,
      senderStaffId: 'u2',
      senderNick: '李四',
      isAdmin: true,
      robotCode: 'sandbox-robot',
      isInAtList: true,
      msgtype: 'text',
      text: { content: ' 确认 4' },
    });
    expect(data.sessionWebhook).toMatch(new RegExp(`^${e.url}/robot/sendBySession\\?session=`));
    const ninetyMinutes = 90 * 60_000;
    expect(data.sessionWebhookExpiredTime - data.createAt).toBe(ninetyMinutes);
  });

  it('redelivers an unacked callback with the same messageId', async () => {
    const e = await start();
    const g = group(e);
    const c = await connectRaw(e);
    const { messageId } = e.postMessage(g.conversationId, { senderStaffId: 'u1', text: '本周' });
    const first = await c.next((f) => f.type === 'CALLBACK');
    const second = await c.next((f) => f.type === 'CALLBACK', 2000);
    expect(second.headers.messageId).toBe(messageId);
    expect(second.data).toBe(first.data);
    expect(e.deliveries()[0]).toMatchObject({ status: 'pending', attempts: [expect.anything(), expect.anything()] });
  });

  it('does not redeliver after an ack', async () => {
    // A longer timeout than the others: the ack must beat it even on a loaded machine.
    const e = await start({ ackTimeoutMs: 500 });
    const g = group(e);
    const c = await connectRaw(e);
    e.postMessage(g.conversationId, { senderStaffId: 'u1', text: '本周' });
    c.ack(await c.next((f) => f.type === 'CALLBACK'));
    await until(() => e.deliveries()[0]!.status === 'acked', 2000, 'the ack');
    await sleep(700);
    expect(c.frames.filter((f) => f.type === 'CALLBACK')).toHaveLength(1);
    expect(e.state().pendingAcks).toEqual([]);
    expect(e.state().counters.acks).toBe(1);
  });

  it('gives up after maxRedeliveries and marks the delivery failed', async () => {
    const e = await start({ ackTimeoutMs: 30, maxRedeliveries: 2 });
    const g = group(e);
    const c = await connectRaw(e);
    e.postMessage(g.conversationId, { senderStaffId: 'u1', text: '本周' });
    await until(() => e.deliveries()[0]!.status === 'failed', 2000, 'giving up');
    expect(c.frames.filter((f) => f.type === 'CALLBACK')).toHaveLength(3);
  });

  it('ignores acks while a dropAcks fault is armed, so the message comes again', async () => {
    const e = await start();
    const g = group(e);
    const c = await connectRaw(e);
    e.injectFaults({ dropAcks: 1 });
    e.postMessage(g.conversationId, { senderStaffId: 'u1', text: '确认 4' });
    const first = await c.next((f) => f.type === 'CALLBACK');
    c.ack(first);
    const again = await c.next((f) => f.type === 'CALLBACK', 2000);
    expect(again.headers.messageId).toBe(first.headers.messageId);
    c.ack(again);
    await until(() => e.deliveries()[0]!.status === 'acked', 2000, 'the second ack');
    expect(e.deliveries()[0]!.droppedAcks).toBe(1);
  });

  it('does not count a non-200 answer as an ack', async () => {
    const e = await start();
    const g = group(e);
    const c = await connectRaw(e);
    e.postMessage(g.conversationId, { senderStaffId: 'u1', text: 'x' });
    const f = await c.next((x) => x.type === 'CALLBACK');
    c.sendJson({ code: 500, headers: { messageId: f.headers.messageId, contentType: 'application/json' }, message: 'internal error', data: '{}' });
    const again = await c.next((x) => x.type === 'CALLBACK', 2000);
    expect(again.headers.messageId).toBe(f.headers.messageId);
  });

  it('queues messages while no client subscribes to the robot topic and delivers them on connect', async () => {
    const e = await start();
    const g = group(e);
    const eventsOnly = await connectRaw(e, [{ type: 'EVENT', topic: '*' }]);
    e.postMessage(g.conversationId, { senderStaffId: 'u1', text: '进度' });
    expect(e.deliveries()[0]!.status).toBe('queued');
    const robot = await connectRaw(e);
    const frame = await robot.next((f) => f.type === 'CALLBACK');
    expect(JSON.parse(frame.data).text.content).toBe(' 进度');
    expect(eventsOnly.frames.filter((f) => f.type === 'CALLBACK')).toEqual([]);
  });

  it('logs and ignores malformed client frames and keeps the connection', async () => {
    const warnings: string[] = [];
    const e = await start({ logger: { warn: (m) => warnings.push(m) } });
    const g = group(e);
    const c = await connectRaw(e);
    c.ws.send('{not json');
    c.ws.send(Buffer.from([1, 2, 3]));
    c.sendJson({ hello: 'world' });
    c.sendJson({ code: 200, headers: { messageId: 'nobody-sent-this' }, message: 'OK', data: '' });
    await until(() => e.connections()[0]?.malformedFrames === 4, 2000, 'four ignored frames');
    expect(warnings.join('\n')).toContain('frame is not JSON');
    e.postMessage(g.conversationId, { senderStaffId: 'u1', text: '仍然在线' });
    const f = await c.next((x) => x.type === 'CALLBACK');
    expect(JSON.parse(f.data).text.content).toBe(' 仍然在线');
  });
});

describe('gateway: SYSTEM disconnect', () => {
  it('sends disconnect with a reason, stops pushing to the connection and closes it after the grace period', async () => {
    const e = await start({ disconnectGraceMs: 150 });
    const g = group(e);
    const c = await connectRaw(e);
    e.injectFaults({ disconnect: { reason: 'rebalancing' } });
    const frame = await c.next((f) => f.type === 'SYSTEM' && f.headers.topic === 'disconnect');
    expect(JSON.parse(frame.data)).toEqual({ reason: 'rebalancing' });
    expect(e.connections()[0]!.closing).toBe(true);
    e.postMessage(g.conversationId, { senderStaffId: 'u1', text: '断线期间' });
    expect(e.deliveries()[0]!.status).toBe('queued');
    const closed = await c.closed;
    expect(closed.code).toBe(1000);
    const next = await connectRaw(e);
    const delivered = await next.next((f) => f.type === 'CALLBACK');
    expect(JSON.parse(delivered.data).text.content).toBe(' 断线期间');
  });

  it('disconnects connections when they reach maxConnectionAgeMs', async () => {
    const e = await start({ maxConnectionAgeMs: 50, disconnectGraceMs: 10 });
    const c = await connectRaw(e);
    const frame = await c.next((f) => f.headers.topic === 'disconnect', 2000);
    expect(JSON.parse(frame.data).reason).toBe('connection is expired');
    await c.closed;
  });

  it('disconnects only the named app', async () => {
    const e = await start({
      apps: [SANDBOX_APP, { clientId: 'other', clientSecret: 'other-secret', robotCode: 'other-robot' }],
      disconnectGraceMs: 10,
    });
    const a = await connectRaw(e);
    const b = await connectRaw(e, undefined, { clientId: 'other', clientSecret: 'other-secret', robotCode: 'other-robot' });
    e.injectFaults({ disconnect: { clientId: 'other' } });
    await b.closed;
    await until(() => e.connections().length === 1, 2000, 'the server to forget the connection');
    expect(a.ws.readyState).toBe(WebSocket.OPEN);
    expect(e.connections().map((x) => x.clientId)).toEqual(['sandbox-client']);
  });
});
