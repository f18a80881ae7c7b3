import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { copyStore } from './copy.js';
import type { ChangeContext, Store } from './store.js';
import { DIALECTS, testStores } from './test-stores.js';

const at = new Date('2022-11-21T02:00:00Z');
const cli: ChangeContext = { actor: { platform: 'cli', id: 'ops', channel: 'cli' }, at };

async function fill(store: Store): Promise<void> {
  await store.groups.bindUnit({ platform: 'dingtalk', conversationId: 'g1', unit: '郭道镇', title: '郭道镇群' }, cli);
  await store.groups.bindAdmin({ platform: 'dingtalk', conversationId: 'a1', title: '县政务公开办' }, cli);
  await store.liaisons.add({ unit: '郭道镇', platform: 'dingtalk', userId: 'u1', name: '张三' }, cli);
  await store.admins.add({ platform: 'dingtalk', userId: 'm1', name: '王主任' }, cli);
  const first = await store.confirmations.add({ year: 2022, unit: '郭道镇', task: 4, due: '2022-03-31', at, platform: 'dingtalk', conversationId: 'g1', senderId: 'u1', senderName: '张三', evidence: ['https://example.gov.cn/a'], note: '已公开' }, { ...cli, actor: { platform: 'dingtalk', id: 'u1' } });
  await store.confirmations.add({ year: 2022, unit: '郭道镇', task: 5, due: '2022-06-30', at, platform: 'dingtalk', conversationId: 'g1', senderId: 'u1', senderName: '张三' }, cli);
  await store.confirmations.undo(first, cli);
  await store.deductions.add({ year: 2022, unit: '郭道镇', points: 0.5, reason: '迟报' }, cli);
  await store.carryover.add({ year: 2022, unit: '郭道镇', item: '栏目整改' }, cli);
  await store.inbox.record({ platform: 'dingtalk', messageId: 'm1', conversationId: 'g1', senderId: 'u1', command: 'confirm', reply: { text: 'ok' } }, at);
  await store.outbox.enqueue({ week: '2022-W47', platform: 'dingtalk', conversationId: 'g1', kind: 'unit', unit: '郭道镇' }, at);
}

describe.each(DIALECTS)('copyStore (SQLite → %s)', (dialect) => {
  const stores = testStores(dialect);
  let from: Store;
  let to: Store;
  beforeEach(async () => {
    from = await testStores('sqlite').open();
    to = await stores.open();
  });
  afterEach(async () => {
    await from.close();
    await to.close();
  });

  it('copies every record with its id, and new records continue after the copied ids', async () => {
    await fill(from);
    const r = await copyStore(from, to);
    if (!r.success) throw new Error(r.error);
    expect(r.data.tables).toMatchObject({ confirmations: 2, liaisons: 1, admins: 1, unitGroups: 1, adminGroups: 1, processedMessages: 1, digestOutbox: 1 });
    expect(r.data.total).toBeGreaterThan(10);
    expect(await to.confirmations.list({ year: 2022, includeUndone: true })).toEqual(await from.confirmations.list({ year: 2022, includeUndone: true }));
    expect(await to.audit.list()).toEqual(await from.audit.list());
    expect(await to.groups.list()).toEqual(await from.groups.list());
    expect(await to.inbox.find('dingtalk', 'm1')).toEqual(await from.inbox.find('dingtalk', 'm1'));
    expect(await to.deductions.list({ year: 2022 })).toEqual(await from.deductions.list({ year: 2022 }));
    expect(await to.carryover.list({ year: 2022 })).toEqual(await from.carryover.list({ year: 2022 }));
    const next = await to.confirmations.add({ year: 2022, unit: '郭道镇', task: 6, due: '2022-09-30', at, platform: 'dingtalk', conversationId: 'g1', senderId: 'u1', senderName: '张三' }, cli);
    expect(next).toBe(3);
  });

  it('refuses a target that already holds records and writes nothing', async () => {
    await fill(from);
    await to.admins.add({ platform: 'dingtalk', userId: 'other', name: '别县' }, cli);
    const r = await copyStore(from, to);
    expect(r).toMatchObject({ success: false, error: expect.stringMatching(/not empty.*admins/) });
    expect(await to.confirmations.list({ year: 2022, includeUndone: true })).toEqual([]);
  });
});
