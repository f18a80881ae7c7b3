import { AlignmentType, Document, Footer, LineRuleType, Packer, PageNumber, Paragraph, TextRun } from 'docx';
import type { Assessment, Plan } from '@zwgk/sdk';
import { displayWidth } from '../table.js';
import { chineseDate, type ReportContext } from './context.js';
import { DEFAULT_TONGBAO_TEMPLATE, fillTongbao, tongbaoData } from './tongbao.js';

/** The font names of the county office's 公文 template (GB/T 9704); Word and WPS substitute when one is missing. */
export const TONGBAO_FONTS = {
  title: '方正小标宋简体',
  body: '仿宋_GB2312',
  heading1: '黑体',
  heading2: '楷体_GB2312',
  pageNumber: '宋体',
} as const;

/** A template that does not compile or lacks its header separator. */
export class TongbaoTemplateError extends Error {
  override name = 'TongbaoTemplateError';
}

const MM = 56.7; // twips per millimetre
const CHAR = 320; // one 三号 (16 pt) character in twips
const LINE = 579; // 28.95 pt: 22 lines on the type area of GB/T 9704
const BODY = 32; // 三号 in half-points
const TITLE = 44; // 二号

function run(text: string, font: string, size = BODY): TextRun {
  return new TextRun({ text, font, size });
}

type ParaOptions = { indent?: boolean; align?: (typeof AlignmentType)[keyof typeof AlignmentType]; right?: number; keepNext?: boolean };

function para(text: string, font: string, options: ParaOptions = {}): Paragraph {
  return new Paragraph({
    keepNext: options.keepNext ?? false,
    alignment: options.align ?? AlignmentType.JUSTIFIED,
    spacing: { line: LINE, lineRule: LineRuleType.EXACT, before: 0, after: 0 },
    indent: { ...(options.indent ? { firstLine: 2 * CHAR } : {}), ...(options.right ? { right: options.right } : {}) },
    children: [run(text, font)],
  });
}

/**
 * The 通报 as a Word document in the usual 公文 layout: A4 with the margins of GB/T 9704 (top 37 mm,
 * bottom 35 mm, left 28 mm, right 26 mm), the title in 二号 方正小标宋简体 centred, the 主送 line, the body
 * in 三号 仿宋_GB2312 (level-1 headings 黑体, level-2 楷体_GB2312) on 28.95 pt lines with a two-character
 * indent, the 落款 (the office centred over the date, the date four characters from the right margin)
 * and page numbers `— 1 —`. The text comes from `context.template` (default
 * {@link DEFAULT_TONGBAO_TEMPLATE}) filled with {@link tongbaoData}.
 *
 * @throws TongbaoTemplateError when the template does not compile or has no `---` line
 * @example
 * await writeFile('通报.docx', await renderDocx(assessment, plan, { office: { name: '沁源县人民政府办公室' }, issued: '2023-01-05' }));
 */
export async function renderDocx(assessment: Assessment, plan: Plan, context: ReportContext = {}): Promise<Uint8Array> {
  const data = tongbaoData(assessment, plan, context);
  const filled = await fillTongbao(context.template ?? DEFAULT_TONGBAO_TEMPLATE, data);
  if (!filled.success) throw new TongbaoTemplateError(filled.error);
  const { title, to, paragraphs } = filled.data;

  const children: Paragraph[] = title.map(
    (line, i) =>
      new Paragraph({
        alignment: AlignmentType.CENTER,
        keepNext: true,
        spacing: { line: 700, lineRule: LineRuleType.EXACT, before: 0, after: i === title.length - 1 ? LINE : 0 },
        children: [run(line, TONGBAO_FONTS.title, TITLE)],
      }),
  );
  if (to) children.push(para(to, TONGBAO_FONTS.body, { align: AlignmentType.LEFT }));
  paragraphs.forEach((p, i) => {
    const font = p.kind === 'h1' ? TONGBAO_FONTS.heading1 : p.kind === 'h2' ? TONGBAO_FONTS.heading2 : TONGBAO_FONTS.body;
    // headings stay with what follows; the last paragraph stays with the 落款, which never stands alone on a page
    children.push(para(p.text, font, { indent: true, keepNext: p.kind !== 'body' || i === paragraphs.length - 1 }));
  });

  // 落款: two blank lines, the office centred over the date, the date four characters from the right
  const date = chineseDate(data.issued);
  const dateRight = 4 * CHAR;
  children.push(para('', TONGBAO_FONTS.body, { keepNext: true }), para('', TONGBAO_FONTS.body, { keepNext: true }));
  if (data.office.name) {
    const officeRight = Math.max(0, dateRight + ((displayWidth(date) - displayWidth(data.office.name)) * CHAR) / 4);
    children.push(para(data.office.name, TONGBAO_FONTS.body, { align: AlignmentType.RIGHT, right: Math.round(officeRight), keepNext: true }));
  }
  children.push(para(date, TONGBAO_FONTS.body, { align: AlignmentType.RIGHT, right: dateRight }));

  const doc = new Document({
    title: title.join(''),
    creator: data.office.name || plan.county,
    styles: { default: { document: { run: { font: TONGBAO_FONTS.body, size: BODY } } } },
    sections: [
      {
        properties: {
          page: {
            size: { width: Math.round(210 * MM), height: Math.round(297 * MM) },
            margin: { top: Math.round(37 * MM), bottom: Math.round(35 * MM), left: Math.round(28 * MM), right: Math.round(26 * MM), footer: Math.round(28 * MM) - 400 },
          },
        },
        footers: {
          default: new Footer({
            children: [
              new Paragraph({
                alignment: AlignmentType.CENTER,
                children: [new TextRun({ children: ['— ', PageNumber.CURRENT, ' —'], font: TONGBAO_FONTS.pageNumber, size: 28 })],
              }),
            ],
          }),
        },
        children,
      },
    ],
  });
  return new Uint8Array(await Packer.toBuffer(doc));
}
