import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { openStore } from '@zwgk/bot';
import { describe, expect, it } from 'vitest';
import { main } from '../src/cli.js';
import { runCli } from './run-cli.js';

const workdir = () => mkdtempSync(join(tmpdir(), 'zwgk-bot-cli-'));

describe('zwgk digest', () => {
  it('previews one unit’s digest without writing the outbox', async () => {
    const cwd = workdir();
    const { code, stdout } = await runCli(['digest', '--as-of', '2022-11-21', '--unit', '县司法局', '--dry-run'], { cwd });
    expect(code).toBe(0);
    expect(stdout).toContain('县司法局');
    expect(stdout).toContain('任务4 行政处罚信息公开');
    expect(stdout).toContain('1 份周报（预览，未发送）');
    expect(existsSync(join(cwd, 'data'))).toBe(false);
  });

  it('refuses to send without a configured platform', async () => {
    const { code, stderr } = await runCli(['digest', '--as-of', '2022-11-21'], { cwd: workdir() });
    expect(code).toBe(1);
    expect(stderr).toContain('--dry-run');
  });

  it('exits with code 2 on bad configuration', async () => {
    const cwd = workdir();
    writeFileSync(join(cwd, 'zwgk.config.json'), JSON.stringify({ digest: { horizonDays: 0 } }));
    const { code, stderr } = await runCli(['digest', '--dry-run'], { cwd });
    expect(code).toBe(2);
    expect(stderr).toContain('digest.horizonDays');
  });
});

describe('zwgk bind, liaison and admin', () => {
  it('binds a group, registers a liaison and an admin, and lists them', async () => {
    const cwd = workdir();
    expect((await runCli(['bind', '行政审批局', '--conversation', 'cid-1', '--title', '审批局群'], { cwd })).stdout).toContain(
      '已将 cid-1 绑定到 县行政审批局',
    );
    expect((await runCli(['bind', '--admin', '--conversation', 'cid-admin'], { cwd })).code).toBe(0);
    expect((await runCli(['liaison', 'add', '审批局', '--user', 'u1', '--name', '王芳'], { cwd })).code).toBe(0);
    expect((await runCli(['admin', 'add', '--user', 'a1', '--name', '李明'], { cwd })).code).toBe(0);

    const groups = await runCli(['bind', '--list'], { cwd });
    expect(groups.stdout).toContain('县行政审批局\tdingtalk\tcid-1\t审批局群');
    expect(groups.stdout).toContain('管理群\tdingtalk\tcid-admin');
    expect((await runCli(['liaison', 'list'], { cwd })).stdout).toContain('县行政审批局\t王芳\tdingtalk\tu1');
    expect((await runCli(['admin', 'list'], { cwd })).stdout).toContain('李明\tdingtalk\ta1');

    const removed = await runCli(['liaison', 'remove', '县行政审批局', '--user', 'u1'], { cwd });
    expect(removed.code).toBe(0);
    expect((await runCli(['liaison', 'list'], { cwd })).stdout).toContain('没有登记的联络员');
  });

  it('suggests the closest unit for an unknown name and writes nothing', async () => {
    const cwd = workdir();
    const r = await runCli(['bind', '审批', '--conversation', 'cid-1'], { cwd });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('县行政审批局');
    expect((await runCli(['bind', '--list'], { cwd })).stdout).toContain('还没有绑定任何群');
  });
});

describe('zwgk start --terminal', () => {
  it('answers a confirmation typed in the terminal and records it', async () => {
    const cwd = workdir();
    const stdin = new PassThrough();
    let out = '';
    const running = main(['start', '--terminal', '--unit', '县司法局', '--as', '张三', '--as-of', '2022-11-21'], {
      env: { ZWGK_DIGEST_ENABLED: 'false' },
      cwd,
      stdin,
      stdout: { write: (s: string) => (out += s) },
      stderr: { write: (s: string) => (out += s) },
    });
    const waitFor = async (text: string) => {
      for (let i = 0; i < 200 && !out.includes(text); i++) await new Promise((r) => setTimeout(r, 25));
      expect(out).toContain(text);
    };
    await waitFor('试试');
    // Quitting straight after a command lets the command finish first.
    stdin.write('确认 4 https://example.gov.cn/notice/1\n/quit\n');
    expect(await running).toBe(0);
    expect(out).toContain('2022-11-30');
    expect(out).not.toContain('处理出错');

    // A try-out keeps its own database and leaves the real one alone.
    expect(existsSync(join(cwd, 'data/zwgk.sqlite'))).toBe(false);
    const store = await openStore({ filename: join(cwd, 'data/terminal/zwgk.sqlite') });
    try {
      expect((await store.liaisons.list('县司法局')).map((l) => l.name)).toEqual(['张三']);
      const [confirmation, ...others] = await store.confirmations.list({ year: 2022, unit: '县司法局' });
      expect(others).toEqual([]);
      expect(confirmation).toMatchObject({ task: 4, due: '2022-11-30' });
      expect(JSON.stringify(confirmation)).toContain('https://example.gov.cn/notice/1');
    } finally {
      await store.close();
    }
  });
});
