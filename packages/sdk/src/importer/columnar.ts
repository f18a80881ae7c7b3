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

/** One line of the body: its characters (one position each, as the layout places them) and its pieces. */
interface BodyLine {
  line: number;
  /** True for the first line of a page (after a form feed). */
  page: boolean;
  chars: string[];
  pieces: Piece[];
}

/**
 * Where columns start, from the lines that hold two pieces or more: every gap of two empty positions or
 * more parts two columns; a gap of one position does too when many lines start a word right after it (a
 * full cell touching the next column: 优化营商环境 围绕…), taken strongest first while there are fewer
 * columns than `wanted` (so 2023 年 6 月底前 inside one cell stays whole).
 */
function columnStarts(lines: readonly BodyLine[], wanted: number): number[] {
  const occupied: number[] = [];
  const wordStarts: number[] = [];
  for (const l of lines) {
    if (l.pieces.length < 2) continue;
    l.chars.forEach((ch, x) => {
      if (ch === ' ') return;
      occupied[x] = (occupied[x] ?? 0) + 1;
      if (x === 0 || l.chars[x - 1] === ' ') wordStarts[x] = (wordStarts[x] ?? 0) + 1;
    });
  }
  const starts: number[] = [];
  const weak: Array<{ at: number; strength: number }> = [];
  let x = 0;
  while (x < occupied.length && !occupied[x]) x++;
  if (x < occupied.length) starts.push(x);
  while (x < occupied.length) {
    if (occupied[x]) {
      x++;
      continue;
    }
    let end = x;
    while (end < occupied.length && !occupied[end]) end++;
    if (end >= occupied.length) break;
    if (end - x >= 2) starts.push(end);
    else {
      const words = wordStarts[end] ?? 0;
      if (words >= 2 && words * 3 >= occupied[end]!) weak.push({ at: end, strength: words / occupied[end]! });
    }
    x = end;
  }
  weak.sort((a, b) => b.strength - a.strength);
  for (const w of weak) {
    if (starts.length >= wanted) break;
    starts.push(w.at);
  }
  return starts.sort((a, b) => a - b);
}

/** A line cut at column starts: the text of each column (a character in a gap goes with the column on its left). */
function cut(chars: readonly string[], starts: readonly number[]): string[] {
  return starts.map((s, i) => chars.slice(i === 0 ? 0 : s, starts[i + 1] ?? chars.length).join('').replace(/ {2,}/g, ' ').trim());
}

/**
 * The columns of a page, as indexes into the first page's: the same number of columns maps one to one;
 * fewer are placed by where they sit across the page's width; a page of one column carries on the column
 * the page before ended in.
 */
function pageColumns(starts: readonly number[], global: readonly number[], globalWidth: number, pageWidth: number, carried: number): number[] {
  if (starts.length === global.length) return starts.map((_s, i) => i);
  if (starts.length <= 1) return starts.map(() => carried);
  const out: number[] = [];
  let from = 0;
  for (const s of starts) {
    const at = (s / Math.max(pageWidth, 1)) * globalWidth;
    let best = from;
    for (let g = from; g < global.length; g++) if (Math.abs(global[g]! - at) < Math.abs(global[best]! - at)) best = g;
    out.push(best);
    from = Math.min(best + 1, global.length - 1);
  }
  return out;
}

const HEADING_START = /^[一二三四五六七八九十]{1,3}[、.．]|^[(（][一二三四五六七八九十]{1,3}[)）]/;

/** A line cut into the columns, with what it starts. */
interface KeptLine {
  line: number;
  cells: string[];
  pieces: Piece[];
  numbered: boolean;
  heading: boolean;
}

const rowOf = (line: number, cells: string[][]): SourceRow => ({ line, cells: cells.map((parts) => ({ raw: parts.join('\n'), line })) });

/** Top-aligned cells (Word's default): a row runs from its task number's line to the next one's. */
function topAlignedRows(kept: readonly KeptLine[], width: number): SourceRow[] {
  const rows: SourceRow[] = [];
  let current: { line: number; cells: string[][] } | null = null;
  const close = () => {
    if (current) rows.push(rowOf(current.line, current.cells));
    current = null;
  };
  for (const k of kept) {
    if (k.heading) {
      // A section heading spanning the table (一、…): a row of its own.
      close();
      rows.push({ line: k.line, cells: [{ raw: k.pieces[0]!.text, line: k.line }] });
      continue;
    }
    if (k.numbered) {
      close();
      current = { line: k.line, cells: Array.from({ length: width }, () => []) };
    }
    if (!current) {
      // Text after a spanning heading and before the next numbered line: the heading wrapped onto a second line.
      const last = rows[rows.length - 1];
      if (last && last.cells.length === 1) last.cells[0]!.raw += k.cells.join('');
      continue;
    }
    k.cells.forEach((text, i) => {
      if (text) current!.cells[i]!.push(text);
    });
  }
  close();
  return rows;
}

/**
 * Vertically centred cells: each cell's lines sit around its row's number line, as many above as below,
 * so in each column the lines between two number lines are shared out — the first as many as the row
 * above had above its number, the rest to the row below (one either way when that ends a sentence there).
 */
function centredRows(kept: readonly KeptLine[], width: number): SourceRow[] {
  const body = kept.filter((k) => !k.heading);
  const numbers = body.map((k, i) => (k.numbered ? i : -1)).filter((i) => i >= 0);
  const cells: string[][][] = numbers.map(() => Array.from({ length: width }, () => []));
  for (let c = 0; c < width; c++) {
    let above = 0;
    for (let r = 0; r < numbers.length; r++) {
      const from = r === 0 ? 0 : numbers[r - 1]! + 1;
      const texts = body.slice(from, numbers[r]!).map((k) => k.cells[c]!).filter(Boolean);
      let split = r === 0 ? 0 : Math.min(above, texts.length);
      // Prefer a split where the row above's text ends a sentence, one line either way.
      if (r > 0 && split < texts.length && !/[。；;]$/.test(texts[split - 1] ?? '')) {
        for (const s of [split + 1, split - 1]) if (s > 0 && s <= texts.length && /[。；;]$/.test(texts[s - 1]!)) split = s;
      }
      if (r > 0) cells[r - 1]![c]!.push(...texts.slice(0, split));
      cells[r]![c]!.push(...texts.slice(split));
      above = texts.length - split;
      const own = body[numbers[r]!]!.cells[c];
      if (own) cells[r]![c]!.push(own);
    }
    const last = numbers.length - 1;
    cells[last]![c]!.push(...body.slice(numbers[last]! + 1).map((k) => k.cells[c]!).filter(Boolean));
  }
  const rows = numbers.map((i, r) => rowOf(body[i]!.line, cells[r]!));
  for (const k of kept.filter((h) => h.heading)) rows.push({ line: k.line, cells: [{ raw: k.pieces[0]!.text, line: k.line }] });
  return rows.sort((a, b) => a.line - b.line);
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
  let headerWords = 0;
  for (let i = 0; i < lines.length && header < 0; i++) {
    const line = lines[i]!.replace(/^\f+/, '');
    if (line.length > 300 || !/ {2}/.test(line)) continue;
    const pieces = piecesOf(line);
    if (pieces.length >= 3 && pieces.filter((p) => recognizeHeader(p.text)).length >= 2) {
      header = i;
      headerWords = pieces.length;
    }
  }
  if (header < 0) return null;
  const body: BodyLine[] = lines.slice(header + 1).map((raw, k) => {
    const page = raw.startsWith('\f');
    const line = page ? raw.replace(/^\f+/, '') : raw;
    const blank = PAGE_MARK.test(line);
    return { line: header + 2 + k, page, chars: blank ? [] : Array.from(line), pieces: blank ? [] : piecesOf(line) };
  });
  // Pages: a page is laid out on its own (pdftotext places each page's text by that page's widths).
  const pages: BodyLine[][] = [[]];
  for (const l of body) {
    if (l.page && pages[pages.length - 1]!.length) pages.push([]);
    pages[pages.length - 1]!.push(l);
  }
  const first = pages[0]!;
  if (first.filter((l) => l.pieces.length >= 2).length < 3) return null;
  const headerLine = { line: header + 1, page: false, chars: Array.from(lines[header]!.replace(/^\f+/, '')), pieces: piecesOf(lines[header]!.replace(/^\f+/, '')) };
  const global = columnStarts([headerLine, ...first], Math.max(headerWords, 3));
  if (global.length < 3) return null;
  const widthOf = (ls: readonly BodyLine[]) => Math.max(0, ...ls.map((l) => l.chars.length));
  const globalWidth = widthOf(first);

  // Every line cut into the first page's columns.
  type Cut = { line: number; cells: string[]; pieces: Piece[]; page: boolean };
  const cuts: Cut[] = [];
  let carried = 0;
  for (const page of pages) {
    const found = page === first ? global : columnStarts(page, global.length);
    // A page whose lines each hold one piece has no gaps to find: it is one column, starting where its text does.
    const own = found.length ? found : [Math.min(...page.flatMap((l) => l.pieces.map((p) => p.start)), 0)];
    const map = page === first ? global.map((_s, i) => i) : pageColumns(own, global, globalWidth, widthOf(page), carried);
    for (const l of page) {
      const cells = global.map(() => '');
      if (l.chars.length) {
        cut(l.chars, own).forEach((textOf, i) => {
          if (textOf) cells[map[i]!] = cells[map[i]!] ? `${cells[map[i]!]}${textOf}` : textOf;
        });
        const last = cells.map((c, i) => (c ? i : -1)).filter((i) => i >= 0).pop();
        if (last !== undefined) carried = last;
      }
      cuts.push({ line: l.line, cells, pieces: l.pieces, page: l.page });
    }
  }

  // The number column: most of its filled cells are task numbers.
  let noColumn = -1;
  for (let c = 0; c < Math.min(3, global.length) && noColumn < 0; c++) {
    const texts = cuts.filter((k) => k.pieces.length >= 2 && k.cells[c]).map((k) => k.cells[c]!);
    const numbers = texts.filter((t) => TASK_NO.test(t)).length;
    if (numbers >= 2 && numbers * 2 >= texts.length) noColumn = c;
  }
  if (noColumn < 0) return null;

  const headerLines = [lines[header]!.replace(/^\f+/, '')];
  const diagnostics: Diagnostic[] = [];
  const isHeaderWords = (k: Cut) => k.pieces.every((p) => recognizeHeader(p.text) || HEADER_TAIL.test(p.text));
  // The lines that hold the table's cells: repeated headers and the header's own further lines left out.
  const kept: Array<Cut & { numbered: boolean; heading: boolean }> = [];
  let sawRow = false;
  let pageTop = false;
  let centred = false;
  for (const k of cuts) {
    if (k.page) pageTop = true;
    if (k.pieces.length === 0) continue;
    // The header repeated at the top of a page, its lines made only of header words.
    if (sawRow && pageTop && isHeaderWords(k)) continue;
    pageTop = false;
    const numbered = TASK_NO.test(k.cells[noColumn]!);
    if (!sawRow && !numbered && isHeaderWords(k)) {
      // Before the first task: the header's further lines (责任 | 单位 written on two lines).
      headerLines.push(lines[k.line - 1]!.replace(/^\f+/, ''));
      continue;
    }
    if (sawRow && k.pieces.length === 1 && /^(?:注|备注|说明|附注|填报说明)\s*\d?\s*[:：]/.test(k.pieces[0]!.text)) {
      // A note under the table (注：…) is no cell's text: it and the lines after it are left out.
      diagnostics.push({ line: k.line, severity: 'warning', message: `note under the table not read as part of a task: "${k.pieces[0]!.text.slice(0, 40)}"` });
      break;
    }
    const heading = k.pieces.length === 1 && k.cells.filter(Boolean).length >= 2 && HEADING_START.test(k.pieces[0]!.text);
    // Cell text above the first task number: the cells are centred on their rows, not top-aligned.
    if (!sawRow && !numbered && !heading) centred = true;
    if (numbered) sawRow = true;
    kept.push({ ...k, numbered, heading });
  }
  if (!sawRow) return null;
  const rows = centred ? centredRows(kept, global.length) : topAlignedRows(kept, global.length);
  if (centred) {
    diagnostics.push({
      line: kept[0]!.line,
      severity: 'warning',
      message: 'cells are centred on their rows (text above the first task number): each cell\'s lines were shared out around its row\'s number line; check the rows where a requirement is split',
    });
  }

  // The header's words, column by column, over the lines it took.
  const headerCells: string[][] = global.map(() => []);
  for (const l of headerLines) {
    cut(Array.from(l), global).forEach((textOf, i) => {
      if (textOf) headerCells[i]!.push(textOf);
    });
  }
  const columns = recognizeHeaderRow(headerCells.map((parts) => parts.join('')));
  if (!columns) return null;
  diagnostics.push({
    line: header + 1,
    severity: 'info',
    message: `columns laid out by spaces (text from a PDF): ${global.length} columns at character positions ${global.join(', ')}${pages.length > 1 ? `, ${pages.length} pages laid out each on its own` : ''}; rows start at the task numbers`,
  });
  return { columns, headerLine: header + 1, above: lines.slice(0, header), rows, diagnostics };
}
