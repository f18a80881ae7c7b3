import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DIALECTS, testStores } from '../test-stores.js';
import type { ChangeContext, Store } from '../store.js';

const at = new Date('2022-11-21T02:00:00Z');
const ctx: ChangeContext = { actor: { platform: 'memory', id: 'u1', name: '张三', conversationId: 'g1' }, at };
const cli: ChangeContext = { actor: { platform: 'cli', id: 'ops', channel: 'cli' }, at };

describe.each(DIALECTS)('AuditRepository (%s)', (dialect) => {
  const stores = testStores(dialect);
  let store: Store;
  beforeEach(async () => {
    store = await stores.open();
  });
  afterEach(async () => store.close());

  it('writes an audit entry for every change, with who, when and the channel', async () => {
    await store.groups.bindUnit({ platform: 'memory', conversationId: 'g1', unit: '郭道镇' }, ctx);
    await store.admins.add({ platform: 'memory', userId: 'a1', name: '王' }, cli);
    await store.admins.add({ platform: 'memory', userId: 'a1', name: '王' }, cli);
    const log = await store.audit.list();
    expect(log.map((e) => [e.action, e.channel, e.actor.id, e.at])).toEqual([
      ['group.bind', 'chat', 'u1', at.toISOString()],
      ['admin.add', 'cli', 'ops', at.toISOString()],
    ]);
    expect(log[0]?.conversationId).toBe('g1');
  });
});
