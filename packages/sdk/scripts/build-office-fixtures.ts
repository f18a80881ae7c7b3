/**
 * Builds the Word (.docx), Excel (.xlsx) and PDF-text fixtures of `test/fixtures/offices/` from the grids
 * below. The tables are written for the tests, in the styles real offices publish (a county bureau's
 * Word table with 责任股室 listed one per line, a city bureau's workbook with a two-row header and a
 * merged category column, a county's Word table printed to PDF and read back with `pdftotext -layout`);
 * their expectations are hand-written in `test/fixtures/offices/expected.ts`.
 * Run: npx tsx scripts/build-office-fixtures.ts (from packages/sdk; the PDF step needs LibreOffice and
 * poppler-utils). The outputs are committed, so tests need neither.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { writeDocx, writeXlsx, type Grid } from './office-grid.js';

const dir = fileURLToPath(new URL('../test/fixtures/offices/', import.meta.url));
const t = (text: string, rowSpan?: number, colSpan?: number) => ({ text, rowSpan, colSpan });

/** A county market-regulation bureau's own list (Word): 责任股室 one per line, a task name over two rows. */
const bureauDocx: Grid = {
  file: 'county-bureau-word.docx',
  title: '东岭县市场监督管理局2023年政务公开工作任务分解',
  source: 'written for the tests',
  columns: 5,
  rows: [
    [t('序号'), t('重点任务'), t('具体内容'), t('责任股室'), t('完成时限')],
    [t('1'), t('行政执法信息公示'), t('行政处罚决定书在作出决定之日起7个工作日内公示。'), t('法规股\n执法大队（稽查局）'), t('及时')],
    [t('2'), t('年度报告', 2), t('编制并发布本局上一年度政府信息公开工作年度报告。'), t('办公室'), t('每年1月31日前')],
    [t('3'), t('在年度报告中公开行政执法统计年报数据。'), t('法规股 办公室'), t('2023年3月31日前')],
    [t('4'), t('食品安全抽检信息公开'), t('公开食品安全监督抽检结果和不合格产品核查处置情况。'), t('食品安全协调股\n各市场监管所'), t('每季度结束后15个工作日内')],
    [t('5'), t('政策解读'), t('本局制发的规范性文件同步开展解读。'), t('各股室'), t('长期')],
  ],
};

/** A city transport bureau's ledger (Excel): 责任处室 over 牵头处室 | 配合处室, a category merged down. */
const cityXlsx: Grid = {
  file: 'city-bureau-ledger.xlsx',
  title: '北江市交通运输局2023年政务公开重点工作台账',
  source: 'written for the tests',
  columns: 6,
  rows: [
    [t('类别', 2), t('序号', 2), t('工作任务', 2), t('责任处室', 1, 2), t('完成时限', 2)],
    [t('牵头处室'), t('配合处室')],
    [t('决策公开', 2), t('1'), t('重大行政决策事项目录公开'), t('政策法规处'), t('办公室'), t('上半年')],
    [t('2'), t('决策草案公开征求意见，意见采纳情况及时反馈'), t('政策法规处'), t('各业务处室'), t('持续推进')],
    [t('执行公开', 3), t('3'), t('重点项目建设进展公开'), t('建设管理处'), t('规划计划处；财务审计处'), t('第三季度')],
    [t('4'), t('交通运输行政执法信息公开'), t('综合执法支队'), t(''), t('2023年9月30日前')],
    [t('5'), t('网约车、出租车运营服务信息公开'), t('运输服务处'), t('市交通运输事业发展中心'), t('每月10日前')],
  ],
};

/** A county's plan (Word, printed to PDF): long requirements wrapping beside one-line units and dates. */
const countyPdf: Grid = {
  file: 'county-plan-pdf-layout.txt',
  title: '西岭县2023年政务公开工作要点任务分解表',
  source: 'written for the tests',
  columns: 5,
  rows: [
    [t('序号'), t('工作任务'), t('工作要求'), t('责任单位'), t('完成时限')],
    [
      t('1'),
      t('加强政策解读'),
      t('坚持政策文件与解读方案、解读材料同步组织、同步审签、同步部署，县政府出台的重要政策文件要通过政策吹风会、简明问答、图表图解等形式进行解读。'),
      t('县政府办牵头，县直各有关单位配合'),
      t('长期坚持'),
    ],
    [
      t('2'),
      t('做好财政信息公开'),
      t('按规定公开财政预决算和“三公”经费信息，按季度公开财政预算执行情况。'),
      t('县财政局、各乡镇人民政府'),
      t('每季度结束后10日内'),
    ],
    [
      t('3'),
      t('推进基层政务公开标准化规范化'),
      t('对照国务院部门制定的26个试点领域标准指引，动态调整完善基层政务公开标准目录，并在政府网站集中发布。'),
      t('县政府办\n县教育局\n县民政局'),
      t('2023年6月底前'),
    ],
    [
      t('4'),
      t('规范政府信息公开申请办理'),
      t('严格落实政府信息公开申请登记、审核、办理、答复、归档等各环节制度，依法依规做好答复工作。'),
      t('县直各有关单位'),
      t('随时'),
    ],
    [t('5'), t('加强政务公开培训'), t('每年至少组织一次全县政务公开业务培训。'), t('县政府办'), t('11月30日前')],
    [
      t('6'),
      t('编制政府信息公开工作年度报告'),
      t('按照统一格式要求编制并发布上一年度政府信息公开工作年度报告，确保数据准确、体例规范。'),
      t('各乡镇人民政府、县直各有关单位'),
      t('每年1月31日前'),
    ],
  ],
};

/**
 * A city's plan over three pages (Word, printed to PDF): 牵头单位 | 配合单位, the header repeated on every
 * page, cells running over a page break, a group name with brackets inside (各县（市、区）人民政府).
 */
const long = (topic: string) =>
  `围绕${topic}，及时准确发布权威信息，通过新闻发布会、政策吹风会、在线访谈等方式加强政策解读，主动回应社会关切，` +
  `做好公开内容的保密审查，确保信息发布合法合规、准确及时，并按要求将落实情况报送市政务公开办。`;
const cityPdf: Grid = {
  file: 'city-plan-pdf-pages.txt',
  title: '北江市2023年政务公开工作要点任务分工',
  source: 'written for the tests',
  columns: 6,
  repeatHeader: 1,
  rows: [
    [t('序号'), t('重点任务'), t('任务分工'), t('牵头单位'), t('配合单位'), t('完成时限')],
    [t('1'), t('优化营商环境信息公开'), t(long('优化营商环境')), t('市发展改革委'), t('市市场监管局、市政务服务管理局'), t('持续推进')],
    [t('2'), t('财政预决算公开'), t(long('财政预决算')), t('市财政局'), t('各县（市、区）人民政府'), t('每季度')],
    [t('3'), t('重大建设项目信息公开'), t(long('重大建设项目')), t('市发展改革委'), t('市住房城乡建设局\n市自然资源局'), t('2023年9月底前')],
    [t('4'), t('就业创业信息公开'), t(long('稳就业保就业')), t('市人力资源社会保障局'), t('各县（市、区）人民政府'), t('第三季度')],
    [t('5'), t('教育领域信息公开'), t(long('义务教育招生入学')), t('市教育局'), t(''), t('8月底前')],
    [t('6'), t('医疗卫生信息公开'), t(long('医疗卫生服务')), t('市卫生健康委'), t('市医保局'), t('年底前')],
    [t('7'), t('生态环境信息公开'), t(long('生态环境保护')), t('市生态环境局'), t('市直各有关单位'), t('随时')],
    [t('8'), t('政务公开平台建设'), t(long('政府网站和政务新媒体')), t('市政府办公室'), t('市委网信办'), t('2023年11月30日前')],
  ],
};

/** A district's list (Word, cells centred vertically, printed to PDF): each cell's lines sit around its row's middle. */
const districtCentred: Grid = {
  file: 'district-plan-pdf-centred.txt',
  title: '东河区2023年政务公开重点任务清单',
  source: 'written for the tests',
  columns: 5,
  centred: true,
  rows: [
    [t('序号'), t('重点任务'), t('具体措施'), t('责任单位'), t('完成时限')],
    [
      t('1'),
      t('加强政策解读'),
      t('坚持政策文件与解读方案、解读材料同步组织、同步审签、同步部署，区政府出台的重要政策文件要通过政策吹风会、简明问答等形式进行解读。'),
      t('区政府办牵头，区直各有关单位配合'),
      t('长期坚持'),
    ],
    [t('2'), t('做好财政信息公开'), t('按规定公开财政预决算和“三公”经费信息，按季度公开财政预算执行情况。'), t('区财政局'), t('每季度结束后10日内')],
    [
      t('3'),
      t('推进基层政务公开标准化规范化'),
      t('对照试点领域标准指引，动态调整完善基层政务公开标准目录，并在政府网站集中发布。'),
      t('区政府办\n区教育局\n区民政局'),
      t('2023年6月底前'),
    ],
    [t('4'), t('加强业务培训'), t('组织一次全区政务公开业务培训。'), t('区政府办'), t('11月30日前')],
    [t('5'), t('办理依申请公开'), t('依法依规办理政府信息公开申请，按时答复。'), t('各街道办事处、区直各部门'), t('及时')],
  ],
};

await writeDocx(bureauDocx, join(dir, bureauDocx.file));
await writeXlsx(cityXlsx, join(dir, cityXlsx.file));

/** The grid as a Word table printed by LibreOffice and read back as `pdftotext -layout` lays it out. */
async function writePdfText(grid: Grid): Promise<void> {
  const work = mkdtempSync(join(tmpdir(), 'zwgk-fixture-'));
  const docx = join(work, 'table.docx');
  await writeDocx(grid, docx);
  execFileSync('soffice', ['--headless', '--convert-to', 'pdf', '--outdir', work, docx], { stdio: 'ignore' });
  execFileSync('pdftotext', ['-layout', join(work, 'table.pdf'), join(work, 'table.txt')]);
  writeFileSync(join(dir, grid.file), readFileSync(join(work, 'table.txt'), 'utf8'));
}

await writePdfText(countyPdf);
await writePdfText(cityPdf);
await writePdfText(districtCentred);
console.log(`${bureauDocx.file}, ${cityXlsx.file}, ${countyPdf.file}, ${cityPdf.file}, ${districtCentred.file} written`);
