import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const CHILD = fileURLToPath(new URL('./fixtures/log-then-kill.ts', import.meta.url));

describe('createLogger', () => {
  it('keeps every line a process logged before kill -9', () => {
    const file = join(mkdtempSync(join(tmpdir(), 'zwgk-log-')), 'zwgk.log');
    const r = spawnSync(process.execPath, ['--import', 'tsx', CHILD, file, '500'], { encoding: 'utf8' });
    expect(r.signal).toBe('SIGKILL');
    const lines = readFileSync(file, 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { seq: number; msg: string });
    expect(lines).toHaveLength(500);
    expect(lines.map((l) => l.seq)).toEqual(Array.from({ length: 500 }, (_, i) => i));
    expect(lines[0]!.msg).toBe('confirmation recorded');
  });
});
