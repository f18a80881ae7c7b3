import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const DIST = fileURLToPath(new URL('../dist/', import.meta.url));
const HEAVY = ['exceljs', '@zwgk/bot', '@zwgk/dingtalk', '@zwgk/dingtalk-emulator', '@zwgk/slack', 'pino', 'kysely', 'handlebars', 'better-sqlite3', 'dingtalk-stream', '@slack/bolt'];

/** Packages a built file loads before any of its code runs: its static imports, followed through local chunks. */
function staticPackages(entry: string): Set<string> {
  const packages = new Set<string>();
  const seen = new Set<string>();
  const visit = (file: string) => {
    if (seen.has(file)) return;
    seen.add(file);
    const code = readFileSync(join(DIST, file), 'utf8');
    for (const m of code.matchAll(/(?:^|[;\n])\s*(?:import|export)\s*(?:[^'";]*?\sfrom\s*)?["']([^"']+)["']/g)) {
      const spec = m[1]!;
      if (spec.startsWith('./')) visit(spec.slice(2));
      else packages.add(spec.startsWith('@') ? spec.split('/').slice(0, 2).join('/') : spec.split('/')[0]!);
    }
  };
  visit(entry);
  return packages;
}

const chunk = (name: string) => readdirSync(DIST).find((f) => f.startsWith(`${name}-`) && f.endsWith('.js'))!;

describe('the built CLI', () => {
  it('loads nothing heavy before a command is chosen', () => {
    expect(existsSync(join(DIST, 'cli.js'))).toBe(true);
    const loaded = [...staticPackages('cli.js')];
    expect(loaded.filter((p) => HEAVY.includes(p))).toEqual([]);
  });

  it('loads neither the bot, the adapters, exceljs nor the logger for plan and deadlines', () => {
    for (const command of ['plan', 'deadlines']) {
      const loaded = [...staticPackages(chunk(command))];
      expect(loaded).toContain('@zwgk/sdk');
      expect(loaded.filter((p) => HEAVY.includes(p))).toEqual([]);
    }
  });

  it('loads exceljs only for an xlsx report', () => {
    expect([...staticPackages(chunk('report'))]).not.toContain('exceljs');
    expect([...staticPackages(chunk('xlsx'))]).toContain('exceljs');
  });

  it('still loads the chat adapters for start', () => {
    const loaded = staticPackages(chunk('start'));
    expect(loaded.has('@zwgk/dingtalk')).toBe(true);
    expect(loaded.has('@zwgk/slack')).toBe(true);
  });
});
