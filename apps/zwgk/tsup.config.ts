import { defineConfig } from 'tsup';

export default defineConfig({
  entry: ['src/cli.ts'],
  format: ['esm'],
  dts: false,
  clean: true,
  sourcemap: true,
  target: 'node20',
  // Cold start: `zwgk plan` spends most of its time resolving and loading the SDK's module graph (zod's
  // hundred-odd files, chinese-days' CommonJS bundle, the importer's chinese-conv table). Bundled into the
  // CLI's own chunks they load as a few files. The bot and the adapters stay external (they bring native and networked dependencies) and
  // load their own copy of the SDK, which only exchanges plain data with this one.
  // `@zwgk/bot/evidence` is only the evidence settings' schema (zod) and the link check: the configuration composes it.
  noExternal: [/^@zwgk\/sdk(\/|$)/, /^@zwgk\/bot\/evidence$/, /^zod(\/|$)/, /^chinese-days(\/|$)/, /^chinese-conv(\/|$)/],
  // Bundled CommonJS (yaml, chinese-days) may `require` Node built-ins; ESM output has no `require` of its own.
  banner: { js: "import { createRequire as __zwgkCreateRequire } from 'node:module'; const require = __zwgkCreateRequire(import.meta.url);" },
});
