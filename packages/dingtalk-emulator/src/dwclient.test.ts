/**
 * The official `dingtalk-stream` client against the emulator: the gateway URL is hard-coded in the
 * client, so a subclass overrides the public `getEndpoint()` to ask the emulator instead.
 */
import { DWClient, TOPIC_CARD, TOPIC_ROBOT, type DWClientDownStream } from 'dingtalk-stream';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { SANDBOX_APP, startEmulator, type Emulator } from './server.js';
import { call, until } from './test-support.js';

class LoopbackDWClient extends DWClient {
  constructor(
    private readonly apiBase: string,
    opts: { clientId: string; clientSecret: string },
  ) {
    super({ ...opts, ua: 'zwgk-test/1.0' });
  }

  override async getEndpoint(): Promise<this> {
    const res = await fetch(`${this.apiBase}/v1.0/gateway/connections/open`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Accept: 'application/json' },
      body: JSON.stringify({
        clientId: this.config.clientId,
        clientSecret: this.config.clientSecret,
        ua: this.config.ua,
        subscriptions: this.config.subscriptions,
      }),
    });
    if (!res.ok) throw new Error(`gateway open failed: HTTP ${res.status}`);
    const { endpoint, ticket } = (await res.json()) as { endpoint: string; ticket: string };
    // dw_url is private in the typings; getEndpoint's contract is to set it.
    (this as unknown as { dw_url: string }).dw_url = `${endpoint}?ticket=${ticket}`;
    return this;
  }
}

let emu: Emulator | undefined;
let client: LoopbackDWClient | undefined;

beforeEach(() => {
  // dingtalk-stream logs every connect with console.info.
  vi.spyOn(console, 'info').mockImplementation(() => undefined);
});

afterEach(async () => {
  client?.disconnect();
  client = undefined;
  await emu?.close();
  emu = undefined;
  vi.restoreAllMocks();
});

async function setUp(options: Parameters<typeof startEmulator>[0] = {}) {
  emu = await startEmulator({ port: 0, ackTimeoutMs: 200, ...options });
  const group = emu.createGroup({ title: '郭道镇', members: [{ staffId: 'u1', nick: '张三' }] });
  client = new LoopbackDWClient(emu.url, { clientId: SANDBOX_APP.clientId, clientSecret: SANDBOX_APP.clientSecret });
  const received: DWClientDownStream[] = [];
  return { e: emu, c: client, cid: group.conversationId, received };
}

describe('dingtalk-stream DWClient against the emulator', () => {
  it('delivers a robot message to the registered listener, and socketCallBackResponse acks it', async () => {
    const { e, c, cid, received } = await setUp({ ackTimeoutMs: 500 });
    c.registerCallbackListener(TOPIC_ROBOT, (msg) => {
      received.push(msg);
      c.socketCallBackResponse(msg.headers.messageId, { ok: true });
    });
    await c.connect();
    expect(e.connections()[0]).toMatchObject({ ua: 'zwgk-test/1.0' });

    const { msgId, messageId } = e.postMessage(cid, { senderStaffId: 'u1', text: '确认 4' });
    await until(() => e.deliveries()[0]?.status === 'acked', 3000, 'the ack');
    expect(received).toHaveLength(1);
    expect(received[0]!.headers.messageId).toBe(messageId);
    expect(JSON.parse(received[0]!.data)).toMatchObject({ msgId, senderStaffId: 'u1', text: { content: ' 确认 4' } });
    await new Promise((r) => setTimeout(r, 700));
    expect(received).toHaveLength(1);
  });

  it('receives the same messageId again when the listener does not ack', async () => {
    const { e, c, cid, received } = await setUp();
    c.registerCallbackListener(TOPIC_ROBOT, (msg) => received.push(msg));
    await c.connect();
    e.postMessage(cid, { senderStaffId: 'u1', text: '本周' });
    await until(() => received.length >= 2, 3000, 'a redelivery');
    expect(received[1]!.headers.messageId).toBe(received[0]!.headers.messageId);
  });

  it('echoes SYSTEM pings', async () => {
    const { e, c } = await setUp({ pingIntervalMs: 50 });
    c.registerCallbackListener(TOPIC_ROBOT, () => undefined);
    await c.connect();
    await until(() => (e.connections()[0]?.pingsAnswered ?? 0) >= 2, 3000, 'two ping echoes');
    expect(e.connections()[0]!.malformedFrames).toBe(0);
  });

  it('reconnects after a gateway disconnect and gets the message sent meanwhile', async () => {
    const { e, c, cid, received } = await setUp({ disconnectGraceMs: 50 });
    c.registerCallbackListener(TOPIC_ROBOT, (msg) => {
      received.push(msg);
      c.socketCallBackResponse(msg.headers.messageId, null);
    });
    await c.connect();
    const firstConnection = e.connections()[0]!.connectionId;
    await call(`${e.url}/_emulator/faults`, { body: { disconnect: true } });
    e.postMessage(cid, { senderStaffId: 'u1', text: '断线期间' });
    await until(() => e.deliveries()[0]?.status === 'acked', 5000, 'delivery after reconnecting');
    expect(e.connections()).toHaveLength(1);
    expect(e.connections()[0]!.connectionId).not.toBe(firstConnection);
    expect(e.state().counters.gatewayOpens).toBe(2);
    expect(JSON.parse(received[0]!.data).text.content).toBe(' 断线期间');
  });

  it('delivers a card button click to a TOPIC_CARD callback listener, acked by socketCallBackResponse', async () => {
    const { e, c, cid, received } = await setUp({ ackTimeoutMs: 500, cardTemplates: [{ cardTemplateId: 'zwgk-action.schema' }] });
    c.registerCallbackListener(TOPIC_CARD, (msg) => {
      received.push(msg);
      c.socketCallBackResponse(msg.headers.messageId, { cardUpdateOptions: { updateCardDataByKey: true }, cardData: { cardParamMap: {} } });
    });
    await c.connect();
    const token = (await call(`${e.url}/v1.0/oauth2/accessToken`, { body: { appKey: SANDBOX_APP.clientId, appSecret: SANDBOX_APP.clientSecret } })).body.accessToken;
    const created = await call(`${e.url}/v1.0/card/instances/createAndDeliver`, {
      headers: { 'x-acs-dingtalk-access-token': token },
      body: {
        cardTemplateId: 'zwgk-action.schema',
        outTrackId: 'track-dw',
        callbackType: 'STREAM',
        openSpaceId: `dtv1.card//IM_GROUP.${cid}`,
        imGroupOpenDeliverModel: { robotCode: SANDBOX_APP.robotCode },
        cardData: { cardParamMap: { title: '回执', markdown: '已确认第 4 项', buttons: JSON.stringify([{ text: '撤销', params: { command: '撤销 4' } }]) } },
      },
    });
    expect(created.status).toBe(200);
    const { messageId } = e.clickCard('track-dw', { userId: 'u1', text: '撤销' });
    await until(() => e.deliveries()[0]?.status === 'acked', 3000, 'the ack');
    expect(received).toHaveLength(1);
    expect(received[0]!.headers).toMatchObject({ topic: TOPIC_CARD, messageId });
    const data = JSON.parse(received[0]!.data);
    expect(data).toMatchObject({ outTrackId: 'track-dw', userId: 'u1', type: 'actionCallback' });
    expect(JSON.parse(data.content).cardPrivateData).toEqual({ actionIds: ['action'], params: { command: '撤销 4' } });
  });
});

describe('several DWClients of one app against the emulator', () => {
  const clients: LoopbackDWClient[] = [];

  afterEach(() => {
    for (const c of clients.splice(0)) c.disconnect();
  });

  async function connectClients(e: Emulator, n: number, onMessage: (index: number, c: LoopbackDWClient, msg: DWClientDownStream) => void) {
    for (let i = 0; i < n; i++) {
      const c = new LoopbackDWClient(e.url, { clientId: SANDBOX_APP.clientId, clientSecret: SANDBOX_APP.clientSecret });
      c.registerCallbackListener(TOPIC_ROBOT, (msg) => onMessage(i, c, msg));
      clients.push(c);
      await c.connect();
    }
    await until(() => e.connections().length === n, 3000, `${n} connections`);
  }

  it('delivers each callback to exactly one connection, spreading them over all of them', async () => {
    emu = await startEmulator({ port: 0, ackTimeoutMs: 2000 });
    const e = emu;
    const cid = e.createGroup({ title: '郭道镇', members: [{ staffId: 'u1', nick: '张三' }] }).conversationId;
    const seen: Array<{ client: number; messageId: string }> = [];
    await connectClients(e, 3, (i, c, msg) => {
      seen.push({ client: i, messageId: msg.headers.messageId });
      c.socketCallBackResponse(msg.headers.messageId, null);
    });

    const posted = Array.from({ length: 60 }, (_, n) => e.postMessage(cid, { senderStaffId: 'u1', text: `确认 ${n}` }).messageId);
    await until(() => e.deliveries().every((d) => d.status === 'acked') && e.deliveries().length === 60, 5000, 'every ack');

    expect(seen.map((s) => s.messageId).sort()).toEqual([...posted].sort());
    const perClient = [0, 1, 2].map((i) => seen.filter((s) => s.client === i).length);
    expect(perClient.every((count) => count > 0)).toBe(true);
    expect(e.state().counters.redeliveries).toBe(0);
  });

  it('redelivers a callback the chosen connection never acks to another connection, same messageId', async () => {
    // The first delivery goes to the first connection, every later choice to the last one.
    const picks = [0];
    emu = await startEmulator({ port: 0, ackTimeoutMs: 200, random: () => picks.shift() ?? 0.99 });
    const e = emu;
    const cid = e.createGroup({ title: '郭道镇', members: [{ staffId: 'u1', nick: '张三' }] }).conversationId;
    const seen: Array<{ client: number; messageId: string }> = [];
    await connectClients(e, 3, (i, c, msg) => {
      seen.push({ client: i, messageId: msg.headers.messageId });
      if (i !== 0) c.socketCallBackResponse(msg.headers.messageId, null);
    });

    const { messageId } = e.postMessage(cid, { senderStaffId: 'u1', text: '确认 4' });
    await until(() => e.deliveries()[0]?.status === 'acked', 3000, 'the ack from another connection');
    expect(seen).toEqual([
      { client: 0, messageId },
      { client: 2, messageId },
    ]);
    const attempts = e.deliveries()[0]!.attempts.map((a) => a.connectionId);
    expect(new Set(attempts).size).toBe(2);
  });

  it('gets every callback acked when one of three connections never acks', async () => {
    // The ack timeout is long enough that a working connection's ack is never late, even on a loaded machine:
    // only the stuck connection's deliveries are redelivered.
    emu = await startEmulator({ port: 0, ackTimeoutMs: 1000, maxRedeliveries: 30 });
    const e = emu;
    const cid = e.createGroup({ title: '郭道镇', members: [{ staffId: 'u1', nick: '张三' }] }).conversationId;
    const handledBy = new Map<string, number[]>();
    await connectClients(e, 3, (i, c, msg) => {
      if (i === 1) return; // a stuck instance
      handledBy.set(msg.headers.messageId, [...(handledBy.get(msg.headers.messageId) ?? []), i]);
      c.socketCallBackResponse(msg.headers.messageId, null);
    });

    for (let n = 0; n < 30; n++) e.postMessage(cid, { senderStaffId: 'u1', text: `进度 ${n}` });
    await until(() => e.deliveries().every((d) => d.status === 'acked'), 30_000, 'every ack');
    expect(handledBy.size).toBe(30);
    expect([...handledBy.values()].every((list) => list.length === 1)).toBe(true);
    expect(e.state().counters.redeliveries).toBeGreaterThan(0);
  }, 40_000);
});
