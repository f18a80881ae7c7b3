// Buttons end to end on both platforms, through their official clients: the bot engine with the DingTalk
// adapter (dingtalk-stream inside, interactive cards) against the DingTalk emulator, and with the Slack
// adapter (@slack/bolt Socket Mode inside, Block Kit) against the Slack emulator. The same scenarios run on
// both: a tap stands for the typed command, with the same authorisation, recorded once.
import { createBot, openStore, type Adapter, type Bot, type Store } from '@zwgk/bot';
import { createDingTalkAdapter } from '@zwgk/dingtalk';
import { SANDBOX_APP, startEmulator, type ChatMessage } from '@zwgk/dingtalk-emulator';
import { getPlan } from '@zwgk/sdk/qinyuan';
import { createSlackAdapter, startSlackEmulator, type SlackChatMessage } from '@zwgk/slack';
import { afterEach, describe, expect, it } from 'vitest';

const quiet = { info() {}, warn() {}, error() {} };
const TEMPLATE = 'zwgk-action.schema';

interface Person {
  id: string;
  name: string;
}

/** A bot message as people see it: its id (what a tap names), its visible text, its buttons, how often it changed. */
interface Seen {
  id: string;
  text: string;
  buttons: string[];
  updates: number;
}

/** One platform's emulator and adapter, seen the same way by the scenarios. */
interface Platform {
  adapter: Adapter;
  unitGroup: string;
  adminGroup: string;
  liaison: Person;
  member: Person;
  admin: Person;
  /**
   * Whether a tap names someone the bot has never heard from: Slack's callback leads to `users.info`; DingTalk's
   * card callback carries only the staff id (named from the liaison/admin registry or messages seen before).
   */
  namesStrangers: boolean;
  /** Someone types in a group (the bot @-mentioned). */
  say(conversationId: string, who: Person, text: string): void;
  /** Someone taps a button (by label) of a bot message; `repeat` taps it that many times at once. */
  tap(conversationId: string, messageId: string, who: Person, label: string): void;
  /** The bot's messages in a group, oldest first. */
  botMessages(conversationId: string): Seen[];
  /** Every tap callback was acknowledged, and how often each was sent. */
  tapDeliveries(): Array<{ acked: boolean; attempts: number }>;
  dropNextAcks(n: number): void;
  close(): Promise<void>;
}

/** Every string under a `text` key, depth first (Slack's Block Kit text objects). */
function texts(value: unknown): string[] {
  if (Array.isArray(value)) return value.flatMap(texts);
  if (value === null || typeof value !== 'object') return [];
  return Object.entries(value).flatMap(([k, v]) => (k === 'text' && typeof v === 'string' ? [v] : texts(v)));
}

async function dingtalk(): Promise<Platform> {
  const emu = await startEmulator({ port: 0, ackTimeoutMs: 400, maxRedeliveries: 10, cardTemplates: [{ cardTemplateId: TEMPLATE }] });
  const liaison = { id: 'gd-liaison', name: '张三' };
  const member = { id: 'gd-member', name: '李四' };
  const admin = { id: 'office-admin', name: '县政府办王主任' };
  const unit = emu.createGroup({ title: '郭道镇政务公开工作群', members: [{ staffId: liaison.id, nick: liaison.name }, { staffId: member.id, nick: member.name }] });
  const office = emu.createGroup({ title: '县政府办政务公开管理群', members: [{ staffId: admin.id, nick: admin.name }] });
  const adapter = createDingTalkAdapter({
    clientId: SANDBOX_APP.clientId,
    clientSecret: SANDBOX_APP.clientSecret,
    robotCode: SANDBOX_APP.robotCode,
    apiBase: emu.url,
    cards: { templateId: TEMPLATE },
    rate: false,
    reconnect: { baseMs: 20, maxMs: 100, heartbeatMs: 0 },
    logger: quiet,
  });
  const taps: string[] = [];
  const seen = (m: ChatMessage): Seen => ({
    id: m.card?.outTrackId ?? m.msgId,
    text: m.card ? `${m.card.title}\n${m.card.markdown}` : ((m.markdown ?? m.actionCard)?.text ?? m.text ?? ''),
    buttons: m.card?.buttons.map((b) => b.text) ?? [],
    updates: (m.card?.version ?? 1) - 1,
  });
  return {
    adapter,
    unitGroup: unit.conversationId,
    adminGroup: office.conversationId,
    liaison,
    member,
    admin,
    namesStrangers: false,
    say: (conversationId, who, text) => emu.postMessage(conversationId, { senderStaffId: who.id, text }),
    tap: (_conversationId, outTrackId, who, label) => {
      taps.push(emu.clickCard(outTrackId, { userId: who.id, text: label }).messageId);
    },
    botMessages: (conversationId) => emu.messages(conversationId).filter((m) => m.from === 'bot').map(seen),
    tapDeliveries: () => taps.map((id) => emu.deliveries().find((d) => d.messageId === id)!).map((d) => ({ acked: d.status === 'acked', attempts: d.attempts.length })),
    dropNextAcks: (n) => emu.injectFaults({ dropAcks: n }),
    close: () => emu.close(),
  };
}

async function slack(): Promise<Platform> {
  const emu = await startSlackEmulator({ port: 0, ackTimeoutMs: 400, maxRedeliveries: 10 });
  const liaison = { id: 'U01ZHANG', name: '张三' };
  const member = { id: 'U02LI', name: '李四' };
  const admin = { id: 'U09ADMIN', name: '县政府办王主任' };
  const unit = emu.createChannel({ name: 'guodao-zwgk', members: [liaison, member] });
  const office = emu.createChannel({ name: 'county-office', members: [admin] });
  const adapter = createSlackAdapter({ botToken: emu.botToken, appToken: emu.appToken, apiUrl: emu.apiUrl, clientPingTimeoutMs: 2_000, logger: quiet });
  const taps: string[] = [];
  const seen = (m: SlackChatMessage): Seen => ({
    id: m.ts,
    text: [m.text, ...texts(m.blocks ?? [])].join('\n'),
    buttons: ((m.blocks ?? []) as Array<{ type: string; elements?: Array<{ type: string; text: { text: string } }> }>)
      .filter((b) => b.type === 'actions')
      .flatMap((b) => (b.elements ?? []).filter((e) => e.type === 'button').map((e) => e.text.text)),
    updates: m.edited ? 1 : 0,
  });
  return {
    adapter,
    unitGroup: unit.id,
    adminGroup: office.id,
    liaison,
    member,
    admin,
    namesStrangers: true,
    say: (channel, who, text) => emu.post({ channel, user: who.id, text: `<@${emu.botUserId}> ${text}` }),
    tap: (channel, ts, who, label) => {
      taps.push(emu.click({ channel, ts, user: who.id, text: label }).envelopeId);
    },
    botMessages: (channel) => emu.messages(channel).filter((m) => m.from === 'bot').map(seen),
    tapDeliveries: () => taps.map((id) => emu.envelopes().find((e) => e.envelope_id === id)!).map((e) => ({ acked: e.status === 'acked', attempts: e.attempts.length })),
    dropNextAcks: (n) => emu.faults({ dropAcks: n }),
    close: () => emu.close(),
  };
}

async function eventually<T>(probe: () => T | undefined | false | Promise<T | undefined | false>, what: string, timeoutMs = 15_000): Promise<T> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined && value !== false) return value;
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

describe.each([
  ['DingTalk (dingtalk-stream, interactive cards)', dingtalk],
  ['Slack (@slack/bolt Socket Mode, Block Kit)', slack],
])('buttons on %s', (_name, open) => {
  let p: Platform;
  let store: Store;
  let bot: Bot;
  let now: Date;

  async function start(options: { policy?: 'group' | 'liaisons' } = {}): Promise<void> {
    p = await open();
    now = new Date('2022-11-21T09:30:00+08:00');
    store = await openStore({ filename: ':memory:' });
    const platform = p.adapter.platform;
    const ctx = { actor: { platform: 'cli', id: 'ops', channel: 'cli' }, at: now };
    await store.admins.add({ platform, userId: p.admin.id, name: p.admin.name }, ctx);
    await store.groups.bindUnit({ platform, conversationId: p.unitGroup, unit: '郭道镇', title: '郭道镇' }, ctx);
    await store.groups.bindAdmin({ platform, conversationId: p.adminGroup, title: '县政府办' }, ctx);
    await store.liaisons.add({ unit: '郭道镇', platform, userId: p.liaison.id, name: p.liaison.name }, ctx);
    bot = createBot({ plan: getPlan('qinyuan-2022'), store, adapters: [p.adapter], clock: () => now, digest: { enabled: false }, ...options });
    await bot.start();
  }

  afterEach(async () => {
    await bot?.stop();
    await store?.close();
    await p?.close();
  });

  /** Waits for the bot's next message in a group after `before` of them, and returns it. */
  const nextIn = (conversationId: string, before: number, what: string) => eventually(() => p.botMessages(conversationId)[before], what);
  const confirmations = (task?: number) => store.confirmations.list({ year: 2022, unit: '郭道镇', ...(task ? { task } : {}) });

  async function digest(): Promise<Seen> {
    await bot.runDueDigests(now);
    return eventually(() => p.botMessages(p.unitGroup).find((m) => m.text.includes('政务公开本周提醒')), 'the digest');
  }

  it('records a tap on 「已完成」 once (double tap and a replayed callback included) and updates the digest to say who did it', async () => {
    await start();
    expect(p.adapter.supportsButtons).toBe(true);
    const d = await digest();
    expect(d.buttons).toContain('任务4 已完成');
    const before = p.botMessages(p.unitGroup).length;
    p.dropNextAcks(1);
    p.tap(p.unitGroup, d.id, p.member, '任务4 已完成');
    p.tap(p.unitGroup, d.id, p.member, '任务4 已完成');
    await eventually(() => p.tapDeliveries().every((t) => t.acked), 'both taps acknowledged');
    // The dropped ack made the platform send a tap again (a slow machine may redeliver more).
    expect(Math.max(...p.tapDeliveries().map((t) => t.attempts))).toBeGreaterThanOrEqual(2);

    const replies = p.botMessages(p.unitGroup).slice(before).filter((m) => m.id !== d.id);
    expect(replies).toHaveLength(2);
    expect(replies.filter((r) => /已确认：\**按时完成/u.test(r.text))).toHaveLength(1);
    expect(replies.filter((r) => r.text.includes('无需重复'))).toHaveLength(1);
    const shownAs = p.namesStrangers ? p.member.name : p.member.id;
    expect((await confirmations(4)).map((c) => [c.senderId, c.senderName])).toEqual([[p.member.id, shownAs]]);
    expect(await store.audit.list({ action: 'button.tap' })).toMatchObject([{ channel: 'button', payload: { command: '确认 4', sourceMessageId: d.id } }]);

    const updated = p.botMessages(p.unitGroup).find((m) => m.id === d.id)!;
    expect(updated.updates).toBe(1);
    expect(updated.text).toContain(`${shownAs} 已点按：确认 4`);
    expect(updated.buttons).not.toContain('任务4 已完成');
    expect(updated.buttons).toContain('任务5 已完成');
  });

  it('answers a tap on a stale button plainly: the item confirmed by typing, the confirmation already undone', async () => {
    await start();
    const d = await digest();
    let count = p.botMessages(p.unitGroup).length;
    p.say(p.unitGroup, p.liaison, '确认 5');
    const receipt = await nextIn(p.unitGroup, count, 'the receipt of 确认 5');
    expect(receipt.buttons).toEqual(['撤销', '补充佐证']);

    count = p.botMessages(p.unitGroup).length;
    p.tap(p.unitGroup, d.id, p.member, '任务5 已完成');
    expect((await nextIn(p.unitGroup, count, 'the answer to a stale 已完成')).text).toContain('无需重复');
    await eventually(() => p.tapDeliveries().every((t) => t.acked), 'the tap handled');
    expect(await confirmations(5)).toHaveLength(1);
    expect(p.botMessages(p.unitGroup).find((m) => m.id === d.id)!.updates).toBe(0);

    count = p.botMessages(p.unitGroup).length;
    p.say(p.unitGroup, p.liaison, '撤销 5');
    expect((await nextIn(p.unitGroup, count, 'the answer to 撤销 5')).text).toContain('已撤销 任务5');
    count = p.botMessages(p.unitGroup).length;
    p.tap(p.unitGroup, receipt.id, p.liaison, '撤销');
    expect((await nextIn(p.unitGroup, count, 'the answer to a stale 撤销')).text).toContain('没有可撤销的确认');
    expect(await confirmations(5)).toEqual([]);
    expect(await store.audit.list({ action: 'button.tap' })).toEqual([]);
  });

  it('refuses a tap exactly as the typed command when only liaisons may confirm, recording nothing', async () => {
    await start({ policy: 'liaisons' });
    const d = await digest();
    const count = p.botMessages(p.unitGroup).length;
    p.tap(p.unitGroup, d.id, p.member, '任务4 已完成');
    expect((await nextIn(p.unitGroup, count, 'the refusal')).text).toContain('只有郭道镇登记的联络员可以确认任务');
    await eventually(() => p.tapDeliveries().every((t) => t.acked), 'the tap acknowledged');
    expect(await confirmations()).toEqual([]);
    expect(await store.audit.list({ action: 'button.tap' })).toEqual([]);
    expect(p.botMessages(p.unitGroup).find((m) => m.id === d.id)!.updates).toBe(0);

    p.tap(p.unitGroup, d.id, p.liaison, '任务4 已完成');
    await eventually(async () => (await confirmations(4)).length === 1, 'the liaison’s confirmation');
  });

  it('undoes from the receipt’s 「撤销」, asking first when the undo would cost points', async () => {
    await start();
    let count = p.botMessages(p.unitGroup).length;
    p.say(p.unitGroup, p.liaison, '确认 4');
    const receipt = await nextIn(p.unitGroup, count, 'the receipt');
    now = new Date('2022-12-05T10:00:00+08:00');

    count = p.botMessages(p.unitGroup).length;
    p.tap(p.unitGroup, receipt.id, p.liaison, '撤销');
    const ask = await nextIn(p.unitGroup, count, 'the second step');
    expect(ask.text).toContain('撤销后再确认只能记为逾期完成');
    expect(ask.buttons).toEqual(['确定撤销 任务4']);
    expect(await confirmations(4)).toHaveLength(1);

    count = p.botMessages(p.unitGroup).length;
    p.tap(p.unitGroup, ask.id, p.liaison, '确定撤销 任务4');
    expect((await nextIn(p.unitGroup, count, 'the undo')).text).toContain('已撤销 任务4');
    expect(await confirmations(4)).toEqual([]);
    // The tapped message is updated right after the reply.
    const shown = await eventually(() => p.botMessages(p.unitGroup).find((m) => m.id === ask.id && m.updates > 0), 'the updated question');
    expect(shown.updates).toBe(1);
    expect(shown.text).toContain(`${p.liaison.name} 已点按：撤销 4 确定`);
    expect(shown.buttons).toEqual([]);
  });

  it('asks for a reason on 「退回」 from the 复核 queue, and the reason reaches the unit’s group', async () => {
    await start();
    let count = p.botMessages(p.unitGroup).length;
    p.say(p.unitGroup, p.liaison, '确认 4 https://gdz.qinyuan.gov.cn/xzcf/2022.html');
    await nextIn(p.unitGroup, count, 'the receipt');
    const [c] = await confirmations(4);

    let office = p.botMessages(p.adminGroup).length;
    p.say(p.adminGroup, p.admin, '复核');
    const queue = await nextIn(p.adminGroup, office, 'the 复核 queue');
    expect(queue.buttons).toEqual([`通过 #${c!.id}`, `退回 #${c!.id}`]);

    office = p.botMessages(p.adminGroup).length;
    p.tap(p.adminGroup, queue.id, p.admin, `退回 #${c!.id}`);
    expect((await nextIn(p.adminGroup, office, 'the question for a reason')).text).toContain(`请发：退回 #${c!.id} 原因`);
    expect(await store.reviews.list({ year: 2022 })).toEqual([]);

    office = p.botMessages(p.adminGroup).length;
    count = p.botMessages(p.unitGroup).length;
    p.say(p.adminGroup, p.admin, `退回 #${c!.id} 链接打开是空白页`);
    expect((await nextIn(p.adminGroup, office, 'the answer to 退回')).text).toContain('已退回 1 项');
    const told = await nextIn(p.unitGroup, count, 'the notice in the unit’s group');
    expect(told.text).toContain('任务4 的确认被退回');
    expect(told.text).toContain('链接打开是空白页');
    expect((await store.reviews.list({ year: 2022 })).map((r) => [r.action, r.reason])).toEqual([['returned', '链接打开是空白页']]);
  });
});
