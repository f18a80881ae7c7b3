import { execFileSync } from 'node:child_process';
import { mkdtempSync, mkdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const sdkDir = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const repoRoot = resolve(sdkDir, '../..');
const tsc = join(repoRoot, 'node_modules/typescript/bin/tsc');

// A project outside the workspace that depends on the built package, the way another team's tool would.
describe('built @zwgk/sdk in a consumer project', () => {
  let project: string;

  beforeAll(() => {
    project = mkdtempSync(join(tmpdir(), 'zwgk-consumer-'));
    mkdirSync(join(project, 'node_modules/@zwgk'), { recursive: true });
    symlinkSync(sdkDir, join(project, 'node_modules/@zwgk/sdk'), 'dir');
    symlinkSync(join(repoRoot, 'node_modules/@types'), join(project, 'node_modules/@types'), 'dir');
    writeFileSync(join(project, 'package.json'), JSON.stringify({ name: 'consumer', private: true, type: 'module' }));
    writeFileSync(
      join(project, 'esm.mjs'),
      `import { resolveUnit, PlanSchema } from '@zwgk/sdk';
import { qinyuanDirectory, getPlan } from '@zwgk/sdk/qinyuan';
const r = resolveUnit('行政审批局', qinyuanDirectory());
console.log(JSON.stringify({ name: r.success ? r.data.name : null, schema: typeof PlanSchema.safeParse, tasks: getPlan('qinyuan-2022').tasks.length }));`,
    );
    writeFileSync(
      join(project, 'cjs.cjs'),
      `const { resolveUnit, shanghaiDate, isZwgkError, createCalendar } = require('@zwgk/sdk');
const { qinyuanDirectory } = require('@zwgk/sdk/qinyuan');
const r = resolveUnit('开发区', qinyuanDirectory());
let code = null;
try { createCalendar().isWorkingDay('2022-02-30'); } catch (error) { code = isZwgkError(error) ? error.code : 'other'; }
console.log(JSON.stringify({ name: r.success ? r.data.name : null, date: shanghaiDate('2022-11-30T16:30:00Z'), code }));`,
    );
    writeFileSync(
      join(project, 'typed.ts'),
      `import { resolveUnit, type Plan, type Unit, type ZwgkErrorCode } from '@zwgk/sdk';
import { qinyuanDirectory, type PlanId } from '@zwgk/sdk/qinyuan';
const r = resolveUnit('司法局', qinyuanDirectory());
const id: PlanId = 'qinyuan-2022';
const code: ZwgkErrorCode = 'invalid_records';
// @ts-expect-error no county is a default: the directory is required
resolveUnit('司法局');
const unit: Unit | null = r.success ? r.data : null;
const plans: Plan[] = [];
// @ts-expect-error a Unit's kind is a closed set
const wrong: Unit = { name: 'x', kind: 'ministry', aliases: [] };
export { unit, plans, wrong, id, code };`,
    );
    writeFileSync(
      join(project, 'typed-cjs.cts'),
      `import sdk = require('@zwgk/sdk');
import qinyuan = require('@zwgk/sdk/qinyuan');
const r: sdk.Result<sdk.Unit, sdk.UnknownUnit> = sdk.resolveUnit('开发区', qinyuan.qinyuanDirectory());
export = r;`,
    );
    writeFileSync(
      join(project, 'tsconfig.json'),
      JSON.stringify({
        compilerOptions: { strict: true, module: 'NodeNext', moduleResolution: 'NodeNext', noEmit: true, types: [] },
        files: ['typed.ts', 'typed-cjs.cts'],
      }),
    );
  });

  afterAll(() => rmSync(project, { recursive: true, force: true }));

  it('loads through ESM import', () => {
    const out = execFileSync(process.execPath, ['esm.mjs'], { cwd: project, encoding: 'utf8' });
    expect(JSON.parse(out)).toEqual({ name: '县行政审批局', schema: 'function', tasks: 34 });
  });

  it('loads through CJS require', () => {
    const out = execFileSync(process.execPath, ['cjs.cjs'], { cwd: project, encoding: 'utf8' });
    expect(JSON.parse(out)).toEqual({ name: '沁源经济技术开发区', date: '2022-12-01', code: 'invalid_date' });
  });

  it('bundles createCalendar alone without zod, the county data or the rest of the SDK', async () => {
    const { build } = await import('esbuild');
    const out = await build({
      stdin: { contents: "export { createCalendar } from '@zwgk/sdk';", resolveDir: project, loader: 'js' },
      bundle: true,
      format: 'esm',
      platform: 'browser',
      write: false,
      metafile: true,
      logLevel: 'silent',
    });
    // what ends up in the bundle (the bundler reads more modules than it keeps)
    const kept = Object.values(out.metafile.outputs)[0]!.inputs;
    const inputs = Object.keys(kept).filter((f) => kept[f]!.bytesInOutput > 0);
    expect(inputs.filter((f) => /node_modules\/(zod|yaml|dayjs)\//.test(f))).toEqual([]);
    expect(inputs.filter((f) => /qinyuan|catalog|scoring|importer/.test(f))).toEqual([]);
    expect(inputs.some((f) => f.endsWith('dist/calendar/calendar.js'))).toBe(true);
  });

  it('type-checks against the shipped ESM and CJS declarations', () => {
    expect(() => execFileSync(process.execPath, [tsc, '-p', 'tsconfig.json'], { cwd: project, encoding: 'utf8' })).not.toThrow();
  }, 60_000);
});
