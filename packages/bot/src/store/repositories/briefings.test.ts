import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DIALECTS, testStores } from '../test-stores.js';
import type { ChangeContext, Store } from '../store.js';

const at = new Date('2022-11-21T02:00:00Z');
const ctx: ChangeContext = { actor: { platform: 'memory', id: 'u1', name: '张三', conversationId: 'g1' }, at };

describe.each(DIALECTS)('BriefingRepository (%s)', (dialect) => {
  const stores = testStores(dialect);
  let store: Store;
  beforeEach(async () => {
    store = await stores.open();
  });
  afterEach(async () => store.close());

  it('lists a unit’s briefings of a year by date, with who recorded them', async () => {
    await store.briefings.add({ year: 2022, unit: '郭道镇', date: '2022-06-10', note: '半年' }, ctx);
    await store.briefings.add({ year: 2022, unit: '郭道镇', date: '2022-03-01' }, ctx);
    await store.briefings.add({ year: 2022, unit: '沁河镇', date: '2022-04-01' }, ctx);
    const list = await store.briefings.list({ year: 2022, unit: '郭道镇' });
    expect(list.map((b) => [b.date, b.note])).toEqual([
      ['2022-03-01', null],
      ['2022-06-10', '半年'],
    ]);
    expect(list[0]).toMatchObject({ recordedBy: 'memory:u1', recordedAt: at.toISOString() });
    expect(await store.briefings.list({ year: 2022 })).toHaveLength(3);
  });
});
