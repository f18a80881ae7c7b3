// End to end through the DingTalk emulator: corrections keep a unit's on-time confirmation.
import { createBot, openStore, type Bot, type Store } from '@zwgk/bot';
import { SANDBOX_APP, startEmulator, type ChatMessage, type Emulator, type Group } from '@zwgk/dingtalk-emulator';
import { getPlan } from '@zwgk/sdk/qinyuan';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createDingTalkAdapter, type DingTalkAdapter } from '../src/index.js';

describe('corrections on DingTalk (emulated)', () => {
  let emu: Emulator;
  let adapter: DingTalkAdapter;
  let group: Group;
  let store: Store;
  let bot: Bot;
  let now = new Date('2022-11-21T02:00:00Z');
  const platform = 'dingtalk';

  const say = async (senderStaffId: string, text: string): Promise<void> => {
    const res = await fetch(`${emu.url}/_emulator/groups/${encodeURIComponent(group.conversationId)}/messages`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ senderStaffId, text }),
    });
    if (!res.ok) throw new Error(`emulator: ${res.status}`);
  };
  const replies = (): ChatMessage[] => emu.messages(group.conversationId).filter((m) => m.from === 'bot');
  async function nextReply(count: number): Promise<string> {
    const until = Date.now() + 5_000;
    while (replies().length < count) {
      if (Date.now() > until) throw new Error('no reply');
      await new Promise((r) => setTimeout(r, 15));
    }
    const m = replies()[count - 1];
    return (m?.markdown ?? m?.actionCard)?.text ?? '';
  }

  beforeEach(async () => {
    emu = await startEmulator({ port: 0, ackTimeoutMs: 500, maxRedeliveries: 5, disconnectGraceMs: 100 });
    group = emu.createGroup({ title: '郭道镇政务公开群', members: [{ staffId: 'gd-01', nick: '张三' }, { staffId: 'gd-02', nick: '李四' }] });
    store = await openStore({ filename: ':memory:' });
    const actor = { actor: { platform: 'cli', id: 'ops', channel: 'cli' }, at: now };
    await store.groups.bindUnit({ platform, conversationId: group.conversationId, unit: '郭道镇', title: group.title }, actor);
    await store.liaisons.add({ unit: '郭道镇', platform, userId: 'gd-01', name: '张三' }, actor);
    adapter = createDingTalkAdapter({ clientId: SANDBOX_APP.clientId, clientSecret: SANDBOX_APP.clientSecret, robotCode: SANDBOX_APP.robotCode, apiBase: emu.url, retry: { attempts: 8, baseMs: 5, maxMs: 40 }, reconnect: { baseMs: 20, maxMs: 100, heartbeatMs: 0 } });
    bot = createBot({ plan: getPlan('qinyuan-2022'), store, adapters: [adapter], clock: () => now, digest: { enabled: false } });
    await bot.start();
  });

  afterEach(async () => {
    await bot.stop();
    await store.close();
    await emu.close();
  });

  it('keeps an on-time confirmation through a repeated 确认 with a link, 补充 and an unconfirmed 撤销', async () => {
    await say('gd-01', '@政务公开助手 确认 4');
    expect(await nextReply(1)).toContain('**按时完成**');
    const [first] = await store.confirmations.list({ year: 2022, unit: '郭道镇', task: 4 });

    now = new Date('2022-12-05T02:00:00Z');
    await say('gd-02', '@政务公开助手 确认 4 www.qinyuan.gov.cn/gdz/xzcf.html');
    expect(await nextReply(2)).toContain('本次补充了佐证链接 1 个，原确认时间不变');
    await say('gd-02', '@政务公开助手 补充 4 已在镇公开栏张贴');
    expect(await nextReply(3)).toContain('（按时）');
    await say('gd-01', '@政务公开助手 撤销 4');
    expect(await nextReply(4)).toContain('撤销 4 确定');

    const all = await store.confirmations.list({ year: 2022, unit: '郭道镇', task: 4 });
    expect(all).toHaveLength(1);
    expect(all[0]?.at).toBe(first?.at);
    expect(all[0]?.evidence).toEqual(['http://www.qinyuan.gov.cn/gdz/xzcf.html']);
    expect(all[0]?.note).toBe('已在镇公开栏张贴');

    await say('gd-01', '@政务公开助手 撤销 4 确定');
    expect(await nextReply(5)).toContain('已撤销 任务4');
    expect(await store.confirmations.list({ year: 2022, unit: '郭道镇', task: 4 })).toHaveLength(0);
  });
});
