import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DIALECTS, testStores } from '../test-stores.js';
import type { ChangeContext, Store } from '../store.js';

const at = new Date('2022-11-21T02:00:00Z');
const cli: ChangeContext = { actor: { platform: 'cli', id: 'ops', channel: 'cli' }, at };

describe.each(DIALECTS)('CarryoverRepository (%s)', (dialect) => {
  const stores = testStores(dialect);
  let store: Store;
  beforeEach(async () => {
    store = await stores.open();
  });
  afterEach(async () => store.close());

  it('stores carry-over items and resolves each once', async () => {
    const item = await store.carryover.add({ year: 2022, unit: '郭道镇', item: '栏目空白' }, cli);
    expect(await store.carryover.list({ year: 2022 })).toMatchObject([{ item: '栏目空白', resolved: false }]);
    expect(await store.carryover.resolve(item, cli)).toBe(true);
    expect(await store.carryover.resolve(item, cli)).toBe(false);
    expect(await store.carryover.list({ year: 2022 })).toMatchObject([{ item: '栏目空白', resolved: true }]);
  });
});
