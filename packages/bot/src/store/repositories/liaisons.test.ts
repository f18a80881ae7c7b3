import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DIALECTS, testStores } from '../test-stores.js';
import type { ChangeContext, Store } from '../store.js';

const at = new Date('2022-11-21T02:00:00Z');
const ctx: ChangeContext = { actor: { platform: 'memory', id: 'u1', name: '张三', conversationId: 'g1' }, at };

describe.each(DIALECTS)('LiaisonRepository (%s)', (dialect) => {
  const stores = testStores(dialect);
  let store: Store;
  beforeEach(async () => {
    store = await stores.open();
  });
  afterEach(async () => store.close());

  it('registers liaisons once per unit and person', async () => {
    expect(await store.liaisons.add({ unit: '郭道镇', platform: 'memory', userId: 'u1', name: '张三' }, ctx)).toBe(true);
    expect(await store.liaisons.add({ unit: '郭道镇', platform: 'memory', userId: 'u1', name: '张三丰' }, ctx)).toBe(false);
    expect(await store.liaisons.has('郭道镇', 'memory', 'u1')).toBe(true);
    expect(await store.liaisons.has('沁河镇', 'memory', 'u1')).toBe(false);
    expect((await store.liaisons.list('郭道镇')).map((l) => l.name)).toEqual(['张三丰']);
    expect(await store.liaisons.remove({ unit: '郭道镇', platform: 'memory', userId: 'u1' }, ctx)).toBe(true);
    expect(await store.liaisons.list()).toEqual([]);
  });
});
