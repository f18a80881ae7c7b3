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
const [seedCost, ...costs] = perTask([seed, ...wrapped]);
const ratios = costs.map((c) => c / seedCost!);
const rows = wrapped.map(
  (c, i) => `  ${c.name}: ${costs[i]!.toFixed(3)} ms/task = ${ratios[i]!.toFixed(2)}× the seed ${ratios[i]! <= GOAL ? '≤' : '>'} ${GOAL}× ${ratios[i]! <= GOAL ? '✓' : '✗'}`,
);
const mean = ratios.reduce((a, b) => a + b, 0) / ratios.length;
const met = ratios.every((r) => r <= GOAL);
console.log(
  `plan-table importer, cost per task — seed ${seedCost!.toFixed(3)} ms/task\n${rows.join('\n')}\n  mean of the wrapped layouts: ${mean.toFixed(2)}× the seed\n` +
    `  goal (every wrapped layout ≤ ${GOAL}× the seed per task): ${met ? 'met' : `not met (worst ${Math.max(...ratios).toFixed(2)}×)`}`,
);

describe('plan-table importer, wrapped-cell layouts', () => {
  bench(seed.name, () => void parsePlanTable(seed.text, seed.options));
  for (const c of wrapped) bench(c.name, () => void parsePlanTable(c.text, c.options));
});
