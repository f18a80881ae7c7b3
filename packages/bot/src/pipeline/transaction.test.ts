import { describe, expect, it } from 'vitest';
import { openStore } from '../store/open.js';
import { commit, decide, rollback } from './transaction.js';

const by = { actor: { platform: 'cli', id: 'ops', channel: 'cli' }, at: new Date('2022-11-21T02:00:00Z') };

describe('decide', () => {
  it('keeps the writes of work that commits and returns its value', async () => {
    const store = await openStore({ filename: ':memory:' });
    const value = await decide(store, async (tx) => {
      await tx.admins.add({ platform: 'p', userId: 'a1', name: '甲' }, by);
      return commit('kept');
    });
    expect(value).toBe('kept');
    expect((await store.admins.list()).map((a) => a.userId)).toEqual(['a1']);
    await store.close();
  });

  it('drops the writes of work that rolls back and still returns its value', async () => {
    const store = await openStore({ filename: ':memory:' });
    const value = await decide(store, async (tx) => {
      await tx.admins.add({ platform: 'p', userId: 'a2', name: '乙' }, by);
      return rollback({ answer: 42 });
    });
    expect(value).toEqual({ answer: 42 });
    expect(await store.admins.list()).toEqual([]);
    await store.close();
  });

  it('rolls back and rethrows when the work throws', async () => {
    const store = await openStore({ filename: ':memory:' });
    await expect(
      decide(store, async (tx) => {
        await tx.admins.add({ platform: 'p', userId: 'a3', name: '丙' }, by);
        throw new Error('broken');
      }),
    ).rejects.toThrow('broken');
    expect(await store.admins.list()).toEqual([]);
    await store.close();
  });
});
