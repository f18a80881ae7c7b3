import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Db } from './db.js';
import { prepared } from './prepared.js';
import type { ChangeContext, Store } from './store.js';
import { DIALECTS, testStores } from './test-stores.js';

const at = new Date('2022-11-21T02:00:00Z');
const cli: ChangeContext = { actor: { platform: 'cli', id: 'ops', channel: 'cli' }, at };

describe.each(DIALECTS)('prepared (%s)', (dialect) => {
  const stores = testStores(dialect);
  let store: Store;
  beforeEach(async () => {
    store = await stores.open();
    for (const [unit, task] of [['郭道镇', 4], ['郭道镇', 5], ['郭道镇', 9], ['沁河镇', 4]] as const) {
      await store.confirmations.add({ year: 2022, unit, task, due: '2022-11-30', at, platform: 'test', conversationId: 'g', senderId: 'u', senderName: '张三' }, cli);
    }
  });
  afterEach(async () => store.close());

  it('builds a query once per list length and runs it with each call’s values, rows in camelCase', async () => {
    let builds = 0;
    const query = prepared((db: Db, v: { unit: string; tasks: readonly number[] }) => {
      builds += 1;
      return db.selectFrom('confirmations').select(['unit', 'task', 'senderName']).where('unit', '=', v.unit).where('task', 'in', v.tasks).orderBy('task');
    });
    const run = async (unit: string, tasks: number[]) => (await query(store.db, { unit, tasks })).rows;
    expect(await run('郭道镇', [4, 9])).toEqual([
      { unit: '郭道镇', task: 4, senderName: '张三' },
      { unit: '郭道镇', task: 9, senderName: '张三' },
    ]);
    expect(await run('沁河镇', [4, 5])).toEqual([{ unit: '沁河镇', task: 4, senderName: '张三' }]);
    expect(builds).toBe(1);
    expect(await run('郭道镇', [5])).toEqual([{ unit: '郭道镇', task: 5, senderName: '张三' }]);
    expect(await run('郭道镇', [4, 5, 9])).toHaveLength(3);
    expect(builds).toBe(3);
  });

  it('writes null values and runs inside a transaction, which rolls back', async () => {
    const insert = prepared((db: Db, v: { action: string; actorName: string | null }) =>
      db.insertInto('auditLog').values({ at: at.toISOString(), actorPlatform: 'cli', actorId: 'ops', actorName: v.actorName, channel: 'cli', conversationId: null, action: v.action, payload: 'null' }),
    );
    await insert(store.db, { action: 'test.one', actorName: null });
    await expect(
      store.db.transaction().execute(async (trx) => {
        await insert(trx, { action: 'test.two', actorName: '李四' });
        throw new Error('roll back');
      }),
    ).rejects.toThrow('roll back');
    const entries = (await store.audit.list()).filter((e) => e.action.startsWith('test.'));
    expect(entries.map((e) => [e.action, e.actor.name])).toEqual([['test.one', null]]);
  });
});
