/**
 * Text laid out in columns by spaces, as `pdftotext -layout` and similar PDF tools give a table: every
 * physical line holds the pieces of several cells at fixed character positions, and a wrapped cell goes
 * on in the same columns on the lines below, so the lines of neighbouring cells interleave:
 *
 * ```text
 *  工作任务        具体要求       责任科室   时限要求
 *  强化行政规范性  1   对行政规范性文    办公室    年底前
 *  文件集中规范公      件进行全面清理,
 * ```
 *
 * The columns are found from where the body's lines have text (gaps of two positions or more that no
 * line crosses), each line is cut at those columns, and a new row starts at each line whose number column
 * holds a task number (cells are top-aligned, as Word and WPS tables are by default). A line crossing
 * the columns (一、… spanning the table) is a row of its own.
 */
import type { Diagnostic } from '../model/schemas.js';
import { recognizeHeader, recognizeHeaderRow, type Column } from './columns.js';
import type { SourceRow } from './layout.js';

/** A run of text on one line: where it starts and ends (character positions) and what it says. */
interface Piece {
  start: number;
  end: number;
  text: string;
}

/** The table read from column-laid-out text. */
export interface ColumnarTable {
  columns: Column[];
  /** 1-based line of the header's first line. */
  headerLine: number;
  /** Lines above the header (title candidates). */
  above: string[];
  rows: SourceRow[];
  diagnostics: Diagnostic[];
}

/** Pieces of a line separated by two spaces or more (one space stays inside a piece: 2023年 6月底前). */
function piecesOf(line: string): Piece[] {
  const chars = Array.from(line);
  const out: Piece[] = [];
  let i = 0;
  while (i < chars.length) {
    while (i < chars.length && chars[i] === ' ') i++;
    if (i >= chars.length) break;
    const start = i;
    let end = i;
    while (i < chars.length) {
      if (chars[i] !== ' ') {
        end = ++i;
        continue;
      }
      if (chars[i + 1] === ' ' || i + 1 >= chars.length) break;
      i++;
    }
    out.push({ start, end, text: chars.slice(start, end).join('') });
  }
  return out;
}

const TASK_NO = /^(?:\d{1,3}|[(（]\d{1,3}[)）])[.．、]?$/;
/** The second line of a header word wrapped in its cell (责任 / 单位, 完成 / 时限). */
const HEADER_TAIL = /^(?:单位|科室|处室|部门|时限|时间|要求|内容|名称|任务|序号|备注)$/;
const PAGE_MARK = /^\s*(?:[-—–－]\s*\d{1,3}\s*[-—–－]|第\s*\d{1,3}\s*页(?:\s*[,，/]?\s*共\s*\d{1,3}\s*页)?|\d{1,3}\s*\/\s*\d{1,3})\s*$/;

/** Column ranges: runs of positions where some line has text, split at gaps of two positions or more. */
function columnRanges(lines: readonly Piece[][]): Array<[number, number]> {
  const occupied: number[] = [];
  for (const pieces of lines) {
    for (const p of pieces) for (let x = p.start; x < p.end; x++) occupied[x] = (occupied[x] ?? 0) + 1;
  }
  const ranges: Array<[number, number]> = [];
  let x = 0;
  while (x < occupied.length) {
    if (!occupied[x]) {
      x++;
      continue;
    }
    const start = x;
    let end = x;
    while (x < occupied.length) {
      if (occupied[x]) end = x + 1;
      // One empty position is a space inside a cell's text; two or more part two columns.
      else if (!occupied[x + 1]) break;
      x++;
    }
    ranges.push([start, end]);
  }
  return ranges;
}

/** The column a piece falls in: the one it overlaps most, else the nearest to its left. */
function columnOf(piece: Piece, ranges: ReadonlyArray<[number, number]>): number {
  let best = -1;
  let most = 0;
  ranges.forEach(([s, e], i) => {
    const overlap = Math.min(e, piece.end) - Math.max(s, piece.start);
    if (overlap > most) {
      most = overlap;
      best = i;
    }
  });
  if (best >= 0) return best;
  let left = 0;
  ranges.forEach(([s], i) => {
    if (s <= piece.start) left = i;
  });
  return left;
}

/** True when a piece runs across a gap between two columns (a heading spanning the table). */
function spans(piece: Piece, ranges: ReadonlyArray<[number, number]>): boolean {
  let touched = 0;
  for (const [s, e] of ranges) if (Math.min(e, piece.end) > Math.max(s, piece.start)) touched++;
  return touched >= 2;
}

/** Where a page's own columns start, shifted onto the first page's: the shift that lines up most starts. */
function alignPages(body: Array<{ page: boolean; pieces: Piece[] }>, ranges: ReadonlyArray<[number, number]>): void {
  const starts = ranges.map(([s]) => s);
  for (let i = 0; i < body.length; i++) {
    if (!body[i]!.page) continue;
    let end = i + 1;
    while (end < body.length && !body[end]!.page) end++;
    const page = body.slice(i, end);
    const own = columnRanges(page.filter((l) => l.pieces.length >= 2).map((l) => l.pieces));
    if (own.length >= 2) {
      let best = 0;
      let most = -1;
      for (let d = -starts[starts.length - 1]!; d <= starts[starts.length - 1]!; d++) {
        const hits = own.filter(([s]) => starts.some((g) => Math.abs(g - (s + d)) <= 1)).length;
        if (hits > most || (hits === most && Math.abs(d) < Math.abs(best))) {
          most = hits;
          best = d;
        }
      }
      if (best !== 0) for (const l of page) for (const p of l.pieces) ((p.start += best), (p.end += best));
    } else {
      // A page holding one column only carries on the cell the last page ended in.
      const before = body.slice(0, i).reverse().find((l) => l.pieces.length > 0);
      const last = before?.pieces[before.pieces.length - 1];
      const pageStart = Math.min(...page.flatMap((l) => l.pieces.map((p) => p.start)));
      if (last && Number.isFinite(pageStart)) {
        const d = last.start - pageStart;
        for (const l of page) for (const p of l.pieces) ((p.start += d), (p.end += d));
      }
    }
    i = end - 1;
  }
}

/**
 * Reads column-laid-out text (see the module comment) into a header and rows, or `null` when the text is
 * not laid out so: no line of at least three header words two spaces apart, fewer than three body lines
 * holding two columns or more, or no column of task numbers.
 */
export function readColumnar(text: string): ColumnarTable | null {
  if (!/ {2}/.test(text) || text.includes('\t') || text.includes('|')) return null;
  const lines = text.split('\n');
  let header = -1;
  for (let i = 0; i < lines.length && header < 0; i++) {
    const line = lines[i]!;
    if (line.length > 300 || !/ {2}/.test(line)) continue;
    const pieces = piecesOf(line);
    if (pieces.length >= 3 && pieces.filter((p) => recognizeHeader(p.text)).length >= 2) header = i;
  }
  if (header < 0) return null;
  // Pages (form feeds) are laid out each on its own: a page whose first column is empty starts further left.
  const body = lines.slice(header + 1).map((raw, k) => {
    const page = raw.startsWith('\f');
    const line = page ? raw.replace(/^\f+/, '') : raw;
    return { line: header + 2 + k, page, pieces: PAGE_MARK.test(line) ? [] : piecesOf(line) };
  });
  const firstPage = body.findIndex((l) => l.page);
  const onFirst = firstPage < 0 ? body : body.slice(0, firstPage);
  const multi = onFirst.filter((l) => l.pieces.length >= 2);
  if (multi.length < 3) return null;
  const ranges = columnRanges(multi.map((l) => l.pieces));
  if (ranges.length < 3) return null;
  alignPages(body, ranges);

  // The number column: most of its multi-piece lines' pieces are task numbers.
  let noColumn = -1;
  for (let c = 0; c < Math.min(3, ranges.length) && noColumn < 0; c++) {
    const texts = multi.flatMap((l) => l.pieces.filter((p) => columnOf(p, ranges) === c).map((p) => p.text));
    const numbers = texts.filter((t) => TASK_NO.test(t)).length;
    if (numbers >= 2 && numbers * 2 >= texts.length) noColumn = c;
  }
  if (noColumn < 0) return null;

  const headerLines = [lines[header]!];
  const rows: SourceRow[] = [];
  const diagnostics: Diagnostic[] = [];
  let current: { line: number; cells: string[][] } | null = null;
  const close = () => {
    if (current) rows.push({ line: current.line, cells: current.cells.map((parts) => ({ raw: parts.join('\n'), line: current!.line })) });
    current = null;
  };
  let sawRow = false;
  let pageTop = false;
  for (const { line, page, pieces } of body) {
    if (page) pageTop = true;
    if (pieces.length === 0) continue;
    // The header repeated at the top of a page, its lines made only of header words.
    if (sawRow && pageTop && pieces.every((p) => recognizeHeader(p.text) || HEADER_TAIL.test(p.text))) continue;
    pageTop = false;
    const numbered = pieces.some((p) => columnOf(p, ranges) === noColumn && TASK_NO.test(p.text));
    if (!sawRow && !numbered) {
      // Before the first task: the header's further lines (责任 | 单位 written on two lines).
      headerLines.push(lines[line - 1]!);
      continue;
    }
    if (pieces.length === 1 && spans(pieces[0]!, ranges)) {
      close();
      rows.push({ line, cells: [{ raw: pieces[0]!.text, line }] });
      continue;
    }
    if (numbered) {
      close();
      sawRow = true;
      current = { line, cells: ranges.map(() => []) };
    }
    if (!current) {
      // Text after a spanning heading and before the next numbered line: a heading wrapped onto a second line.
      const last = rows[rows.length - 1];
      if (last && last.cells.length === 1) last.cells[0]!.raw += `\n${pieces.map((p) => p.text).join('')}`;
      continue;
    }
    for (const p of pieces) current.cells[columnOf(p, ranges)]!.push(p.text);
  }
  close();
  if (!sawRow) return null;

  // The header's words, column by column, over the lines it took.
  const headerCells: string[][] = ranges.map(() => []);
  for (const l of headerLines) for (const p of piecesOf(l)) headerCells[columnOf(p, ranges)]!.push(p.text);
  const columns = recognizeHeaderRow(headerCells.map((parts) => parts.join('')));
  if (!columns) return null;
  diagnostics.push({
    line: header + 1,
    severity: 'info',
    message: `columns laid out by spaces (text from a PDF): ${ranges.length} columns at character positions ${ranges.map(([s]) => s).join(', ')}; rows start at the task numbers`,
  });
  return { columns, headerLine: header + 1, above: lines.slice(0, header), rows, diagnostics };
}
