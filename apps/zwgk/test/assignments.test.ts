import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openStore } from '@zwgk/bot';
import { describe, expect, it } from 'vitest';
import { runCli } from './run-cli.js';

function workdir(config?: object): string {
  const cwd = mkdtempSync(join(tmpdir(), 'zwgk-assign-'));
  if (config) writeFileSync(join(cwd, 'zwgk.config.json'), JSON.stringify(config));
  return cwd;
}

async function planJson(cwd?: string) {
  const { code, stdout, stderr } = await runCli(['plan', '--json'], cwd ? { cwd } : {});
  expect(code, stderr).toBe(0);
  return JSON.parse(stdout) as { issued: string | null; units: Array<{ name: string; assessor?: boolean; retired?: boolean; aliases: string[] }>; tasks: Array<{ no: number; assignees: Array<{ unit: string; role: string }> }> };
}

const assigneesOf = (plan: Awaited<ReturnType<typeof planJson>>, no: number) => plan.tasks.find((t) => t.no === no)!.assignees.map((a) => a.unit);

describe('zwgk plan with the shipped 沁源 setup', () => {
  it('gives every task at least one assignee, task 12 from its content', async () => {
    const plan = await planJson();
    for (const task of plan.tasks) expect(task.assignees.length, `task ${task.no}`).toBeGreaterThan(0);
    expect(assigneesOf(plan, 12)).toEqual(expect.arrayContaining(['县教育局', '县民政局', '县水利局']));
    for (const no of [6, 10, 27]) expect(assigneesOf(plan, no)).not.toContain('县审计局');
    expect(plan.issued).toBe('2022-04-01');
    expect(plan.units.find((u) => u.name === '县政府办')?.assessor).toBe(true);
  });

  it('plan check passes, naming the phrase the office still has to fill', async () => {
    const { code, stdout } = await runCli(['plan', 'check']);
    expect(code).toBe(0);
    expect(stdout).toContain('任务12 公共企事业单位信息公开：「归口管理的公共企事业单位」没有对应任何单位');
    expect(stdout).toContain('每项任务都至少有一个责任单位');
  });

  it('plan check exits 1 while a task has no assignee', async () => {
    const cwd = workdir({ units: [{ name: '县教育局', retired: true }] });
    const { code, stdout } = await runCli(['plan', 'check'], { cwd });
    expect(code).toBe(1);
    expect(stdout).toContain('没有任何责任单位的任务：任务13');
    const json = await runCli(['plan', 'check', '--json'], { cwd });
    expect(JSON.parse(json.stdout).unassigned).toEqual([13]);
  });
});

describe('zwgk plan assign', () => {
  it('narrows a phrase for one task in the config file, and deadlines follow it', async () => {
    const cwd = workdir();
    const { code, stdout, stderr } = await runCli(['plan', 'assign', '6', '县直有关部门', '市场监管局、农业农村局', '县交通局'], { cwd });
    expect(code, stderr).toBe(0);
    expect(stdout).toContain('「县直有关部门」对应 3 个单位：县市场监管局、县交通局、县农业农村局');
    expect(JSON.parse(readFileSync(join(cwd, 'zwgk.config.json'), 'utf8')).assignments).toEqual({ '6': { 县直有关部门: ['县市场监管局', '县农业农村局', '县交通局'] } });
    expect(assigneesOf(await planJson(cwd), 6)).toEqual(expect.arrayContaining(['县市场监管局', '县农业农村局', '县交通局']));
    expect(assigneesOf(await planJson(cwd), 6)).not.toContain('县卫体局');
    await runCli(['plan', 'assign', '6', '县直有关部门', '--clear'], { cwd });
    expect(assigneesOf(await planJson(cwd), 6)).toContain('县卫体局');
  });

  it('refuses an unknown unit or phrase and leaves the config file as it was', async () => {
    const cwd = workdir({ policy: 'liaisons' });
    const before = readFileSync(join(cwd, 'zwgk.config.json'), 'utf8');
    const unknown = await runCli(['plan', 'assign', '4', '相关部门', '火星局'], { cwd });
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toContain('unknown unit "火星局"');
    const phrase = await runCli(['plan', 'assign', '4', '各部门', '县审计局'], { cwd });
    expect(phrase.code).toBe(1);
    expect(phrase.stderr).toContain('task 4 has no phrase "各部门"');
    expect(readFileSync(join(cwd, 'zwgk.config.json'), 'utf8')).toBe(before);
  });
});

describe('zwgk units', () => {
  it('adds an enterprise that a task’s phrase reaches, so plan check has nothing left', async () => {
    const cwd = workdir();
    const add = await runCli(['units', 'add', '县供水公司', '--kind', 'enterprise', '--group', '归口管理的公共企事业单位'], { cwd });
    expect(add.code, add.stderr).toBe(0);
    expect(assigneesOf(await planJson(cwd), 12)).toContain('县供水公司');
    const check = await runCli(['plan', 'check'], { cwd });
    expect(check.stdout).toContain('每个集合称谓都已对应到具体单位');
    const again = await runCli(['units', 'add', '供水公司', '--kind', 'enterprise'], { cwd });
    expect(again.code).toBe(1);
  });

  it('renames a unit keeping the old name as an alias, flags and retires units', async () => {
    const cwd = workdir();
    expect((await runCli(['units', 'rename', '县卫体局', '县卫生健康局'], { cwd })).code).toBe(0);
    expect((await runCli(['units', 'set', '县公安局', '--vertical'], { cwd })).code).toBe(0);
    expect((await runCli(['units', 'retire', '县信访局'], { cwd })).code).toBe(0);
    const plan = await planJson(cwd);
    const renamed = plan.units.find((u) => u.name === '县卫生健康局')!;
    expect(renamed.aliases).toContain('县卫体局');
    expect(assigneesOf(plan, 27)).toContain('县卫生健康局');
    expect(plan.units.find((u) => u.name === '县信访局')?.retired).toBe(true);
    expect(assigneesOf(plan, 1)).not.toContain('县信访局');
    const list = await runCli(['units'], { cwd });
    expect(list.stdout).toMatch(/县公安局.*垂管单位组.*垂直管理/);
    expect(list.stdout).toMatch(/县政府办.*考核单位（不排名）/);
  });

  it('refuses a new unit without a kind', async () => {
    const cwd = workdir();
    const r = await runCli(['units', 'add', '县燃气公司'], { cwd });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('needs --kind');
    expect(existsSync(join(cwd, 'zwgk.config.json'))).toBe(false);
  });
});

describe('zwgk plan issued', () => {
  it('moves task 6’s March milestone only while the plan was issued after it', async () => {
    const shipped = await runCli(['deadlines', '--as-of', '2022-11-21', '--unit', '县市场监管局', '--json']);
    const rows = JSON.parse(shipped.stdout).units[0];
    // The 10-31 milestone of task 6 is overdue; the yearly 03-31 one is not.
    expect(rows.overdue).toEqual(expect.arrayContaining([expect.objectContaining({ task: 6, due: '2022-10-31' })]));
    expect(rows.overdue).not.toContainEqual(expect.objectContaining({ task: 6, due: '2022-03-31' }));
    expect(rows.upcoming).toContainEqual(expect.objectContaining({ task: 6, due: '2023-03-31', moved: true }));
    const text = await runCli(['deadlines', '--as-of', '2022-11-21']);
    expect(text.stdout).toContain('任务6「年度抽查计划公布」早于印发日期 2022-04-01，今年顺延至 2023-03-31，不计逾期。');
    expect(text.stdout).not.toMatch(/逾期 {2}任务6 .*年度抽查计划公布/);
    expect((await runCli(['plan'])).stdout).toMatch(/2022-10-31 2023-03-31（每年，顺延）/);

    const cwd = workdir();
    expect((await runCli(['plan', 'issued', '2022-03-01'], { cwd })).code).toBe(0);
    const early = JSON.parse((await runCli(['deadlines', '--as-of', '2022-11-21', '--unit', '县市场监管局', '--json'], { cwd })).stdout).units[0];
    expect(early.overdue).toContainEqual(expect.objectContaining({ task: 6, due: '2022-03-31' }));
    const bad = await runCli(['plan', 'issued', '2030-01-01'], { cwd });
    expect(bad.code).toBe(1);
  });
});

describe('zwgk plan exempt', () => {
  it('exempts several units in one command, each with its reason in the audit log', async () => {
    const cwd = workdir({ dataDir: './data' });
    const r = await runCli(['plan', 'exempt', '10', '郭道镇、沁河镇', '法中乡', '--reason', '辖区内无政务服务窗口'], { cwd });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain('已豁免 郭道镇、沁河镇、法中乡');
    const store = await openStore({ filename: join(cwd, 'data', 'zwgk.sqlite') });
    try {
      expect((await store.exemptions.list({ year: 2022 })).map((e) => [e.task, e.unit, e.reason])).toEqual([
        [10, '郭道镇', '辖区内无政务服务窗口'],
        [10, '沁河镇', '辖区内无政务服务窗口'],
        [10, '法中乡', '辖区内无政务服务窗口'],
      ]);
      const audit = await store.audit.list({ action: 'exemption.add' });
      expect(audit).toHaveLength(3);
      expect(JSON.stringify(audit)).toContain('辖区内无政务服务窗口');
    } finally {
      await store.close();
    }
    const deadlines = JSON.parse((await runCli(['deadlines', '--as-of', '2022-11-21', '--unit', '郭道镇', '--json'], { cwd })).stdout).units[0];
    expect(deadlines.exempt.map((x: { task: number }) => x.task)).toContain(10);
  });

  it('records nothing when one of the units is not on the task', async () => {
    const cwd = workdir({ dataDir: './data' });
    const r = await runCli(['plan', 'exempt', '13', '县教育局', '郭道镇', '--reason', 'x'], { cwd });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('郭道镇 is not assigned to task 13');
    expect(existsSync(join(cwd, 'data', 'zwgk.sqlite'))).toBe(false);
  });
});
