import { defineConfig, type Options } from 'tsup';

// Public entry points: `@zwgk/sdk` and `@zwgk/sdk/qinyuan`.
const entries = { index: 'src/index.ts', qinyuan: 'src/qinyuan.ts' };

const common: Options = {
  // `npm run build` empties dist first; several configs write into it side by side.
  clean: false,
  sourcemap: true,
  target: 'node20',
};

export default defineConfig([
  // ESM keeps one file per source module, so a bundler that honours `"sideEffects": false` drops every
  // module a program does not import (bundling `createCalendar` alone leaves zod and the county data out).
  {
    ...common,
    entry: ['src/**/*.ts', '!src/**/*.test.ts', '!src/**/*.d.ts', '!src/scoring/fixtures.ts'],
    format: ['esm'],
    bundle: false,
    dts: false,
  },
  // Declarations of the two entry points, for import (.d.ts) and require (.d.cts).
  { ...common, entry: entries, format: ['esm', 'cjs'], dts: { only: true } },
  // CommonJS: the entry points share their code through chunks, so both see one ZwgkError and one cache.
  { ...common, entry: entries, format: ['cjs'], splitting: true, dts: false },
]);
