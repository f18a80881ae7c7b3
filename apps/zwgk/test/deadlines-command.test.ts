import { describe, expect, it } from 'vitest';
import { runCli } from './run-cli.js';

describe('zwgk deadlines', () => {
  it('lists what is overdue and due soon for one unit', async () => {
    const { code, stdout } = await runCli(['deadlines', '--as-of', '2022-11-21', '--unit', '县司法局', '--json']);
    expect(code).toBe(0);
    const out = JSON.parse(stdout);
    expect(out.asOf).toBe('2022-11-21');
    expect(out.units).toHaveLength(1);
    const [unit] = out.units;
    expect(unit.unit).toBe('县司法局');
    // Task 4 (lead) is due 11-30: seven working days after Monday 11-21.
    expect(unit.dueSoon).toContainEqual(expect.objectContaining({ task: 4, role: 'lead', due: '2022-11-30', workingDaysLeft: 7 }));
    // Task 10 was due 10-31 and nothing is confirmed.
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

  it('rejects a malformed date', async () => {
    const { code, stderr } = await runCli(['deadlines', '--as-of', '2022-02-30']);
    expect(code).toBe(1);
    expect(stderr).toContain('YYYY-MM-DD');
  });
});
