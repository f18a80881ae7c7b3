import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { openStore } from '../store/open.js';
import type { Store } from '../store/store.js';
import { DEFERRED_MS, createGroupCommit } from './group-commit.js';
import { commit, rollback } from './transaction.js';

const by = { actor: { platform: 'cli', id: 'ops', channel: 'cli' }, at: new Date('2022-11-21T02:00:00Z') };
const admin = (userId: string) => async (tx: Store) => {
  await tx.admins.add({ platform: 'p', userId, name: userId }, by);
  return commit(userId);
};

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

describe('createGroupCommit', () => {
  it('runs units of work that arrive together in one transaction and resolves each with its value', async () => {
    const store = await openStore({ filename: ':memory:' });
    const transactions = vi.spyOn(store, 'transaction');
    const commits = createGroupCommit(store);
    const values = await Promise.all(['a1', 'a2', 'a3', 'a4'].map((id) => commits.run(admin(id))));
    expect(values).toEqual(['a1', 'a2', 'a3', 'a4']);
    expect(transactions).toHaveBeenCalledTimes(1);
    expect((await store.admins.list()).map((a) => a.userId).sort()).toEqual(['a1', 'a2', 'a3', 'a4']);
    await store.close();
  });

  it('lets deferrable work ride along with the next commit, or commit on its own after a while', async () => {
    const store = await openStore({ filename: ':memory:' });
    const transactions = vi.spyOn(store, 'transaction');
    const commits = createGroupCommit(store);
    const deferred = commits.run(admin('d1'), { deferrable: true });
    // Nothing commits for deferrable work alone at once…
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(transactions).toHaveBeenCalledTimes(0);
    // …until other work starts a commit: both go in it.
    expect(await Promise.all([deferred, commits.run(admin('d2'))])).toEqual(['d1', 'd2']);
    expect(transactions).toHaveBeenCalledTimes(1);
    const started = performance.now();
    expect(await commits.run(admin('d3'), { deferrable: true })).toBe('d3');
    expect(performance.now() - started).toBeGreaterThanOrEqual(DEFERRED_MS - 5);
    expect(transactions).toHaveBeenCalledTimes(2);
    expect((await store.admins.list()).map((a) => a.userId).sort()).toEqual(['d1', 'd2', 'd3']);
    await store.close();
  });

  it('drops only the writes of a unit that rolls back, and still hands back its value', async () => {
    const store = await openStore({ filename: ':memory:' });
    const commits = createGroupCommit(store);
    const dropped = commits.run(async (tx) => {
      await tx.admins.add({ platform: 'p', userId: 'gone', name: '乙' }, by);
      return rollback('read-only answer');
    });
    const [first, second, third] = await Promise.all([commits.run(admin('b1')), dropped, commits.run(admin('b2'))]);
    expect([first, second, third]).toEqual(['b1', 'read-only answer', 'b2']);
    expect((await store.admins.list()).map((a) => a.userId).sort()).toEqual(['b1', 'b2']);
    expect((await store.audit.list()).filter((e) => JSON.stringify(e.payload).includes('gone'))).toEqual([]);
    expect(await store.audit.list()).toHaveLength(2);
    await store.close();
  });

  it('rejects a unit that throws with its own error, without its writes, and commits the others', async () => {
    const store = await openStore({ filename: ':memory:' });
    const commits = createGroupCommit(store);
    const broken = commits.run(async (tx) => {
      await tx.admins.add({ platform: 'p', userId: 'half', name: '丙' }, by);
      throw new Error('handler bug');
    });
    const kept = commits.run(admin('c1'));
    await expect(broken).rejects.toThrow('handler bug');
    await expect(kept).resolves.toBe('c1');
    expect((await store.admins.list()).map((a) => a.userId)).toEqual(['c1']);
    await store.close();
  });

  it('rejects every unit of a batch whose transaction cannot commit, and keeps none of their writes', async () => {
    const store = await openStore({ filename: ':memory:' });
    const commits = createGroupCommit(store);
    const first = commits.run(admin('d1'));
    // Ends the shared transaction behind the batch's back: the batch can no longer commit what it did.
    const saboteur = commits.run(async (tx) => {
      await sql`rollback`.execute(tx.db);
      return commit('sabotaged');
    });
    const last = commits.run(admin('d2'));
    const settled = await Promise.allSettled([first, saboteur, last]);
    expect(settled.map((s) => s.status)).toEqual(['rejected', 'rejected', 'rejected']);
    expect(await store.admins.list()).toEqual([]);
    await store.close();
  });

  it('resolves only once the writes are committed: another connection already sees them', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'zwgk-group-commit-'));
    dirs.push(dir);
    const filename = join(dir, 'zwgk.sqlite');
    const store = await openStore({ filename });
    const reader = await openStore({ filename, migrate: false });
    const commits = createGroupCommit(store);
    const seen = await Promise.all(
      ['e1', 'e2', 'e3'].map((id) => commits.run(admin(id)).then(async () => (await reader.admins.list()).some((a) => a.userId === id))),
    );
    expect(seen).toEqual([true, true, true]);
    await reader.close();
    await store.close();
  });

  it('gives a unit arriving alone a transaction of its own', async () => {
    const store = await openStore({ filename: ':memory:' });
    const transactions = vi.spyOn(store, 'transaction');
    const commits = createGroupCommit(store);
    expect(await commits.run(admin('f1'))).toBe('f1');
    expect(await commits.run(admin('f2'))).toBe('f2');
    expect(transactions).toHaveBeenCalledTimes(2);
    await store.close();
  });
});
