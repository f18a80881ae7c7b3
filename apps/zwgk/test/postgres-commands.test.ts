import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, POSTGRES } from './postgres.js';
import { runCli } from './run-cli.js';

const workdir = () => mkdtempSync(join(tmpdir(), 'zwgk-pg-cli-'));

describe('zwgk configuration of the database', () => {
  it('refuses a DATABASE_URL that is not a PostgreSQL connection string, without echoing it', async () => {
    const { code, stderr } = await runCli(['bind', '--list'], { cwd: workdir(), env: { DATABASE_URL: 'mysql://u:hunter2@127.0.0.1/zwgk' } });
    expect(code).toBe(2);
    expect(stderr).toContain('database.url');
    expect(stderr).not.toContain('hunter2');
    expect(stderr).toContain('got "mysql://u:***@127.0.0.1/zwgk"');
  });

  it('says a copy needs a target when no PostgreSQL database is configured', async () => {
    const { code, stderr } = await runCli(['db', 'copy'], { cwd: workdir() });
    expect(code).toBe(1);
    expect(stderr).toContain('--to URL');
  });
});

describe.runIf(POSTGRES)('zwgk on PostgreSQL', () => {
  let db: { url: string; drop: () => Promise<void> };
  beforeAll(async () => {
    db = await createTestDatabase();
  });
  afterAll(async () => db.drop());

  it('copies a county’s SQLite records into an empty PostgreSQL database, then runs every command on it', async () => {
    const cwd = workdir();
    expect((await runCli(['bind', '行政审批局', '--conversation', 'cid-1', '--title', '审批局群'], { cwd })).code).toBe(0);
    expect((await runCli(['liaison', 'add', '行政审批局', '--user', 'u1', '--name', '张三'], { cwd })).code).toBe(0);

    const copied = await runCli(['db', 'copy', '--to', db.url], { cwd });
    expect(copied.stderr).toBe('');
    expect(copied.code).toBe(0);
    expect(copied.stdout).toMatch(/unitGroups\t1\n/);
    expect(copied.stdout).toMatch(/liaisons\t1\n/);
    expect(copied.stdout).not.toContain('postgres:postgres@');

    // Every command reads and writes the PostgreSQL database once DATABASE_URL names it.
    const env = { DATABASE_URL: db.url };
    expect((await runCli(['admin', 'add', '--user', 'm1', '--name', '王主任'], { cwd: workdir(), env })).code).toBe(0);
    const listed = await runCli(['bind', '--list'], { cwd: workdir(), env });
    expect(listed.stdout).toContain('行政审批局\tdingtalk\tcid-1\t审批局群');
    expect((await runCli(['liaison', 'list'], { cwd: workdir(), env })).stdout).toContain('张三');

    // A second copy would double the records: refused, nothing written.
    const again = await runCli(['db', 'copy', '--to', db.url], { cwd });
    expect(again.code).toBe(1);
    expect(again.stderr).toContain('not empty');
    expect((await runCli(['bind', '--list'], { cwd: workdir(), env })).stdout.match(/cid-1/g)).toHaveLength(1);
  });

  it('takes the database url from zwgk.config.json and migrates it with zwgk db migrate', async () => {
    const cwd = workdir();
    writeFileSync(join(cwd, 'zwgk.config.json'), JSON.stringify({ database: { url: db.url, poolSize: 2 } }));
    const r = await runCli(['db', 'migrate'], { cwd });
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^postgres:\/\/postgres:\*\*\*@127\.0\.0\.1:5432\/zwgk_app_test_\w+: schema up to date/);
  });
});
