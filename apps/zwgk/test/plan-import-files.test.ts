import { copyFileSync, existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { AlignmentType, Document, LevelFormat, Packer, Paragraph, Table, TableCell, TableRow } from 'docx';
import { describe, expect, it } from 'vitest';
import { corpus } from '../../../packages/sdk/test/fixtures/corpus/expected.js';
import { offices } from '../../../packages/sdk/test/fixtures/offices/expected.js';
import { htmlTableRows } from '../src/commands/plan-files.js';
import { runCli } from './run-cli.js';

const corpusDir = resolve(dirname(fileURLToPath(import.meta.url)), '../../../packages/sdk/test/fixtures/corpus');

/** Copies a corpus file into a fresh folder and imports it from there. */
async function importCorpus(file: string, ...args: string[]) {
  const dir = mkdtempSync(join(tmpdir(), 'zwgk-import-'));
  copyFileSync(join(corpusDir, file), join(dir, file));
  return runCli(['plan', 'import', file, ...args], { cwd: dir });
}

type JsonTask = { no: number; name: string; units: Array<{ unit: string; role: string }>; assignees: Array<{ unit: string; role: string }>; milestones: Array<{ due: string }> };

const byRole = (units: JsonTask['units'], role: string) => units.filter((u) => u.role === role).map((u) => u.unit);

/** The CLI's JSON tasks match a hand-checked table: the same numbers, and each task's name, units by role and due dates. */
function expectTasks(tasks: JsonTask[], wanted: (typeof corpus)[number]['tasks'] | (typeof offices)[number]['tasks']): void {
  expect(tasks.map((t) => t.no)).toEqual(wanted.map((t) => t.no));
  for (const want of wanted) {
    const task = tasks.find((t) => t.no === want.no)!;
    expect(task.name).toBe(want.name);
    expect(byRole(task.units, 'lead')).toEqual(want.lead ?? []);
    expect(byRole(task.units, 'responsible')).toEqual(want.responsible ?? []);
    expect(byRole(task.units, 'cooperating')).toEqual(want.cooperating ?? []);
    expect(task.milestones.map((m) => m.due)).toEqual(want.milestones.map((m) => m.due));
  }
}

describe('zwgk plan import of the corpus\'s Word and Excel copies', () => {
  for (const table of corpus.filter((t) => existsSync(join(corpusDir, t.file.replace(/\.txt$/, '.docx'))))) {
    for (const ext of ['docx', 'xlsx']) {
      const file = table.file.replace(/\.txt$/, `.${ext}`);
      it(`reads ${file} as the hand-checked table: every task's name, units by role and due dates`, async () => {
        const { code, stdout } = await importCorpus(file, '--year', String(table.year), '--county', table.county, '--json');
        expect(code).toBe(0);
        expectTasks(JSON.parse(stdout).tasks, table.tasks);
      });
    }
  }
});

const officesDir = resolve(dirname(fileURLToPath(import.meta.url)), '../../../packages/sdk/test/fixtures/offices');

describe('zwgk plan import of the office-style Word and Excel fixtures', () => {
  for (const table of offices.filter((t) => /\.(?:docx|xlsx)$/.test(t.file))) {
    it(`reads ${table.file} as expected: every task's name, units by role and due dates`, async () => {
      const dir = mkdtempSync(join(tmpdir(), 'zwgk-import-'));
      copyFileSync(join(officesDir, table.file), join(dir, table.file));
      const { code, stdout, stderr } = await runCli(['plan', 'import', table.file, '--year', String(table.year), '--county', table.county, '--json'], { cwd: dir });
      expect(stderr).toBe('');
      expect(code).toBe(0);
      expectTasks(JSON.parse(stdout).tasks, table.tasks);
    });
  }
});

describe('zwgk plan import of Word and Excel tables', () => {
  for (const ext of ['xlsx', 'docx']) {
    it(`reads the rebuilt .${ext} of a department's list with its merged cells, and 各科室 expands to the table's own offices`, async () => {
      const { code, stdout, stderr } = await importCorpus(`chizhou-xfj-department.${ext}`, '--year', '2023', '--county', '池州市信访局', '--json');
      expect(stderr).toBe('');
      expect(code).toBe(0);
      const plan = JSON.parse(stdout);
      const tasks: JsonTask[] = plan.tasks;
      expect(tasks.map((t) => t.name)).toEqual([
        '强化行政规范性文件集中规范公开',
        '深化政策解读形式',
        '做好主动公开基础工作',
        '做好主动公开基础工作',
        '规范办理依申请公开',
        '认真抓好工作落实',
        '加强宣传',
        '做好指导监督',
      ]);
      expect(tasks.map((t) => t.units.map((u) => u.unit).join())).toEqual(['办公室', '各科室', '各科室', '办公室', '各科室', '办公室', '各科室', '办公室']);
      expect(tasks.map((t) => t.milestones.map((m) => m.due).join())).toEqual(Array(8).fill('2023-12-31'));
      expect(tasks[1]!.assignees).toEqual([{ unit: '办公室', role: 'responsible' }]);
      expect(plan.rows.find((r: { task: number }) => r.task === 4)).toMatchObject({ confidence: 'medium' });
    });

    it(`reads the rebuilt .${ext} of a list with ragged rows: lead and cooperating offices, names inherited`, async () => {
      const { code, stdout } = await importCorpus(`jiangmen-land-reserve-department.${ext}`, '--year', '2023', '--county', '江门市土地储备中心', '--json');
      expect(code).toBe(0);
      const tasks: JsonTask[] = JSON.parse(stdout).tasks;
      expect(tasks).toHaveLength(10);
      expect(tasks[3]).toMatchObject({ no: 4, name: '做好政府网站专栏信息公开' });
      expect(tasks[3]!.units).toEqual([
        { unit: '办公室', role: 'lead', group: false },
        { unit: '各科室', role: 'cooperating', group: true },
      ]);
      expect(tasks[3]!.assignees).toEqual(
        expect.arrayContaining([
          { unit: '办公室', role: 'lead' },
          { unit: '财务科', role: 'cooperating' },
        ]),
      );
    });
  }

  it('--strict fails on rows not read with confidence and names them', async () => {
    const { code, stderr } = await importCorpus('jiangmen-land-reserve-department.docx', '--year', '2023', '--county', '江门市土地储备中心', '--strict');
    expect(code).toBe(1);
    expect(stderr).toContain('--strict: 10 rows not read with confidence');
    expect(stderr).toMatch(/task 1 \(line \d+\): no milestone/);
    const fine = await importCorpus('chizhou-xfj-department.docx', '--year', '2023', '--county', '池州市信访局', '--strict');
    expect(fine.code).toBe(0);
    expect(fine.stdout).toContain('rows: 7 read as written, 1 with cells inferred or inherited, 0 with something unread');
  });

  it('refuses legacy and broken office files with a hint', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'zwgk-import-'));
    writeFileSync(join(dir, 'old.xls'), 'whatever');
    writeFileSync(join(dir, 'fake.docx'), 'not a zip');
    const legacy = await runCli(['plan', 'import', 'old.xls', '--year', '2023', '--county', '某县'], { cwd: dir });
    expect(legacy).toMatchObject({ code: 1 });
    expect(legacy.stderr).toContain('save the table as .xlsx first');
    const fake = await runCli(['plan', 'import', 'fake.docx', '--year', '2023', '--county', '某县'], { cwd: dir });
    expect(fake.code).toBe(1);
    expect(fake.stderr).toContain('not a .docx file');
  });

  it('reads a CSV saved by Excel on Chinese Windows, in GBK', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'zwgk-import-'));
    // Made with `iconv -f UTF-8 -t GBK`: the text below, in GBK bytes.
    const gbk = readFileSync(fileURLToPath(new URL('./fixtures/plan-gbk.csv', import.meta.url)));
    const csv = '序号,工作任务,责任单位,完成时限\n1,做好政策文件发布,县政府办,长期坚持\n2,财政信息公开,县财政局,每季度结束后10日内\n';
    expect(new TextDecoder('gbk').decode(gbk)).toBe(csv);
    expect(gbk.equals(Buffer.from(csv, 'utf8'))).toBe(false);
    writeFileSync(join(dir, 'plan.csv'), gbk);
    const { code, stdout } = await runCli(['plan', 'import', 'plan.csv', '--year', '2023', '--county', '某县', '--json'], { cwd: dir });
    expect(code).toBe(0);
    expect(JSON.parse(stdout).tasks.map((t: JsonTask) => [t.name, t.units.map((u) => u.unit).join()])).toEqual([
      ['做好政策文件发布', '县政府办'],
      ['财政信息公开', '县财政局'],
    ]);
  });

  it('reads a Word 序号 column numbered automatically (a list, no text in the cells)', async () => {
    const cell = (p: Paragraph) => new TableCell({ children: [p] });
    const numbered = () => new Paragraph({ text: '', numbering: { reference: 'seq', level: 0 } });
    const body = [
      ['做好政策文件发布', '县政府办', '长期坚持'],
      ['深化政策解读', '县司法局', '2023年6月底前'],
      ['财政信息公开', '县财政局', '每季度结束后10日内'],
    ];
    const doc = new Document({
      numbering: { config: [{ reference: 'seq', levels: [{ level: 0, format: LevelFormat.DECIMAL, text: '%1', alignment: AlignmentType.CENTER }] }] },
      sections: [
        {
          children: [
            new Paragraph('某县2023年政务公开任务分解表'),
            new Table({
              rows: [
                new TableRow({ children: ['序号', '工作任务', '责任单位', '完成时限'].map((t) => cell(new Paragraph(t))) }),
                ...body.map((r) => new TableRow({ children: [cell(numbered()), ...r.map((t) => cell(new Paragraph(t)))] })),
              ],
            }),
          ],
        },
      ],
    });
    const dir = mkdtempSync(join(tmpdir(), 'zwgk-import-'));
    writeFileSync(join(dir, 'auto.docx'), await Packer.toBuffer(doc));
    const { code, stdout } = await runCli(['plan', 'import', 'auto.docx', '--year', '2023', '--county', '某县', '--json'], { cwd: dir });
    expect(code).toBe(0);
    expect(JSON.parse(stdout).tasks.map((t: JsonTask) => [t.no, t.name])).toEqual([
      [1, '做好政策文件发布'],
      [2, '深化政策解读'],
      [3, '财政信息公开'],
    ]);
  });

  it('refuses a PDF file with the way to extract its text, and reads that text laid out by pdftotext -layout', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'zwgk-import-'));
    writeFileSync(join(dir, 'plan.pdf'), '%PDF-1.7\n%\u00e2\u00e3\n1 0 obj\n');
    const pdf = await runCli(['plan', 'import', 'plan.pdf', '--year', '2023', '--county', '西岭县'], { cwd: dir });
    expect(pdf.code).toBe(1);
    expect(pdf.stderr).toContain('pdftotext -layout');
    copyFileSync(join(officesDir, 'county-plan-pdf-layout.txt'), join(dir, 'plan.txt'));
    const text = await runCli(['plan', 'import', 'plan.txt', '--year', '2023', '--county', '西岭县', '--json'], { cwd: dir });
    expect(text.code).toBe(0);
    expect(JSON.parse(text.stdout).tasks.map((t: JsonTask) => t.name)).toEqual(offices.find((o) => o.file === 'county-plan-pdf-layout.txt')!.tasks.map((t) => t.name));
  });
});

describe('htmlTableRows', () => {
  it('keeps every cell in its column: a colspan is followed by empty cells, a rowspan leaves its column empty below', () => {
    const html =
      '<p>标题</p><table><tr><td colspan="2"><p>工作任务</p></td><td><p>责任单位</p></td></tr>' +
      '<tr><td rowspan="2"><p>甲</p></td><td><p>1</p></td><td><p>县政府办</p></td></tr>' +
      '<tr><td><p>2</p></td><td><p>A &amp; B</p><p>第二行</p></td></tr></table>';
    expect(htmlTableRows(html)).toEqual([['标题'], ['工作任务', '', '责任单位'], ['甲', '1', '县政府办'], ['', '2', 'A & B\n第二行']]);
  });

  it('writes out automatic numbers: an empty numbered cell counts on down its column, numbered items with text from 1 in their cell', () => {
    const row = (no: string, text: string) => `<tr><td>${no}</td><td>${text}</td></tr>`;
    const html =
      '<table>' +
      row('<p>序号</p>', '<p>要求</p>') +
      row('<ol><li></li></ol>', '<ol><li><p>公开</p></li><li><p>解读</p></li></ol>') +
      row('<ol><li></li></ol>', '<p>培训</p>') +
      '</table>';
    expect(htmlTableRows(html)).toEqual([
      ['序号', '要求'],
      ['1', '1.公开\n2.解读'],
      ['2', '培训'],
    ]);
  });
});
