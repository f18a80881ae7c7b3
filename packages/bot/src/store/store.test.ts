import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { Kysely, SqliteDialect, sql } from 'kysely';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createStore, openStore } from './open.js';
import type { Database } from './schema.js';
import { DIALECTS, testStores } from './test-stores.js';
import type { ChangeContext, Store } from './store.js';

const at = new Date('2022-11-21T02:00:00Z');
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
    expect(migrations.rows.map((r) => r.name)).toEqual(['0001_initial', '0002_record_indexes', '0003_confirmation_claims', '0004_leases', '0005_send_markers', '0006_reviews', '0007_evidence_rectifications', '0008_rate_buckets', '0009_outbox_claimed_by']);
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
    expect(migrations.rows.map((r) => r.name)).toEqual(['0001_initial', '0002_record_indexes', '0003_confirmation_claims', '0004_leases', '0005_send_markers', '0006_reviews', '0007_evidence_rectifications', '0008_rate_buckets', '0009_outbox_claimed_by']);
    const indexes = await sql<{ name: string }>`select name from sqlite_master where type = 'index' and name like '%year_unit%' order by name`.execute(store.db);
    expect(indexes.rows.map((r) => r.name)).toEqual(['briefings_year_unit', 'confirmations_year_unit_task', 'exemptions_year_unit_task', 'highlights_year_unit', 'rectifications_year_unit', 'reviews_year_unit']);

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
describe.each(DIALECTS)('Store (%s)', (dialect) => {
  const stores = testStores(dialect);
  let store: Store;
  beforeEach(async () => {
    store = await stores.open();
  });
  afterEach(async () => store.close());

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

  it('joins a nested transaction to the outer one', async () => {
    await expect(
      store.transaction(async (outer) => {
        await outer.transaction(async (inner) => inner.admins.add({ platform: 'memory', userId: 'a1', name: '王' }, cli));
        throw new Error('boom');
      }),
    ).rejects.toThrow('boom');
    expect(await store.admins.list()).toEqual([]);
  });

  it('keeps the engine’s calls as the repositories’ methods', async () => {
    await store.groups.bindUnit({ platform: 'memory', conversationId: 'g1', unit: '郭道镇' }, cli);
    await store.liaisons.add({ unit: '郭道镇', platform: 'memory', userId: 'u1', name: '张三' }, cli);
    expect(await store.groupOf('memory', 'g1')).toEqual(await store.groups.of('memory', 'g1'));
    expect(await store.listGroups()).toEqual(await store.groups.list());
    expect(await store.listLiaisons('郭道镇')).toEqual(await store.liaisons.list('郭道镇'));
    expect(await store.isAdmin('memory', 'u1')).toBe(false);
    expect(await store.recordProcessed({ platform: 'memory', messageId: 'm1', conversationId: 'g1', senderId: 'u1', command: 'confirm', reply: 'ok' }, at)).toBe(true);
    await store.markReplied('memory', 'm1', at);
    expect(await store.findProcessed('memory', 'm1')).toMatchObject({ reply: 'ok', repliedAt: at.toISOString() });
    expect(await store.enqueueDigest({ week: '2022-W47', platform: 'memory', conversationId: 'g1', kind: 'unit', unit: '郭道镇' }, at)).toBe(true);
    const [row] = await store.listOutbox();
    if (!row) throw new Error('no outbox row');
    expect(await store.claimDigest(row.id, at, at)).toBe(true);
    expect(await store.markDigestFailed(row.id, 'x', false, at)).toBe(true);
    expect(await store.claimDigest(row.id, at, at)).toBe(true);
    expect(await store.markDigestSent(row.id, at, at)).toBe(true);
    expect(await store.listOutbox({ status: 'sent' })).toHaveLength(1);
  });
});

describe('createStore', () => {
  it('wraps a Kysely instance of the caller, migrating it and mapping camelCase to snake_case', async () => {
    const sqlite = new BetterSqlite3(':memory:');
    const store = await createStore(new Kysely<Database>({ dialect: new SqliteDialect({ database: sqlite }) }), { dialect: 'sqlite' });
    await store.groups.bindUnit({ platform: 'memory', conversationId: 'g1', unit: '郭道镇', title: '群' }, cli);
    expect(sqlite.prepare('select conversation_id, unit from unit_groups').all()).toEqual([{ conversation_id: 'g1', unit: '郭道镇' }]);
    expect(await store.groups.of('memory', 'g1')).toMatchObject({ conversationId: 'g1', unit: '郭道镇', title: '群' });
    await store.close();
  });
});
