import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DIALECTS, testStores } from '../test-stores.js';
import type { ChangeContext, Store } from '../store.js';

const at = new Date('2022-11-21T02:00:00Z');
const ctx: ChangeContext = { actor: { platform: 'memory', id: 'u1', name: '张三', conversationId: 'g1' }, at };

describe.each(DIALECTS)('ExemptionRepository (%s)', (dialect) => {
  const stores = testStores(dialect);
  let store: Store;
  beforeEach(async () => {
    store = await stores.open();
  });
  afterEach(async () => store.close());

  it('lists exemptions in force only', async () => {
    const id = await store.exemptions.add({ year: 2022, task: 13, unit: '郭道镇', reason: '无中小学' }, ctx);
    await store.exemptions.add({ year: 2022, task: 6, unit: '郭道镇', due: '2022-03-31', reason: '无此职能' }, ctx);
    expect(await store.exemptions.revoke(id, ctx)).toBe(true);
    expect((await store.exemptions.list({ year: 2022 })).map((e) => [e.task, e.due])).toEqual([[6, '2022-03-31']]);
  });
});
