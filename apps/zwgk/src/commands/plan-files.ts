/**
 * Reading a task table file for `zwgk plan import`: text (copied from a page or a PDF, `|`-separated, CSV)
 * as it is, and Excel (.xlsx, with exceljs) and Word (.docx, with mammoth) tables turned into CSV text the
 * SDK's importer reads. File reading stays here, in the app: the SDK is pure and takes text.
 * Merged cells come out empty in every row but their first, so the importer reads them as merged (and
 * says so) exactly as it does for a table copied from a page. exceljs and mammoth are loaded only when an
 * .xlsx or .docx file is read, so `zwgk plan` starts without them.
 */
import { readFile } from 'node:fs/promises';
import { extname } from 'node:path';
import type ExcelJS from 'exceljs';

/** What reading a table file gives: its text for the importer, or why it could not be read. */
export type TableFileResult = { success: true; text: string; format: 'text' | 'xlsx' | 'docx' } | { success: false; error: string };

/** One CSV field: quoted when it holds a comma, a quote or a line break. */
function csvField(text: string): string {
  return /[",\n\r]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

function csv(rows: readonly (readonly string[])[]): string {
  return rows.map((row) => row.map(csvField).join(',')).join('\n');
}

/** The sheet with the most filled cells: a workbook may hold a cover sheet or notes besides the table. */
function mainSheet(book: ExcelJS.Workbook): ExcelJS.Worksheet | undefined {
  let best: ExcelJS.Worksheet | undefined;
  let most = -1;
  book.eachSheet((sheet) => {
    let filled = 0;
    sheet.eachRow((row) => row.eachCell(() => filled++));
    if (filled > most) {
      most = filled;
      best = sheet;
    }
  });
  return best;
}

function cellText(cell: ExcelJS.Cell): string {
  // A merged cell's other positions repeat the master's value in exceljs; the table left them empty.
  if (cell.isMerged && cell.master.address !== cell.address) return '';
  return (cell.text ?? '').replace(/\r\n?/g, '\n').trim();
}

/** Reads the main sheet of an .xlsx workbook into rows of cell texts. */
export async function xlsxRows(bytes: Buffer): Promise<string[][]> {
  const { default: Excel } = await import('exceljs');
  const book = new Excel.Workbook();
  await book.xlsx.load(bytes as unknown as ArrayBuffer);
  const sheet = mainSheet(book);
  if (!sheet) return [];
  const rows: string[][] = [];
  const width = sheet.columnCount;
  for (let r = 1; r <= sheet.rowCount; r++) {
    const row = sheet.getRow(r);
    const cells = Array.from({ length: width }, (_v, c) => cellText(row.getCell(c + 1)));
    while (cells.length && !cells[cells.length - 1]) cells.pop();
    rows.push(cells);
  }
  return rows;
}

const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: ' ' };

function htmlText(html: string): string {
  return html
    .replace(/<\/p>\s*<p[^>]*>/g, '\n')
    .replace(/<br\s*\/?>/g, '\n')
    .replace(/<[^>]+>/g, '')
    .replace(/&(#x[0-9a-f]+|#\d+|[a-z]+);/gi, (whole, name: string) =>
      name[0] === '#' ? String.fromCodePoint(name[1] === 'x' || name[1] === 'X' ? parseInt(name.slice(2), 16) : Number(name.slice(1))) : (ENTITIES[name] ?? whole),
    )
    .trim();
}

/**
 * Writes out the numbers of a cell's automatically numbered paragraphs (`<ol><li>`), which Word shows but
 * does not store as text: a cell holding only empty numbered paragraphs (a 序号 column numbered by a list)
 * takes the next number of its column, as the list runs on down the table; numbered items with text are
 * numbered 1, 2, … within their cell.
 */
function numberLists(html: string, column: number, counters: Map<number, number>): string {
  if (!html.includes('<ol')) return html;
  const items = [...html.matchAll(/<li[^>]*>([\s\S]*?)<\/li>/g)];
  if (items.length > 0 && items.every((m) => !htmlText(m[1]!))) {
    const next = (counters.get(column) ?? 0) + 1;
    counters.set(column, next);
    return `<p>${next}</p>`;
  }
  let n = 0;
  return html.replace(/<li[^>]*>([\s\S]*?)<\/li>/g, (_m, inner: string) => `<p>${++n}.${inner.replace(/<\/?p[^>]*>/g, '')}</p>`);
}

/**
 * Turns the HTML mammoth makes of a Word document into rows: paragraphs before and between tables as
 * one-cell rows (the title), then every table row, with a cell spanning columns (colspan) followed by
 * empty cells and a cell spanning rows (rowspan) leaving its column empty in the rows below.
 */
export function htmlTableRows(html: string): string[][] {
  const rows: string[][] = [];
  // Word's automatic numbering (a 序号 column numbered by a list) carries no text: column → last number.
  const counters = new Map<number, number>();
  const parts = html.split(/(<table[\s\S]*?<\/table>)/);
  for (const part of parts) {
    if (!part.startsWith('<table')) {
      for (const m of part.matchAll(/<p[^>]*>([\s\S]*?)<\/p>/g)) {
        const text = htmlText(m[1]!);
        if (text) rows.push([text]);
      }
      continue;
    }
    // Columns still covered by a rowspan from a row above: column → rows left.
    const covered = new Map<number, number>();
    for (const tr of part.matchAll(/<tr[^>]*>([\s\S]*?)<\/tr>/g)) {
      const cells: string[] = [];
      let column = 0;
      const skipCovered = () => {
        while ((covered.get(column) ?? 0) > 0) {
          covered.set(column, covered.get(column)! - 1);
          cells.push('');
          column++;
        }
      };
      for (const td of tr[1]!.matchAll(/<t([dh])([^>]*)>([\s\S]*?)<\/t\1>/g)) {
        skipCovered();
        const attrs = td[2]!;
        const colspan = Number(/colspan="(\d+)"/.exec(attrs)?.[1] ?? 1);
        const rowspan = Number(/rowspan="(\d+)"/.exec(attrs)?.[1] ?? 1);
        cells.push(htmlText(numberLists(td[3]!, column, counters)));
        for (let c = 0; c < colspan; c++) {
          if (rowspan > 1) covered.set(column + c, rowspan - 1);
          if (c > 0) cells.push('');
        }
        column += colspan;
      }
      skipCovered();
      rows.push(cells);
    }
  }
  return rows;
}

/** Reads the tables of a .docx document (mammoth) into rows. */
export async function docxRows(bytes: Buffer): Promise<string[][]> {
  const { default: mammoth } = await import('mammoth');
  // Empty paragraphs are kept: an automatically numbered one is all a 序号 cell holds.
  const { value } = await mammoth.convertToHtml({ buffer: bytes }, { ignoreEmptyParagraphs: false });
  return htmlTableRows(value);
}

/**
 * A text file's characters: UTF-8 when the bytes are UTF-8, else GB18030 (GBK), the encoding Excel and WPS
 * on Chinese Windows save CSV and text in.
 */
function decodeText(bytes: Buffer): string {
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    return new TextDecoder('gb18030').decode(bytes);
  }
}

/**
 * Reads a task table file into the text the SDK's importer takes: `.xlsx` and `.docx` by their tables
 * (as CSV rows), anything else as text — UTF-8, or GBK as Excel and WPS save CSV on Chinese Windows (PDF
 * text laid out by `pdftotext -layout` included). Legacy
 * `.xls` / `.doc` / `.wps` files are refused with a hint to save them as .xlsx / .docx, and a .pdf file with
 * a hint to extract its text first.
 *
 * @example
 * const file = await readTableFile('任务分解表.docx');
 * if (file.success) parsePlanTable(file.text, { year: 2023, county: '某县', units: [] });
 */
export async function readTableFile(path: string): Promise<TableFileResult> {
  let bytes: Buffer;
  try {
    bytes = await readFile(path);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const why = code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'it is a folder' : code === 'EACCES' ? 'permission denied' : String(error);
    return { success: false, error: why };
  }
  const ext = extname(path).toLowerCase();
  if (ext === '.xls' || ext === '.doc' || ext === '.wps' || ext === '.et') {
    return { success: false, error: `${ext} files cannot be read; save the table as ${ext === '.xls' || ext === '.et' ? '.xlsx' : '.docx'} first` };
  }
  if (ext === '.pdf' || bytes.subarray(0, 5).toString('latin1') === '%PDF-') {
    return {
      success: false,
      error: 'a PDF file is not read directly: save its text with `pdftotext -layout FILE.pdf FILE.txt` (poppler-utils) or copy the table from a PDF viewer, then import the .txt',
    };
  }
  const zip = bytes.length > 4 && bytes[0] === 0x50 && bytes[1] === 0x4b;
  if (ext === '.xlsx' || ext === '.docx') {
    if (!zip) return { success: false, error: `it is not a ${ext} file (an Office file is a zip archive)` };
    try {
      const rows = ext === '.xlsx' ? await xlsxRows(bytes) : await docxRows(bytes);
      if (!rows.some((r) => r.some(Boolean))) return { success: false, error: `no table found in the ${ext} file` };
      return { success: true, text: csv(rows), format: ext === '.xlsx' ? 'xlsx' : 'docx' };
    } catch (error) {
      return { success: false, error: `the ${ext} file could not be read: ${error instanceof Error ? error.message : String(error)}` };
    }
  }
  const text = decodeText(bytes).replace(/^\uFEFF/, '');
  if (zip || text.includes('\u0000')) return { success: false, error: 'it is not a text file (export the table as text, or pass an .xlsx or .docx file)' };
  return { success: true, text, format: 'text' };
}
