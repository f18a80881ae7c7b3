import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { AssignmentSchema, MilestoneSchema, PlanSchema } from '../model/schemas.js';
import { findContentDeadlines, parseDeadline } from './deadlines.js';
import { parsePlanTable, type ParsePlanTableResult } from './parse-plan-table.js';
import { parseResponsibility } from './responsibility.js';

const OPTIONS = { year: 2022, county: '沁源县' } as const;
/** Hundreds of imports per property: generous, so a machine busy with other test files does not time them out. */
const PROPERTY_TIMEOUT = 30_000;

/** Lines as a reader counts them (CRLF, CR and LF all end a line). */
const lineCount = (text: string) => text.split(/\r\n|\r|\n/).length;

function checkResult(text: string, result: ParsePlanTableResult): void {
  if (!result.success) {
    expect(result.error.length).toBeGreaterThan(0);
    return;
  }
  expect(result.data.tasks.length).toBeGreaterThan(0);
  const parsed = PlanSchema.safeParse(result.data);
  expect(parsed.success, parsed.success ? '' : parsed.error.message).toBe(true);
  const lines = lineCount(text);
  for (const d of result.diagnostics) {
    expect(d.line).toBeGreaterThanOrEqual(1);
    expect(d.line).toBeLessThanOrEqual(lines);
  }
}

const HEADERS = [
  '序号', '编号', '任务名称', '工作任务', '重点任务', '任务', '任务内容', '具体要求', '细化分工', '工作要求', '工作内容',
  '责任单位', '责任科室', '责任处室', '责任部门', '牵头单位', '配合单位', '协办单位', '时间节点', '时限要求', '完成时限',
  '完成时间', '备注', '类别', '说明',
];
const CELLS = [
  '政策发布', '政务数据共享', '县政府办、各乡镇、开发区、县直各有关部门', '县司法局牵头，各乡镇及相关部门落实',
  '县行政审批局牵头，各相关职能部门配合', '县教育局牵头落实', '全年', '11 月底前', '9月底', '每年3月底前', '年底前',
  '长期推进', '每季度', '上半年', '2021年8月前', '9月5日前', '2022 年度的市\n场监管信息 10 月底前补录完 成，每年 3 月底前公布',
  '发挥政府网站作为政务公开的第一平台作用，\n行政机关主动公开的各类文件应确保在政府网站首发。', '年度抽查计划应于每年3月底前公布。',
  '、', '。', '，', '同上', '〃', '按上级要求', '一、推进决策公开', '①', '(2)', '13月底前', '2月30日前', '', ' ', '\u3000',
];

/** Text that looks like a task table: header words, numbers, cells, separators, blank lines, noise. */
const tableLike = fc
  .record({
    header: fc.array(fc.constantFrom(...HEADERS), { minLength: 0, maxLength: 8 }),
    rows: fc.array(
      fc.array(
        fc.oneof(
          { weight: 5, arbitrary: fc.constantFrom(...CELLS) },
          { weight: 2, arbitrary: fc.integer({ min: 0, max: 60 }).map(String) },
          { weight: 1, arbitrary: fc.constantFrom(...HEADERS) },
          { weight: 1, arbitrary: fc.string({ maxLength: 12 }) },
        ),
        { maxLength: 9 },
      ),
      { maxLength: 12 },
    ),
    separator: fc.constantFrom('\t', '|', ',', '\n\t', '\n'),
    rowEnd: fc.constantFrom('\n', '\n\n', '|\n', '\r\n', '\n\t'),
    pipes: fc.boolean(),
    preamble: fc.constantFrom('', ' \t附件\n\n\t沁源县2022年政务公开工作要点任务分解表\n\n', '# 某县2021年任务分解表\n\n'),
  })
  .map(({ header, rows, separator, rowEnd, pipes, preamble }) => {
    const line = (cells: string[]) => (pipes ? `| ${cells.join(' | ')} |` : cells.join(separator));
    return preamble + [header, ...rows].map(line).join(rowEnd);
  });

describe('parsePlanTable (properties)', () => {
  it('never throws on arbitrary strings, and every success is a valid plan', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 400 }), (text) => {
        checkResult(text, parsePlanTable(text, OPTIONS));
      }),
      { numRuns: 300 },
    );
  }, PROPERTY_TIMEOUT);

  it('never throws on arbitrary unicode, lone surrogates included', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 300 }), (text) => {
        checkResult(text, parsePlanTable(text, OPTIONS));
      }),
      { numRuns: 300 },
    );
  }, PROPERTY_TIMEOUT);

  it('never throws on table-like text; successes validate and diagnostics point inside the text', () => {
    fc.assert(
      fc.property(tableLike, (text) => {
        checkResult(text, parsePlanTable(text, OPTIONS));
      }),
      { numRuns: 400 },
    );
  }, PROPERTY_TIMEOUT);

  it('reads a well-formed generated table completely', () => {
    const row = fc.record({
      name: fc.constantFrom('政策发布', '政务数据共享', '政府公报', '排号公示'),
      content: fc.constantFrom('做好政策公开及解读工作。', '持续做好政府公报工作，做到出版形式规范。'),
      responsibility: fc.constantFrom('县政府办', '县司法局牵头，各乡镇及相关部门落实', '各乡镇、开发区，县直各有关部门'),
      deadline: fc.constantFrom('全年', '11月底前', '9 月底', '年底前'),
    });
    fc.assert(
      fc.property(fc.array(row, { minLength: 1, maxLength: 15 }), fc.constantFrom('cells', 'pipe', 'tsv'), (rows, layout) => {
        const header = ['序号', '任务名称', '任务内容', '责任单位', '时间节点'];
        const cells = rows.map((r, i) => [String(i + 1), r.name, r.content, r.responsibility, r.deadline]);
        const text =
          layout === 'cells'
            ? [header, ...cells].flat().map((c) => `\t${c}\n`).join('')
            : layout === 'pipe'
              ? [header, ...cells].map((c) => `| ${c.join(' | ')} |`).join('\n')
              : [header, ...cells].map((c) => c.join('\t')).join('\n');
        const result = parsePlanTable(text, OPTIONS);
        expect(result.success).toBe(true);
        if (!result.success) return;
        expect(result.data.tasks.map((t) => t.name)).toEqual(rows.map((r) => r.name));
        expect(result.data.tasks.every((t) => t.milestones.length >= 1 && t.units.length >= 1)).toBe(true);
      }),
      { numRuns: 150 },
    );
  }, PROPERTY_TIMEOUT);
});

describe('parseDeadline, findContentDeadlines and parseResponsibility (properties)', () => {
  it('never throw and only produce valid milestones and assignments', () => {
    fc.assert(
      fc.property(
        fc.oneof(fc.string({ maxLength: 60 }), fc.string({ unit: 'binary', maxLength: 60 }), fc.constantFrom(...CELLS)),
        fc.oneof(fc.integer({ min: 1990, max: 2110 }), fc.integer(), fc.constant(Number.NaN)),
        (text, year) => {
          const { milestones, diagnostics } = parseDeadline(text, year);
          for (const m of [...milestones, ...findContentDeadlines(text, year)]) expect(MilestoneSchema.safeParse(m).success).toBe(true);
          expect(Array.isArray(diagnostics)).toBe(true);
          for (const a of parseResponsibility(text)) expect(AssignmentSchema.safeParse(a).success).toBe(true);
        },
      ),
      { numRuns: 500 },
    );
  });

  it('either dates a phrase or says why not', () => {
    fc.assert(
      fc.property(fc.oneof(fc.string({ maxLength: 30 }), fc.constantFrom(...CELLS)), (text) => {
        const { milestones, diagnostics } = parseDeadline(text, 2022);
        expect(milestones.length + diagnostics.length).toBeGreaterThan(0);
      }),
      { numRuns: 300 },
    );
  });
});
