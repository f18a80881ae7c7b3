import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const DIST = fileURLToPath(new URL('../dist/', import.meta.url));
const HEAVY = ['exceljs', 'docx', '@zwgk/bot', '@zwgk/dingtalk', '@zwgk/dingtalk-emulator', '@zwgk/slack', 'pino', 'kysely', 'handlebars', 'better-sqlite3', 'dingtalk-stream', '@slack/bolt'];

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

  it('loads neither the bot, the adapters, exceljs nor the logger for plan and deadlines, and has the SDK bundled', () => {
    for (const command of ['plan', 'deadlines']) {
      const loaded = [...staticPackages(chunk(command))];
      // The SDK and zod are bundled into the CLI's chunks: no module graph to resolve at start.
      expect(loaded).not.toContain('@zwgk/sdk');
      expect(loaded).not.toContain('zod');
      expect(loaded.filter((p) => HEAVY.includes(p))).toEqual([]);
    }
  });

  it('loads exceljs only for an xlsx report, and the bot only for records from its database', () => {
    expect([...staticPackages(chunk('report'))]).not.toContain('exceljs');
    expect([...staticPackages(chunk('report'))]).not.toContain('@zwgk/bot');
    expect([...staticPackages(chunk('report-sources'))]).toContain('@zwgk/bot');
    expect([...staticPackages(chunk('xlsx'))]).toContain('exceljs');
  });

  it('loads docx only for the 通报', () => {
    expect([...staticPackages(chunk('report'))]).not.toContain('docx');
    expect([...staticPackages(chunk('docx'))]).toContain('docx');
  });

  it('still loads the chat adapters for start', () => {
    const loaded = staticPackages(chunk('start'));
    expect(loaded.has('@zwgk/dingtalk')).toBe(true);
    expect(loaded.has('@zwgk/slack')).toBe(true);
  });
});

const BIN = fileURLToPath(new URL('../bin/zwgk.js', import.meta.url));
const TRACE = fileURLToPath(new URL('./fixtures/trace-imports.mjs', import.meta.url));
const RECORDS = fileURLToPath(new URL('./fixtures/records-2022.json', import.meta.url));

/** The packages a real `zwgk …` process loads (bare specifiers it resolves), and its exit code. */
function packagesLoaded(args: string[]): { code: number | null; packages: Set<string> } {
  const dir = mkdtempSync(join(tmpdir(), 'zwgk-trace-'));
  const file = join(dir, 'imports.txt');
  const r = spawnSync(process.execPath, ['--import', TRACE, BIN, ...args], { cwd: dir, env: { PATH: process.env.PATH, ZWGK_TRACE_IMPORTS: file }, encoding: 'utf8' });
  const specifiers = existsSync(file) ? readFileSync(file, 'utf8').split('\n').filter(Boolean) : [];
  const packages = new Set(specifiers.filter((s) => !/^(\.|\/|file:|node:|data:)/.test(s)).map((s) => (s.startsWith('@') ? s.split('/').slice(0, 2).join('/') : s.split('/')[0]!)));
  return { code: r.status, packages };
}

describe('a zwgk process', () => {
  it('loads nothing heavy for plan --json', () => {
    const { code, packages } = packagesLoaded(['plan', '--json']);
    expect(code).toBe(0);
    expect(packages.has('@zwgk/sdk')).toBe(false);
    expect([...packages].filter((p) => HEAVY.includes(p))).toEqual([]);
  });

  it('loads neither the bot nor exceljs for a json report from a records file', () => {
    const { code, packages } = packagesLoaded(['report', '--records', RECORDS, '--format', 'json']);
    expect(code).toBe(0);
    expect([...packages].filter((p) => HEAVY.includes(p))).toEqual([]);
  });

  it('loads exceljs for an xlsx report and the bot for the database’s records', () => {
    expect(packagesLoaded(['report', '--records', RECORDS, '--out', 'r.xlsx']).packages.has('exceljs')).toBe(true);
    expect(packagesLoaded(['export']).packages.has('@zwgk/bot')).toBe(true);
  });

  it('loads docx and handlebars for the 通报 and nothing else heavy', () => {
    const { code, packages } = packagesLoaded(['report', '--records', RECORDS, '--out', 't.docx']);
    expect(code).toBe(0);
    expect([...packages].filter((p) => HEAVY.includes(p)).sort()).toEqual(['docx', 'handlebars']);
  });
});
