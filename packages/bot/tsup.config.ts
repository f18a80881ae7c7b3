import { defineConfig } from 'tsup';

export default defineConfig({
  entry: { index: 'src/index.ts', store: 'src/store-entry.ts', grammar: 'src/grammar-entry.ts', evidence: 'src/evidence-entry.ts' },
  format: ['esm', 'cjs'],
  dts: true,
  clean: true,
  sourcemap: true,
  target: 'node20',
  // import.meta.url in the CommonJS build: the renderer finds its templates next to the module.
  shims: true,
});
