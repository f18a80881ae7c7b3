import { describe, expect, it } from 'vitest';
import { amendConfirmation, claimedDates, setClaimedDate } from './amendments.js';
import { openStore } from './open.js';

const ctx = { actor: { platform: 'test', id: 'u1', name: '张三', channel: 'chat' as const }, at: new Date('2022-12-05T02:00:00Z') };
const base = { year: 2022, unit: '郭道镇', task: 4, due: '2022-11-30', at: new Date('2022-11-21T02:00:00Z'), platform: 'test', conversationId: 'g', senderId: 'u1', senderName: '张三' };

describe('confirmation amendments', () => {
  it('add only new links and a new note, keep the time, and audit the change', async () => {
    const store = await openStore({ filename: ':memory:' });
    const id = await store.confirmations.add({ ...base, evidence: ['http://a.gov.cn/1'], note: '已公开' }, ctx);
    const first = await amendConfirmation(store, id, { evidence: ['http://a.gov.cn/1', 'http://a.gov.cn/2', 'http://a.gov.cn/2'], note: '已张贴' }, ctx);
    expect(first).toEqual({ added: ['http://a.gov.cn/2'], noted: true, evidence: ['http://a.gov.cn/1', 'http://a.gov.cn/2'] });
    const again = await amendConfirmation(store, id, { evidence: ['http://a.gov.cn/2'], note: '已张贴' }, ctx);
    expect(again).toMatchObject({ added: [], noted: false });
    const [c] = await store.confirmations.list({ year: 2022 });
    expect(c).toMatchObject({ at: base.at.toISOString(), evidence: ['http://a.gov.cn/1', 'http://a.gov.cn/2'], note: '已公开；已张贴' });
    expect((await store.audit.list({ action: 'confirmation.amend' })).length).toBe(1);
    await store.close();
  });

  it('refuse a withdrawn confirmation', async () => {
    const store = await openStore({ filename: ':memory:' });
    const id = await store.confirmations.add(base, ctx);
    await store.confirmations.undo(id, ctx);
    expect(await amendConfirmation(store, id, { evidence: ['http://a.gov.cn/1'] }, ctx)).toBeNull();
    await store.close();
  });

  it('store a stated completion date beside the confirmation', async () => {
    const store = await openStore({ filename: ':memory:' });
    const id = await store.confirmations.add(base, ctx);
    await store.confirmations.add({ ...base, unit: '沁河镇' }, ctx);
    await setClaimedDate(store, id, '2022-11-18', ctx);
    expect(await claimedDates(store, { year: 2022 })).toEqual(new Map([[id, '2022-11-18']]));
    expect(await claimedDates(store, { year: 2022, unit: '沁河镇' })).toEqual(new Map());
    await store.close();
  });
});
