import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import ExcelJS from 'exceljs';
import JSZip from 'jszip';
import { score, validateRecords, type Assessment, type Plan } from '@zwgk/sdk';
import { getPlan } from '@zwgk/sdk/qinyuan';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createReportCommand, reportCommand } from '../src/commands/report.js';
import type { CliIo } from '../src/io.js';
import { UsageError } from '../src/io.js';
import { tinyPlan, tinyRecordsInput } from '../src/report/fixtures.js';
import { HEADER_ROW } from '../src/report/xlsx.js';

const FIXTURE = fileURLToPath(new URL('./fixtures/records-2022.json', import.meta.url));

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'zwgk-report-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

function fakeIo() {
  const out: string[] = [];
  const err: string[] = [];
  const io: CliIo = { env: {}, cwd: dir, stdout: { write: (s: string) => out.push(s) }, stderr: { write: (s: string) => err.push(s) } };
  return { io, stdout: () => out.join(''), stderr: () => err.join('') };
}

const tiny = createReportCommand({ plan: tinyPlan });

async function writeJson(name: string, value: unknown): Promise<string> {
  await writeFile(join(dir, name), typeof value === 'string' ? value : JSON.stringify(value));
  return name;
}

const r1 = (x: number) => Math.round(x * 10) / 10;

describe('reportCommand', () => {
  it('asks for --records until the bot’s database can be read', async () => {
    const t = fakeIo();
    expect(await tiny.run(['--format', 'md'], t.io)).toBe(1);
    expect(t.stderr()).toMatch(/--records FILE is needed/);
    expect(t.stdout()).toBe('');
  });

  it('scores records from another source when one is given', async () => {
    const t = fakeIo();
    const checked = validateRecords(tinyPlan(), tinyRecordsInput());
    if (!checked.success) throw new Error('fixture invalid');
    const fromDb = createReportCommand({ plan: tinyPlan, records: async () => checked.data });
    expect(await fromDb.run(['--format', 'json'], t.io)).toBe(0);
    expect(JSON.parse(t.stdout()).units[0]).toMatchObject({ unit: '郭道镇', final: 103 });
  });

  it('checks records from another source like a file’s', async () => {
    const t = fakeIo();
    const input = tinyRecordsInput();
    input.briefings!.push({ unit: '县林草局', date: '2022-05-05' });
    const fromDb = createReportCommand({ plan: tinyPlan, records: async () => input });
    expect(await fromDb.run(['--format', 'json'], t.io)).toBe(1);
    expect(t.stderr()).toMatch(/1 problem in the bot’s records; nothing written/);
    expect(t.stderr()).toMatch(/briefings\[4\]\.unit: unknown unit "县林草局"/);
    expect(t.stdout()).toBe('');
  });

  it('prints every records problem with its position, exits 1 and writes nothing', async () => {
    const input = tinyRecordsInput();
    input.confirmations![0] = { ...input.confirmations![0]!, unit: '郭到镇' };
    input.confirmations![1] = { ...input.confirmations![1]!, at: '2022-13-01T09:00:00+08:00' };
    input.briefings!.push({ unit: '郭道镇', date: '2022-02-30' });
    const records = await writeJson('bad.json', input);
    await writeFile(join(dir, 'out.md'), 'previous report');
    const t = fakeIo();
    expect(await tiny.run(['--records', records, '--format', 'md', '--out', 'out.md'], t.io)).toBe(1);
    const lines = t.stderr().trimEnd().split('\n');
    expect(lines[0]).toMatch(/3 problems in bad\.json; nothing written/);
    expect(lines.some((l) => /confirmations\[0\]\.unit: .*郭到镇.*郭道镇/.test(l))).toBe(true);
    expect(lines.some((l) => /confirmations\[1\]\.at: /.test(l))).toBe(true);
    expect(lines.some((l) => /briefings\[4\]\.date: /.test(l))).toBe(true);
    expect(await readFile(join(dir, 'out.md'), 'utf8')).toBe('previous report');
    expect(t.stdout()).toBe('');
  });

  it('reports a records file that is not JSON or not there', async () => {
    const t = fakeIo();
    expect(await tiny.run(['--records', await writeJson('broken.json', '{"year": 2022,'), '--format', 'json'], t.io)).toBe(1);
    expect(t.stderr()).toMatch(/records broken\.json is not valid JSON/);
    const t2 = fakeIo();
    expect(await tiny.run(['--records', 'missing.json', '--format', 'json'], t2.io)).toBe(1);
    expect(t2.stderr()).toMatch(/cannot read records .*missing\.json: no such file or directory/);
  });

  it('names the bad field of a rubric file', async () => {
    const records = await writeJson('records.json', tinyRecordsInput());
    await writeFile(join(dir, 'rubric.yaml'), 'bonus:\n  cap: ten\n');
    const t = fakeIo();
    expect(await tiny.run(['--records', records, '--rubric', 'rubric.yaml', '--format', 'json'], t.io)).toBe(1);
    expect(t.stderr()).toMatch(/bad rubric rubric\.yaml/);
    expect(t.stderr()).toMatch(/bonus\.cap: /);
    await expect(tiny.run(['--records', records, '--rubric', 'rubric.txt', '--format', 'json'], fakeIo().io)).rejects.toThrow(UsageError);
  });

  it('scores with the county’s own rubric', async () => {
    const records = await writeJson('records.json', tinyRecordsInput());
    await writeFile(join(dir, 'rubric.yml'), 'roleFactors:\n  cooperating: 0.6\n');
    const t = fakeIo();
    expect(await tiny.run(['--records', records, '--rubric', 'rubric.yml', '--format', 'json'], t.io)).toBe(0);
    // 县公安局: 90 × (1 + 0.6) / 2.6
    expect(JSON.parse(t.stdout()).units.find((u: { unit: string }) => u.unit === '县公安局').completion).toBe(55.4);
  });

  it('takes the assessment date from --as-of, else the records, else the plan year’s end', async () => {
    const withAsOf = await writeJson('a.json', { ...tinyRecordsInput(), asOf: '2022-12-01' });
    const { asOf: _drop, ...rest } = tinyRecordsInput();
    const without = await writeJson('b.json', rest);
    const run = async (args: string[]) => {
      const t = fakeIo();
      expect(await tiny.run([...args, '--format', 'json'], t.io)).toBe(0);
      return JSON.parse(t.stdout()) as { asOf: string; overdue: unknown[] };
    };
    expect((await run(['--records', withAsOf])).asOf).toBe('2022-12-01');
    expect((await run(['--records', without])).asOf).toBe('2022-12-31');
    const early = await run(['--records', withAsOf, '--as-of', '2022-07-01']);
    expect(early.asOf).toBe('2022-07-01');
    // on 07-01 only task 1's 06-30 milestone is due: 沁河镇's confirmation of 07-02 is not yet counted
    expect(early.overdue).toEqual([
      { task: 1, unit: '沁河镇', due: '2022-06-30' },
      { task: 1, unit: '县财政局', due: '2022-06-30' },
    ]);
    await expect(tiny.run(['--records', without, '--as-of', '2022-02-30', '--format', 'json'], fakeIo().io)).rejects.toThrow(/--as-of/);
  });

  it('refuses to print xlsx to the terminal and rejects unknown formats', async () => {
    const records = await writeJson('records.json', tinyRecordsInput());
    await expect(tiny.run(['--records', records, '--format', 'xlsx'], fakeIo().io)).rejects.toThrow(/--out/);
    await expect(tiny.run(['--records', records, '--format', 'pdf'], fakeIo().io)).rejects.toThrow(/md, html, xlsx, docx, csv, json/);
    await expect(tiny.run(['--records', records, '--format', 'docx'], fakeIo().io)).rejects.toThrow(/--out FILE\.docx/);
    await expect(tiny.run(['--records', records, '--format', 'md', '--date', '2023-01-05'], fakeIo().io)).rejects.toThrow(/--format docx/);
    await expect(tiny.run(['--records', records], fakeIo().io)).rejects.toThrow(/--format is required/);
    await expect(tiny.run(['--records', records, '--out', 'x.pdf'], fakeIo().io)).rejects.toThrow(/cannot tell the format/);
  });

  it('tells the format from the --out extension and writes atomically, leaving no temporary file', async () => {
    const records = await writeJson('records.json', tinyRecordsInput());
    await writeFile(join(dir, '考核.csv'), 'old');
    const t = fakeIo();
    expect(await tiny.run(['--records', records, '--out', '考核.csv'], t.io)).toBe(0);
    expect(t.stdout()).toMatch(/^wrote 考核\.csv \(csv: 6 units as of 2022-12-31, 4 overdue\)/);
    const csv = await readFile(join(dir, '考核.csv'), 'utf8');
    expect(csv.startsWith('\uFEFF单位,组别')).toBe(true);
    expect((await readdir(dir)).sort()).toEqual(['records.json', '考核.csv']);
  });

  it('writes the 通报 signed by the configured office, dated --date, from the county’s own template', async () => {
    const records = await writeJson('records.json', tinyRecordsInput());
    await writeFile(join(dir, '通报.hbs'), '标题：{{county}}通报\n主送：各单位：\n---\n优秀：{{excellentList}}\n');
    const withOffice = createReportCommand({ plan: tinyPlan, office: async () => ({ name: '测试县人民政府办公室', tongbaoTemplate: '通报.hbs' }) });
    const t = fakeIo();
    expect(await withOffice.run(['--records', records, '--out', '通报.docx', '--date', '2023-01-05'], t.io)).toBe(0);
    expect(t.stdout()).toMatch(/^wrote 通报\.docx \(docx: 6 units/);
    const xml = await (await JSZip.loadAsync(await readFile(join(dir, '通报.docx')))).file('word/document.xml')!.async('string');
    const text = [...xml.matchAll(/<w:t(?: [^>]*)?>([^<]*)<\/w:t>/g)].map((m) => m[1]).filter(Boolean).join('|');
    expect(text).toBe('测试县通报|各单位：|优秀：郭道镇、沁源经济技术开发区|测试县人民政府办公室|2023年1月5日');
  });

  it('refuses a 通报 template without its header line and writes nothing', async () => {
    const records = await writeJson('records.json', tinyRecordsInput());
    await writeFile(join(dir, 'bad.hbs'), '正文而已');
    const t = fakeIo();
    expect(await tiny.run(['--records', records, '--out', '通报.docx', '--template', 'bad.hbs'], t.io)).toBe(1);
    expect(t.stderr()).toMatch(/needs a line "---"/);
    expect(t.stderr()).toMatch(/nothing written/);
    expect((await readdir(dir)).sort()).toEqual(['bad.hbs', 'records.json']);
    expect(await tiny.run(['--records', records, '--out', '通报.docx', '--template', 'missing.hbs'], t.io)).toBe(1);
    expect(t.stderr()).toMatch(/cannot read 通报 template \S*missing\.hbs: no such file/);
    const unsigned = fakeIo();
    expect(await tiny.run(['--records', records, '--out', '通报.docx'], unsigned.io)).toBe(0);
    expect(unsigned.stderr()).toMatch(/no office in the configuration \(office\.name\)/);
  });

  it('reports an output path it cannot write and leaves nothing behind', async () => {
    const records = await writeJson('records.json', tinyRecordsInput());
    const t = fakeIo();
    expect(await tiny.run(['--records', records, '--format', 'md', '--out', 'no/such/dir/r.md'], t.io)).toBe(1);
    expect(t.stderr()).toMatch(/cannot write no\/such\/dir\/r\.md: no such file or directory/);
    expect(await readdir(dir)).toEqual(['records.json']);
  });
});

describe('reportCommand on the committed 2022 sample records', () => {
  let plan: Plan;
  let expected: Assessment;

  beforeEach(async () => {
    plan = getPlan('qinyuan-2022');
    const checked = validateRecords(plan, JSON.parse(await readFile(FIXTURE, 'utf8')));
    if (!checked.success) throw new Error(checked.error.map((e) => e.message).join('\n'));
    expected = score(plan, checked.data, { asOf: '2022-12-31' });
  });

  async function run(format: string, out?: string): Promise<string> {
    const t = fakeIo();
    const args = ['--records', FIXTURE, '--format', format, ...(out ? ['--out', out] : [])];
    const code = await reportCommand.run(args, t.io);
    expect(t.stderr()).toBe('');
    expect(code).toBe(0);
    return t.stdout();
  }

  it('is a realistic year-end set: every grade, both groups, overdue, late, exempt, bonus cap and carry-over', () => {
    const grades = new Set(expected.units.map((u) => u.grade));
    expect([...grades].sort()).toEqual(['不合格', '优秀', '合格', '良好'].sort());
    const statuses = new Set(expected.units.flatMap((u) => u.detail.milestones.map((m) => m.status)));
    // not_due: task 6's yearly March milestone falls before the plan's issue date and moves to 2023.
    expect([...statuses].sort()).toEqual(['exempt', 'late', 'not_due', 'on_time', 'overdue']);
    expect(expected.units.find((u) => u.unit === '县政府办')).toMatchObject({ rank: null, unranked: 'assessor' });
    expect(expected.units.filter((u) => u.group === 'vertical').map((u) => u.unit)).toEqual(['县税务局', '县生态环境分局']);
    expect(expected.overdue.length).toBeGreaterThan(20);
    expect(expected.units.some((u) => u.detail.bonusUncapped > u.bonus)).toBe(true);
    expect(expected.units.some((u) => u.detail.carryoverPoints > 0)).toBe(true);
    expect(expected.units.some((u) => u.detail.deductions.length > 0)).toBe(true);
    expect(expected.asOf).toBe('2022-12-31');
  });

  it('leaves the assessor unranked and ranks vertically managed units on their own, in every format', async () => {
    const assessor = expected.units.find((u) => u.unit === '县政府办')!;
    const department = expected.units.filter((u) => u.group === 'department' && u.rank !== null);
    // Records on both sides: the assessor's own score would place it in the 部门组 ranking otherwise.
    expect(assessor.final).toBeGreaterThan(department.at(-1)!.final);
    expect(department[0]!.rank).toBe(1);
    const md = await run('md');
    expect(md).toContain(`**不参与排名**\n\n- 县政府办 ${assessor.final.toFixed(1)}（${assessor.grade}，考核单位，不排名）`);
    expect(md).toMatch(/#### 垂管单位组（2 个单位）\n\n- 第1名 /);
    const json = JSON.parse(await run('json'));
    expect(json.units.find((u: { unit: string }) => u.unit === '县政府办')).toMatchObject({ group: 'department', rank: null });
    expect(json.units.find((u: { unit: string }) => u.unit === '县税务局')).toMatchObject({ group: 'vertical' });
  });

  it('writes the JSON contract with the scores of score()', async () => {
    const json = JSON.parse(await run('json'));
    expect(json.year).toBe(2022);
    expect(json.asOf).toBe('2022-12-31');
    expect(json.units).toEqual(
      expected.units.map((u) => ({
        unit: u.unit,
        group: u.group,
        completion: r1(u.completion),
        briefing: r1(u.briefing),
        bonus: r1(u.bonus),
        deductions: r1(u.deductions),
        final: r1(u.final),
        grade: u.grade,
        rank: u.rank,
      })),
    );
    expect(json.overdue).toEqual(expected.overdue);
  });

  it('writes the CSV summary with a BOM and a row per unit', async () => {
    const csv = await run('csv');
    expect(csv.charCodeAt(0)).toBe(0xfeff);
    const lines = csv.slice(1).trimEnd().split('\r\n');
    expect(lines).toHaveLength(expected.units.length + 1);
    expected.units.forEach((u, i) => {
      const cells = lines[i + 1]!.split(',');
      expect(cells[0]).toBe(u.unit);
      expect(Number(cells[6])).toBe(r1(u.final));
      expect(cells[8]).toBe(u.rank === null ? '考核单位，不排名' : String(u.rank));
    });
  });

  it('writes the Markdown summary with grade counts and each group’s leader', async () => {
    const md = await run('md');
    const count = (g: string) => expected.units.filter((u) => u.grade === g).length;
    expect(md).toContain(`**等次**：优秀 ${count('优秀')} 个 · 良好 ${count('良好')} 个 · 合格 ${count('合格')} 个 · 不合格 ${count('不合格')} 个`);
    for (const group of ['township', 'department'] as const) {
      const first = expected.units.find((u) => u.group === group)!;
      expect(md).toContain(`- 第1名 ${first.unit} ${first.final.toFixed(1)}（${first.grade}）`);
    }
    expect(md).toContain(`#### 逾期未完成（${expected.overdue.length} 项次`);
    expect(md).toMatch(/- …另有 \d+ 项，详见完整报告/);
  });

  it('writes the HTML report with a bar per unit and task and a heat-map cell per scored pair', async () => {
    await run('html', 'report.html');
    const html = await readFile(join(dir, 'report.html'), 'utf8');
    const count = (re: RegExp) => html.match(new RegExp(re.source, 'g'))?.length ?? 0;
    expect(count(/<g class="unit-bar"/)).toBe(expected.units.length);
    expect(count(/<g class="task-bar"/)).toBe(34);
    const pairs = new Set(expected.units.flatMap((u) => u.detail.milestones.map((m) => `${u.unit}|${m.task}`)));
    expect(count(/<rect class="cell"/)).toBe(pairs.size);
    const overduePairs = new Set(expected.overdue.map((o) => `${o.unit}|${o.task}`));
    expect(count(/<rect class="cell"[^>]*data-state="overdue"/)).toBe(overduePairs.size);
    for (const u of expected.units) expect(html).toContain(`<td class="name">${u.unit}</td>`);
  });

  it('writes the workbook: sheets, frozen headers and the scores of score()', async () => {
    await run('xlsx', 'report.xlsx');
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.readFile(join(dir, 'report.xlsx'));
    expect(wb.worksheets.map((ws) => ws.name)).toEqual(['总表', '明细', '加减分', '逾期', '规则']);
    const summary = wb.getWorksheet('总表')!;
    expect(summary.views[0]).toMatchObject({ state: 'frozen', ySplit: HEADER_ROW });
    expect(summary.rowCount).toBe(expected.units.length + HEADER_ROW);
    expected.units.forEach((u, i) => {
      const row = summary.getRow(i + HEADER_ROW + 1);
      expect(row.getCell(1).value).toBe(u.unit);
      expect(row.getCell(7).value).toBe(r1(u.final));
      expect(row.getCell(9).value).toBe(u.rank ?? '考核单位，不排名');
    });
    const detail = wb.getWorksheet('明细')!;
    expect(detail.rowCount - HEADER_ROW).toBe(expected.units.reduce((s, u) => s + u.detail.milestones.length, 0));
    expect(wb.getWorksheet('逾期')!.rowCount - HEADER_ROW).toBe(expected.overdue.length);
  });
});
