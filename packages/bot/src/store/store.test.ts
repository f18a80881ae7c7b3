import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { sql } from 'kysely';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openStore } from './open.js';
import type { ChangeContext, Store } from './store.js';

const at = new Date('2022-11-21T02:00:00Z');
const ctx: ChangeContext = { actor: { platform: 'memory', id: 'u1', name: '张三', conversationId: 'g1' }, at };
const cli: ChangeContext = { actor: { platform: 'cli', id: 'ops', channel: 'cli' }, at };

describe('openStore', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'zwgk-store-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('creates the directory, uses WAL and synchronous FULL', async () => {
    const store = await openStore({ filename: join(dir, 'nested', 'zwgk.sqlite') });
    const journal = await sql<{ journalMode: string }>`pragma journal_mode`.execute(store.db);
    const sync = await sql<{ synchronous: number }>`pragma synchronous`.execute(store.db);
    expect(journal.rows[0]?.journalMode).toBe('wal');
    expect(sync.rows[0]?.synchronous).toBe(2);
    await store.close();
  });

  it('keeps data across reopening and migrates only once', async () => {
    const file = join(dir, 'zwgk.sqlite');
    const first = await openStore({ filename: file });
    await first.admins.add({ platform: 'memory', userId: 'a1', name: '王主任' }, cli);
    await first.close();
    const second = await openStore({ filename: file });
    expect(await second.admins.has('memory', 'a1')).toBe(true);
    const migrations = await sql<{ name: string }>`select name from zwgk_migrations`.execute(second.db);
    expect(migrations.rows.map((r) => r.name)).toEqual(['0001_initial', '0002_record_indexes']);
    await second.close();
  });
});

describe('openStore file permissions', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'zwgk-store-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  const mode = (path: string) => statSync(path).mode & 0o777;

  it('creates the database file 0600 and its missing folders 0700', async () => {
    const file = join(dir, 'data', 'nested', 'zwgk.sqlite');
    const store = await openStore({ filename: file });
    await store.admins.add({ platform: 'memory', userId: 'a1', name: '王主任' }, cli);
    expect(mode(file)).toBe(0o600);
    expect(mode(`${file}-wal`)).toBe(0o600);
    expect(mode(join(dir, 'data', 'nested'))).toBe(0o700);
    expect(mode(join(dir, 'data'))).toBe(0o700);
    await store.close();
  });

  it('leaves an existing folder and file as they are', async () => {
    const folder = join(dir, 'shared');
    mkdirSync(folder, { mode: 0o755 });
    chmodSync(folder, 0o755);
    const file = join(folder, 'zwgk.sqlite');
    await (await openStore({ filename: file })).close();
    chmodSync(file, 0o640);
    const store = await openStore({ filename: file });
    expect(mode(folder)).toBe(0o755);
    expect(mode(file)).toBe(0o640);
    await store.close();
  });
});

describe('openStore on a database of an earlier version', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'zwgk-store-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('applies the newer migrations and reads the records written before', async () => {
    const file = join(dir, 'zwgk.sqlite');
    const old = new BetterSqlite3(file);
    old.exec(readFileSync(new URL('../../test/fixtures/store-0.1.0.sql', import.meta.url), 'utf8'));
    old.close();

    const store = await openStore({ filename: file });
    const migrations = await sql<{ name: string }>`select name from zwgk_migrations order by name`.execute(store.db);
    expect(migrations.rows.map((r) => r.name)).toEqual(['0001_initial', '0002_record_indexes']);
    const indexes = await sql<{ name: string }>`select name from sqlite_master where type = 'index' and name like '%year_unit%' order by name`.execute(store.db);
    expect(indexes.rows.map((r) => r.name)).toEqual(['briefings_year_unit', 'confirmations_year_unit_task', 'exemptions_year_unit_task', 'highlights_year_unit']);

    expect(await store.admins.has('dingtalk', 'manager01')).toBe(true);
    expect(await store.groups.of('dingtalk', 'g1')).toMatchObject({ kind: 'unit', unit: '郭道镇', title: '郭道镇政务公开' });
    expect(await store.groups.of('dingtalk', 'g0')).toMatchObject({ kind: 'admin', title: '县政府办' });
    expect(await store.liaisons.list('郭道镇')).toMatchObject([{ userId: 'u1', name: '张三' }]);
    expect(await store.confirmations.list({ year: 2022, unit: '郭道镇', tasks: [4] })).toMatchObject([
      { task: 4, due: '2022-11-30', conversationId: 'g1', senderName: '张三', messageId: 'm1', evidence: ['https://www.qinyuan.gov.cn/x'], note: '已公开', undoneAt: null },
    ]);
    expect(await store.exemptions.list({ year: 2022 })).toMatchObject([{ task: 9, unit: '郭道镇', due: null, reason: '不涉及' }]);
    expect(await store.highlights.list({ year: 2022 })).toMatchObject([{ title: '乡村振兴专栏', status: 'submitted' }]);
    expect(await store.inbox.find('dingtalk', 'm1')).toMatchObject({ command: 'confirm', reply: { message: { kind: 'text', text: 'ok' } }, repliedAt: null });
    expect(await store.outbox.list()).toMatchObject([{ week: '2022-W47', status: 'pending', attempts: 0 }]);
    expect((await store.audit.list()).map((e) => e.action)).toContain('confirmation.add');

    // New records go on after the old ones.
    const id = await store.highlights.add({ year: 2022, unit: '郭道镇', title: '第二项' }, cli);
    expect(id).toBeGreaterThan(1);
    await store.close();
  });
});

describe('Store', () => {
  let store: Store;
  beforeEach(async () => {
    store = await openStore({ filename: ':memory:' });
  });
  afterEach(async () => store.close());

  it('binds a group to a unit, rebinds it, and tells what it was', async () => {
    expect(await store.groups.bindUnit({ platform: 'memory', conversationId: 'g1', unit: '郭道镇' }, ctx)).toEqual({ previous: null });
    expect(await store.groups.bindUnit({ platform: 'memory', conversationId: 'g1', unit: '沁河镇' }, ctx)).toEqual({ previous: '郭道镇' });
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

  it('registers liaisons once per unit and person', async () => {
    expect(await store.liaisons.add({ unit: '郭道镇', platform: 'memory', userId: 'u1', name: '张三' }, ctx)).toBe(true);
    expect(await store.liaisons.add({ unit: '郭道镇', platform: 'memory', userId: 'u1', name: '张三丰' }, ctx)).toBe(false);
    expect(await store.liaisons.has('郭道镇', 'memory', 'u1')).toBe(true);
    expect(await store.liaisons.has('沁河镇', 'memory', 'u1')).toBe(false);
    expect((await store.liaisons.list('郭道镇')).map((l) => l.name)).toEqual(['张三丰']);
    expect(await store.liaisons.remove({ unit: '郭道镇', platform: 'memory', userId: 'u1' }, ctx)).toBe(true);
    expect(await store.liaisons.list()).toEqual([]);
  });

  it('keeps withdrawn confirmations out of the list unless asked', async () => {
    const base = { year: 2022, unit: '郭道镇', task: 4, due: '2022-11-30', platform: 'memory', conversationId: 'g1', senderId: 'u1', senderName: '张三' };
    const first = await store.confirmations.add({ ...base, at: new Date('2022-11-20T02:00:00Z'), evidence: ['https://x.cn'] }, ctx);
    await store.confirmations.add({ ...base, task: 9, at: new Date('2022-11-21T02:00:00Z') }, ctx);
    expect(await store.confirmations.undo(first, ctx)).toBe(true);
    expect(await store.confirmations.undo(first, ctx)).toBe(false);
    expect((await store.confirmations.list({ year: 2022 })).map((c) => c.task)).toEqual([9]);
    const all = await store.confirmations.list({ year: 2022, includeUndone: true });
    expect(all.map((c) => [c.task, c.undoneAt !== null])).toEqual([
      [4, true],
      [9, false],
    ]);
    expect(all[0]?.evidence).toEqual(['https://x.cn']);
    expect(await store.confirmations.list({ year: 2023 })).toEqual([]);
  });

  it('numbers highlights and selects each once', async () => {
    const id = await store.highlights.add({ year: 2022, unit: '郭道镇', title: '政策找人' }, ctx);
    expect(await store.highlights.select(id, ctx)).toBe(true);
    expect(await store.highlights.select(id, ctx)).toBe(false);
    expect(await store.highlights.select(id + 100, ctx)).toBe(false);
    expect(await store.highlights.get(id)).toMatchObject({ status: 'selected', title: '政策找人' });
  });

  it('lists exemptions in force only', async () => {
    const id = await store.exemptions.add({ year: 2022, task: 13, unit: '郭道镇', reason: '无中小学' }, ctx);
    await store.exemptions.add({ year: 2022, task: 6, unit: '郭道镇', due: '2022-03-31', reason: '无此职能' }, ctx);
    expect(await store.exemptions.revoke(id, ctx)).toBe(true);
    expect((await store.exemptions.list({ year: 2022 })).map((e) => [e.task, e.due])).toEqual([[6, '2022-03-31']]);
  });

  it('stores deductions and carry-over items', async () => {
    await store.deductions.add({ year: 2022, unit: '郭道镇', points: 1.5, reason: '迟报' }, cli);
    const item = await store.carryover.add({ year: 2022, unit: '郭道镇', item: '栏目空白' }, cli);
    expect(await store.carryover.resolve(item, cli)).toBe(true);
    expect(await store.deductions.list({ year: 2022 })).toMatchObject([{ points: 1.5, reason: '迟报' }]);
    expect(await store.carryover.list({ year: 2022 })).toMatchObject([{ item: '栏目空白', resolved: true }]);
  });

  it('counts a platform message id once', async () => {
    const msg = { platform: 'memory', messageId: 'm1', conversationId: 'g1', senderId: 'u1', command: 'confirm', reply: { text: 'ok' } };
    expect(await store.inbox.record(msg, at)).toBe(true);
    expect(await store.inbox.record(msg, at)).toBe(false);
    expect(await store.inbox.record({ ...msg, platform: 'other' }, at)).toBe(true);
    expect(await store.inbox.find('memory', 'm1')).toMatchObject({ reply: { text: 'ok' }, repliedAt: null });
    await store.inbox.markReplied('memory', 'm1', at);
    expect((await store.inbox.find('memory', 'm1'))?.repliedAt).toBe(at.toISOString());
  });

  it('keeps one outbox entry per group and week, claimed by one sender at a time', async () => {
    const entry = { week: '2022-W47', platform: 'memory', conversationId: 'g1', kind: 'unit' as const, unit: '郭道镇' };
    expect(await store.outbox.enqueue(entry, at)).toBe(true);
    expect(await store.outbox.enqueue(entry, at)).toBe(false);
    expect(await store.outbox.enqueue({ ...entry, week: '2022-W48' }, at)).toBe(true);
    const [row] = await store.outbox.list({ week: '2022-W47' });
    if (!row) throw new Error('no outbox row');
    const staleBefore = new Date(at.getTime() - 600_000);
    expect(await store.outbox.claim(row.id, at, staleBefore)).toBe(true);
    expect(await store.outbox.claim(row.id, at, staleBefore)).toBe(false);
    // A claim older than the stale limit is taken over (its sender died mid-send).
    const takeover = new Date(at.getTime() + 700_000);
    expect(await store.outbox.claim(row.id, takeover, new Date(at.getTime() + 100_000))).toBe(true);
    expect(await store.outbox.markSent(row.id, takeover, takeover)).toBe(true);
    expect(await store.outbox.claim(row.id, at, new Date(at.getTime() + 10_000_000))).toBe(false);
    expect((await store.outbox.list({ week: '2022-W47' }))[0]).toMatchObject({ status: 'sent', attempts: 2 });
  });

  it('lets only the current claim mark a digest sent or failed', async () => {
    await store.outbox.enqueue({ week: '2022-W47', platform: 'memory', conversationId: 'g1', kind: 'unit', unit: '郭道镇' }, at);
    const [row] = await store.outbox.list();
    if (!row) throw new Error('no outbox row');
    const takeover = new Date(at.getTime() + 700_000);
    expect(await store.outbox.claim(row.id, at, new Date(at.getTime() - 1))).toBe(true);
    // The first sender stalls; a later pass takes its claim over as stale and sends the digest.
    expect(await store.outbox.claim(row.id, takeover, new Date(at.getTime() + 1))).toBe(true);
    expect(await store.outbox.markSent(row.id, takeover, takeover)).toBe(true);
    // The stalled sender finally fails (or succeeds): neither may touch the row it no longer holds.
    expect(await store.outbox.markFailed(row.id, 'timeout', false, at)).toBe(false);
    expect(await store.outbox.markSent(row.id, takeover, at)).toBe(false);
    expect((await store.outbox.list())[0]).toMatchObject({ status: 'sent', lastError: null, attempts: 2 });
    // A pending row (nobody holds it) is not marked either.
    await store.outbox.enqueue({ week: '2022-W48', platform: 'memory', conversationId: 'g1', kind: 'unit', unit: '郭道镇' }, at);
    const pending = (await store.outbox.list({ week: '2022-W48' }))[0];
    if (!pending) throw new Error('no outbox row');
    expect(await store.outbox.markFailed(pending.id, 'x', true, at)).toBe(false);
    expect((await store.outbox.list({ week: '2022-W48' }))[0]).toMatchObject({ status: 'pending' });
  });

  it('rolls a transaction back entirely when it throws', async () => {
    await expect(
      store.transaction(async (s) => {
        await s.admins.add({ platform: 'memory', userId: 'a1', name: '王' }, cli);
        throw new Error('boom');
      }),
    ).rejects.toThrow('boom');
    expect(await store.admins.list()).toEqual([]);
    expect(await store.audit.list()).toEqual([]);
  });

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
