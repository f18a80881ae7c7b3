import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DIALECTS, testStores } from '../test-stores.js';
import type { ChangeContext, Store } from '../store.js';

const at = new Date('2022-11-21T02:00:00Z');
const ctx: ChangeContext = { actor: { platform: 'memory', id: 'u1', name: '张三', conversationId: 'g1' }, at };

describe.each(DIALECTS)('HighlightRepository (%s)', (dialect) => {
  const stores = testStores(dialect);
  let store: Store;
  beforeEach(async () => {
    store = await stores.open();
  });
  afterEach(async () => store.close());

  it('numbers highlights and selects each once', async () => {
    const id = await store.highlights.add({ year: 2022, unit: '郭道镇', title: '政策找人' }, ctx);
    expect(await store.highlights.select(id, ctx)).toBe(true);
    expect(await store.highlights.select(id, ctx)).toBe(false);
    expect(await store.highlights.select(id + 100, ctx)).toBe(false);
    expect(await store.highlights.get(id)).toMatchObject({ status: 'selected', title: '政策找人' });
  });
});
