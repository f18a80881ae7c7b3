import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { getPlan } from '@zwgk/sdk/qinyuan';
import { sql } from 'kysely';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createBot } from '../engine.js';
import { StoreError, isRetryableStoreError } from './errors.js';
import { openStore } from './open.js';
import type { ChangeContext } from './store.js';

const betterSqlite3 = createRequire(import.meta.url).resolve('better-sqlite3');
const at = new Date('2022-11-21T02:00:00Z');
const cli: ChangeContext = { actor: { platform: 'cli', id: 'ops', channel: 'cli' }, at };

/**
 * Another process (like `zwgk admin add` next to `zwgk start`): opens the database with better-sqlite3,
 * takes the write lock with `BEGIN IMMEDIATE`, writes an admin, says `locked`, and commits after `holdMs`.
 * With `holdMs` < 0 it instead tries to take the lock without waiting and says `busy` or `free`.
 */
const OTHER_PROCESS = `
const [lib, file, hold] = process.argv.slice(1);
const Database = require(lib);
const db = new Database(file, { timeout: 0 });
const holdMs = Number(hold);
if (holdMs < 0) {
  try { db.exec('BEGIN IMMEDIATE'); db.exec('ROLLBACK'); console.log('free'); } catch (e) { console.log(e.code === 'SQLITE_BUSY' ? 'busy' : 'error ' + e.code); }
  db.close();
} else {
  db.exec('BEGIN IMMEDIATE');
  db.prepare("insert into admins (platform, user_id, name, added_by, added_at) values ('cli', 'other', '另一进程', 'cli:other', '2022-11-21T02:00:00.000Z')").run();
  console.log('locked');
  setTimeout(() => { db.exec('COMMIT'); db.close(); }, holdMs);
}
`;

function otherProcess(file: string, holdMs: number): { child: ChildProcess; said: (word: string) => Promise<void>; exited: Promise<number | null> } {
  const child = spawn(process.execPath, ['-e', OTHER_PROCESS, betterSqlite3, file, String(holdMs)], { stdio: ['ignore', 'pipe', 'inherit'] });
  let out = '';
  const waiting: Array<() => void> = [];
  child.stdout?.on('data', (chunk: Buffer) => {
    out += chunk.toString();
    for (const wake of waiting.splice(0)) wake();
  });
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  const said = async (word: string): Promise<void> => {
    while (!out.includes(word)) {
      const next = new Promise<void>((resolve) => waiting.push(resolve));
      const ended = exited.then(() => {
        if (!out.includes(word)) throw new Error(`the other process ended without saying ${word}: ${out}`);
      });
      await Promise.race([next, ended]);
    }
  };
  return { child, said, exited };
}

describe('store locking across processes', () => {
  let dir: string;
  let file: string;
  const children: ChildProcess[] = [];
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'zwgk-lock-'));
    file = join(dir, 'zwgk.sqlite');
  });
  afterEach(() => {
    for (const child of children.splice(0)) if (child.exitCode === null) child.kill();
    rmSync(dir, { recursive: true, force: true });
  });

  it('sets a busy timeout on the connection', async () => {
    const store = await openStore({ filename: file, busyTimeoutMs: 1234 });
    const timeout = await sql<{ timeout: number }>`pragma busy_timeout`.execute(store.db);
    expect(timeout.rows[0]?.timeout).toBe(1234);
    await store.close();
  });

  it('lets the bot record a 确认 while another process holds the write lock, waiting for it instead of failing', async () => {
    const store = await openStore({ filename: file });
    await store.groups.bindUnit({ platform: 'memory', conversationId: 'g1', unit: '郭道镇' }, cli);
    const errors: unknown[] = [];
    const logger = { info: () => {}, warn: () => {}, error: (...args: unknown[]) => errors.push(args), debug: () => {} };
    const bot = createBot({ plan: getPlan('qinyuan-2022'), store, clock: () => at, logger, digest: { enabled: false } });

    const other = otherProcess(file, 600);
    children.push(other.child);
    await other.said('locked');
    const started = Date.now();
    const results = [];
    for (const [i, task] of [4, 22].entries()) {
      results.push(await bot.handleMessage({ platform: 'memory', conversationId: 'g1', messageId: `m${i}`, senderId: 'u1', senderName: '张三', text: `确认 ${task}`, mentions: [], isGroup: true }));
    }
    const waited = Date.now() - started;
    expect(await other.exited).toBe(0);

    expect(results.map((r) => [r.status, r.wrote])).toEqual([
      ['handled', true],
      ['handled', true],
    ]);
    expect(JSON.stringify(results)).not.toMatch(/处理出错|database is locked/u);
    expect(errors).toEqual([]);
    // It really waited for the other process (it held the lock for 600 ms after saying so).
    expect(waited).toBeGreaterThanOrEqual(300);
    expect((await store.confirmations.list({ year: 2022, unit: '郭道镇' })).map((c) => c.task)).toEqual([4, 22]);
    expect(await store.admins.has('cli', 'other')).toBe(true);
    await bot.stop();
    await store.close();
  });

  it('fails a write held up past the busy timeout with a retryable StoreError and writes nothing', async () => {
    const store = await openStore({ filename: file, busyTimeoutMs: 150 });
    const other = otherProcess(file, 2000);
    children.push(other.child);
    await other.said('locked');

    const attempt = store.transaction(async (tx) => tx.admins.add({ platform: 'cli', userId: 'mine', name: '王主任' }, cli));
    const error: unknown = await attempt.then(
      () => null,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(StoreError);
    expect(error).toMatchObject({ name: 'StoreError', code: 'busy', retryable: true });
    expect(isRetryableStoreError(error)).toBe(true);
    expect((error as StoreError).cause).toMatchObject({ code: 'SQLITE_BUSY' });
    // Outside a transaction, a single write fails the same way.
    await expect(store.inbox.markReplied('memory', 'm1', at)).rejects.toMatchObject({ code: 'busy', retryable: true });
    await expect(store.outbox.enqueue({ week: '2022-W47', platform: 'memory', conversationId: 'g1', kind: 'unit', unit: '郭道镇' }, at)).rejects.toMatchObject({ code: 'busy', retryable: true });

    expect(await other.exited).toBe(0);
    expect((await store.admins.list()).map((a) => a.userId)).toEqual(['other']);
    expect(await store.audit.list()).toEqual([]);
    // Once the lock is free the same write goes through.
    expect(await store.admins.add({ platform: 'cli', userId: 'mine', name: '王主任' }, cli)).toBe(true);
    await store.close();
  });

  it('takes the write lock when a transaction begins, before its first write', async () => {
    const store = await openStore({ filename: file });
    const seen = await store.transaction(async (tx) => {
      await tx.admins.list();
      const other = otherProcess(file, -1);
      children.push(other.child);
      await other.exited;
      return other;
    });
    await seen.said('busy');
    const after = otherProcess(file, -1);
    children.push(after.child);
    await after.said('free');
    await store.close();
  });

  it('tells a retryable store error apart from other errors', () => {
    expect(isRetryableStoreError(new StoreError('busy', 'x', { retryable: true }))).toBe(true);
    expect(isRetryableStoreError(new StoreError('busy', 'x', { retryable: false }))).toBe(false);
    expect(isRetryableStoreError(Object.assign(new Error('database is locked'), { code: 'SQLITE_BUSY' }))).toBe(false);
    expect(isRetryableStoreError('busy')).toBe(false);
  });
});

describe('openStore on a new SQLite file opened by two processes at once', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'zwgk-migrate-race-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  // The built package (the test task builds it first), opening the file and saying `ok` or the error.
  const OPEN = `
const [dist, file] = process.argv.slice(1);
require(dist).openStore({ filename: file }).then((s) => s.close()).then(() => console.log('ok'), (e) => console.log(String(e.message)));
`;
  const dist = join(__dirname, '..', '..', 'dist', 'index.cjs');
  function open(file: string): Promise<string> {
    const child = spawn(process.execPath, ['-e', OPEN, dist, file], { stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    child.stdout!.on('data', (d: Buffer) => (out += d.toString()));
    return new Promise((resolve) => child.once('exit', () => resolve(out.trim())));
  }

  it('applies each migration once: one migrates under the write lock, the other then finds it done', async () => {
    // A running service and the CLI both opening a tenant's new store: before, both created the same tables.
    for (let i = 0; i < 4; i++) {
      const file = join(dir, `race-${i}.sqlite`);
      expect(await Promise.all([open(file), open(file), open(file)])).toEqual(['ok', 'ok', 'ok']);
      const store = await openStore({ filename: file });
      const { rows } = await sql<{ n: number; names: number }>`select count(*) as n, count(distinct name) as names from zwgk_migrations`.execute(store.db);
      await store.close();
      expect(rows[0]!.n).toBe(rows[0]!.names);
      expect(rows[0]!.n).toBeGreaterThanOrEqual(8);
    }
  }, 60_000);
});
