// Bundle size of what a program pulls in from @zwgk/sdk, bundled as a web or Node app would be: esbuild,
// minified, tree-shaken through the package's "sideEffects": false. Run after `npm run build` (it reads
// dist through the package's exports, as a consumer does). Exits 1 when a limit is exceeded.
import { build } from 'esbuild';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');

interface Case {
  name: string;
  source: string;
  /** Limit in bytes, or null to print only. */
  limit: number | null;
}

const KB = 1024;
const cases: Case[] = [
  { name: 'createCalendar from @zwgk/sdk', source: "export { createCalendar } from '@zwgk/sdk';", limit: 60 * KB },
  { name: 'shanghaiDate + dueInYear from @zwgk/sdk', source: "export { shanghaiDate, dueInYear } from '@zwgk/sdk';", limit: 10 * KB },
  { name: 'score + validateRecords from @zwgk/sdk', source: "export { score, validateRecords } from '@zwgk/sdk';", limit: null },
  { name: 'all of @zwgk/sdk', source: "export * from '@zwgk/sdk';", limit: null },
  { name: 'getPlan from @zwgk/sdk/qinyuan', source: "export { getPlan } from '@zwgk/sdk/qinyuan';", limit: null },
];

async function bundledBytes(source: string): Promise<number> {
  const out = await build({
    stdin: { contents: source, resolveDir: repoRoot, loader: 'js' },
    bundle: true,
    minify: true,
    format: 'esm',
    platform: 'browser',
    write: false,
    logLevel: 'silent',
  });
  return out.outputFiles.reduce((n, f) => n + f.contents.byteLength, 0);
}

let failed = false;
console.log('\nbundle size (esbuild, minified, ESM, browser)');
for (const c of cases) {
  const bytes = await bundledBytes(c.source);
  const verdict = c.limit === null ? '' : bytes <= c.limit ? `  ≤ ${c.limit / KB} KB ✓` : `  > ${c.limit / KB} KB ✗`;
  if (c.limit !== null && bytes > c.limit) failed = true;
  console.log(`  ${c.name.padEnd(42)} ${(bytes / KB).toFixed(1).padStart(7)} KB${verdict}`);
}
if (failed) process.exitCode = 1;
