import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../src/config.js';
import { openBotService } from '../src/service/bot-service.js';
import { runCli } from './run-cli.js';

/** A working directory whose database has 郭道镇's 确认 4 (with a link) and 沁河镇's 确认 4, a day apart. */
async function seeded(): Promise<string> {
  const cwd = mkdtempSync(join(tmpdir(), 'zwgk-review-'));
  for (const [unit, cid] of [['郭道镇', 'g-gd'], ['沁河镇', 'g-qh']] as const) {
    expect((await runCli(['bind', unit, '--conversation', cid, '--platform', 'memory'], { cwd })).code).toBe(0);
  }
  const loaded = await loadConfig({}, cwd);
  if (!loaded.success) throw new Error(loaded.error);
  let now = new Date('2022-11-20T10:00:00+08:00');
  const service = await openBotService(loaded.data.config, { cwd, clock: () => now, digestEnabled: false });
  try {
    const say = async (conversationId: string, messageId: string, text: string) =>
      expect(await service.bot.handleMessage({ platform: 'memory', conversationId, messageId, senderId: 'wang', senderName: '王芳', text, mentions: [], isGroup: true })).toMatchObject({ wrote: true });
    await say('g-gd', 'm1', '确认 4 https://gdz.qinyuan.gov.cn/xzcf.html');
    now = new Date('2022-11-21T10:00:00+08:00');
    await say('g-qh', 'm2', '确认 4');
  } finally {
    await service.close();
  }
  return cwd;
}

describe('zwgk review', () => {
  it('lists the queue oldest first with the links, as text and as JSON', async () => {
    const cwd = await seeded();
    const text = await runCli(['review', 'list'], { cwd });
    expect(text.code).toBe(0);
    const lines = text.stdout.trim().split('\n');
    expect(lines).toHaveLength(2);
    expect(lines[0]).toMatch(/^#\d+\t郭道镇\t任务4 行政处罚信息公开\t截止 2022-11-30\t待复核\t2022-11-20 10:00 提交\thttps:\/\/gdz\.qinyuan\.gov\.cn\/xzcf\.html$/u);
    expect(lines[1]).toContain('沁河镇');
    expect(lines[1]).toContain('未附佐证链接');
    const json = JSON.parse((await runCli(['review', 'list', '郭道镇', '--json'], { cwd })).stdout);
    expect(json).toEqual([expect.objectContaining({ unit: '郭道镇', task: 4, state: 'pending', evidence: ['https://gdz.qinyuan.gov.cn/xzcf.html'] })]);
  });

  it('accepts by task and unit, returns by queue number with a reason, and lists by state', async () => {
    const cwd = await seeded();
    const accepted = await runCli(['review', 'accept', '4', '郭道镇'], { cwd });
    expect(accepted.code).toBe(0);
    expect(accepted.stdout).toContain('郭道镇 任务4 行政处罚信息公开：待复核 → 通过');
    const [qh] = JSON.parse((await runCli(['review', 'list', '沁河镇', '--json'], { cwd })).stdout);
    const returned = await runCli(['review', 'return', `#${qh.id}`, '--reason', '缺少公开网址'], { cwd });
    expect(returned.code).toBe(0);
    expect(returned.stdout).toContain('沁河镇 任务4 行政处罚信息公开：待复核 → 退回');
    expect(returned.stdout).toContain('原因：缺少公开网址');
    expect((await runCli(['review', 'list'], { cwd })).stdout).toContain('没有待复核的确认');
    const byState = await runCli(['review', 'list', '--state', 'returned'], { cwd });
    expect(byState.stdout).toContain('退回（原因：缺少公开网址）');
    const all = await runCli(['review', 'list', '--state', 'all', '--json'], { cwd });
    expect(JSON.parse(all.stdout).map((i: { state: string }) => i.state)).toEqual(['accepted', 'returned']);
    const again = await runCli(['review', 'accept', '4', '郭道镇', '--json'], { cwd });
    expect(JSON.parse(again.stdout)).toMatchObject({ changed: [], unchanged: [expect.objectContaining({ unit: '郭道镇' })] });
  });

  it('refuses a return without a reason, an unknown unit, and a task without units, writing nothing', async () => {
    const cwd = await seeded();
    const noReason = await runCli(['review', 'return', '4', '郭道镇'], { cwd });
    expect(noReason.code).toBe(1);
    expect(noReason.stderr).toContain('--reason TEXT is required');
    const unknown = await runCli(['review', 'accept', '4', '郭道'], { cwd });
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toContain('郭道镇');
    const noUnits = await runCli(['review', 'accept', '4'], { cwd });
    expect(noUnits.code).toBe(1);
    expect(noUnits.stderr).toContain('--all');
    const missing = await runCli(['review', 'accept', '#999'], { cwd });
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain('没有找到 #999');
    expect((await runCli(['review', 'list'], { cwd })).stdout.trim().split('\n')).toHaveLength(2);
  });

  it('accepts every waiting unit of a task with --all', async () => {
    const cwd = await seeded();
    const r = await runCli(['review', 'accept', '4', '--all'], { cwd });
    expect(r.stdout.trim().split('\n')).toHaveLength(2);
    expect((await runCli(['review', 'list'], { cwd })).stdout).toContain('没有待复核的确认');
  });
});
