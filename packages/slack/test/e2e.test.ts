// End to end: the real bot engine with the Slack adapter (bolt's Socket Mode client inside) against the
// loopback Slack emulator.
import { createBot, openStore, type Bot, type Store } from '@zwgk/bot';
import { getPlan } from '@zwgk/sdk/qinyuan';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createSlackAdapter, startSlackEmulator, type SlackAdapter, type SlackChannel, type SlackChatMessage, type SlackEmulator } from '../src/index.js';

const platform = 'slack';
const now = new Date('2022-11-21T09:30:00+08:00'); // Monday
const quietLogger = { info() {}, warn() {}, error() {} };

let emu: SlackEmulator;
let store: Store;
let bot: Bot;
let guodao: SlackChannel;
let qinhe: SlackChannel;
let office: SlackChannel;

function makeAdapter(): SlackAdapter {
  return createSlackAdapter({ botToken: emu.botToken, appToken: emu.appToken, apiUrl: emu.apiUrl, clientPingTimeoutMs: 2_000, logger: quietLogger });
}

async function eventually<T>(probe: () => T | undefined | false | Promise<T | undefined | false>, timeoutMs = 20_000): Promise<T> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined && value !== false) return value;
    if (Date.now() > until) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 10));
  }
}

const botMessages = (c: SlackChannel): SlackChatMessage[] => emu.messages(c.id).filter((m) => m.from === 'bot');
const envelope = (id: string) => emu.envelopes().find((e) => e.envelope_id === id);
/** Every mrkdwn / plain_text string of a message's blocks. */
const blockText = (m: SlackChatMessage | undefined): string => JSON.stringify(m?.blocks ?? []);

beforeEach(async () => {
  emu = await startSlackEmulator({ port: 0, ackTimeoutMs: 400, maxRedeliveries: 20 });
  guodao = emu.createChannel({ name: 'guodao-zwgk', members: [{ id: 'U01ZHANG', name: '张三' }, { id: 'U02LI', name: '李四' }] });
  qinhe = emu.createChannel({ name: 'qinhe-zwgk', members: [{ id: 'U03WANG', name: '王五' }] });
  office = emu.createChannel({ name: 'county-office', members: [{ id: 'U09ADMIN', name: '县政府办王主任' }] });
  store = await openStore({ filename: ':memory:' });
  const actor = { actor: { platform: 'cli', id: 'ops', channel: 'cli' }, at: now };
  await store.admins.add({ platform, userId: 'U09ADMIN', name: '县政府办王主任' }, actor);
  await store.groups.bindUnit({ platform, conversationId: guodao.id, unit: '郭道镇', title: guodao.name }, actor);
  await store.groups.bindAdmin({ platform, conversationId: office.id, title: office.name }, actor);
  await store.liaisons.add({ unit: '郭道镇', platform, userId: 'U01ZHANG', name: '张三' }, actor);
  bot = createBot({ plan: getPlan('qinyuan-2022'), store, adapters: [makeAdapter()], clock: () => now, digest: { enabled: false } });
  await bot.start();
});

afterEach(async () => {
  await bot.stop();
  await store.close();
  await emu.close();
});

describe('the bot engine on Slack (emulated)', () => {
  it('answers “@bot 确认 4” in a bound channel with a Block Kit receipt and records it', async () => {
    const { envelopeId } = emu.post({ channel: guodao.id, user: 'U01ZHANG', text: `<@${emu.botUserId}> 确认 4 <https://www.qinyuan.gov.cn/gdz/xzcf>` });
    await eventually(() => envelope(envelopeId)?.status === 'acked');
    const [receipt] = botMessages(guodao);
    expect(receipt?.text).toContain('郭道镇');
    expect(blockText(receipt)).toContain('行政处罚信息公开');
    expect(blockText(receipt)).toContain('按时完成');
    const confirmations = await store.confirmations.list({ year: 2022, unit: '郭道镇', task: 4 });
    expect(confirmations).toHaveLength(1);
    expect(confirmations[0]?.evidence).toEqual(['https://www.qinyuan.gov.cn/gdz/xzcf']);
  });

  it('counts a redelivered confirmation once and sends one receipt', async () => {
    emu.faults({ dropAcks: 1 });
    const { envelopeId } = emu.post({ channel: guodao.id, user: 'U01ZHANG', text: `<@${emu.botUserId}> 确认 4` });
    const e = await eventually(() => envelope(envelopeId)?.status === 'acked' && envelope(envelopeId));
    expect(e.attempts.map((a) => a.retryAttempt).slice(0, 2)).toEqual([0, 1]);
    expect(e.droppedAcks).toBe(1);
    expect(botMessages(guodao)).toHaveLength(1);
    expect(await store.confirmations.list({ year: 2022, unit: '郭道镇', task: 4 })).toHaveLength(1);
  });

  it('recognises a redelivery after a restart by its id: no second record, no second receipt', async () => {
    // Every ack before the restart is lost, however slow the restart.
    emu.faults({ dropAcks: 1_000 });
    const { envelopeId } = emu.post({ channel: guodao.id, user: 'U01ZHANG', text: `<@${emu.botUserId}> 确认 4` });
    await eventually(() => botMessages(guodao).length === 1);
    await bot.stop();
    bot = createBot({ plan: getPlan('qinyuan-2022'), store, adapters: [makeAdapter()], clock: () => now, digest: { enabled: false } });
    await bot.start();
    emu.faults({ dropAcks: 0 });
    const e = await eventually(() => envelope(envelopeId)?.status === 'acked' && envelope(envelopeId));
    expect(new Set(e.attempts.map((a) => a.connectionId)).size).toBeGreaterThanOrEqual(2);
    expect(e.attempts.at(-1)?.connectionId).not.toBe(e.attempts[0]?.connectionId);
    expect(botMessages(guodao)).toHaveLength(1);
    expect(await store.confirmations.list({ year: 2022, unit: '郭道镇', task: 4 })).toHaveLength(1);
  });

  it('binds a channel with “@bot 绑定 沁河镇” from an admin', async () => {
    const channel = emu.createChannel({ name: 'qinhe-2', members: [{ id: 'U09ADMIN', name: '县政府办王主任' }] });
    const { envelopeId } = emu.post({ channel: channel.id, user: 'U09ADMIN', text: `<@${emu.botUserId}> 绑定 沁河镇` });
    await eventually(() => envelope(envelopeId)?.status === 'acked');
    expect(await store.groups.of(platform, channel.id)).toMatchObject({ unit: '沁河镇' });
    expect(blockText(botMessages(channel)[0])).toContain('沁河镇');
  });

  it('posts the week’s digest to every bound channel, mentioning the liaison', async () => {
    const run = await bot.runDueDigests(new Date('2022-11-21T09:30:00+08:00'));
    expect(run.failed).toEqual([]);
    const [digest] = botMessages(guodao);
    expect(blockText(digest)).toContain('郭道镇');
    expect(blockText(digest)).toContain('<@U01ZHANG>');
    expect(botMessages(office)).toHaveLength(1);
    expect(botMessages(qinhe)).toHaveLength(0);
    const again = await bot.runDueDigests(new Date('2022-11-21T10:30:00+08:00'));
    expect(again.failed).toEqual([]);
    expect(botMessages(guodao)).toHaveLength(1);
  });
});
