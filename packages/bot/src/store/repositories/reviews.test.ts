import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DIALECTS, testStores } from '../test-stores.js';
import type { ChangeContext, Store } from '../store.js';
import { reviewStatus } from './reviews.js';

const office: ChangeContext = { actor: { platform: 'memory', id: 'a1', name: '李四', conversationId: 'admin' }, at: new Date('2022-11-22T02:00:00Z') };
const unitCtx = (at: string): ChangeContext => ({ actor: { platform: 'memory', id: 'u1', name: '张三', conversationId: 'g1' }, at: new Date(at) });

describe.each(DIALECTS)('ReviewRepository (%s)', (dialect) => {
  const stores = testStores(dialect);
  let store: Store;
  beforeEach(async () => {
    store = await stores.open();
  });
  afterEach(async () => store.close());

  async function confirm(unit = '郭道镇') {
    const input = { year: 2022, unit, task: 4, due: '2022-11-30', at: new Date('2022-11-20T02:00:00Z'), platform: 'memory', conversationId: 'g1', senderId: 'u1', senderName: '张三' };
    const id = await store.confirmations.add(input, unitCtx('2022-11-20T02:00:00Z'));
    return { id, year: 2022, unit, task: 4, due: '2022-11-30' };
  }

  it('folds decisions and resubmissions into a status, each in the audit log', async () => {
    const c = await confirm();
    const other = await confirm('沁河镇');
    await store.reviews.record(c, 'returned', ' 链接打不开 ', office);
    await store.reviews.record(c, 'resubmitted', null, unitCtx('2022-11-23T02:00:00Z'));
    await store.reviews.record(c, 'accepted', null, { ...office, at: new Date('2022-11-24T02:00:00Z') });
    const list = await store.confirmations.list({ year: 2022 });
    const statuses = await store.reviews.statuses(list);
    expect(statuses.get(c.id)).toEqual({
      state: 'accepted',
      reason: null,
      reviewer: '李四',
      decidedAt: '2022-11-24T02:00:00.000Z',
      submissions: ['2022-11-20T02:00:00.000Z', '2022-11-23T02:00:00.000Z'],
      returns: [{ at: '2022-11-22T02:00:00.000Z', reason: '链接打不开', reviewer: '李四' }],
    });
    expect(statuses.get(other.id)?.state).toBe('pending');
    expect((await store.reviews.list({ year: 2022, unit: '沁河镇' })).length).toBe(0);
    expect((await store.audit.list()).map((e) => e.action).filter((a) => a.startsWith('review.'))).toEqual(['review.return', 'review.resubmit', 'review.accept']);
    expect((await store.audit.list({ action: 'review.return' }))[0]?.payload).toMatchObject({ confirmation: c.id, reason: '链接打不开' });
  });

  it('refuses a return without a reason and writes nothing', async () => {
    const c = await confirm();
    await expect(store.reviews.record(c, 'returned', '  ', office)).rejects.toThrow(/reason/);
    expect(await store.reviews.list({ year: 2022 })).toEqual([]);
  });
});

describe('reviewStatus', () => {
  it('is pending with no history and returned with the latest reason', () => {
    expect(reviewStatus('t0', []).state).toBe('pending');
    const e = { id: 1, confirmationId: 1, year: 2022, unit: 'x', task: 4, due: '2022-11-30', at: 't1', actor: 'memory:a1', actorName: null };
    const s = reviewStatus('t0', [{ ...e, action: 'returned', reason: '缺少链接' }]);
    expect([s.state, s.reason, s.reviewer]).toEqual(['returned', '缺少链接', 'memory:a1']);
  });
});
