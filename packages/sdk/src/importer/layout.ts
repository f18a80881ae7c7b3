/**
 * Tokenising a task breakdown table's text into cells and rows, whatever the layout:
 * - `cells`: one cell per line as PDF extraction gives it — each cell starts with a tab and may run over
 *   several lines; rows are not marked, so they are found later from the task numbers;
 * - `pipe`: `|`-separated rows (markdown-like), a cell wrapped onto the next line continuing the row;
 * - `tsv` / `csv`: one row per line separated by tabs or commas, `"quoted"` cells may hold line breaks.
 * Header rows are recognised by their column names, wherever they repeat.
 */
import type { Diagnostic } from '../model/schemas.js';
import { cleanCell, isBlankCell } from './clean.js';
import { readColumnar } from './columnar.js';
import { readPoints } from './points.js';
import { recognizeHeader, recognizeHeaderRow, type Column } from './columns.js';

/** A cell's raw text (before cleanup) and the 1-based input line where its text starts. */
export interface SourceCell {
  raw: string;
  line: number;
}

/** One row of an explicitly delimited table. */
export interface SourceRow {
  line: number;
  cells: SourceCell[];
}

/** How the table was written. */
export type LayoutKind = 'cells' | 'pipe' | 'tsv' | 'csv';

/** The table as tokens: its columns and either explicit rows or a flat run of cells. */
export interface Tokenised {
  layout: LayoutKind;
  /** `null` when no header row was found. */
  columns: Column[] | null;
  /** 1-based line of the (first) header row, 0 when none. */
  headerLine: number;
  /** A title found above the header (…任务分解表), if any. */
  title: string | null;
  /** Explicit rows (pipe, tsv, csv), header repeats and separator rows removed. */
  rows: SourceRow[];
  /** Body cells of the `cells` layout, header repeats removed. */
  cells: SourceCell[];
  diagnostics: Diagnostic[];
}

/** Line number (1-based) of every character offset, computed lazily from newline positions. */
function lineIndex(text: string): (offset: number) => number {
  const starts: number[] = [0];
  for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) starts.push(i + 1);
  return (offset: number) => {
    let lo = 0;
    let hi = starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (starts[mid]! <= offset) lo = mid;
      else hi = mid - 1;
    }
    return lo + 1;
  };
}

/** The line where a raw cell's text starts (its first non-space character), given where the cell starts. */
function firstTextLine(raw: string, start: number, lineAt: (offset: number) => number): number {
  const m = /\S/.exec(raw);
  return lineAt(start + (m ? m.index : 0));
}

const TITLE_HINT = /表|要点|任务|方案|清单|分工/;
const HEADER_HINT = /序号|编号|任务|名称|内容|要求|单位|部门|科室|处室|时限|时间|节点|事项|措施|分工/;

/** A document title or attachment mark repeated inside the body (a second copy of the table). */
function isTitleCell(raw: string): boolean {
  if (raw.length > 100 || !/附件|\d{4}\s*年/.test(raw)) return false;
  const text = cleanCell(raw);
  return /^附件\d*$/.test(text) || (/\d{4}年/.test(text) && /(任务分解表|工作要点|任务分工方案|分工方案)$/.test(text));
}

function pickTitle(candidates: readonly string[]): string | null {
  for (const candidate of candidates) {
    const text = cleanCell(candidate.replace(/^#+\s*/, ''));
    if (!text || text.length > 80 || /^附件\d*$/.test(text)) continue;
    if (TITLE_HINT.test(text)) return text;
  }
  return null;
}

const NUMBER_CELL = /^\s*(?:\d{1,3}|[(（]?[一二三四五六七八九十]{1,3}[)）、]?|[①-⑳])\s*$/;

/**
 * Rows of tab-separated text pasted from a Word table, where a cell of several paragraphs breaks its row
 * without quotes: a numbered row short of cells, followed by lines that are not numbered and complete it
 * (their first cell carrying on its last), is joined back into one row.
 */
function joinBrokenRows(rows: SourceRow[], width: number, diagnostics: Diagnostic[]): SourceRow[] {
  const out: SourceRow[] = [];
  for (let i = 0; i < rows.length; i++) {
    const row = rows[i]!;
    let cells = row.cells;
    if (cells.length >= width || !cells[0] || !NUMBER_CELL.test(cells[0].raw)) {
      out.push(row);
      continue;
    }
    let joined = 0;
    while (i + 1 < rows.length) {
      const next = rows[i + 1]!.cells;
      if (!next.length || NUMBER_CELL.test(next[0]!.raw)) break;
      const total = cells.length + next.length - 1;
      if (total > width || (next.length > 1 && total !== width && i + 2 < rows.length && !NUMBER_CELL.test(rows[i + 2]!.cells[0]?.raw ?? ''))) break;
      const last = cells[cells.length - 1]!;
      cells = [...cells.slice(0, -1), { raw: `${last.raw}\n${next[0]!.raw}`, line: last.line }, ...next.slice(1)];
      i++;
      joined++;
      if (cells.length >= width) break;
    }
    if (joined) diagnostics.push({ line: row.line, severity: 'info', message: `a cell broken over ${joined + 1} lines without quotes (pasted from Word) joined back into its row` });
    out.push({ line: row.line, cells });
  }
  return out;
}

// ---------------------------------------------------------------------------------------------------
// Explicitly delimited rows

/** Splits text into delimited records; `"…"` cells may span lines ("" is a literal quote). */
function parseDelimited(text: string, delimiter: string, lineAt: (o: number) => number, diagnostics: Diagnostic[]): SourceRow[] {
  const rows: SourceRow[] = [];
  let cells: SourceCell[] = [];
  let rowStart = 0;
  let i = 0;
  const n = text.length;
  const endRow = () => {
    rows.push({ line: lineAt(rowStart), cells });
    cells = [];
  };
  while (i <= n) {
    const fieldStart = i;
    let raw = '';
    // Quotes only open a cell at its very start (after optional spaces); elsewhere they are text.
    let j = i;
    while (j < n && (text[j] === ' ' || text[j] === '\u3000') && delimiter !== ' ') j++;
    if (text[j] === '"') {
      let k = j + 1;
      let closed = false;
      while (k < n) {
        if (text[k] === '"') {
          if (text[k + 1] === '"') {
            raw += '"';
            k += 2;
            continue;
          }
          closed = true;
          k++;
          break;
        }
        raw += text[k];
        k++;
      }
      if (!closed) {
        diagnostics.push({ line: lineAt(j), severity: 'warning', message: 'a quoted cell opens here ("…) but is never closed; the rest of the text was read into it' });
      }
      // Anything between the closing quote and the delimiter is kept as text.
      while (k < n && text[k] !== delimiter && text[k] !== '\n') raw += text[k++];
      cells.push({ raw, line: lineAt(j + 1) });
      i = k;
    } else {
      let k = i;
      while (k < n && text[k] !== delimiter && text[k] !== '\n') k++;
      raw = text.slice(i, k);
      cells.push({ raw, line: lineAt(fieldStart) });
      i = k;
    }
    if (i >= n) {
      endRow();
      break;
    }
    if (text[i] === '\n') {
      endRow();
      i++;
      rowStart = i;
    } else i++;
  }
  return rows;
}

/** Splits a `|` row into cells, dropping the empty edge cells of `| a | b |`. */
function splitPipeRow(raw: string, start: number, lineAt: (o: number) => number): SourceCell[] {
  const cells: SourceCell[] = [];
  let from = 0;
  for (let at = raw.indexOf('|'); ; at = raw.indexOf('|', from)) {
    const end = at < 0 ? raw.length : at;
    const piece = raw.slice(from, end);
    cells.push({ raw: piece, line: firstTextLine(piece, start + from, lineAt) });
    if (at < 0) break;
    from = at + 1;
  }
  if (cells.length > 1 && !cells[0]!.raw.trim()) cells.shift();
  if (cells.length > 1 && !cells[cells.length - 1]!.raw.trim()) cells.pop();
  return cells;
}

function pipeCount(text: string): number {
  let count = 0;
  for (let i = text.indexOf('|'); i >= 0; i = text.indexOf('|', i + 1)) count++;
  return count;
}

/** Joins the physical lines of `|` rows: a line that does not start with `|` continues an unfinished row. */
function parsePipeRows(text: string, lineAt: (o: number) => number, columnCount: number, outer: boolean): SourceRow[] {
  const rows: SourceRow[] = [];
  let buffer: { raw: string; start: number } | null = null;
  const complete = (raw: string) => {
    const pipes = pipeCount(raw);
    return outer ? raw.trimEnd().endsWith('|') && pipes >= columnCount + 1 : pipes >= columnCount - 1;
  };
  const emit = () => {
    if (buffer) rows.push({ line: lineAt(buffer.start), cells: splitPipeRow(buffer.raw, buffer.start, lineAt) });
    buffer = null;
  };
  let offset = 0;
  for (const line of text.split('\n')) {
    const trimmed = line.trim();
    const current = buffer as { raw: string; start: number } | null;
    if (current && !complete(current.raw) && trimmed && !trimmed.startsWith('|')) {
      current.raw += `\n${line}`;
    } else {
      emit();
      if (trimmed.includes('|')) buffer = { raw: line, start: offset };
      else if (trimmed) rows.push({ line: lineAt(offset), cells: [{ raw: line, line: lineAt(offset) }] });
    }
    offset += line.length + 1;
  }
  emit();
  return rows;
}

const SEPARATOR_CELL = /^\s*:?[-=+─━—_]{2,}:?\s*$/;

function isSeparatorRow(row: SourceRow): boolean {
  const filled = row.cells.filter((c) => c.raw.trim());
  return filled.length > 0 && filled.every((c) => SEPARATOR_CELL.test(c.raw));
}

function headerOf(cells: readonly SourceCell[]): Column[] | null {
  // Empty cells after the last header word (`| 时限要求 | ||`) are the page's layout, not columns.
  let end = cells.length;
  while (end > 0 && !cells[end - 1]!.raw.trim()) end--;
  if (end < 3) return null;
  return recognizeHeaderRow(cells.slice(0, end).map((c) => c.raw));
}

/**
 * The columns as a second header row names them: every filled cell of the row is a header word (at least
 * one), and each replaces the column above it (a spanning header such as 责任单位) or names a column the
 * first row left blank. `null` when the row is not a header row.
 */
function subHeader(cells: readonly SourceCell[], columns: readonly Column[]): Column[] | null {
  const filled = cells.map((c, i) => ({ i, text: cleanCell(c.raw) })).filter((c) => c.text);
  if (filled.length === 0) return null;
  const named = filled.map((c) => ({ i: c.i, column: recognizeHeader(c.text) }));
  if (named.some((n) => !n.column || n.column.kind === 'ignored')) return null;
  const out = [...columns];
  for (const { i, column } of named) {
    while (out.length <= i) out.push({ kind: 'ignored', header: '', lead: false });
    out[i] = column!;
  }
  return out;
}

function tokeniseRows(
  layout: Exclude<LayoutKind, 'cells'>,
  columns: Column[],
  headerLine: number,
  titleCandidates: readonly string[],
  body: readonly SourceRow[],
  diagnostics: Diagnostic[],
  found: 'header' | null = 'header',
): Tokenised {
  const rows: SourceRow[] = [];
  let merged = columns;
  for (const row of body) {
    if (row.cells.every((c) => isBlankCell(c.raw)) || isSeparatorRow(row)) continue;
    if (headerOf(row.cells)) continue;
    // A second header row under cells spanning two columns (责任单位 over 牵头单位 | 配合单位): its words
    // name the columns below them.
    if (found && rows.length === 0) {
      const sub = subHeader(row.cells, merged);
      if (sub) {
        merged = sub;
        diagnostics.push({ line: row.line, severity: 'info', message: `second header row read: ${row.cells.map((c) => cleanCell(c.raw)).filter(Boolean).join('、')}` });
        continue;
      }
    }
    rows.push(row);
  }
  return { layout, columns: found ? merged : null, headerLine, title: pickTitle(titleCandidates), rows, cells: [], diagnostics };
}

// ---------------------------------------------------------------------------------------------------
// One cell per line

/** Splits the text at tabs into cells; with no tab at all, every non-blank line is a cell. */
function splitCells(text: string, lineAt: (o: number) => number): SourceCell[] {
  const cells: SourceCell[] = [];
  if (!text.includes('\t')) {
    let offset = 0;
    for (const line of text.split('\n')) {
      if (line.trim()) cells.push({ raw: line, line: lineAt(offset) });
      offset += line.length + 1;
    }
    return cells;
  }
  let start = 0;
  for (let at = text.indexOf('\t'); ; at = text.indexOf('\t', start)) {
    const end = at < 0 ? text.length : at;
    const raw = text.slice(start, end);
    cells.push({ raw, line: firstTextLine(raw, start, lineAt) });
    if (at < 0) break;
    start = at + 1;
  }
  return cells;
}

/** Header words written on one line separated by spaces (序号 任务名称 任务内容 …). */
function inlineHeader(raw: string): Column[] | null {
  const words = raw.trim().split(/\s+/);
  return words.length >= 3 ? recognizeHeaderRow(words) : null;
}

/** Two header rows back to back (a page break with no body) is the longest run a header gives. */
const MAX_HEADER_RUN = 24;

/** The header once when it is written twice back to back (a page break right under the header). */
function firstPeriod(texts: readonly string[]): readonly string[] {
  const key = texts.map((t) => t.replace(/\s/g, ''));
  for (let p = 3; p <= key.length / 2; p++) {
    if (key.length % p === 0 && key.every((t, i) => t === key[i % p])) return texts.slice(0, p);
  }
  return texts;
}

/** Finds runs of header cells; returns [start, end) ranges over `cells` and the first run's columns. */
function findHeaderRuns(cells: readonly SourceCell[]): { runs: Array<[number, number]>; columns: Column[] | null; inline: boolean } {
  const runs: Array<[number, number]> = [];
  let columns: Column[] | null = null;
  let inlineFirst = false;
  let i = 0;
  while (i < cells.length) {
    const cell = cells[i]!;
    const inline = cell.raw.length < 120 && HEADER_HINT.test(cell.raw) ? inlineHeader(cell.raw) : null;
    if (inline) {
      if (!columns) inlineFirst = true;
      columns ??= inline;
      runs.push([i, i + 1]);
      i++;
      continue;
    }
    if (!recognizeHeader(cell.raw)) {
      i++;
      continue;
    }
    const texts: string[] = [];
    let j = i;
    let last = i;
    while (j < cells.length) {
      const c = cells[j]!;
      if (isBlankCell(c.raw)) {
        j++;
        continue;
      }
      if (!recognizeHeader(c.raw)) break;
      texts.push(c.raw);
      last = j;
      j++;
    }
    const row = texts.length >= 3 && texts.length <= MAX_HEADER_RUN ? recognizeHeaderRow(firstPeriod(texts)) : null;
    if (row) {
      columns ??= row;
      runs.push([i, last + 1]);
    }
    i = last + 1;
  }
  return { runs, columns, inline: inlineFirst };
}

/**
 * A body line of a table whose header was one line of words separated by spaces (序号 工作任务 责任单位 …,
 * as text copied from a PDF viewer comes): its cells are separated by spaces too, so the line is a row of
 * its word runs. A line without a task number carries on the cells wrapped from the row above, each in
 * the column its text fits (as a wrapped `|` row does).
 */
function spacedRow(cell: SourceCell): SourceRow {
  return { line: cell.line, cells: cell.raw.trim().split(/[ \t\u3000]+/).map((raw) => ({ raw, line: cell.line })) };
}

function tokeniseCells(text: string, lineAt: (o: number) => number, diagnostics: Diagnostic[]): Tokenised {
  const all = splitCells(text, lineAt);
  const { runs, columns, inline } = findHeaderRuns(all);
  const first = runs[0];
  const title = pickTitle(first ? all.slice(0, first[0]).map((c) => c.raw) : []);
  const cells: SourceCell[] = [];
  let run = 0;
  for (let i = first ? first[1] : 0; i < all.length; i++) {
    while (run < runs.length && runs[run]![1] <= i) run++;
    const r = runs[run];
    if (r && i >= r[0] && i < r[1]) continue;
    if (isBlankCell(all[i]!.raw)) continue;
    if (isTitleCell(all[i]!.raw)) {
      diagnostics.push({ line: all[i]!.line, severity: 'info', message: `document title inside the table skipped: "${cleanCell(all[i]!.raw)}"` });
      continue;
    }
    cells.push(all[i]!);
  }
  // Only when the body's lines hold several cells each: under a header on one line, cells may still come
  // one per line.
  const spaced = inline && columns && !text.includes('\t') && cells.filter((c) => /\S[ \u3000]+\S/.test(c.raw.trim())).length * 3 >= cells.length;
  if (spaced && columns) {
    return { layout: 'pipe', columns, headerLine: first ? all[first[0]]!.line : 0, title, rows: cells.map(spacedRow), cells: [], diagnostics };
  }
  return {
    layout: 'cells',
    columns,
    headerLine: first ? all[first[0]]!.line : 0,
    title,
    rows: [],
    cells,
    diagnostics,
  };
}

/** A line holding only a bar: a web page's table copied one cell per line, the bars between cells. */
const BAR_LINE = /^[ \t]*\|[ \t]*$/gm;

/**
 * Text copied from a web page's table often comes one cell per line with a line holding only `|` between
 * cells. When such lines are common, each becomes a tab: the one-cell-per-line reader then splits cells
 * there, and line numbers stay as they were.
 */
function barLinesAsTabs(text: string): string {
  if (!text.includes('|')) return text;
  const bars = text.match(BAR_LINE)?.length ?? 0;
  if (bars < 6) return text;
  const lines = text.split('\n');
  // A table written as `|` rows with a bar line between rows is not one cell per line.
  const pipeRows = lines.filter((l) => pipeCount(l) >= 2).length;
  if (bars * 4 < lines.length || pipeRows * 4 > bars) return text;
  return doubleBarRows(lines) ?? text.replace(BAR_LINE, '\t');
}

/** A line ending with its only bar: one cell per line, each closed by a bar (`序号 |`, `县财政局 |`). */
const TRAILING_BAR = /^[^|]*[^|\s][^|]*\|[ \t]*$/;

/**
 * Text copied from some pages' tables comes one cell per line, each line closed by a bar. When most lines
 * look so, the bar ends the cell: the line after it starts a new cell (a tab, as the one-cell-per-line
 * reader expects) and the bar is dropped, so a cell wrapped onto lines without a bar stays one cell.
 */
function trailingBarsAsTabs(text: string): string {
  if (!text.includes('|')) return text;
  const lines = text.split('\n');
  let closed = 0;
  let filled = 0;
  for (const line of lines) {
    if (!line.trim()) continue;
    filled++;
    if (TRAILING_BAR.test(line)) closed++;
    else if (pipeCount(line) >= 2) return text;
  }
  if (closed < 6 || closed * 4 < filled * 3) return text;
  let open = true;
  return lines
    .map((line) => {
      const ends = TRAILING_BAR.test(line);
      const cell = ends ? line.replace(/\|[ \t]*$/, '') : line;
      const out = open && line.trim() ? `\t${cell}` : cell;
      if (line.trim()) open = ends;
      return out;
    })
    .join('\n');
}

const isBar = (line: string | undefined) => line !== undefined && /^[ \t]*\|[ \t]*$/.test(line);

/**
 * When rows are marked (two bar lines in a row: the end of one row and the start of the next), the cells
 * between bars are rewritten as `|` rows, one per line, each on the line where its row started (the
 * lines it spanned are left blank, so line numbers stay true). `null` when rows are not marked.
 */
function doubleBarRows(lines: readonly string[]): string | null {
  let marks = 0;
  for (let i = 1; i < lines.length; i++) if (isBar(lines[i]) && isBar(lines[i - 1])) marks++;
  if (marks < 3) return null;
  const out: string[] = [];
  let row: string[] = [];
  let cell: string[] = [];
  let start = -1;
  const endCell = () => {
    if (start >= 0) row.push(cell.join(' ').trim().replace(/\|/g, '｜'));
    cell = [];
  };
  const endRow = () => {
    if (start >= 0 && row.some(Boolean)) out[start] = `| ${row.join(' | ')} |`;
    row = [];
    start = -1;
  };
  lines.forEach((line, i) => {
    out.push('');
    if (isBar(line)) {
      if (isBar(lines[i - 1]) || i === 0 || start < 0) {
        endCell();
        endRow();
        start = i;
        return;
      }
      endCell();
      return;
    }
    if (start < 0) {
      out[i] = line;
      return;
    }
    if (line.trim()) cell.push(line.trim());
  });
  endCell();
  endRow();
  return out.join('\n');
}

/**
 * Tokenises a table's (normalised) text: detects the layout from the header row — a `|` row, a tab- or
 * comma-separated row, columns laid out by spaces (PDF text), or header cells one per line — and returns
 * its columns and rows or cells. With the plan `year`, text with no table that is written as numbered
 * paragraphs closing with their units in brackets (工作要点) is read too.
 */
export function tokenise(input: string, year?: number): Tokenised {
  const diagnostics: Diagnostic[] = [];
  const columnar = readColumnar(input);
  if (columnar) {
    diagnostics.push(...columnar.diagnostics);
    return tokeniseRows('pipe', columnar.columns, columnar.headerLine, columnar.above, columnar.rows, diagnostics);
  }
  const text = trailingBarsAsTabs(barLinesAsTabs(input));
  const lineAt = lineIndex(text);
  const lines = text.split('\n');
  let offset = 0;
  for (let index = 0; index < lines.length; index++) {
    const line = lines[index]!;
    const next = offset + line.length + 1;
    // Only a line naming at least one header word can be a header row; most lines are skipped here.
    if (line.length < 400 && HEADER_HINT.test(line)) {
      const pipeHeader = pipeCount(line) >= 2 ? headerOf(splitPipeRow(line, offset, lineAt)) : null;
      if (pipeHeader) {
        const rest = text.slice(Math.min(next, text.length));
        const outer = line.trim().startsWith('|');
        const body = parsePipeRows(rest, (o) => lineAt(next + o), pipeHeader.length, outer);
        return tokeniseRows('pipe', pipeHeader, index + 1, lines.slice(0, index), body, diagnostics);
      }
      for (const [layout, delimiter] of [
        ['tsv', '\t'],
        ['csv', ','],
      ] as const) {
        const parts = line.split(delimiter);
        if (parts.filter((c) => c.trim()).length < 3) continue;
        const header = headerOf(parts.map((raw) => ({ raw, line: index + 1 })));
        if (!header) continue;
        const rest = text.slice(Math.min(next, text.length));
        const parsed = parseDelimited(rest, delimiter, (o) => lineAt(next + o), diagnostics);
        const body = layout === 'tsv' ? joinBrokenRows(parsed, header.length, diagnostics) : parsed;
        return tokeniseRows(layout, header, index + 1, lines.slice(0, index), body, diagnostics);
      }
    }
    offset = next;
  }
  const headerless = headerlessRows(text, lineAt, diagnostics);
  if (headerless) return headerless;
  const cellDiagnostics: Diagnostic[] = [];
  const cells = tokeniseCells(text, lineAt, cellDiagnostics);
  // No header found at all: a plan written as numbered paragraphs, each closing with its units in brackets.
  const points = cells.columns || year === undefined ? null : readPoints(text, year);
  if (points) {
    diagnostics.push(...points.diagnostics);
    const first = points.rows[0]?.line ?? 1;
    return { layout: 'pipe', columns: points.columns, headerLine: 0, title: pickTitle(lines.slice(0, first - 1)), rows: points.rows, cells: [], diagnostics };
  }
  diagnostics.push(...cellDiagnostics);
  return { ...cells, diagnostics };
}

/**
 * A table with no header row whose lines are plainly rows (most split at `|`, tabs or commas into three
 * cells or more, all in the same way): its rows, with `columns: null` for the caller to infer from what
 * the cells hold. `null` when the lines are not such rows.
 */
function pipeRowsOf(text: string, lineAt: (o: number) => number, lines: readonly string[]): SourceRow[] {
  const outer = lines.every((l) => l.trim().startsWith('|'));
  const pipes = Math.max(...lines.map((l) => pipeCount(l)));
  return parsePipeRows(text, lineAt, outer ? pipes - 1 : pipes + 1, outer);
}

function headerlessRows(text: string, lineAt: (o: number) => number, diagnostics: Diagnostic[]): Tokenised | null {
  const lines = text.split('\n').filter((l) => l.trim());
  if (lines.length < 2) return null;
  for (const [layout, delimiter] of [
    ['pipe', '|'],
    ['tsv', '\t'],
    ['csv', ','],
  ] as const) {
    const split = lines.filter((l) => l.split(delimiter).filter((c) => c.trim()).length >= 3).length;
    if (split < 2 || split * 5 < lines.length * 3) continue;
    const rows =
      layout === 'pipe'
        ? pipeRowsOf(text, lineAt, lines)
        : parseDelimited(text, delimiter, lineAt, diagnostics);
    return tokeniseRows(layout, [], 0, [], rows, diagnostics, null);
  }
  return null;
}
