import { afterEach, describe, expect, it } from 'vitest';
import { createTestBot, groupOf, liaisonOf, setupCounty, type TestBot } from '../src/index.js';

const member = { id: 'member-1', name: '郭道镇办事员' };

describe('buttons', () => {
  let t: TestBot;
  afterEach(async () => t.close());

  async function digestOf(unit: string) {
    await t.bot.runDueDigests();
    const [digest] = t.chat.messagesTo(groupOf(unit), 'send');
    if (!digest) throw new Error('no digest');
    return digest;
  }

  it('record a tap on 「已完成」 as 确认 N, answer with a receipt and update the digest to say who did it', async () => {
    t = await createTestBot({ now: '2022-11-21 09:30' });
    await setupCounty(t, { units: ['郭道镇'] });
    const digest = await digestOf('郭道镇');
    const [receipt] = await t.chat.tap(digest, '任务4 已完成', member);
    expect(receipt?.text).toContain('任务4 行政处罚信息公开（11月底前，截止 2022-11-30）已确认：按时完成');
    expect((await t.store.confirmations.list({ year: 2022 })).map((c) => [c.unit, c.task, c.senderId])).toEqual([['郭道镇', 4, member.id]]);
    const [update] = t.chat.messagesTo(groupOf('郭道镇'), 'update');
    expect(update?.messageId).toBe(digest.messageId);
    expect(update?.text).toContain('郭道镇办事员 已点按：确认 4');
    expect(update?.message?.blocks.flatMap((b) => (b.type === 'actions' ? b.actions : [])).map((a) => a.command)).not.toContain('确认 4');
    const taps = await t.store.audit.list({ action: 'button.tap' });
    expect(taps).toMatchObject([{ channel: 'button', payload: { actionId: 'digest-unit:确认 4', sourceMessageId: digest.messageId, command: '确认 4' } }]);
    expect((await t.store.audit.list({ action: 'confirmation.add' }))[0]?.channel).toBe('button');
  });

  it('record a replayed callback and a double tap once, and answer a stale tap plainly', async () => {
    t = await createTestBot({ now: '2022-11-21 09:30' });
    await setupCounty(t, { units: ['郭道镇'] });
    const digest = await digestOf('郭道镇');
    await t.chat.tap(digest, '任务4 已完成', member, { messageId: 'tap-1' });
    await t.chat.tap(digest, '任务4 已完成', member, { messageId: 'tap-1' });
    const [second] = await t.chat.tap(digest, '任务4 已完成', member, { messageId: 'tap-2' });
    expect(second?.text).toContain('无需重复');
    expect(await t.store.confirmations.list({ year: 2022 })).toHaveLength(1);
    expect(await t.store.audit.list({ action: 'button.tap' })).toHaveLength(1);
    expect(t.chat.messagesTo(groupOf('郭道镇'), 'update')).toHaveLength(1);
  });

  it('refuse a tap exactly as the typed command, writing nothing', async () => {
    t = await createTestBot({ now: '2022-11-21 09:30', policy: 'liaisons' });
    await setupCounty(t, { units: ['郭道镇'] });
    const digest = await digestOf('郭道镇');
    const [refusal] = await t.chat.tap(digest, '任务4 已完成', member);
    expect(refusal?.text).toContain('只有郭道镇登记的联络员可以确认任务');
    expect(await t.store.confirmations.list({ year: 2022 })).toEqual([]);
    expect(await t.store.audit.list({ action: 'button.tap' })).toEqual([]);
    expect(t.chat.messagesTo(groupOf('郭道镇'), 'update')).toEqual([]);
    await t.chat.tap(digest, '任务4 已完成', liaisonOf('郭道镇'));
    expect(await t.store.confirmations.list({ year: 2022 })).toHaveLength(1);
  });

  it('undo from the receipt’s 「撤销」 and ask for a link from its 「补充佐证」', async () => {
    t = await createTestBot({ now: '2022-11-21 10:00' });
    await setupCounty(t, { units: ['郭道镇'] });
    const [receipt] = await t.chat.say(groupOf('郭道镇'), member, '确认 4');
    const [ask] = await t.chat.tap(receipt!, '补充佐证', member);
    expect(ask?.text).toContain('请在任务编号后写链接或说明');
    const [undone] = await t.chat.tap(receipt!, '撤销', member);
    expect(undone?.text).toContain('已撤销 任务4');
    expect(await t.store.confirmations.list({ year: 2022 })).toEqual([]);
    const [update] = t.chat.messagesTo(groupOf('郭道镇'), 'update');
    expect(update?.messageId).toBe(receipt?.messageId);
    expect(update?.text).toContain('已撤销 任务4');
    expect(update?.text).toContain('郭道镇办事员 已点按：撤销 4');
  });

  it('asks again before an undo that costs points, with a 「确定撤销」 button that does it', async () => {
    t = await createTestBot({ now: '2022-11-21 10:00' });
    await setupCounty(t, { units: ['郭道镇'] });
    const [receipt] = await t.chat.say(groupOf('郭道镇'), member, '确认 4');
    t.clock.set('2022-12-05 10:00');
    const [ask] = await t.chat.tap(receipt!, '撤销', member);
    expect(ask?.text).toContain('撤销后再确认只能记为逾期完成');
    expect(ask?.message?.blocks.flatMap((b) => (b.type === 'actions' ? b.actions : [])).map((a) => [a.label, a.command, a.style])).toEqual([['确定撤销 任务4', '撤销 4 确定', 'danger']]);
    expect(await t.store.confirmations.list({ year: 2022 })).toHaveLength(1);
    const [undone] = await t.chat.tap(ask!, '确定撤销 任务4', member);
    expect(undone?.text).toContain('已撤销 任务4');
    expect(await t.store.confirmations.list({ year: 2022 })).toEqual([]);
  });

  it('names a tapper whose callback carries only an id as the liaison registry knows them', async () => {
    t = await createTestBot({ now: '2022-11-21 09:30' });
    await setupCounty(t, { units: ['郭道镇'] });
    const digest = await digestOf('郭道镇');
    const liaison = liaisonOf('郭道镇');
    const [receipt] = await t.chat.tap(digest, '任务4 已完成', { id: liaison.id, name: liaison.id });
    expect(receipt?.text).toContain(`登记人：${liaison.name}`);
    expect((await t.store.confirmations.list({ year: 2022 }))[0]?.senderName).toBe(liaison.name);
    expect(t.chat.messagesTo(groupOf('郭道镇'), 'update')[0]?.text).toContain(`${liaison.name} 已点按：确认 4`);
  });
});
