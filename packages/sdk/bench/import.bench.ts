// Importing the Qinyuan 2022 seed table and expanding every task's assignments. Goal: under 5 ms per parse.
import { bench, describe } from 'vitest';
import { qinyuan2022ImportOptions } from '../src/catalog/qinyuan-2022.options.js';
import { qinyuan2022SeedText } from '../src/catalog/qinyuan-2022.seed.js';
import { directoryOf } from '../src/directory/directory.js';
import { parsePlanTable } from '../src/importer/parse-plan-table.js';

// with Qinyuan's directory, as the bundled plan is imported
const OPTIONS = qinyuan2022ImportOptions;

describe('plan-table importer', () => {
  bench(
    'parse the seed (34 tasks) and expand every task’s assignments',
    () => {
      const result = parsePlanTable(qinyuan2022SeedText, OPTIONS);
      if (!result.success) throw new Error(result.error);
      const directory = directoryOf(result.data);
      for (const task of result.data.tasks) directory.expand(task.units);
    },
    { warmupIterations: 100, time: 2000 },
  );

  bench('parse the seed only', () => {
    if (!parsePlanTable(qinyuan2022SeedText, OPTIONS).success) throw new Error('seed should import');
  });
});
