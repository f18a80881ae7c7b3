import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DIALECTS, testStores } from '../test-stores.js';
import type { ChangeContext, Store } from '../store.js';

const at = new Date('2022-11-21T02:00:00Z');
const ctx: ChangeContext = { actor: { platform: 'memory', id: 'u1', name: '张三', conversationId: 'g1' }, at };

describe.each(DIALECTS)('ConfirmationRepository (%s)', (dialect) => {
  const stores = testStores(dialect);
  let store: Store;
  beforeEach(async () => {
    store = await stores.open();
  });
  afterEach(async () => store.close());

  it('keeps withdrawn confirmations out of the list unless asked', async () => {
    const base = { year: 2022, unit: '郭道镇', task: 4, due: '2022-11-30', platform: 'memory', conversationId: 'g1', senderId: 'u1', senderName: '张三' };
    const first = await store.confirmations.add({ ...base, at: new Date('2022-11-20T02:00:00Z'), evidence: ['https://x.cn'] }, ctx);
    await store.confirmations.add({ ...base, task: 9, at: new Date('2022-11-21T02:00:00Z') }, ctx);
    expect(await store.confirmations.undo(first, ctx)).toBe(true);
    expect(await store.confirmations.undo(first, ctx)).toBe(false);
    expect((await store.confirmations.list({ year: 2022 })).map((c) => c.task)).toEqual([9]);
    const all = await store.confirmations.list({ year: 2022, includeUndone: true });
    expect(all.map((c) => [c.task, c.undoneAt !== null])).toEqual([
      [4, true],
      [9, false],
    ]);
    expect(all[0]?.evidence).toEqual(['https://x.cn']);
    expect(await store.confirmations.list({ year: 2023 })).toEqual([]);
  });

  it('lists only the tasks asked for, and nothing for an empty list', async () => {
    const base = { year: 2022, unit: '郭道镇', due: '2022-11-30', platform: 'memory', conversationId: 'g1', senderId: 'u1', senderName: '张三', at };
    for (const task of [4, 9, 22]) await store.confirmations.add({ ...base, task }, ctx);
    await store.confirmations.add({ ...base, unit: '沁河镇', task: 4 }, ctx);
    expect((await store.confirmations.list({ year: 2022, unit: '郭道镇', tasks: [22, 4] })).map((c) => c.task)).toEqual([4, 22]);
    expect((await store.confirmations.list({ year: 2022, tasks: [4] })).map((c) => c.unit)).toEqual(['郭道镇', '沁河镇']);
    expect(await store.confirmations.list({ year: 2022, tasks: [] })).toEqual([]);
  });
});
