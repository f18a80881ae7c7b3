import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';

const here = dirname(fileURLToPath(import.meta.url));
const doc = readFileSync(resolve(here, '../../../docs/sdk.md'), 'utf8');
const examples = [...doc.matchAll(/```ts\n([\s\S]*?)```/g)].map((m) => m[1]!);
const scratch = join(here, '.docs-examples');

// The examples import the built package by name, exactly as a reader's project would.
describe('docs/sdk.md', () => {
  afterAll(() => rmSync(scratch, { recursive: true, force: true }));

  it('has examples to run', () => {
    expect(examples.length).toBeGreaterThanOrEqual(5);
  });

  it.each(examples.map((code, i) => [i + 1, code] as const))('example %i runs and its assertions hold', async (n, code) => {
    mkdirSync(scratch, { recursive: true });
    const file = join(scratch, `example-${n}.ts`);
    writeFileSync(file, code);
    await import(/* @vite-ignore */ file);
  });
});
