import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DIALECTS, testStores } from '../test-stores.js';
import type { ChangeContext, Store } from '../store.js';

const at = new Date('2022-11-21T02:00:00Z');
const cli: ChangeContext = { actor: { platform: 'cli', id: 'ops', channel: 'cli' }, at };

describe.each(DIALECTS)('AdminRepository (%s)', (dialect) => {
  const stores = testStores(dialect);
  let store: Store;
  beforeEach(async () => {
    store = await stores.open();
  });
  afterEach(async () => store.close());

  it('adds an administrator once and removes them', async () => {
    expect(await store.admins.add({ platform: 'dingtalk', userId: 'a1', name: '王主任' }, cli)).toBe(true);
    expect(await store.admins.add({ platform: 'dingtalk', userId: 'a1', name: '王主任' }, cli)).toBe(false);
    expect(await store.admins.has('dingtalk', 'a1')).toBe(true);
    expect(await store.admins.has('slack', 'a1')).toBe(false);
    expect(await store.admins.list()).toEqual([{ platform: 'dingtalk', userId: 'a1', name: '王主任', addedAt: at.toISOString() }]);
    expect(await store.admins.remove({ platform: 'dingtalk', userId: 'a1' }, cli)).toBe(true);
    expect(await store.admins.remove({ platform: 'dingtalk', userId: 'a1' }, cli)).toBe(false);
    expect((await store.audit.list()).map((e) => e.action)).toEqual(['admin.add', 'admin.remove']);
  });
});
