import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { runCli } from './run-cli.js';

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');

describe('zwgk plan', () => {
  it('prints the bundled plan as JSON in the documented shape', async () => {
    const { code, stdout } = await runCli(['plan', '--json']);
    expect(code).toBe(0);
    const plan = JSON.parse(stdout);
    expect(Object.keys(plan)).toEqual(['county', 'year', 'issued', 'units', 'tasks']);
    expect(plan).toMatchObject({ county: '沁源县', year: 2022 });
    expect(plan.tasks).toHaveLength(34);
    expect(plan.tasks.map((t: { no: number }) => t.no)).toEqual(Array.from({ length: 34 }, (_, i) => i + 1));
    for (const task of plan.tasks) {
      expect(Object.keys(task)).toEqual(['no', 'name', 'content', 'responsibility', 'deadline', 'units', 'assignees', 'milestones']);
      for (const m of task.milestones) {
        expect(Object.keys(m)).toEqual(['due', 'label', 'recurrence', 'source']);
        expect(m.due).toMatch(/^2022-\d{2}-\d{2}$/);
      }
    }
    const task4 = plan.tasks[3];
    expect(task4.name).toBe('行政处罚信息公开');
    expect(task4.units).toContainEqual({ unit: '县司法局', role: 'lead', group: false });
    expect(task4.units).toContainEqual({ unit: '各乡镇', role: 'responsible', group: true });
    expect(task4.assignees).toContainEqual({ unit: '郭道镇', role: 'responsible' });
    expect(plan.tasks[0].assignees).toContainEqual({ unit: '沁源经济技术开发区', role: 'responsible' });
    const task6 = plan.tasks[5];
    expect(task6.milestones).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ due: '2022-10-31', recurrence: null }),
        expect.objectContaining({ due: '2022-03-31', recurrence: 'yearly' }),
      ]),
    );
    expect(plan.units.find((u: { name: string }) => u.name === '县行政审批局').aliases).toContain('行政审批局');
  });

  it('prints a readable table by default', async () => {
    const { code, stdout } = await runCli(['plan']);
    expect(code).toBe(0);
    expect(stdout).toContain('序号');
    expect(stdout).toContain('行政处罚信息公开');
    expect(stdout.split('\n').filter((l) => /^\d+\s/.test(l))).toHaveLength(34);
  });

  it('imports another county’s table with diagnostics', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'zwgk-plan-'));
    writeFileSync(
      join(dir, 'table.txt'),
      [
        '武乡县2021年政务公开工作要点任务分解表',
        '| 序号 | 任务名称 | 任务内容 | 责任单位 | 完成时限 |',
        '| 1 | 政策解读 | 做好政策解读。 | 县政府办牵头，各乡镇落实 | 9月底前 |',
        '| 2 | 数据开放 | 推进数据开放。 | 县财政局 | 择机推进 |',
      ].join('\n'),
    );
    const { code, stdout } = await runCli(['plan', 'import', 'table.txt', '--json'], { cwd: dir });
    expect(code).toBe(0);
    const plan = JSON.parse(stdout);
    expect(plan).toMatchObject({ county: '武乡县', year: 2021 });
    expect(plan.tasks.map((t: { name: string }) => t.name)).toEqual(['政策解读', '数据开放']);
    expect(plan.tasks[0].milestones[0].due).toBe('2021-09-30');
    // Another county gets the units its own table names, not Qinyuan's directory.
    expect(plan.units.map((u: { name: string }) => u.name).sort()).toEqual(['县政府办', '县财政局'].sort());
    expect(plan.tasks[0].assignees).toEqual([{ unit: '县政府办', role: 'lead' }]);
    expect(plan.diagnostics.length).toBeGreaterThan(0);
    expect(plan.diagnostics[0]).toEqual({ line: expect.any(Number), message: expect.stringContaining('择机推进') });
  });

  it('fails with exit code 1 and a clear message when nothing parses', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'zwgk-plan-'));
    writeFileSync(join(dir, 'notes.txt'), '今天开会，讨论了一些事情。\n没有表格。\n');
    const { code, stderr, stdout } = await runCli(['plan', 'import', 'notes.txt', '--year', '2022', '--county', '某县'], { cwd: dir });
    expect(code).toBe(1);
    expect(stdout).toBe('');
    expect(stderr).toMatch(/notes\.txt/);
  });

  it('names a missing file and an empty one', async () => {
    const { code, stderr } = await runCli(['plan', 'import', 'no-such-file.txt'], { cwd: tmpdir() });
    expect(code).toBe(1);
    expect(stderr).toContain('cannot read no-such-file.txt: no such file');
    const dir = mkdtempSync(join(tmpdir(), 'zwgk-plan-'));
    writeFileSync(join(dir, 'empty.txt'), '\n\n');
    const empty = await runCli(['plan', 'import', 'empty.txt'], { cwd: dir });
    expect(empty.code).toBe(1);
    expect(empty.stderr).toContain('empty.txt is empty');
  });

  it('finds the county in a title that starts with the year', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'zwgk-plan-'));
    writeFileSync(
      join(dir, 't.txt'),
      ['2023年某县政务公开重点任务清单', '| 序号 | 任务名称 | 任务内容 | 责任单位 | 完成时限 |', '| 1 | 政策解读 | 做好解读。 | 县政府办 | 年底前 |'].join('\n'),
    );
    const { code, stdout } = await runCli(['plan', 'import', 't.txt', '--json'], { cwd: dir });
    expect(code).toBe(0);
    expect(JSON.parse(stdout)).toMatchObject({ county: '某县', year: 2023 });
  });

  it('stops quietly when the reader closes the pipe early', () => {
    const out = execFileSync('sh', ['-c', 'npx --no-install zwgk plan --json | head -1; echo "exit=${PIPESTATUS:-$?}"'], { cwd: repoRoot, encoding: 'utf8' });
    expect(out).toContain('{');
    expect(out).not.toContain('EPIPE');
  }, 60_000);

  it('runs as `npx zwgk` from the repository root', () => {
    const out = execFileSync('npx', ['--no-install', 'zwgk', 'plan', '--json'], { cwd: repoRoot, encoding: 'utf8' });
    expect(JSON.parse(out).tasks).toHaveLength(34);
  }, 60_000);
});
