// End to end: the adapter, with the real dingtalk-stream client inside, against @zwgk/dingtalk-emulator
// on loopback — first on its own, then under the bot engine.
import { createBot, openStore, type Bot, type IncomingMessage, type Store } from '@zwgk/bot';
import { SANDBOX_APP, startEmulator, type ChatMessage, type Emulator, type Group } from '@zwgk/dingtalk-emulator';
import { getPlan } from '@zwgk/sdk/qinyuan';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createDingTalkAdapter, DingTalkAuthError, type DingTalkAdapter, type DingTalkAdapterOptions } from '../src/index.js';

let emu: Emulator;
let adapter: DingTalkAdapter | undefined;
let groups: Group[];

const members = {
  gd: [
    { staffId: 'gd-01', nick: '张三' },
    { staffId: 'gd-02', nick: '李四' },
  ],
  qh: [{ staffId: 'qh-01', nick: '王五' }],
  admin: [{ staffId: 'admin-01', nick: '县政府办王主任' }],
};

beforeEach(async () => {
  emu = await startEmulator({ port: 0, ackTimeoutMs: 500, maxRedeliveries: 5, disconnectGraceMs: 100 });
  groups = [
    emu.createGroup({ title: '郭道镇政务公开群', members: members.gd }),
    emu.createGroup({ title: '沁河镇政务公开群', members: members.qh }),
    emu.createGroup({ title: '县政府办管理群', members: members.admin }),
  ];
});

afterEach(async () => {
  await adapter?.disconnect();
  adapter = undefined;
  await emu.close();
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

function connectAdapter(extra: Partial<DingTalkAdapterOptions> = {}): DingTalkAdapter {
  adapter = createDingTalkAdapter({
    clientId: SANDBOX_APP.clientId,
    clientSecret: SANDBOX_APP.clientSecret,
    robotCode: SANDBOX_APP.robotCode,
    apiBase: emu.url,
    retry: { attempts: 8, baseMs: 5, maxMs: 40 },
    reconnect: { baseMs: 20, maxMs: 100, heartbeatMs: 0 },
    ...extra,
  });
  return adapter;
}

async function control(path: string, body: unknown): Promise<any> {
  const res = await fetch(`${emu.url}/_emulator${path}`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) });
  const json = await res.json();
  if (!res.ok) throw new Error(`control ${path}: ${res.status} ${JSON.stringify(json)}`);
  return json;
}

const say = (group: Group, senderStaffId: string, text: string): Promise<{ msgId: string; messageId: string }> =>
  control(`/groups/${encodeURIComponent(group.conversationId)}/messages`, { senderStaffId, text });

async function eventually<T>(probe: () => T | undefined | false | Promise<T | undefined | false>, timeoutMs = 5_000): Promise<T> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined && value !== false) return value;
    if (Date.now() > until) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 15));
  }
}

const botMessages = (group: Group): ChatMessage[] => emu.messages(group.conversationId).filter((m) => m.from === 'bot');
const delivery = (msgId: string) => emu.deliveries().find((d) => d.msgId === msgId);

describe('the DingTalk adapter against the emulator', () => {
  it('delivers digest-like sends to every group through the OpenAPI, naming the people it mentions', async () => {
    const a = connectAdapter();
    await a.connect();
    for (const g of groups) {
      const who = g.members[0]!;
      await a.send(g.conversationId, { title: `${g.title} 本周提醒`, text: `### ${g.title}\n\n- 任务4 行政处罚信息公开\n\n@${who.staffId}` }, { mentions: [{ id: who.staffId, name: who.nick }] });
    }
    for (const g of groups) {
      const [m] = botMessages(g);
      expect(m).toMatchObject({ via: 'openapi', msgtype: 'markdown', markdown: { title: `${g.title} 本周提醒` } });
      expect(m?.markdown?.text).toContain(`@${g.members[0]!.nick}`);
      expect(m?.atUserIds).toEqual([g.members[0]!.staffId]);
    }
  });

  it('hands a message typed in a group to the handler and replies through the session webhook with an @-mention', async () => {
    const a = connectAdapter();
    const seen: IncomingMessage[] = [];
    handleWith(a, async (m) => {
      seen.push(m);
      await a.reply(m, { title: '回执', text: `已收到：${m.text} @${m.senderId}` }, { mentions: [{ id: m.senderId, name: m.senderName }] });
    });
    await a.connect();
    const gd = groups[0]!;
    const { msgId } = await say(gd, 'gd-01', '@政务公开助手 确认 4 @李四');
    await eventually(() => delivery(msgId)?.status === 'acked');
    expect(seen).toHaveLength(1);
    expect(seen[0]).toMatchObject({ platform: 'dingtalk', conversationId: gd.conversationId, conversationTitle: '郭道镇政务公开群', messageId: msgId, senderId: 'gd-01', senderName: '张三', isGroup: true, text: '确认 4 @李四' });
    expect(seen[0]?.mentions).toEqual([{ id: 'gd-02', name: '李四' }]);
    const [reply] = botMessages(gd);
    expect(reply).toMatchObject({ via: 'sessionWebhook', msgtype: 'markdown', atUserIds: ['gd-01'] });
    expect(reply?.markdown?.text).toBe('已收到：确认 4 @李四 @gd-01');
  });

  it('hands DingTalk’s redelivery of a message whose ack was dropped to the engine again (the engine deduplicates)', async () => {
    const a = connectAdapter();
    let calls = 0;
    handleWith(a, async () => {
      calls++;
    });
    await a.connect();
    await control('/faults', { dropAcks: 1 });
    const { msgId } = await say(groups[0]!, 'gd-01', '本周');
    const d = await eventually(() => delivery(msgId)?.status === 'acked' && delivery(msgId));
    expect(d.attempts).toHaveLength(2);
    expect(d.droppedAcks).toBe(1);
    expect(calls).toBe(2);
  });

  it('reconnects after the gateway disconnects and loses no message', async () => {
    const a = connectAdapter();
    const seen: string[] = [];
    handleWith(a, async (m) => {
      seen.push(m.text);
    });
    await a.connect();
    const before = await say(groups[0]!, 'gd-01', '进度 1');
    await eventually(() => delivery(before.msgId)?.status === 'acked');
    await control('/faults', { disconnect: { graceMs: 50, reason: 'rebalance' } });
    const during = await say(groups[1]!, 'qh-01', '进度 2');
    await eventually(() => a.state().reconnects >= 1);
    const after = await say(groups[0]!, 'gd-02', '进度 3');
    await eventually(() => [before, during, after].every((m) => delivery(m.msgId)?.status === 'acked'));
    expect(seen.sort()).toEqual(['进度 1', '进度 2', '进度 3']);
    expect(emu.state().pendingAcks).toEqual([]);
  });

  it('rejects a throttled or failing send as retryable after one attempt, and delivers it once when the engine tries again', async () => {
    const a = connectAdapter();
    await a.connect();
    const cid = groups[0]!.conversationId;
    await control('/faults', { throttle: { count: 1, status: 429, target: 'openapi' }, failSends: { count: 1, status: 503, target: 'openapi' } });
    await expect(a.send(cid, { title: 't', text: 'after a 503 and a 429' })).rejects.toMatchObject({ retryable: true });
    await expect(a.send(cid, { title: 't', text: 'after a 503 and a 429' })).rejects.toMatchObject({ retryable: true });
    await a.send(cid, { title: 't', text: 'after a 503 and a 429' });
    expect(botMessages(groups[0]!).map((m) => m.markdown?.text)).toEqual(['after a 503 and a 429']);
    expect(emu.state().counters.throttled).toBe(1);
    expect(emu.state().counters.failedSends).toBe(1);
  });

  it('leaves a message whose webhook reply was throttled unacknowledged, and replies through the webhook on its redelivery', async () => {
    const a = connectAdapter();
    handleWith(a, async (m) => {
      await a.reply(m, { title: '回执', text: '好的' });
    });
    await a.connect();
    await control('/faults', { throttle: { count: 1, target: 'webhook' } });
    const { msgId } = await say(groups[1]!, 'qh-01', '帮助');
    await eventually(() => delivery(msgId)?.status === 'acked');
    expect(delivery(msgId)?.attempts.length).toBe(2);
    expect(botMessages(groups[1]!)).toMatchObject([{ via: 'sessionWebhook', markdown: { text: '好的' } }]);
  });

  it('does not send a reply again through the OpenAPI when its webhook request got no answer', async () => {
    const a = connectAdapter({ requestTimeoutMs: 300 });
    const failures: unknown[] = [];
    // The engine would record the uncertain reply and acknowledge; here the handler just acknowledges.
    handleWith(a, async (m) => {
      try {
        await a.reply(m, { title: '回执', text: '只发一次' });
      } catch (error) {
        failures.push(error);
      }
    });
    await a.connect();
    await control('/faults', { delayAnswers: { count: 1, ms: 1_000, target: 'webhook' } });
    await say(groups[1]!, 'qh-01', '帮助');
    await eventually(() => failures.length === 1);
    expect(failures[0]).toMatchObject({ uncertain: true, retryable: false });
    await new Promise((r) => setTimeout(r, 1_200));
    expect(botMessages(groups[1]!).map((m) => m.markdown?.text)).toEqual(['只发一次']);
  });

  it('gets a new access token when the old one is revoked, and answers through the OpenAPI once sessions expire', async () => {
    const a = connectAdapter();
    const seen: IncomingMessage[] = [];
    handleWith(a, async (m) => {
      seen.push(m);
    });
    await a.connect();
    const { msgId } = await say(groups[0]!, 'gd-01', '本周');
    await eventually(() => delivery(msgId)?.status === 'acked');
    await control('/faults', { expireTokens: true, expireSessions: true });
    await a.reply(seen[0]!, { title: '回执', text: '迟到的回复' });
    expect(botMessages(groups[0]!)).toMatchObject([{ via: 'openapi', markdown: { text: '迟到的回复' } }]);
    expect(emu.state().counters.tokensIssued).toBe(2);
  });

  it('splits a long message into numbered parts the emulator accepts', async () => {
    const a = connectAdapter();
    await a.connect();
    const lines = Array.from({ length: 400 }, (_, i) => `- 任务${i + 1}：按照要求公开相关政府信息，并在政府网站专栏更新（截止 2022-12-31）`);
    await a.send(groups[0]!.conversationId, { title: '县级总览', text: lines.join('\n') });
    const parts = botMessages(groups[0]!);
    expect(parts.length).toBeGreaterThan(1);
    expect(parts.map((p) => p.markdown?.title)).toEqual(parts.map((_, i) => `县级总览（${i + 1}/${parts.length}）`));
    expect(parts.flatMap((p) => (p.markdown?.text ?? '').split('\n').filter((l) => l.startsWith('- ')))).toEqual(lines);
  });

  it('refuses bad credentials with DingTalkAuthError naming the client id', async () => {
    const a = connectAdapter({ clientSecret: 'not-the-secret' });
    await expect(a.connect()).rejects.toThrow(DingTalkAuthError);
    await expect(a.connect()).rejects.toThrow(/"sandbox-client"/u);
    expect(emu.connections()).toHaveLength(0);
  });
});

describe('the bot engine on DingTalk (emulated)', () => {
  let store: Store;
  let bot: Bot;
  const platform = 'dingtalk';
  const now = new Date('2022-11-21T01:30:00Z'); // Monday 09:30 in Shanghai

  beforeEach(async () => {
    store = await openStore({ filename: ':memory:' });
    const actor = { actor: { platform: 'cli', id: 'ops', channel: 'cli' }, at: now };
    await store.admins.add({ platform, userId: 'admin-01', name: '县政府办王主任' }, actor);
    await store.groups.bindUnit({ platform, conversationId: groups[0]!.conversationId, unit: '郭道镇', title: groups[0]!.title }, actor);
    await store.groups.bindUnit({ platform, conversationId: groups[1]!.conversationId, unit: '沁河镇', title: groups[1]!.title }, actor);
    await store.groups.bindAdmin({ platform, conversationId: groups[2]!.conversationId, title: groups[2]!.title }, actor);
    await store.liaisons.add({ unit: '郭道镇', platform, userId: 'gd-01', name: '张三' }, actor);
    bot = createBot({ plan: getPlan('qinyuan-2022'), store, adapters: [connectAdapter()], clock: () => now, digest: { enabled: false } });
    await bot.start();
  });

  afterEach(async () => {
    await bot.stop();
    await store.close();
  });

  it('delivers the week’s digest to every bound group', async () => {
    const run = await bot.runDueDigests(now);
    expect(run.failed).toEqual([]);
    for (const g of groups) expect(botMessages(g)).toHaveLength(1);
    const [gd] = botMessages(groups[0]!);
    expect(gd).toMatchObject({ via: 'openapi', msgtype: 'markdown' });
    expect(gd?.markdown?.text).toContain('郭道镇');
    expect(gd?.atUserIds).toEqual(['gd-01']);
  });

  it('answers a confirmation with a receipt, and counts a redelivered confirmation once', async () => {
    await control('/faults', { dropAcks: 1 });
    const { msgId } = await say(groups[0]!, 'gd-01', '@政务公开助手 确认 4 https://www.qinyuan.gov.cn/gdz/xzcf');
    const d = await eventually(() => delivery(msgId)?.status === 'acked' && delivery(msgId));
    expect(d.attempts.length).toBe(2);
    const replies = botMessages(groups[0]!);
    expect(replies).toHaveLength(1);
    expect(replies[0]?.via).toBe('sessionWebhook');
    expect((replies[0]?.markdown ?? replies[0]?.actionCard)?.text).toContain('任务4 **行政处罚信息公开**（11月底前，截止 2022-11-30）已确认：**按时完成**');
    const confirmations = await store.confirmations.list({ year: 2022, unit: '郭道镇', task: 4 });
    expect(confirmations).toHaveLength(1);
  });

  it('answers a read-only message once when its ack is dropped and DingTalk redelivers it', async () => {
    await control('/faults', { dropAcks: 1 });
    const { msgId } = await say(groups[0]!, 'gd-01', '本周');
    const d = await eventually(() => delivery(msgId)?.status === 'acked' && delivery(msgId));
    expect(d.attempts.length).toBe(2);
    expect(botMessages(groups[0]!)).toHaveLength(1);
  });

  it('recognises a redelivery after a restart by its id: no second record, no second receipt', async () => {
    await control('/faults', { dropAcks: 1 });
    const { msgId } = await say(groups[0]!, 'gd-01', '确认 4');
    await eventually(() => botMessages(groups[0]!).length === 1);
    // The bot restarts before DingTalk redelivers: a fresh adapter, no memory of the message.
    await bot.stop();
    bot = createBot({ plan: getPlan('qinyuan-2022'), store, adapters: [connectAdapter()], clock: () => now, digest: { enabled: false } });
    await bot.start();
    const d = await eventually(() => delivery(msgId)?.status === 'acked' && delivery(msgId));
    expect(d.attempts.length).toBe(2);
    expect(new Set(d.attempts.map((x) => x.connectionId)).size).toBe(2);
    expect(botMessages(groups[0]!)).toHaveLength(1);
    expect(await store.confirmations.list({ year: 2022, unit: '郭道镇', task: 4 })).toHaveLength(1);
  });
});
