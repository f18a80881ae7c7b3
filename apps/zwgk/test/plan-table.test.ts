import { milestoneDue } from '@zwgk/sdk';
import { getPlan } from '@zwgk/sdk/qinyuan';
import { describe, expect, it } from 'vitest';
import { displayWidth } from '../src/table.js';
import { runCli } from './run-cli.js';

const plan = getPlan('qinyuan-2022');

/** The text of each column of each task row, its wrapped lines joined, read by display width. */
function columnsOf(table: string): Map<string, string[]> {
  const lines = table.split('\n');
  const rule = lines.findIndex((l) => l.startsWith('─'));
  const widths = lines[rule]!.split('  ').map((s) => s.length);
  const cut = (line: string) => {
    const cells: string[] = [];
    let cell = '';
    let col = 0;
    let at = 0;
    for (const ch of line) {
      if (col < widths.length && at >= widths.slice(0, col + 1).reduce((a, b) => a + b + 2, 0)) {
        cells.push(cell);
        cell = '';
        col++;
      }
      cell += ch;
      at += displayWidth(ch);
    }
    cells.push(cell);
    return cells.map((c) => c.trim());
  };
  const rows = new Map<string, string[]>();
  let current: string[] | undefined;
  for (const line of lines.slice(rule + 1)) {
    if (!line.trim()) continue;
    const cells = cut(line);
    if (cells[0]) rows.set(cells[0], (current = cells.slice(1)));
    else if (current) cells.slice(1).forEach((c, i) => {
      current![i] = `${current![i] ?? ''}${c && current![i] && i === 2 ? ' ' : ''}${c}`;
    });
  }
  return rows;
}

describe('zwgk plan table', () => {
  it('fits an 80-column terminal without losing a task name or a deadline', async () => {
    const { code, stdout } = await runCli(['plan'], { columns: 80 });
    expect(code).toBe(0);
    for (const line of stdout.split('\n')) expect(displayWidth(line), line).toBeLessThanOrEqual(80);
    expect(stdout).not.toContain('…');
    const rows = columnsOf(stdout);
    for (const task of plan.tasks) {
      const [name, , deadlines] = rows.get(String(task.no))!;
      expect(name).toBe(task.name);
      // The date that counts: task 6's yearly March milestone is next year's, the plan being issued after it.
      for (const m of task.milestones) expect(deadlines).toContain(milestoneDue(plan, m).due);
    }
  });

  it('prints each task on one line at its full width when the output is not a terminal', async () => {
    const { stdout } = await runCli(['plan']);
    const task6 = stdout.split('\n').find((l) => /^6\s/.test(l))!;
    for (const m of plan.tasks[5]!.milestones) expect(task6).toContain(milestoneDue(plan, m).due);
    expect(task6).toContain(plan.tasks[5]!.name);
  });

  it('uses a wide terminal’s width for fewer wrapped lines', async () => {
    const narrow = (await runCli(['plan'], { columns: 80 })).stdout.split('\n').length;
    const wide = (await runCli(['plan'], { columns: 200 })).stdout.split('\n').length;
    expect(wide).toBeLessThan(narrow);
  });
});
