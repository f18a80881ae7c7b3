import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openStore } from '@zwgk/bot';
import { afterEach, describe, expect, it } from 'vitest';
import { runCli } from './run-cli.js';

const betterSqlite3 = createRequire(createRequire(import.meta.url).resolve('@zwgk/bot')).resolve('better-sqlite3');

/** Another process writing (as `zwgk start` does): takes the write lock, says `locked`, commits after `holdMs`. */
const WRITER = `
const [lib, file, hold] = process.argv.slice(1);
const db = new (require(lib))(file, { timeout: 0 });
db.exec('BEGIN IMMEDIATE');
db.prepare("insert into admins (platform, user_id, name, added_by, added_at) values ('dingtalk', 'bot-side', '机器人写入', 'x', '2022-11-21T02:00:00.000Z')").run();
console.log('locked');
setTimeout(() => { db.exec('COMMIT'); db.close(); }, Number(hold));
`;

describe('zwgk CLI writes next to another writing process', () => {
  const dirs: string[] = [];
  afterEach(() => {
    for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
  });

  it('waits for the other process’s write lock and records, instead of failing with database is locked', async () => {
    const cwd = mkdtempSync(join(tmpdir(), 'zwgk-cli-lock-'));
    dirs.push(cwd);
    await (await openStore({ filename: join(cwd, 'data', 'zwgk.sqlite') })).close();

    const child = spawn(process.execPath, ['-e', WRITER, betterSqlite3, join(cwd, 'data', 'zwgk.sqlite'), '700'], { stdio: ['ignore', 'pipe', 'inherit'] });
    const exited = new Promise<number | null>((resolve) => child.on('exit', resolve));
    await new Promise<void>((resolve, reject) => {
      let out = '';
      child.stdout.on('data', (chunk: Buffer) => {
        out += chunk.toString();
        if (out.includes('locked')) resolve();
      });
      child.on('exit', () => reject(new Error(`the writer exited before taking the lock: ${out}`)));
    });

    const added = await runCli(['admin', 'add', '--user', 'a1', '--name', '李明'], { cwd });
    expect(await exited).toBe(0);
    expect(added.stderr).not.toMatch(/locked|SQLITE_BUSY/u);
    expect(added.code).toBe(0);
    const list = await runCli(['admin', 'list'], { cwd });
    expect(list.stdout).toContain('李明\tdingtalk\ta1');
    expect(list.stdout).toContain('机器人写入');
  });
});
