import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DIALECTS, testStores } from '../test-stores.js';
import type { ChangeContext, Store } from '../store.js';

const at = new Date('2022-11-21T02:00:00Z');
const ctx: ChangeContext = { actor: { platform: 'memory', id: 'u1', name: '张三', conversationId: 'g1' }, at };

describe.each(DIALECTS)('GroupRepository (%s)', (dialect) => {
  const stores = testStores(dialect);
  let store: Store;
  beforeEach(async () => {
    store = await stores.open();
  });
  afterEach(async () => store.close());

  it('binds a group to a unit, rebinds it, and tells what it was', async () => {
    expect(await store.groups.bindUnit({ platform: 'memory', conversationId: 'g1', unit: '郭道镇' }, ctx)).toEqual({ previous: null });
    expect(await store.groups.bindUnit({ platform: 'memory', conversationId: 'g1', unit: '沁河镇' }, ctx)).toMatchObject({ previous: { kind: 'unit', unit: '郭道镇' } });
    expect(await store.groups.of('memory', 'g1')).toMatchObject({ kind: 'unit', unit: '沁河镇' });
    expect(await store.groups.ofUnit('郭道镇')).toEqual([]);
  });

  it('turns a unit group into the admin group and back to nothing', async () => {
    await store.groups.bindUnit({ platform: 'memory', conversationId: 'g1', unit: '郭道镇' }, ctx);
    await store.groups.bindAdmin({ platform: 'memory', conversationId: 'g1', title: '县政府办' }, ctx);
    expect(await store.groups.of('memory', 'g1')).toMatchObject({ kind: 'admin', title: '县政府办' });
    expect((await store.groups.list()).map((g) => g.kind)).toEqual(['admin']);
    expect(await store.groups.unbind({ platform: 'memory', conversationId: 'g1' }, ctx)).toBe(true);
    expect(await store.groups.unbind({ platform: 'memory', conversationId: 'g1' }, ctx)).toBe(false);
    expect(await store.groups.of('memory', 'g1')).toBeNull();
  });
});
