import { defineConfig } from 'tsup';

export default defineConfig({
  entry: ['src/index.ts'],
  format: ['esm', 'cjs'],
  dts: true,
  clean: true,
  sourcemap: true,
  target: 'node20',
  // zod is a runtime dependency (config validation), not to be bundled; ws is loaded by the emulator only, on demand.
  external: ['zod', 'ws'],
});
