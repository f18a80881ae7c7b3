import { describe, expect, it } from 'vitest';
import anze from '../../test/fixtures/cells-anze-2021.txt?raw';
import huguan from '../../test/fixtures/csv-huguan-2021.csv?raw';
import licheng from '../../test/fixtures/merged-cells-licheng-2021.txt?raw';
import wuxiang from '../../test/fixtures/name-first-wuxiang-2021.txt?raw';
import qinxian from '../../test/fixtures/pipe-qinxian-2021.md?raw';
import pingshun from '../../test/fixtures/tsv-pingshun-2021.tsv?raw';
import xiangyuan from '../../test/fixtures/two-units-columns-xiangyuan-2021.txt?raw';
import yangcheng from '../../test/fixtures/wrapped-both-yangcheng-2022.txt?raw';
import zhangzi from '../../test/fixtures/wrapped-content-zhangzi-2021.txt?raw';
import qinshui from '../../test/fixtures/wrapped-responsibility-qinshui-2021.txt?raw';
import { qinyuan2022SeedText } from '../catalog/qinyuan-2022.seed.js';
import { qinyuanUnits } from '../directory/qinyuan-units.js';
import { PlanSchema, type Plan } from '../model/schemas.js';
import { parsePlanTable, type ParsePlanTableResult } from './parse-plan-table.js';

function ok(result: ParsePlanTableResult): Extract<ParsePlanTableResult, { success: true }> {
  if (!result.success) throw new Error(`expected success, got: ${result.error}`);
  return result;
}

const roles = (plan: Plan, no: number) =>
  plan.tasks.find((t) => t.no === no)!.units.map((u) => `${u.unit}:${u.role}`);
const dues = (plan: Plan, no: number) => plan.tasks.find((t) => t.no === no)!.milestones.map((m) => m.due);
const lineCount = (text: string) => text.split(/\r\n|\r|\n/).length;

describe('parsePlanTable', () => {
  describe('one cell per line (a)', () => {
    const { data, diagnostics } = ok(parsePlanTable(anze, { year: 2021, county: '安泽县' }));

    it('reads every task, skipping the header repeated at the page break', () => {
      expect(data.tasks.map((t) => [t.no, t.name])).toEqual([
        [1, '决策预公开'],
        [2, '重大项目信息公开'],
        [3, '公开指南和年度报告'],
        [4, '政府开放日'],
      ]);
      expect(data.title).toBe('安泽县2021年政务公开工作要点任务分解表');
    });

    it('cleans stray punctuation and joins wrapped text', () => {
      const t1 = data.tasks[0]!;
      expect(t1.content).toMatch(/不少于30日。$/);
      expect(t1.deadline).toBe('全年');
      expect(data.tasks[1]!.responsibility).toBe('县发改局、县住建局、县自然资源局');
      expect(data.tasks[3]!.responsibility).toBe('县政府办牵头，县直有关部门配合');
    });

    it('reads roles and deadlines', () => {
      expect(roles(data, 4)).toEqual(['县政府办:lead', '县直有关部门:cooperating']);
      expect(dues(data, 2)).toEqual(['2021-06-30']);
      expect(data.tasks[2]!.milestones).toEqual([
        { due: '2021-01-31', label: '每年1月31日前', recurrence: 'yearly', source: 'deadline', ongoing: false },
      ]);
      expect(dues(data, 4)).toEqual(['2021-09-05']);
    });

    it('leaves no diagnostics on a clean table', () => {
      expect(diagnostics).toEqual([]);
    });
  });

  describe('one cell per line without tabs', () => {
    it('joins a content line wrapped onto the next line back into its cell', () => {
      const text = [
        '序号', '任务名称', '任务内容', '责任单位', '时间节点',
        '1', '政策发布', '发挥政府网站作为政务公开的第一平台作用，行政机关主动公开的各类文件', '应确保在政府网站首发。', '县政府办、各乡镇', '全年',
        '2', '政策解读', '做好政策解读工作。', '县政府办牵头，县直各有关部门落实', '11 月底前',
      ].join('\n');
      const { data } = ok(parsePlanTable(text, { year: 2022, county: '沁源县' }));
      expect(data.tasks.map((t) => [t.no, t.content, t.responsibility, t.deadline])).toEqual([
        [1, '发挥政府网站作为政务公开的第一平台作用，行政机关主动公开的各类文件应确保在政府网站首发。', '县政府办、各乡镇', '全年'],
        [2, '做好政策解读工作。', '县政府办牵头，县直各有关部门落实', '11月底前'],
      ]);
    });
  });

  describe('one cell per line, each closed by a bar', () => {
    it('ends a cell at its bar and keeps a cell wrapped onto a line without a bar whole', () => {
      const text = [
        '序号 |', '工作任务 |', '责任单位 |', '时限要求 |',
        '1 |', '编制基层政务公开事项目录 |', '各乡镇政府 |', '2020年11月底 |',
        '2 |', '推行一次告知制度，', '全面公开办事指南。 |', '市数据资源局，各乡镇政府 |', '2020年底 |',
      ].join('\n');
      const { data } = ok(parsePlanTable(text, { year: 2020, county: '某市', units: [] }));
      expect(data.tasks.map((t) => [t.no, t.name, t.responsibility, t.milestones.map((m) => m.due)])).toEqual([
        [1, '编制基层政务公开事项目录', '各乡镇政府', ['2020-11-30']],
        [2, '推行一次告知制度，全面公开办事指南', '市数据资源局，各乡镇政府', ['2020-12-31']],
      ]);
    });
  });

  describe('cells wrapped onto several lines, one line per cell', () => {
    const brief = ['序号', '任务名称', '任务内容', '责任单位', '时间节点', '1', '政策发布', '及时发布政策文件，', '做好解读', '县政府办牵头，', '各乡镇配合', '全年'];

    it('keeps the lead unit in the responsibility cell, with or without tabs, and says how the lines were read', () => {
      for (const text of [brief.join('\n'), brief.map((line) => `\t${line}`).join('\n')]) {
        const { data, diagnostics } = ok(parsePlanTable(text, { year: 2022, county: '阳城县' }));
        expect(data.tasks[0]).toMatchObject({ content: '及时发布政策文件，做好解读', responsibility: '县政府办牵头，各乡镇配合', deadline: '全年' });
        expect(roles(data, 1)).toEqual(['县政府办:lead', '各乡镇:cooperating']);
        expect(diagnostics).toEqual([
          {
            line: 8,
            severity: 'info',
            task: 1,
            message:
              'task 1: 4 lines for the content column (任务内容) and the responsibility column (责任单位); read as content = "及时发布政策文件，" + "做好解读", responsibility = "县政府办牵头，" + "各乡镇配合"',
          },
        ]);
      }
    });

    it('joins wrapped content and keeps units named inside a sentence in the content (wrapped content)', () => {
      const { data, diagnostics } = ok(parsePlanTable(zhangzi, { year: 2021, county: '长子县' }));
      expect(data.tasks.map((t) => [t.content, t.responsibility, t.deadline])).toEqual([
        ['发挥政府网站作为政务公开第一平台作用，行政机关主动公开的各类文件应确保在政府网站首发。', '县政府办', '全年'],
        ['政策文件与解读材料同步起草、同步审签、同步发布，鼓励采用图解、视频等方式解读。', '县政府办牵头，县直各有关部门落实', '6月底前'],
        ['县司法局应于11月底前指导督促各执法单位将行政执法主体、职责权限等信息录入“行政执法公示平台”。', '县司法局', '11月底前'],
        ['公开公共资源交易全流程信息，由县行政审批局统一发布。', '县行政审批局牵头，各相关职能部门配合', '年底前'],
      ]);
      expect(roles(data, 4)).toEqual(['县行政审批局:lead', '各相关职能部门:cooperating']);
      expect(diagnostics.map((d) => [d.task, d.severity])).toEqual([
        [1, 'info'],
        [2, 'info'],
        [3, 'info'],
        [4, 'info'],
      ]);
    });

    it('joins a responsibility cell wrapped over several lines, role words on their own line included (wrapped responsibility)', () => {
      const { data, diagnostics } = ok(parsePlanTable(qinshui, { year: 2021, county: '沁水县' }));
      expect(data.tasks.map((t) => [t.content, t.responsibility])).toEqual([
        ['重大行政决策事项目录于3月底前向社会公布。', '县政府办牵头，县直各有关部门落实'],
        ['部门预算、决算在批复后20日内向社会公开。', '县财政局、县审计局、县税务局、各乡镇'],
        ['每月公开就业岗位信息，组织线上招聘。', '县人社局牵头，开发区配合'],
      ]);
      expect(roles(data, 1)).toEqual(['县政府办:lead', '县直各有关部门:responsible']);
      expect(roles(data, 3)).toEqual(['县人社局:lead', '开发区:cooperating']);
      expect(diagnostics.find((d) => d.task === 3)).toMatchObject({
        line: 21,
        severity: 'info',
        message: expect.stringContaining('responsibility = "县人社局" + "牵头，开发区" + "配合"'),
      });
    });

    it('splits wrapped content from a wrapped responsibility cell, and warns where it could not tell (both wrapped)', () => {
      const { data, diagnostics } = ok(parsePlanTable(yangcheng, { year: 2022, county: '阳城县' }));
      expect(data.tasks.map((t) => [t.content, t.responsibility])).toEqual([
        ['及时发布政策文件，做好解读', '县政府办牵头，各乡镇配合'],
        ['开展政务新媒体检查，关停整合“僵尸号”，规范账号管理。', '县委网信办、县政府办牵头，各乡镇、县直各有关部门落实'],
        ['规范依申请公开答复，答复前征求县司法局意见，每季度梳理办理情况。', '县政府办、县司法局'],
        ['涉及公众利益的政策文件，起草时征求', '县司法局'],
      ]);
      expect(roles(data, 2)).toEqual(['县委网信办:lead', '县政府办:lead', '各乡镇:responsible', '县直各有关部门:responsible']);
      // Two whole names on two lines are two units, not one name 县政府办县司法局.
      expect(roles(data, 3)).toEqual(['县政府办:responsible', '县司法局:responsible']);
      const task4 = diagnostics.filter((d) => d.task === 4);
      expect(task4).toEqual([
        expect.objectContaining({
          line: 32,
          severity: 'warning',
          message: expect.stringContaining(
            'could not tell whether "县司法局" ends the content ("起草时征求" is unfinished) or starts the responsibility; taken as responsibility',
          ),
        }),
      ]);
      expect(diagnostics.filter((d) => d.severity === 'warning' && /lines for/.test(d.message)).map((d) => d.task)).toEqual([4]);
    });

    it('never reads a lead unit into the content without saying so', () => {
      const noUnitsColumn = ['序号', '任务名称', '任务内容', '时间节点', '1', '政策发布', '及时发布政策文件，', '县政府办牵头，', '全年'].join('\n');
      const { data, diagnostics } = ok(parsePlanTable(noUnitsColumn, { year: 2022, county: '阳城县' }));
      expect(data.tasks[0]!.content).toBe('及时发布政策文件，县政府办牵头');
      expect(diagnostics).toContainEqual(
        expect.objectContaining({ severity: 'warning', message: expect.stringContaining('"县政府办牵头，" names a lead unit but was read as part of the content') }),
      );

      const inSentence = ['序号', '任务名称', '任务内容', '责任单位', '时间节点', '1', '政策解读', '建立联动机制，', '由县政府办牵头，', '各部门配合开展解读。', '县政府办', '全年'];
      const second = ok(parsePlanTable(inSentence.join('\n'), { year: 2022, county: '阳城县' }));
      expect(second.data.tasks[0]).toMatchObject({ content: '建立联动机制，由县政府办牵头，各部门配合开展解读。', responsibility: '县政府办' });
      expect(second.diagnostics).toContainEqual(
        expect.objectContaining({ message: expect.stringContaining('"由县政府办牵头，" names a lead unit but stays in the content: the sentence goes on in "各部门配合开展解读。"') }),
      );
    });
  });

  describe('| rows (b)', () => {
    const { data, diagnostics } = ok(parsePlanTable(qinxian, { year: 2021, county: '沁县' }));

    it('reads rows with wrapped cells and continuation rows', () => {
      expect(data.title).toBe('沁县2021年政务公开工作要点任务分解表');
      expect(data.tasks.map((t) => t.no)).toEqual([1, 2, 3, 4]);
      expect(data.tasks[0]!.content).toBe('重大行政决策事项目录于3月底前向社会公布，决策草案公开征求意见不少于30日。');
      expect(data.tasks[1]!.content).toBe('政策文件与解读材料同步起草、同步审签、同步发布。鼓励采用图解、视频等方式解读。');
    });

    it('skips a section heading row, reporting its line', () => {
      expect(diagnostics).toContainEqual(expect.objectContaining({ line: 5, severity: 'info', message: expect.stringContaining('一、推进决策公开') }));
    });

    it('fills empty cells from the row above (merged cells)', () => {
      expect(data.tasks[2]!.responsibility).toBe('县政府办、各乡镇');
      expect(dues(data, 3)).toEqual(['2021-12-31']);
      expect(diagnostics.filter((d) => d.task === 3).map((d) => d.line)).toEqual([10, 10]);
    });

    it('reads a deadline with two dated steps', () => {
      expect(data.tasks[3]!.milestones.map((m) => [m.due, m.label])).toEqual([
        ['2021-02-28', '2021年2月完成清理'],
        ['2021-08-31', '2021年8月完成整改'],
      ]);
    });
  });

  describe('the name column before the number column (c)', () => {
    const { data } = ok(parsePlanTable(wuxiang, { year: 2021, county: '武乡县' }));

    it('pairs each name with the number that follows it', () => {
      expect(data.tasks.map((t) => [t.no, t.name])).toEqual([
        [1, '政策解读'],
        [2, '基层政务公开标准化规范化'],
        [3, '依申请公开'],
      ]);
      expect(data.tasks[1]!.content).toMatch(/^各乡镇要在2021年8月前/);
    });

    it('reads 长期推进, 2021年8月前 and 每季度', () => {
      expect(data.tasks[0]!.milestones[0]).toMatchObject({ due: '2021-12-31', ongoing: true });
      expect(dues(data, 2)).toEqual(['2021-07-31']);
      expect(dues(data, 3)).toEqual(['2021-03-31', '2021-06-30', '2021-09-30', '2021-12-31']);
    });
  });

  describe('牵头单位 and 配合单位 as two columns (d)', () => {
    const { data } = ok(parsePlanTable(xiangyuan, { year: 2021, county: '襄垣县' }));

    it('makes the first column lead and the second cooperate, ignoring 备注', () => {
      expect(roles(data, 1)).toEqual(['县财政局:lead', '县直各部门:cooperating']);
      expect(roles(data, 2)).toEqual(['县税务局:lead', '县财政局:lead', '县行政审批局:cooperating', '各乡镇:cooperating']);
      expect(data.tasks[0]!.responsibility).toBe('牵头单位：县财政局；配合单位：县直各部门');
      expect(JSON.stringify(data)).not.toContain('重点督办');
    });

    it('reads 上半年, 下半年 and 持续推进', () => {
      expect(dues(data, 1)).toEqual(['2021-06-30']);
      expect(dues(data, 2)).toEqual(['2021-12-31']);
      expect(data.tasks[2]!.milestones[0]).toMatchObject({ due: '2021-12-31', ongoing: true });
    });
  });

  describe('empty cells in | and tab-separated rows', () => {
    const header = '| 序号 | 任务名称 | 任务内容 | 牵头单位 | 配合单位 | 时间节点 |';
    const rows = [
      '| 1 | 公报 | 做好公报工作。 | 县政府办 | 县财政局 | 全年 |',
      '| 2 | 年报 | 发布年度报告。 | 县司法局 |  | 6月底前 |',
      '| 3 | 指南 | 更新公开指南。 | | | |',
      '| 4 | 解读 | 做好政策解读。 | 县教育局 | 同上 | 年底前 |',
      '| 5 | 回应 | 回应社会关切。 | 县卫体局 | 〃 | 9月底前 |',
    ];
    const { data, diagnostics } = ok(parsePlanTable([header, ...rows].join('\n'), { year: 2022, county: '某县' }));
    const byTask = (no: number) => diagnostics.filter((d) => d.task === no).map((d) => d.message);

    it('reads an explicitly empty 配合单位 as no cooperating units, without a diagnostic', () => {
      expect(roles(data, 2)).toEqual(['县司法局:lead']);
      expect(data.tasks[1]!.responsibility).toBe('牵头单位：县司法局');
      expect(byTask(2)).toEqual([]);
    });

    it('copies empty 牵头单位 and 时间节点 cells from the row above as merged cells, saying what was copied', () => {
      expect(roles(data, 3)).toEqual(['县司法局:lead']);
      expect(dues(data, 3)).toEqual(['2022-06-30']);
      expect(byTask(3)).toEqual([
        'task 3: 牵头单位 cell is empty; read as merged with task 2\'s cell above and copied from it: "县司法局"',
        'task 3: 时间节点 cell is empty; read as merged with task 2\'s cell above and copied from it: "6月底前"',
      ]);
    });

    it('notes an empty 配合单位 beside a merged 牵头单位 when the row above had cooperating units', () => {
      const text = [header, rows[0], '| 2 | 年报 | 发布年度报告。 | | | 6月底前 |'].join('\n');
      const result = ok(parsePlanTable(text, { year: 2022, county: '某县' }));
      expect(roles(result.data, 2)).toEqual(['县政府办:lead']);
      expect(result.diagnostics.map((d) => d.message)).toContain(
        'task 2: 配合单位 cell is empty; read as no cooperating units, not copied from task 1 ("县财政局") although 牵头单位 was — write 同上 in the table to copy it',
      );
    });

    it('repeats 配合单位 only where the table says 同上, and says when there was nothing to repeat', () => {
      expect(byTask(4)).toEqual(['task 4: 配合单位 says "同上" (same as above) but task 3 has nothing there; left empty']);
      expect(roles(data, 4)).toEqual(['县教育局:lead']);
      const text = [header, rows[0], '| 2 | 年报 | 发布年度报告。 | 县司法局 | 同上 | 6月底前 |'].join('\n');
      const result = ok(parsePlanTable(text, { year: 2022, county: '某县' }));
      expect(roles(result.data, 2)).toEqual(['县司法局:lead', '县财政局:cooperating']);
      expect(result.diagnostics.map((d) => d.message)).toEqual(['task 2: 配合单位 says "同上" (same as above); copied from task 1: "县财政局"']);
    });

    it('applies the same rule to tab-separated rows', () => {
      const tsv = ['序号\t任务名称\t任务内容\t牵头单位\t配合单位\t时间节点', '1\t公报\t做好公报工作。\t县政府办\t县财政局\t全年', '2\t年报\t发布年度报告。\t县司法局\t\t'].join('\n');
      const result = ok(parsePlanTable(tsv, { year: 2022, county: '某县' }));
      expect(roles(result.data, 2)).toEqual(['县司法局:lead']);
      expect(dues(result.data, 2)).toEqual(['2022-12-31']);
      expect(result.diagnostics.map((d) => d.message)).toEqual([
        'task 2: 时间节点 cell is empty; read as merged with task 1\'s cell above and copied from it: "全年"',
      ]);
    });
  });

  describe('merged cells covering several rows (e)', () => {
    const { data, diagnostics } = ok(parsePlanTable(licheng, { year: 2021, county: '黎城县', units: qinyuanUnits }));

    it('gives a task without its own responsibility and deadline cells those of the task above', () => {
      expect(data.tasks.map((t) => [t.no, t.name])).toEqual([
        [1, '重大决策目录'],
        [2, '决策意见征集'],
        [3, '督查结果公开'],
        [4, '审计整改公开'],
      ]);
      expect(roles(data, 2)).toEqual(roles(data, 1));
      expect(dues(data, 2)).toEqual(['2021-03-31']);
      expect(data.tasks[3]!.responsibility).toBe('县审计局');
      expect(dues(data, 4)).toEqual(['2021-12-31']);
    });

    it('does not mistake a spanning category cell for a task cell', () => {
      expect(data.tasks[2]!.content).toBe('公开重点工作督查情况和整改结果，接受社会监督。');
      expect(JSON.stringify(data.tasks)).not.toContain('加强执行公开');
    });

    it('reports each inherited cell and a unit missing from the directory', () => {
      expect(diagnostics.filter((d) => /read as merged with task/.test(d.message)).map((d) => d.task)).toEqual([2, 2, 2, 4, 4]);
      expect(diagnostics).toContainEqual(expect.objectContaining({ task: 3, severity: 'warning', message: expect.stringContaining('县政府督查室') }));
    });
  });

  describe('tab- and comma-separated rows (f)', () => {
    it('reads a TSV with a quoted cell spanning two lines', () => {
      const { data, diagnostics } = ok(parsePlanTable(pingshun, { year: 2021, county: '平顺县' }));
      expect(data.tasks.map((t) => t.name)).toEqual(['政务新媒体管理', '网站年度报表', '政府公报']);
      expect(data.tasks[0]!.content).toBe('开展政务新媒体检查，关停整合“僵尸号”。');
      expect(data.tasks[1]!.milestones[0]).toMatchObject({ due: '2021-01-15', recurrence: 'yearly' });
      expect(data.title).toBe('平顺县2021年政务公开工作任务分解表');
      // 按上级要求 has no date: a diagnostic on its line, and no guessed milestone.
      expect(data.tasks[2]!.milestones).toEqual([]);
      expect(diagnostics).toContainEqual(expect.objectContaining({ line: 5, task: 3, message: expect.stringContaining('按上级要求') }));
    });

    it('reads a CSV with quoted cells and doubled quotes', () => {
      const { data } = ok(parsePlanTable(huguan, { year: 2021, county: '壶关县' }));
      expect(data.title).toBe('壶关县2021年政务公开工作要点任务分解表');
      expect(data.tasks.map((t) => [t.no, t.name, t.deadline])).toEqual([
        [1, '规范性文件清理', '10月底前'],
        [2, '政策问答库', '年底前'],
      ]);
      expect(data.tasks[0]!.content).toContain('结果"统一"公开');
    });
  });

  describe('the seed', () => {
    it('reports diagnostics only within the text and the split cell of task 2', () => {
      const { diagnostics } = ok(parsePlanTable(qinyuan2022SeedText, { year: 2022, county: '沁源县' }));
      expect(diagnostics.map((d) => d.task)).toEqual([2]);
      expect(diagnostics[0]).toMatchObject({
        severity: 'info',
        message: expect.stringContaining('responsibility = "县政府办、行政审批局、开发区，县直各有关" + "部门"'),
      });
      for (const d of diagnostics) expect(d.line).toBeLessThanOrEqual(lineCount(qinyuan2022SeedText));
    });

    it('keeps a second copy of the table out of the last task, reporting its rows as repeats', () => {
      const once = ok(parsePlanTable(qinyuan2022SeedText, { year: 2022, county: '沁源县' })).data;
      const twice = ok(parsePlanTable(`${qinyuan2022SeedText}\n${qinyuan2022SeedText}`, { year: 2022, county: '沁源县' }));
      expect(twice.data.tasks).toEqual(once.tasks);
      expect(twice.diagnostics.filter((d) => /twice/.test(d.message))).toHaveLength(34);
      expect(twice.diagnostics).toContainEqual(expect.objectContaining({ task: 1, message: expect.stringContaining('numbering starts again') }));
    });

    it('takes the title from the text unless one is given', () => {
      expect(ok(parsePlanTable(qinyuan2022SeedText, { year: 2022, county: '沁源县' })).data.title).toBe('沁源县2022年政务公开工作要点任务分解表');
      expect(ok(parsePlanTable(qinyuan2022SeedText, { year: 2022, county: '沁源县', title: '要点' })).data.title).toBe('要点');
    });
  });

  describe('headers', () => {
    it('reads a header written twice back to back as one header', () => {
      const header = '\t序号\n\t任务名称\n\t任务内容\n\t责任单位\n\t时间节点\n';
      const { data } = ok(parsePlanTable(`${header}${header}\t1\n\t政府公报\n\t做好公报工作。\n\t县政府办\n\t全年\n`, { year: 2022, county: '沁源县' }));
      expect(data.tasks).toEqual([expect.objectContaining({ no: 1, name: '政府公报', responsibility: '县政府办', deadline: '全年' })]);
    });

    it('reads header words written on one line above one-cell-per-line rows', () => {
      const text = '序号  任务名称  任务内容  责任单位  时间节点\n\t1\n\t政府公报\n\t做好公报工作。\n\t县政府办\n\t9月底前\n';
      const { data } = ok(parsePlanTable(text, { year: 2022, county: '沁源县' }));
      expect(data.tasks[0]).toMatchObject({ no: 1, name: '政府公报', deadline: '9月底前' });
    });
  });

  describe('options', () => {
    const table = '序号\t任务名称\t任务内容\t责任单位\t时间节点\n1\t公报\t做好公报。\t相关部门、县图书馆\t全年\n';

    it('carries the given units and group mapping, and resolves units against them', () => {
      const { data, diagnostics } = ok(
        parsePlanTable(table, {
          year: 2023,
          county: '某县',
          units: [{ name: '县图书馆', kind: 'department' }],
          groups: { 相关部门: ['县图书馆'] },
        }),
      );
      expect(data.units).toEqual([{ name: '县图书馆', kind: 'department', aliases: [] }]);
      expect(data.groups).toEqual({ 相关部门: ['县图书馆'] });
      expect(diagnostics).toEqual([]);
      expect(data.tasks[0]!.milestones[0]!.due).toBe('2023-12-31');
    });

    it('refuses invalid options with a clear message instead of throwing', () => {
      expect(parsePlanTable(table, { year: 1900, county: '某县' })).toEqual({ success: false, error: expect.stringContaining('year') });
      expect(parsePlanTable(table, { year: 2022, county: ' ' })).toEqual({ success: false, error: expect.stringContaining('county') });
      expect(parsePlanTable(table, undefined as never)).toMatchObject({ success: false });
      const clash = parsePlanTable(table, {
        year: 2022,
        county: '某县',
        units: [
          { name: '县图书馆', kind: 'department' },
          { name: '县图书馆', kind: 'department' },
        ],
      });
      expect(clash).toMatchObject({ success: false, error: expect.stringContaining('县图书馆') });
    });
  });

  describe('diagnostics', () => {
    it('say what is missing, what was read and what was done, in English', () => {
      const text = [
        '序号\t任务名称\t任务内容\t责任单位\t时间节点',
        '1\t公报\t做好公报。\t县司法厅\t按上级要求',
        '3\t\t做好年报。\t\t',
      ].join('\n');
      const { diagnostics } = ok(parsePlanTable(text, { year: 2022, county: '沁源县', units: qinyuanUnits }));
      const messages = diagnostics.map((d) => `${d.line}: ${d.message}`);
      // An inherited cell keeps the line its text is on, so task 3's notes about it point at line 2.
      expect(messages).toEqual([
        expect.stringMatching(/^2: task 1: the responsibility column names "县司法厅", which is not in the unit directory; did you mean 县司法局/),
        '2: task 1: deadline column: cannot read a date in "按上级要求"; no milestone made from it',
        '2: task 1: no milestone: the deadline column and the content give no readable date, so the task is never due',
        expect.stringMatching(/^2: task 3: the responsibility column names "县司法厅"/),
        '2: task 3: deadline column: cannot read a date in "按上级要求"; no milestone made from it',
        '2: task 3: no milestone: the deadline column and the content give no readable date, so the task is never due',
        '3: task 3: 任务名称 cell is empty; read as merged with task 1\'s cell above and copied from it: "公报"',
        '3: task 3: 责任单位 cell is empty; read as merged with task 1\'s cell above and copied from it: "县司法厅"',
        '3: task 3: 时间节点 cell is empty; read as merged with task 1\'s cell above and copied from it: "按上级要求"',
      ]);
    });

    it('name the missing task numbers', () => {
      const text = ['序号', '任务名称', '任务内容', '责任单位', '时间节点', '1', '甲', '内容甲。', '县政府办', '全年', '4', '乙', '内容乙。', '县政府办', '全年'].join('\n');
      const { diagnostics } = ok(parsePlanTable(text, { year: 2022, county: '沁源县' }));
      expect(diagnostics).toContainEqual(expect.objectContaining({ line: 11, task: 4, message: 'task 4 follows task 1: numbers 2–3 are missing' }));
    });
  });

  describe('failures', () => {
    it('fails with a clear message when no task can be read', () => {
      expect(parsePlanTable('', { year: 2022, county: '沁源县' })).toEqual({ success: false, error: expect.stringContaining('no task table') });
      expect(parsePlanTable('附件\n沁源县工作要点\n', { year: 2022, county: '沁源县' })).toMatchObject({ success: false });
      expect(parsePlanTable('\t序号\n\t任务名称\n\t任务内容\n\t责任单位\n\t时间节点\n', { year: 2022, county: '沁源县' })).toEqual({
        success: false,
        error: 'found the table header on line 1 but no numbered task rows under it',
      });
    });

    it('does not throw on non-string input', () => {
      expect(parsePlanTable(null as never, { year: 2022, county: '沁源县' }).success).toBe(false);
      expect(parsePlanTable(42 as never, { year: 2022, county: '沁源县' }).success).toBe(false);
    });

    it('assumes the usual columns when the header is missing, and says so', () => {
      const result = ok(parsePlanTable('\t1\n\t政策发布\n\t发挥政府网站作用。\n\t县政府办\n\t全年\n', { year: 2022, county: '沁源县' }));
      expect(result.data.tasks[0]).toMatchObject({ no: 1, name: '政策发布', deadline: '全年' });
      expect(result.diagnostics[0]).toMatchObject({ line: 1, severity: 'warning', message: expect.stringContaining('no header') });
    });

    it('keeps a second task written under a number already taken, numbered after the highest, and says so', () => {
      const text = '| 序号 | 任务名称 | 任务内容 | 责任单位 | 时间节点 |\n| 1 | 甲 | 内容甲。 | 县政府办 | 全年 |\n| 1 | 乙 | 内容乙。 | 县政府办 | 全年 |\n| 2 | 丙 | 内容丙。 | 县政府办 | 全年 |\n';
      const { data, diagnostics } = ok(parsePlanTable(text, { year: 2022, county: '沁源县' }));
      expect(data.tasks.map((t) => [t.no, t.name])).toEqual([
        [1, '甲'],
        [3, '乙'],
        [2, '丙'],
      ]);
      expect(diagnostics).toContainEqual({
        line: 3,
        severity: 'warning',
        task: 3,
        message: 'task 3: the table numbers this row 1 too (first on line 2); kept as task 3, after the table\'s highest number',
      });
      expect(PlanSchema.safeParse(data).success).toBe(true);
    });

    it('skips section rows numbered 一, 二 in a number column whose tasks are numbered 1, 2, 3', () => {
      const text = '序号,工作任务,责任单位,完成时限\n一,加强政策发布解读,,\n1,政策发布,县政府办,年底前\n2,政策解读,县司法局,6月底前\n二,推进重点领域公开,,\n3,财政公开,县财政局,每季度\n';
      const { data, diagnostics } = ok(parsePlanTable(text, { year: 2023, county: '某县' }));
      expect(data.tasks.map((t) => [t.no, t.name, t.units.map((u) => u.unit).join()])).toEqual([
        [1, '政策发布', '县政府办'],
        [2, '政策解读', '县司法局'],
        [3, '财政公开', '县财政局'],
      ]);
      expect(diagnostics).toContainEqual(expect.objectContaining({ line: 5, severity: 'info', message: 'section heading skipped: "二 推进重点领域公开"' }));
    });

    it('joins a Word cell of several paragraphs that broke its tab-separated row without quotes', () => {
      const text = [
        '序号\t工作任务\t牵头单位\t配合单位\t完成时限',
        '1\t平台建设\t县政务服务中心\t各乡镇人民政府',
        '县直各有关单位\t第四季度',
        '2\t网站建设\t县政府办\t无\t随时',
      ].join('\n');
      const { data, diagnostics } = ok(parsePlanTable(text, { year: 2023, county: '某县' }));
      expect(data.tasks.map((t) => [t.name, t.units.map((u) => `${u.unit}:${u.role}`).join(' '), t.milestones.map((m) => m.due).join()])).toEqual([
        ['平台建设', '县政务服务中心:lead 各乡镇人民政府:cooperating 县直各有关单位:cooperating', '2023-12-31'],
        ['网站建设', '县政府办:lead', '2023-12-31'],
      ]);
      expect(diagnostics).toContainEqual(expect.objectContaining({ line: 2, message: expect.stringContaining('joined back into its row') }));
    });

    it('leaves a note under the table (注：…) out of the last task, with a warning', () => {
      for (const text of [
        '| 工作任务 | 工作要求 | 责任单位 | 完成时间 |\n| 政策发布 | 做好发布。 | 区政府办 | 年底前 |\n| 注：各单位每季度结束后10日内报送落实情况。 | | | |\n',
        '序号,工作任务,责任单位,完成时限\n1,政策发布,县政府办,年底前\n注：各单位每季度结束后10日内报送落实情况。,,,\n',
      ]) {
        const { data, diagnostics } = ok(parsePlanTable(text, { year: 2023, county: '某县' }));
        expect(data.tasks.map((t) => [t.name, t.content, t.milestones.map((m) => m.due).join()])).toEqual([['政策发布', data.tasks[0]!.content, '2023-12-31']]);
        expect(data.tasks[0]!.content).not.toContain('注');
        expect(diagnostics).toContainEqual(expect.objectContaining({ severity: 'warning', message: expect.stringContaining('note under the table') }));
      }
    });

    it('skips a row repeating an earlier task word for word, and reports it', () => {
      const text = '| 序号 | 任务名称 | 任务内容 | 责任单位 | 时间节点 |\n| 1 | 甲 | 内容甲。 | 县政府办 | 全年 |\n| 1 | 甲 | 内容甲。 | 县政府办 | 全年 |\n';
      const { data, diagnostics } = ok(parsePlanTable(text, { year: 2022, county: '沁源县' }));
      expect(data.tasks.map((t) => t.name)).toEqual(['甲']);
      expect(diagnostics).toContainEqual(expect.objectContaining({ line: 3, severity: 'warning', message: expect.stringContaining('this repeated row is skipped') }));
    });
  });
});

describe('parsePlanTable row reports', () => {
  it('give each task a confidence: high as written, medium when inherited or inferred, low when something is unread', () => {
    const text = [
      '序号\t任务名称\t任务内容\t责任单位\t时间节点',
      '1\t公报\t做好公报。\t县财政局\t年底前',
      '2\t\t做好年报。\t县统计局\t',
      '3\t解读\t做好解读。\t\t按上级要求',
    ].join('\n');
    const result = parsePlanTable(text, { year: 2022, county: '某县', units: [] });
    if (!result.success) throw new Error(result.error);
    expect(result.rows.map((r) => [r.task, r.line, r.confidence])).toEqual([
      [1, 2, 'high'],
      [2, 3, 'medium'],
      [3, 4, 'low'],
    ]);
    expect(result.rows[1]!.inherited).toEqual([
      expect.stringContaining('任务名称 cell is empty; read as merged'),
      expect.stringContaining('时间节点 cell is empty; read as merged'),
    ]);
    expect(result.rows[2]!.unread).toContainEqual(expect.stringContaining('cannot read a date in "按上级要求"'));
  });
});

describe('parsePlanTable fit explanations', () => {
  it('reads the same whenever and however the diagnostics of a wrapped row are read', () => {
    const first = ok(parsePlanTable(yangcheng, { year: 2022, county: '阳城县', units: [] }));
    const fit = first.diagnostics.find((d) => d.task === 2 && d.message.includes('read as'))!;
    expect(fit.message).toMatch(/^task 2: \d+ lines for the content column \(任务内容\) and the responsibility column \(责任单位\); read as content = /);
    expect(fit.message).toBe(fit.message);
    // Spread, JSON and structured copies see the written message as a plain property.
    expect({ ...fit }.message).toBe(fit.message);
    expect(JSON.parse(JSON.stringify(first.diagnostics))).toEqual(first.diagnostics.map((d) => ({ ...d })));
    expect(structuredClone(first.diagnostics)).toEqual(first.diagnostics);
    // Row reports read before the diagnostics quote the same words.
    const second = ok(parsePlanTable(yangcheng, { year: 2022, county: '阳城县', units: [] }));
    const report = second.rows.find((r) => r.task === 2)!;
    expect([...report.inferred, ...report.unread]).toContain(fit.message.replace(/^task 2: /, ''));
    expect(second.diagnostics.map((d) => d.message)).toEqual(first.diagnostics.map((d) => d.message));
  });
});

describe('parsePlanTable on tables as clerks produce them', () => {
  const read = (text: string) => ok(parsePlanTable(text, { year: 2024, county: '某县', units: [] }));
  const summary = (plan: Plan) => plan.tasks.map((t) => [t.no, t.name, t.units.map((u) => `${u.unit}:${u.role}`).join(' '), t.milestones.map((m) => m.due).join(' ')]);

  it('reads Chinese ordinals in the number column (（一）, 二、) as task numbers, without a warning', () => {
    const result = read(
      ['序号\t工作任务\t具体要求\t责任单位\t完成时限', '（一）\t政策发布\t及时发布。\t县政府办\t全年', '二、\t政策解读\t做好解读。\t县司法局\t9月底前', '（三）\t回应关切\t及时回应。\t县政府办\t每半年'].join('\n'),
    );
    expect(summary(result.data)).toEqual([
      [1, '政策发布', '县政府办:responsible', '2024-12-31'],
      [2, '政策解读', '县司法局:responsible', '2024-09-30'],
      [3, '回应关切', '县政府办:responsible', '2024-06-30 2024-12-31'],
    ]);
    expect(result.diagnostics.filter((d) => d.severity === 'warning')).toEqual([]);
  });

  it('reads rows that leave out the empty 备注 at their end as written, past columns it ignores (责任人)', () => {
    const result = read(
      ['序号|工作任务|具体要求|责任领导|责任单位|责任人|完成时限|备注', '1|政策发布|及时发布。|张三|县政府办|李四|全年|', '2|政策解读|做好解读。|张三|县司法局|王五|2024年9月底前|'].join('\n'),
    );
    expect(summary(result.data)).toEqual([
      [1, '政策发布', '县政府办:responsible', '2024-12-31'],
      [2, '政策解读', '县司法局:responsible', '2024-09-30'],
    ]);
    expect(result.data.tasks.map((t) => t.content)).toEqual(['及时发布。', '做好解读。']);
  });

  it('reads units separated by spaces, roles in one cell and dotted dates in a Word-style table', () => {
    const result = read(
      [
        '序号|工作任务|责任单位|完成时限',
        '1|政策发布|牵头：县政府办；配合：县司法局|全年',
        '2|政策解读|县政府办 县司法局|12月底前',
        '3|基层公开|县政府办 牵头，各镇（街道）配合|长期坚持',
        '4|财政公开|县财政局、县直有关单位|2024.6.30',
      ].join('\n'),
    );
    expect(summary(result.data)).toEqual([
      [1, '政策发布', '县政府办:lead 县司法局:cooperating', '2024-12-31'],
      [2, '政策解读', '县政府办:responsible 县司法局:responsible', '2024-12-31'],
      // The bracketed other name is dropped in a list as it is from a lone 各镇（街道）.
      [3, '基层公开', '县政府办:lead 各镇:cooperating', '2024-12-31'],
      [4, '财政公开', '县财政局:responsible 县直有关单位:responsible', '2024-06-30'],
    ]);
    expect(result.data.tasks[2]!.units.find((u) => u.unit === '各镇')!.group).toBe(true);
  });

  it('reads a table copied from a PDF viewer: cells separated by spaces, wrapped lines carrying on the cells above', () => {
    const result = read(
      [
        '附件',
        '某县2024年政务公开工作要点任务分解表',
        '序号 工作任务 具体措施 责任单位 完成时限',
        '1 政策发布 及时发布政策文件，',
        '做好政策解读。 县政府办 全年',
        '2 执法公示 落实行政执法三项 县司法局牵头， 12月底前',
        '制度。 各乡镇配合',
        '3 财政信息 公开预决算信息。 县财政局 每半年',
      ].join('\n'),
    );
    expect(result.data.title).toBe('某县2024年政务公开工作要点任务分解表');
    expect(summary(result.data)).toEqual([
      [1, '政策发布', '县政府办:responsible', '2024-12-31'],
      [2, '执法公示', '县司法局:lead 各乡镇:cooperating', '2024-12-31'],
      [3, '财政信息', '县财政局:responsible', '2024-06-30 2024-12-31'],
    ]);
    expect(result.data.tasks.map((t) => t.content)).toEqual(['及时发布政策文件，做好政策解读。', '落实行政执法三项制度。', '公开预决算信息。']);
  });

  it('reads 无 or a dash in a units cell as no unit, and a bare year as that year\'s end', () => {
    const result = read(['序号|工作任务|牵头单位|配合单位|完成时限', '1|政策发布|县政府办|无|全年', '2|回应关切|县政府办|——|2024年'].join('\n'));
    expect(summary(result.data)).toEqual([
      [1, '政策发布', '县政府办:lead', '2024-12-31'],
      [2, '回应关切', '县政府办:lead', '2024-12-31'],
    ]);
    expect(result.data.tasks[1]!.milestones[0]).toMatchObject({ label: '2024年', ongoing: false });
  });

  it('numbers rows in order when the table uses sub-numbers (1.1, 1.2), losing none and saying how it numbered them', () => {
    const result = read(
      ['序号|工作任务|具体措施|责任单位|完成时限', '1|政策发布|及时发布。|县政府办|全年', '1.1|政策解读|做好解读。|县司法局|6月底前', '1.2|回应关切|及时回应。|县政府办|9月底前', '2|平台建设|建好网站。|县政府办|年底前'].join('\n'),
    );
    expect(summary(result.data).map(([no, name]) => [no, name])).toEqual([
      [1, '政策发布'],
      [2, '政策解读'],
      [3, '回应关切'],
      [4, '平台建设'],
    ]);
    expect(result.diagnostics.map((d) => d.message)).toEqual(
      expect.arrayContaining([expect.stringContaining('task 2: the table numbers this row 1.1'), expect.stringContaining('task 4: the table numbers this row 2')]),
    );
    expect(result.diagnostics.filter((d) => d.severity === 'warning')).toEqual([]);
  });

  it('reads a second header row naming the columns under a spanning one (责任单位 over 牵头单位 | 配合单位)', () => {
    const result = read(['序号,工作任务,责任单位,,完成时限', ',,牵头单位,配合单位,', '1,政策发布,县政府办,县司法局,全年', '2,政策解读,县财政局,各乡镇,6月底前'].join('\n'));
    expect(summary(result.data)).toEqual([
      [1, '政策发布', '县政府办:lead 县司法局:cooperating', '2024-12-31'],
      [2, '政策解读', '县财政局:lead 各乡镇:cooperating', '2024-06-30'],
    ]);
  });

  it('reads a short finished sentence in a row missing a cell as the requirement under a merged name, not as a name', () => {
    const cells = ['类别', '序号', '工作任务', '具体要求', '责任单位', '完成时限', '一、政策公开', '1', '政策发布', '及时发布政策文件。', '县政府办', '全年', '2', '做好政策解读。', '县司法局', '6月底前'];
    const result = read(cells.map((c) => `\t${c}`).join('\n'));
    expect(summary(result.data)).toEqual([
      [1, '政策发布', '县政府办:responsible', '2024-12-31'],
      [2, '政策发布', '县司法局:responsible', '2024-06-30'],
    ]);
    expect(result.data.tasks[1]!.content).toBe('做好政策解读。');
  });

  it('reads a delimited table with no header row by what its columns hold, in any order, and warns that it did', () => {
    const tsv = read(['1\t政策发布\t及时发布政策文件。\t县政府办\t全年', '2\t政策解读\t做好政策解读工作。\t县司法局牵头，各乡镇配合\t6月底前'].join('\n'));
    expect(summary(tsv.data)).toEqual([
      [1, '政策发布', '县政府办:responsible', '2024-12-31'],
      [2, '政策解读', '县司法局:lead 各乡镇:cooperating', '2024-06-30'],
    ]);
    expect(tsv.diagnostics).toContainEqual(expect.objectContaining({ severity: 'warning', message: expect.stringContaining('序号 任务名称 任务内容 责任单位 时间节点') }));
    const csv = read(['政策发布,1,县政府办,全年,及时发布。', '政策解读,2,县司法局,6月底前,做好解读。'].join('\n'));
    expect(summary(csv.data)).toEqual([
      [1, '政策发布', '县政府办:responsible', '2024-12-31'],
      [2, '政策解读', '县司法局:responsible', '2024-06-30'],
    ]);
    expect(csv.data.tasks.map((t) => t.content)).toEqual(['及时发布。', '做好解读。']);
  });
});
