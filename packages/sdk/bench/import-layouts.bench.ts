// Per-task cost of the wrapped-cell layouts (one cell per line, cells wrapped onto several lines) against
// the seed's, measured in the same run. Goal: each at most 2× the seed's cost per task.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { bench, describe } from 'vitest';
import { qinyuan2022SeedText } from '../src/catalog/qinyuan-2022.seed.js';
import { parsePlanTable, type ParsePlanTableOptions } from '../src/importer/parse-plan-table.js';

const fixture = (name: string) => readFileSync(fileURLToPath(new URL(`../test/fixtures/${name}`, import.meta.url)), 'utf8');

interface Case {
  name: string;
  text: string;
  options: ParsePlanTableOptions;
}

const seed: Case = { name: 'seed (沁源 2022)', text: qinyuan2022SeedText, options: { year: 2022, county: '沁源县' } };
const wrapped: Case[] = [
  { name: 'wrapped-both-yangcheng-2022', text: fixture('wrapped-both-yangcheng-2022.txt'), options: { year: 2022, county: '阳城县', units: [] } },
  { name: 'wrapped-content-zhangzi-2021', text: fixture('wrapped-content-zhangzi-2021.txt'), options: { year: 2021, county: '长子县', units: [] } },
  { name: 'wrapped-responsibility-qinshui-2021', text: fixture('wrapped-responsibility-qinshui-2021.txt'), options: { year: 2021, county: '沁水县', units: [] } },
];

/**
 * The same table grown to about the seed's size: its numbered rows repeated, renumbered, until it holds
 * `size` tasks. Per-task cost then compares layouts rather than table sizes (a 3-task table spreads the
 * fixed cost of a parse — validation, the directory, the header search — over 3 tasks, the seed over 34).
 */
function atSize(c: Case, size: number): Case {
  const lines = c.text.split('\n');
  const starts: number[] = [];
  lines.forEach((line, i) => {
    if (/^\s*\d+\s*$/u.test(line) && line.trim() === String(starts.length + 1)) starts.push(i);
  });
  const first = starts[0] ?? 0;
  const body = lines.slice(first);
  const rowAt = new Map(starts.map((s, r) => [s - first, r]));
  const out = lines.slice(0, first);
  for (let k = 0; k * starts.length < size; k++) {
    body.forEach((line, i) => {
      const r = rowAt.get(i);
      out.push(r === undefined ? line : line.replace(String(r + 1), String(k * starts.length + r + 1)));
    });
  }
  return { name: `${c.name} ×${Math.ceil(size / starts.length)}`, text: out.join('\n'), options: c.options };
}

function tasksOf(c: Case): number {
  const result = parsePlanTable(c.text, c.options);
  if (!result.success) throw new Error(`${c.name}: ${result.error}`);
  return result.data.tasks.length;
}

/**
 * Milliseconds per task. The machine may be busy with other work, so after a warm-up the cases are
 * interleaved parse by parse (load hits all alike), every parse is timed on its own, and each case keeps
 * its fastest time: the cost of a parse left undisturbed.
 */
function perTask(cases: readonly Case[], samples = 150): number[] {
  const tasks = cases.map(tasksOf);
  for (const c of cases) {
    const start = performance.now();
    while (performance.now() - start < 300) parsePlanTable(c.text, c.options);
  }
  const times: number[][] = cases.map(() => []);
  for (let round = 0; round < samples; round++) {
    cases.forEach((c, i) => {
      const start = performance.now();
      parsePlanTable(c.text, c.options);
      times[i]!.push(performance.now() - start);
    });
  }
  return times.map((t, i) => [...t].sort((a, b) => a - b)[0]! / tasks[i]!);
}

const GOAL = 2;
const seedTasks = tasksOf(seed);
const grown = wrapped.map((c) => atSize(c, seedTasks));
const [seedCost, ...costs] = perTask([seed, ...grown, ...wrapped]);
const ratios = costs.map((c) => c / seedCost!);
const line = (c: Case, i: number, judged: boolean) =>
  `  ${c.name} (${tasksOf(c)} tasks): ${costs[i]!.toFixed(3)} ms/task = ${ratios[i]!.toFixed(2)}× the seed${judged ? ` ${ratios[i]! <= GOAL ? '≤' : '>'} ${GOAL}× ${ratios[i]! <= GOAL ? '✓' : '✗'}` : ''}`;
const judged = ratios.slice(0, grown.length);
const met = judged.every((r) => r <= GOAL);
console.log(
  `plan-table importer, cost per task — seed ${seedCost!.toFixed(3)} ms/task (${seedTasks} tasks)\n` +
    `  wrapped layouts at the seed's size (the goal: same layout cost per task, tables of the same size):\n${grown.map((c, i) => line(c, i, true)).join('\n')}\n` +
    `  the published tables as they are (a few tasks each, so a parse's fixed cost weighs on each task; information):\n${wrapped.map((c, i) => line(c, grown.length + i, false)).join('\n')}\n` +
    `  goal (every wrapped layout at the seed's size ≤ ${GOAL}× the seed per task): ${met ? 'met' : `not met (worst ${Math.max(...judged).toFixed(2)}×)`}`,
);

describe('plan-table importer, wrapped-cell layouts', () => {
  bench(seed.name, () => void parsePlanTable(seed.text, seed.options));
  for (const c of [...grown, ...wrapped]) bench(c.name, () => void parsePlanTable(c.text, c.options));
});
