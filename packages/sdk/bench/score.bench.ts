// Province-sized scoring: 120 counties × 60 units × 34 tasks, generated deterministically.
import { bench, describe } from 'vitest';
import { score, validateRecords } from '../src/index.js';
import { COUNTIES, YEAR, makeCounty } from './synthetic-province.js';

const counties = Array.from({ length: COUNTIES }, (_, c) => makeCounty(c));
const milestonePairs = counties.reduce((n, { plan }) => n + plan.tasks.reduce((s, t) => s + t.milestones.length, 0) * plan.units.length, 0);
const confirmationCount = counties.reduce((n, { records }) => n + records.confirmations.length, 0);
console.log(`${COUNTIES} counties, ~${milestonePairs} (unit, milestone) pairs, ${confirmationCount} confirmations`);

describe('province-sized assessment', () => {
  bench(
    `score ${COUNTIES} counties × 60 units × 34 tasks (year end)`,
    () => {
      for (const { plan, records } of counties) score(plan, records, { asOf: `${YEAR}-12-31` });
    },
    { iterations: 20, warmupIterations: 3 },
  );

  bench(
    `validateRecords ${COUNTIES} counties`,
    () => {
      for (const { plan, raw } of counties) {
        if (!validateRecords(plan, raw).success) throw new Error('benchmark records should be valid');
      }
    },
    { iterations: 5, warmupIterations: 1 },
  );
});
