import { afterEach, describe, expect, it } from 'vitest';
import { startEmulator, type Emulator, type EmulatorOptions } from './server.js';
import { call, connectRaw, until } from './test-support.js';

let emu: Emulator | undefined;
afterEach(async () => {
  await emu?.close();
  emu = undefined;
});

async function start(options: EmulatorOptions = {}): Promise<Emulator> {
  emu = await startEmulator({ port: 0, ...options });
  return emu;
}

const members = [
  { staffId: 'u1', nick: '张三' },
  { staffId: 'u2', nick: '李四' },
];

async function createGroup(e: Emulator, body: unknown = { title: '郭道镇', members }) {
  return call(`${e.url}/_emulator/groups`, { body });
}

const path = (cid: string) => encodeURIComponent(cid);

describe('control API: groups', () => {
  it('creates a group and lists it in the contract shape', async () => {
    const e = await start();
    const created = await createGroup(e);
    expect(created.status).toBe(201);
    expect(created.body).toEqual({ conversationId: expect.stringMatching(/^cid/), title: '郭道镇', members });
    const list = await call(`${e.url}/_emulator/groups`);
    expect(list.body).toEqual([created.body]);
  });

  it('keeps a chosen conversationId and refuses it twice with 409', async () => {
    const e = await start();
    expect((await createGroup(e, { title: 'A', members, conversationId: 'cidAdmin==' })).body.conversationId).toBe('cidAdmin==');
    const again = await createGroup(e, { title: 'B', members, conversationId: 'cidAdmin==' });
    expect(again.status).toBe(409);
    expect(again.body.error).toContain('cidAdmin==');
  });

  it('refuses bad input with a clear 400 message', async () => {
    const e = await start();
    const r = await createGroup(e, { title: '', members });
    expect(r).toMatchObject({ status: 400, body: { error: 'title must be a non-empty string' } });
    const notJson = await call(`${e.url}/_emulator/groups`, { raw: '{"title":' });
    expect(notJson.status).toBe(400);
    expect(notJson.body.error).toContain('not valid JSON');
    const empty = await call(`${e.url}/_emulator/groups`, { raw: '' });
    expect(empty).toMatchObject({ status: 400, body: { error: 'body is empty; expected JSON' } });
  });

  it('answers one group, and 404 for an unknown one', async () => {
    const e = await start();
    const g = (await createGroup(e)).body;
    expect((await call(`${e.url}/_emulator/groups/${path(g.conversationId)}`)).body).toEqual(g);
    expect((await call(`${e.url}/_emulator/groups/cidNope`)).status).toBe(404);
  });

  it('starts with the groups given in the options', async () => {
    const e = await start({ groups: [{ title: '县政府办', members: [{ staffId: 'admin' }], conversationId: 'cidA==' }] });
    expect(e.groups()).toEqual([{ conversationId: 'cidA==', title: '县政府办', members: [{ staffId: 'admin', nick: 'admin' }] }]);
  });
});

describe('control API: messages', () => {
  it('records a member’s message, @-mentions parsed, and answers msgId', async () => {
    const e = await start();
    const g = (await createGroup(e)).body;
    const r = await call(`${e.url}/_emulator/groups/${path(g.conversationId)}/messages`, { body: { senderStaffId: 'u1', text: '确认 4 @李四' } });
    expect(r.status).toBe(201);
    expect(r.body).toEqual({ msgId: expect.stringMatching(/^msg/), messageId: expect.any(String) });
    const list = await call(`${e.url}/_emulator/groups/${path(g.conversationId)}/messages`);
    expect(list.body).toEqual([
      {
        msgId: r.body.msgId,
        conversationId: g.conversationId,
        from: { staffId: 'u1', nick: '张三' },
        msgtype: 'text',
        text: '确认 4 @李四',
        atUserIds: ['u2'],
        isAtAll: false,
        createdAt: expect.any(Number),
        via: 'user',
      },
    ]);
  });

  it('lists every message in order, the robot’s replies included', async () => {
    const e = await start();
    const g = (await createGroup(e)).body;
    const c = await connectRaw(e);
    await call(`${e.url}/_emulator/groups/${path(g.conversationId)}/messages`, { body: { senderStaffId: 'u1', text: '本周' } });
    const frame = await c.next((f) => f.type === 'CALLBACK');
    c.ack(frame);
    await call(JSON.parse(frame.data).sessionWebhook, { body: { msgtype: 'text', text: { content: '本周没有待办' } } });
    const list = (await call(`${e.url}/_emulator/groups/${path(g.conversationId)}/messages`)).body;
    expect(list.map((m: { from: unknown; text: string }) => [m.from === 'bot' ? 'bot' : 'user', m.text])).toEqual([
      ['user', '本周'],
      ['bot', '本周没有待办'],
    ]);
  });

  it('strips a typed @robot mention, as DingTalk does', async () => {
    const e = await start();
    const g = (await createGroup(e)).body;
    const c = await connectRaw(e);
    await call(`${e.url}/_emulator/groups/${path(g.conversationId)}/messages`, { body: { senderStaffId: 'u1', text: '@政务公开助手 确认 4' } });
    const frame = await c.next((f) => f.type === 'CALLBACK');
    expect(JSON.parse(frame.data).text.content).toBe(' 确认 4');
  });

  it('does not push a message that does not @-mention the robot', async () => {
    const e = await start();
    const g = (await createGroup(e)).body;
    const r = await call(`${e.url}/_emulator/groups/${path(g.conversationId)}/messages`, { body: { senderStaffId: 'u1', text: '大家好', atBot: false } });
    expect(r.body.messageId).toBeUndefined();
    expect(e.deliveries()).toEqual([]);
    expect(e.messages(g.conversationId)).toHaveLength(1);
  });

  it('refuses an unknown sender, an unknown group and empty text with 400', async () => {
    const e = await start();
    const g = (await createGroup(e)).body;
    const post = (cid: string, body: unknown) => call(`${e.url}/_emulator/groups/${path(cid)}/messages`, { body });
    const stranger = await post(g.conversationId, { senderStaffId: 'u9', text: 'x' });
    expect(stranger).toMatchObject({ status: 400, body: { error: expect.stringContaining('u9 is not a member of 郭道镇') } });
    expect((await post('cidNope', { senderStaffId: 'u1', text: 'x' })).body.error).toContain('no group');
    expect((await post(g.conversationId, { senderStaffId: 'u1', text: '   ' })).body.error).toBe('text must be a non-empty string');
    expect(e.messages(g.conversationId)).toEqual([]);
  });

  it('answers 400 for a path with broken percent-encoding', async () => {
    const e = await start();
    const r = await call(`${e.url}/_emulator/groups/cid%E0%A4%A/messages`);
    expect(r).toMatchObject({ status: 400, body: { error: expect.stringContaining('malformed percent-encoding') } });
  });

  it('answers 404 for the messages of an unknown group', async () => {
    const e = await start();
    expect((await call(`${e.url}/_emulator/groups/cidNope/messages`)).status).toBe(404);
  });
});

describe('control API: faults, limits, state, reset', () => {
  it('arms faults and reports them; DELETE disarms', async () => {
    const e = await start();
    const r = await call(`${e.url}/_emulator/faults`, { body: { dropAcks: 2, throttle: { count: 1, status: 429 } } });
    expect(r.body).toMatchObject({ dropAcks: 2, throttle: { count: 1, status: 429, target: 'any' }, disconnected: 0 });
    expect((await call(`${e.url}/_emulator/faults`, { method: 'DELETE' })).body.dropAcks).toBe(0);
  });

  it('refuses an unknown fault with the known ones listed', async () => {
    const e = await start();
    const r = await call(`${e.url}/_emulator/faults`, { body: { meteor: true } });
    expect(r.status).toBe(400);
    expect(r.body.error).toContain('known: dropAcks');
  });

  it('disconnects the stream clients through the faults endpoint', async () => {
    const e = await start({ disconnectGraceMs: 10 });
    const c = await connectRaw(e);
    const r = await call(`${e.url}/_emulator/faults`, { body: { disconnect: true } });
    expect(r.body.disconnected).toBe(1);
    await c.closed;
  });

  it('sets limits', async () => {
    const e = await start();
    const r = await call(`${e.url}/_emulator/limits`, { body: { groupPerMinute: 3 } });
    expect(r.body).toEqual({ groupPerMinute: 3, maxMsgParamBytes: 15000, maxWebhookBytes: 20000 });
    expect((await call(`${e.url}/_emulator/limits`, { body: { groupPerMinute: 'fast' } })).status).toBe(400);
  });

  it('lists a group\'s messages from an index on (since), and refuses a bad index', async () => {
    const e = await start();
    const g = (await createGroup(e)).body;
    for (const text of ['一', '二', '三']) await call(`${e.url}/_emulator/groups/${path(g.conversationId)}/messages`, { body: { senderStaffId: 'u1', text, atBot: false } });
    const from1 = (await call(`${e.url}/_emulator/groups/${path(g.conversationId)}/messages?since=1`)).body;
    expect(from1.map((m: { text: string }) => m.text)).toEqual(['二', '三']);
    expect((await call(`${e.url}/_emulator/groups/${path(g.conversationId)}/messages?since=9`)).body).toEqual([]);
    const bad = await call(`${e.url}/_emulator/groups/${path(g.conversationId)}/messages?since=-1`);
    expect(bad).toMatchObject({ status: 400, body: { error: expect.stringContaining('since must be a message index') } });
  });

  it('lists only unacknowledged deliveries with ?deliveries=open', async () => {
    const e = await start();
    const g = (await createGroup(e)).body;
    const c = await connectRaw(e);
    await call(`${e.url}/_emulator/groups/${path(g.conversationId)}/messages`, { body: { senderStaffId: 'u1', text: 'x' } });
    c.ack(await c.next((f) => f.type === 'CALLBACK'));
    const second = (await call(`${e.url}/_emulator/groups/${path(g.conversationId)}/messages`, { body: { senderStaffId: 'u1', text: 'y' } })).body;
    await until(() => e.state().deliveries.some((d) => d.status === 'acked'));
    expect((await call(`${e.url}/_emulator/state`)).body.deliveries).toHaveLength(2);
    const open = (await call(`${e.url}/_emulator/state?deliveries=open`)).body.deliveries;
    expect(open.map((d: { msgId: string }) => d.msgId)).toEqual([second.msgId]);
    expect((await call(`${e.url}/_emulator/state?deliveries=some`)).status).toBe(400);
  });

  it('reports connections and pending acks in the state', async () => {
    const e = await start();
    const g = (await createGroup(e)).body;
    await connectRaw(e);
    await call(`${e.url}/_emulator/groups/${path(g.conversationId)}/messages`, { body: { senderStaffId: 'u1', text: 'x' } });
    const s = (await call(`${e.url}/_emulator/state`)).body;
    expect(s).toMatchObject({
      url: e.url,
      apps: [{ clientId: 'sandbox-client', robotCode: 'sandbox-robot', name: '政务公开助手' }],
      connections: [expect.objectContaining({ clientId: 'sandbox-client' })],
      pendingAcks: [expect.objectContaining({ status: 'pending', conversationId: g.conversationId })],
      counters: expect.objectContaining({ callbacksSent: 1 }),
    });
  });

  it('reset forgets groups and messages', async () => {
    const e = await start();
    await createGroup(e);
    expect((await call(`${e.url}/_emulator/reset`, { method: 'POST' })).body).toEqual({ ok: true });
    expect((await call(`${e.url}/_emulator/groups`)).body).toEqual([]);
  });

  it('answers 405 for a wrong method and 404 for an unknown route, listing the routes', async () => {
    const e = await start();
    const wrong = await call(`${e.url}/_emulator/state`, { method: 'DELETE' });
    expect(wrong.status).toBe(405);
    const unknown = await call(`${e.url}/_emulator/bogus`);
    expect(unknown.status).toBe(404);
    expect(unknown.body.error).toContain('/_emulator/groups');
    expect((await call(`${e.url}/nowhere`)).status).toBe(404);
  });
});

describe('control API: events', () => {
  it('streams groups and messages as Server-Sent Events', async () => {
    const e = await start();
    const ac = new AbortController();
    const res = await fetch(`${e.url}/_emulator/events`, { signal: ac.signal });
    expect(res.headers.get('content-type')).toContain('text/event-stream');
    const reader = res.body!.getReader();
    let text = '';
    const reading = (async () => {
      for (;;) {
        const { value, done } = await reader.read();
        if (done) return;
        text += new TextDecoder().decode(value);
      }
    })().catch(() => undefined);
    const g = (await createGroup(e)).body;
    await call(`${e.url}/_emulator/groups/${path(g.conversationId)}/messages`, { body: { senderStaffId: 'u1', text: '确认 4', atBot: false } });
    await until(() => text.includes('event: message'), 2000, 'the message event');
    expect(text).toContain('event: group');
    const data = text.split('\n').find((l) => l.startsWith('data: {"type":"message"'))!;
    expect(JSON.parse(data.slice(6)).message).toMatchObject({ text: '确认 4', via: 'user' });
    ac.abort();
    await reading;
  });

  it('delivers events to library listeners and stops after unsubscribe', async () => {
    const e = await start();
    const seen: string[] = [];
    const off = e.on((ev) => seen.push(ev.type));
    e.createGroup({ title: 'A', members: [] });
    off();
    e.createGroup({ title: 'B', members: [] });
    expect(seen).toEqual(['group']);
  });
});

describe('page and extra routes', () => {
  it('serves the page with its CSP and the sandbox hook', async () => {
    const e = await start({ pageExtras: { title: '沁源县 <沙箱>', html: '<button id="advance">下一周</button>' } });
    const res = await fetch(`${e.url}/`);
    const html = await res.text();
    expect(res.headers.get('content-security-policy')).toContain("default-src 'none'");
    expect(html).toContain('<title>沁源县 &lt;沙箱&gt;</title>');
    expect(html).toContain('<div id="sandbox-controls"><button id="advance">下一周</button></div>');
    expect(html).not.toMatch(/(src|href)="https?:/);
  });

  it('asks extraRoutes first and keeps running when one throws', async () => {
    const errors: string[] = [];
    const e = await start({
      logger: { error: (m) => errors.push(m) },
      extraRoutes: (_req, res, url) => {
        if (url.pathname === '/_sandbox/advance') {
          res.writeHead(200, { 'Content-Type': 'application/json' }).end('{"week":2}');
          return true;
        }
        if (url.pathname === '/_sandbox/boom') throw new Error('kaboom');
        return false;
      },
    });
    expect((await call(`${e.url}/_sandbox/advance`, { method: 'POST' })).body).toEqual({ week: 2 });
    const boom = await call(`${e.url}/_sandbox/boom`);
    expect(boom.status).toBe(500);
    expect(boom.body.error).toContain('kaboom');
    expect(errors.join()).toContain('kaboom');
    expect((await call(`${e.url}/_emulator/groups`)).status).toBe(200);
  });
});

describe('startEmulator', () => {
  it('binds to 127.0.0.1 only and says so when the port is taken', async () => {
    const e = await start();
    expect(e.url).toBe(`http://127.0.0.1:${e.port}`);
    await expect(startEmulator({ port: e.port })).rejects.toThrow(`port ${e.port} on 127.0.0.1 is in use`);
  });

  it('throws for invalid library input', async () => {
    const e = await start();
    expect(() => e.createGroup({ title: '', members: [] })).toThrow('title must be a non-empty string');
    expect(() => e.messages('cidNope')).toThrow('no group');
  });

  it('resolves nextMessage with the next matching message and rejects after its timeout', async () => {
    const e = await start();
    const g = e.createGroup({ title: 'A', members });
    const waiting = e.nextMessage((m) => m.text === '第二条');
    e.postMessage(g.conversationId, { senderStaffId: 'u1', text: '第一条', atBot: false });
    e.postMessage(g.conversationId, { senderStaffId: 'u2', text: '第二条', atBot: false });
    expect((await waiting).from).toEqual({ staffId: 'u2', nick: '李四' });
    await expect(e.nextMessage(() => false, 20)).rejects.toThrow('no matching message within 20 ms');
  });
});
