import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readSimulatedMoment, writeSimulatedMoment } from '../src/service/simulated-date.js';
import { runCli } from './run-cli.js';

const workdir = () => mkdtempSync(join(tmpdir(), 'zwgk-simulated-'));

/** A database with one unit group and the admin group bound, as the sandbox leaves one (without its history). */
async function boundDatabase(cwd: string, env: Record<string, string>) {
  expect((await runCli(['bind', '郭道镇', '--conversation', 'g-guodao', '--title', '郭道镇政务公开群'], { cwd, env })).code).toBe(0);
  expect((await runCli(['bind', '--admin', '--conversation', 'g-admin', '--title', '管理群'], { cwd, env })).code).toBe(0);
}

describe('simulated-clock.json', () => {
  it('round-trips the moment and its Shanghai date', () => {
    const dir = workdir();
    expect(readSimulatedMoment(dir)).toBeUndefined();
    writeSimulatedMoment(dir, new Date('2022-11-20T17:00:00Z'));
    expect(readSimulatedMoment(dir)).toEqual({ at: new Date('2022-11-20T17:00:00Z'), date: '2022-11-21' });
  });
});

describe('commands reading a sandbox database', () => {
  it('report assesses at the database’s simulated date, not at 12-31', async () => {
    const cwd = workdir();
    const env = { ZWGK_DATA_DIR: 'data/sandbox' };
    await boundDatabase(cwd, env);
    writeSimulatedMoment(join(cwd, 'data/sandbox'), new Date('2022-11-21T01:05:00Z'));
    const r = await runCli(['report', '--format', 'json'], { cwd, env });
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout).asOf).toBe('2022-11-21');
    // --as-of still wins
    const explicit = await runCli(['report', '--format', 'json', '--as-of', '2022-12-31'], { cwd, env });
    expect(JSON.parse(explicit.stdout).asOf).toBe('2022-12-31');
  });

  it('a database on the real clock is still assessed at 12-31 of the plan year', async () => {
    const cwd = workdir();
    await boundDatabase(cwd, {});
    const r = await runCli(['report', '--format', 'json'], { cwd });
    expect(JSON.parse(r.stdout).asOf).toBe('2022-12-31');
  });

  it('digest --dry-run previews from the simulated moment and marks which digests would be sent', async () => {
    const cwd = workdir();
    const env = { ZWGK_DATA_DIR: 'data/sandbox' };
    await boundDatabase(cwd, env);
    writeSimulatedMoment(join(cwd, 'data/sandbox'), new Date('2022-11-21T01:05:00Z'));
    const r = await runCli(['digest', '--dry-run'], { cwd, env });
    expect(r.code).toBe(0);
    // Bound, but no platform is configured here: nothing would go out, and each digest says why.
    expect(r.stdout).toContain('══ ✗ 郭道镇 · 不会发送：没有配置 dingtalk 平台 ══');
    expect(r.stdout).toContain('══ ✗ 县司法局 · 不会发送：没有绑定的群 ══');
    expect(r.stdout).toContain('══ ✗ 管理群（县政府办） · 不会发送：没有配置 dingtalk 平台 ══');
    expect(r.stdout).toMatch(/其中 0 份会发送（→），\d+ 份不会（✗），截至 2022-11-21（数据库的模拟日期）/);

    const configured = await runCli(['digest', '--dry-run'], { cwd, env: { ...env, DINGTALK_CLIENT_ID: 'a', DINGTALK_CLIENT_SECRET: 'b', DINGTALK_ROBOT_CODE: 'c' } });
    expect(configured.stdout).toContain('══ → 郭道镇 · 会发送到「郭道镇政务公开群」 ══');
    expect(configured.stdout).toContain('══ → 管理群（县政府办） · 会发送到「管理群」 ══');
    expect(configured.stdout).toContain('其中 2 份会发送（→）');
  });

  it('digest --dry-run says when the week’s send time has not come', async () => {
    const cwd = workdir();
    await boundDatabase(cwd, {});
    // 2022-11-21 is a Monday and a working day: before 09:00 the week's digest is not yet due.
    writeSimulatedMoment(join(cwd, 'data'), new Date('2022-11-20T23:00:00Z'));
    const r = await runCli(['digest', '--dry-run', '--unit', '郭道镇'], { cwd, env: { DINGTALK_CLIENT_ID: 'a', DINGTALK_CLIENT_SECRET: 'b', DINGTALK_ROBOT_CODE: 'c' } });
    expect(r.stdout).toContain('══ ✗ 郭道镇 · 不会发送：本周的发送时间（09:00）还没到 ══');
  });
});
