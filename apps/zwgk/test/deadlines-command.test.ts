import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from './run-cli.js';

describe('zwgk deadlines', () => {
  it('lists what is overdue and due soon for one unit', async () => {
    const { code, stdout } = await runCli(['deadlines', '--as-of', '2022-11-21', '--unit', '县公安局', '--json']);
    expect(code).toBe(0);
    const out = JSON.parse(stdout);
    expect(out.asOf).toBe('2022-11-21');
    expect(out.units).toHaveLength(1);
    const [unit] = out.units;
    expect(unit.unit).toBe('县公安局');
    // Task 5 (lead) is due 11-30: seven working days after Monday 11-21.
    expect(unit.dueSoon).toContainEqual(expect.objectContaining({ task: 5, role: 'lead', due: '2022-11-30', workingDaysLeft: 7 }));
    // Task 10 (排号公示, narrowed to departments with service windows) was due 10-31 and nothing is confirmed.
    expect(unit.overdue).toContainEqual(expect.objectContaining({ task: 10, due: '2022-10-31' }));
  });

  it('prints every unit with something pending', async () => {
    const { code, stdout } = await runCli(['deadlines', '--as-of', '2022-11-21']);
    expect(code).toBe(0);
    expect(stdout).toContain('截至 2022-11-21（星期一）');
    expect(stdout).toContain('郭道镇');
    expect(stdout).toContain('临近  任务4 行政处罚信息公开');
  });

  it('names the closest units for an unknown one', async () => {
    const { code, stderr } = await runCli(['deadlines', '--as-of', '2022-11-21', '--unit', '郭道']);
    expect(code).toBe(1);
    expect(stderr).toContain('郭道镇');
  });

  it('rejects a malformed date and a date that does not exist, each with its own message', async () => {
    const malformed = await runCli(['deadlines', '--as-of', '2022/11/21']);
    expect(malformed.code).toBe(1);
    expect(malformed.stderr).toContain('YYYY-MM-DD');
    const unreal = await runCli(['deadlines', '--as-of', '2022-02-30']);
    expect(unreal.code).toBe(1);
    expect(unreal.stderr).toContain('2022-02-30 is not a real calendar date');
  });

  it('counts overdue time in calendar days, as the digests do', async () => {
    const { stdout } = await runCli(['deadlines', '--as-of', '2022-11-21', '--unit', '郭道镇']);
    expect(stdout).toContain('任务10 排号公示 — 10月底前，2022-10-31，已逾期 21 天');
  });

  it('warns when the date is outside the plan year', async () => {
    const { code, stdout } = await runCli(['deadlines', '--as-of', '2021-12-01']);
    expect(code).toBe(0);
    expect(stdout).toContain('不在计划年度 2022 年内');
    expect(stdout).not.toContain('其余');
  });

  it('follows the county office’s per-task mapping', async () => {
    const cwd = mkdtempSync(join(tmpdir(), 'zwgk-deadlines-'));
    writeFileSync(join(cwd, 'zwgk.config.json'), JSON.stringify({ assignments: { '4': { 相关部门: ['审计局'] } } }));
    const { stdout } = await runCli(['deadlines', '--as-of', '2022-11-21', '--unit', '县审计局', '--json'], { cwd });
    expect(JSON.parse(stdout).units[0].dueSoon.map((r: { task: number }) => r.task)).toContain(4);
    const plain = await runCli(['deadlines', '--as-of', '2022-11-21', '--unit', '县审计局', '--json']);
    expect(JSON.parse(plain.stdout).units[0].dueSoon.map((r: { task: number }) => r.task)).not.toContain(4);
  });

  it('exits with code 2 when the mapping names an unknown unit', async () => {
    const cwd = mkdtempSync(join(tmpdir(), 'zwgk-deadlines-'));
    writeFileSync(join(cwd, 'zwgk.config.json'), JSON.stringify({ groups: { 相关部门: ['火星局'] } }));
    const { code, stderr } = await runCli(['deadlines', '--as-of', '2022-11-21'], { cwd });
    expect(code).toBe(2);
    expect(stderr).toContain('groups.相关部门[0]: unknown unit "火星局"');
  });
});
