import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { score, validateRecords, type Assessment } from '@zwgk/sdk';
import { getPlan } from '@zwgk/sdk/qinyuan';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { renderDocx } from '../src/report/docx.js';

const FIXTURE = fileURLToPath(new URL('./fixtures/records-2022.json', import.meta.url));
const OFFICE = { name: '沁源县人民政府办公室', shortName: '县政府办' };
const INSTALL = 'apt-get install libreoffice-writer-nogui poppler-utils (.ci/run installs them)';

/** Fails with the command to run when a tool is missing: in CI (CI=true) and locally alike, never a silent skip. */
function need(tool: string): void {
  if (spawnSync('sh', ['-c', `command -v ${tool}`]).status !== 0) throw new Error(`${tool} is not installed: ${INSTALL}`);
}

let dir: string;
let assessment: Assessment;
let pdf: string;
// kept and rethrown by every test, so that a missing tool shows as failed tests rather than skipped ones
let missing: Error | undefined;

function ready(): void {
  if (missing) throw missing;
}

beforeAll(async () => {
  try {
    need('soffice');
    need('pdftotext');
    need('pdftoppm');
    need('pdfinfo');
  } catch (error) {
    missing = error as Error;
    return;
  }
  const plan = getPlan('qinyuan-2022');
  const checked = validateRecords(plan, JSON.parse(await readFile(FIXTURE, 'utf8')));
  if (!checked.success) throw new Error(checked.error.map((e) => e.message).join('\n'));
  assessment = score(plan, checked.data, { asOf: '2022-12-31' });
  dir = await mkdtemp(join(tmpdir(), 'zwgk-docx-'));
  const docx = join(dir, '通报.docx');
  await writeFile(docx, await renderDocx(assessment, plan, { office: OFFICE, issued: '2023-01-05' }));
  // a profile of its own, so that a running LibreOffice or another test run cannot hold the lock
  execFileSync('soffice', ['--headless', '--norestore', `-env:UserInstallation=${pathToFileURL(join(dir, 'profile')).href}`, '--convert-to', 'pdf', '--outdir', dir, docx], {
    stdio: 'pipe',
    timeout: 120_000,
  });
  pdf = join(dir, '通报.pdf');
}, 150_000);

afterAll(async () => {
  if (dir) await rm(dir, { recursive: true, force: true });
});

/** The PDF's text with the spaces pdftotext puts between Chinese and digits taken out. */
function pdfText(): string {
  return execFileSync('pdftotext', ['-enc', 'UTF-8', pdf, '-'], { encoding: 'utf8' }).replace(/\s+/g, '');
}

describe('renderDocx in LibreOffice', () => {
  it('converts to a PDF whose text has the title, the office, the date and the units', () => {
    ready();
    const text = pdfText();
    expect(text).toContain('关于沁源县2022年政务公开工作考核情况的通报');
    expect(text).toContain('各乡镇人民政府，县直各有关单位：');
    expect(text).toMatch(/沁源县人民政府办公室2023年1月5日$|沁源县人民政府办公室2023年1月5日—\d+—$/);
    const excellent = assessment.units.find((u) => u.grade === '优秀')!.unit;
    const overdue = assessment.overdue[0]!.unit;
    expect(text).toContain(excellent);
    expect(text).toContain(overdue);
    expect(text).toContain('—1—');
  });

  it('lays the pages out on A4 portrait', () => {
    ready();
    const info = execFileSync('pdfinfo', [pdf], { encoding: 'utf8' });
    expect(info).toMatch(/Page size:\s+595(\.\d+)? x 84[12](\.\d+)? pts \(A4\)/);
  });

  it('renders the first page to a PNG of an A4 page at 60 dpi', async () => {
    ready();
    execFileSync('pdftoppm', ['-png', '-r', '60', '-f', '1', '-l', '1', '-singlefile', pdf, join(dir, 'page1')]);
    const png = await readFile(join(dir, 'page1.png'));
    expect(png.subarray(1, 4).toString('latin1')).toBe('PNG');
    // IHDR: width and height, big-endian, at bytes 16 and 20 (A4 at 60 dpi is 496 × 702)
    expect(Math.abs(png.readUInt32BE(16) - 496)).toBeLessThanOrEqual(2);
    expect(Math.abs(png.readUInt32BE(20) - 702)).toBeLessThanOrEqual(2);
  });
});
