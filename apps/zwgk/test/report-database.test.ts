import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { directoryOf, milestoneDue } from '@zwgk/sdk';
import { getPlan } from '@zwgk/sdk/qinyuan';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../src/config.js';
import { openBotService } from '../src/service/bot-service.js';
import { runCli } from './run-cli.js';

interface UnitRow {
  unit: string;
  completion: number;
  briefing: number;
  bonus: number;
  final: number;
}

async function reportFor(cwd: string, unit: string): Promise<UnitRow> {
  const { code, stdout, stderr } = await runCli(['report', '--format', 'json', '--as-of', '2022-12-31'], { cwd });
  expect(stderr).toBe('');
  expect(code).toBe(0);
  return JSON.parse(stdout).units.find((u: UnitRow) => u.unit === unit);
}

describe('zwgk report from the bot database', () => {
  it('lists the liaisons of overdue units and names the configured office', async () => {
    const cwd = mkdtempSync(join(tmpdir(), 'zwgk-report-db-'));
    writeFileSync(join(cwd, 'zwgk.config.json'), JSON.stringify({ office: { name: '沁源县人民政府办公室' } }));
    expect((await runCli(['liaison', 'add', '郭道镇', '--user', 'u1', '--name', '王芳', '--platform', 'memory'], { cwd })).code).toBe(0);
    const { code, stderr } = await runCli(['report', '--out', 'r.html', '--as-of', '2022-12-31'], { cwd });
    expect(stderr).toBe('');
    expect(code).toBe(0);
    const html = readFileSync(join(cwd, 'r.html'), 'utf8');
    // nothing confirmed: every milestone of 郭道镇 is overdue, each row with its liaison
    expect(html).toMatch(/<tr><td class="name">郭道镇<\/td>(?:(?!<tr>).)*?<td class="days">\d+ 天<\/td><td class="name">王芳<\/td><\/tr>/);
    expect(html).toMatch(/<tr><td class="name">沁河镇<\/td>(?:(?!<tr>).)*?<td class="days">\d+ 天<\/td><td class="name"><\/td><\/tr>/);
    expect(html).toContain('<footer>沁源县人民政府办公室 · 评估日 2022-12-31</footer>');
  });

  it('asks for a database or --records when the bot has not run', async () => {
    const cwd = mkdtempSync(join(tmpdir(), 'zwgk-report-db-'));
    const { code, stderr } = await runCli(['report', '--format', 'json'], { cwd });
    expect(code).toBe(1);
    expect(stderr).toContain('--records FILE');
  });

  it('reflects briefings, highlights and exemptions recorded in chat', async () => {
    const cwd = mkdtempSync(join(tmpdir(), 'zwgk-report-db-'));
    expect((await runCli(['bind', '郭道镇', '--conversation', 'g-guodao', '--platform', 'memory'], { cwd })).code).toBe(0);
    expect((await runCli(['bind', '--admin', '--conversation', 'g-admin', '--platform', 'memory'], { cwd })).code).toBe(0);
    expect((await runCli(['admin', 'add', '--user', 'boss', '--name', '李明', '--platform', 'memory'], { cwd })).code).toBe(0);

    const before = await reportFor(cwd, '郭道镇');
    expect(before).toMatchObject({ briefing: 0, bonus: 0, completion: 0 });

    const loaded = await loadConfig({}, cwd);
    if (!loaded.success) throw new Error(loaded.error);
    const clock = () => new Date('2022-12-01T10:00:00+08:00');
    const service = await openBotService(loaded.data.config, { cwd, clock, digestEnabled: false });
    let n = 0;
    const say = async (conversationId: string, senderId: string, text: string) => {
      const result = await service.bot.handleMessage({
        platform: 'memory',
        conversationId,
        messageId: `m-${++n}`,
        senderId,
        senderName: senderId,
        text,
        mentions: [],
        isGroup: true,
      });
      expect(result).toMatchObject({ status: 'handled', wrote: true });
    };
    try {
      await say('g-guodao', 'wang', '汇报 2022-06-10 镇长听取政务公开工作汇报');
      await say('g-guodao', 'wang', '亮点 郭道镇政务公开专区建设');
      await say('g-admin', 'boss', '入选 1');
      await say('g-admin', 'boss', '豁免 10 郭道镇 本镇无政务服务窗口');
      await say('g-guodao', 'wang', '确认 4');
    } finally {
      await service.close();
    }

    const exported = await runCli(['export', '--out', 'records.json'], { cwd });
    expect(exported.code).toBe(0);
    const records = JSON.parse(readFileSync(join(cwd, 'records.json'), 'utf8'));
    expect(records.briefings).toEqual([expect.objectContaining({ unit: '郭道镇', date: '2022-06-10' })]);
    expect(records.exemptions).toEqual([expect.objectContaining({ task: 10, unit: '郭道镇' })]);
    const fromFile = await runCli(['report', '--records', 'records.json', '--format', 'json', '--as-of', '2022-12-31'], { cwd });
    expect(JSON.parse(fromFile.stdout).units.find((u: UnitRow) => u.unit === '郭道镇')).toEqual(await reportFor(cwd, '郭道镇'));

    const after = await reportFor(cwd, '郭道镇');
    expect(after.briefing).toBe(10);
    expect(after.bonus).toBe(3);
    // By hand: every milestone of 郭道镇's tasks (31 and 32 excluded) weighs its role factor; task 4 was
    // confirmed a day late (credit 0.5) and task 10 is exempt, so it leaves the sum.
    const plan = getPlan('qinyuan-2022');
    let total = 0;
    for (const task of plan.tasks) {
      if (task.no === 31 || task.no === 32 || task.no === 10) continue;
      const me = directoryOf(plan).expand(task.units, task.no).find((a) => a.unit === '郭道镇');
      // A milestone the plan's issue date moves into next year (task 6's yearly March one) is not due in 2022.
      const due = task.milestones.filter((m) => milestoneDue(plan, m).due <= '2022-12-31').length;
      if (me) total += due * (me.role === 'cooperating' ? 0.5 : 1);
    }
    expect(after.completion).toBeCloseTo((90 * 0.5) / total, 1);
    expect(after.final).toBeGreaterThan(before.final + 13);
  });
});
