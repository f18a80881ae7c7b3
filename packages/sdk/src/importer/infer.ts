/**
 * Columns the header does not name but the body shows: a table whose header has no 序号 while every row
 * carries a number (the number cell sits under the task name's header, or the header row was cut off).
 */
import type { Diagnostic } from '../model/schemas.js';
import type { ImportCache } from './cache.js';
import { cleanCell, isBlankCell } from './clean.js';
import type { Column } from './columns.js';
import type { Tokenised } from './layout.js';
import { SUB_HEADING, TOP_HEADING, taskNumber } from './rows.js';

const NUMBER_COLUMN: Column = { kind: 'no', header: '序号', lead: false };

/** True when the numbers run 1, 2, 3 … (gaps of a few allowed), as task numbers do. */
function runsInOrder(numbers: readonly number[]): boolean {
  if (numbers.length < 2 || numbers[0]! > 3) return false;
  let ordered = 0;
  for (let i = 1; i < numbers.length; i++) if (numbers[i]! > numbers[i - 1]! && numbers[i]! <= numbers[i - 1]! + 3) ordered++;
  return ordered * 4 >= (numbers.length - 1) * 3;
}

/** True when most filled cells of a delimited table's column are task numbers running in order. */
function numberedColumn(tok: Tokenised, index: number): boolean {
  const numbers: number[] = [];
  let filled = 0;
  for (const row of tok.rows) {
    const cell = row.cells[index];
    if (!cell || isBlankCell(cell.raw)) continue;
    filled++;
    const no = taskNumber(cell.raw);
    if (no !== null) numbers.push(no);
  }
  return numbers.length * 4 >= filled * 3 && runsInOrder(numbers);
}

/**
 * Adds the number column a header leaves out when the body's cells say where it is: in a one-cell-per-line
 * table, numbers 1, 2, 3 … standing alone, the first after as many cells as columns come before it; in a
 * delimited table, rows one cell longer than the header with a number in the same place. Returns the
 * columns unchanged when the header has a number column or the body shows none.
 */
export function inferNumberColumn(tok: Tokenised, columns: Column[], diagnostics: Diagnostic[]): Column[] {
  if (columns.some((c) => c.kind === 'no')) return columns;
  let at = -1;
  if (tok.layout === 'cells') {
    const anchors: Array<{ index: number; no: number }> = [];
    tok.cells.forEach((cell, index) => {
      const no = taskNumber(cell.raw);
      if (no !== null) anchors.push({ index, no });
    });
    if (!runsInOrder(anchors.map((a) => a.no))) return columns;
    at = Math.min(tok.cells.slice(0, anchors[0]!.index).filter((c) => !isBlankCell(c.raw)).length, columns.length);
  } else {
    // A header cell spanning two columns (工作任务 over the name and the number) leaves one without a header.
    const unnamed = columns.findIndex((c, i) => c.kind === 'ignored' && !c.header && numberedColumn(tok, i));
    if (unnamed >= 0) {
      diagnostics.push({
        line: tok.headerLine || 1,
        severity: 'info',
        message: `the column after ${unnamed > 0 ? columns[unnamed - 1]!.header : 'the start'} has no header but holds the task numbers: read it as the number column`,
      });
      return columns.map((c, i) => (i === unnamed ? NUMBER_COLUMN : c));
    }
    // Rows one cell longer than the header say where the number sits; rows under a merged name, where.
    const votes = new Map<number, number>();
    const numbers: number[] = [];
    let longer = 0;
    for (const row of tok.rows) {
      let cells = [...row.cells];
      while (cells.length && isBlankCell(cells[cells.length - 1]!.raw)) cells.pop();
      if (cells.length > 1 && TOP_HEADING.test(cells[0]!.raw) && SUB_HEADING.test(cells[1]!.raw)) cells = cells.slice(1);
      const index = cells.slice(0, 3).findIndex((c) => taskNumber(c.raw) !== null);
      if (index >= 0) numbers.push(taskNumber(cells[index]!.raw)!);
      if (cells.length !== columns.length + 1) continue;
      longer++;
      if (index >= 0) votes.set(index, (votes.get(index) ?? 0) + 1);
    }
    const best = [...votes].sort((a, b) => b[1] - a[1])[0];
    const numbered = numbers.length >= 2 && runsInOrder(numbers) && numbers.length * 2 >= tok.rows.length;
    if (!best || (!numbered && (longer < 2 || best[1] * 2 < longer))) return columns;
    at = best[0];
  }
  const after = at > 0 ? `after ${columns[at - 1]!.header}` : 'first';
  diagnostics.push({
    line: tok.headerLine || 1,
    severity: 'info',
    message: `the header names no number column (序号) but the rows are numbered: read a number column ${after}`,
  });
  return [...columns.slice(0, at), NUMBER_COLUMN, ...columns.slice(at)];
}

const UNIT_LIKE_END = /(局|办|委|院|所|站|队|会|区|镇|乡|中心|部门|单位|公司|处|科|室|厅|部|街道|社区|集团|组|署|馆|台|社|校|园|府|机关|企业)$/;

/**
 * The columns of a delimited table with no header row, from what its cells hold: a column of task numbers
 * running in order is the number column, one mostly of date phrases the deadline, one mostly of unit
 * lists the responsibility; of the other columns the one with the longest texts is the content and a
 * shorter one before it the task name; the rest are ignored. `null` when no column holds text, or none
 * holds units or dates (then the rows are not a task table this can read).
 */
export function inferColumns(tok: Tokenised, cache: ImportCache): Column[] | null {
  const width = Math.max(0, ...tok.rows.map((r) => r.cells.length));
  if (width < 3) return null;
  const shares: Array<{ numbers: number; dates: number; units: number }> = [];
  const lengths: number[] = [];
  for (let j = 0; j < width; j++) {
    let filled = 0;
    let numbers = 0;
    let dates = 0;
    let units = 0;
    let chars = 0;
    let finished = 0;
    for (const row of tok.rows) {
      const raw = row.cells[j]?.raw;
      if (!raw || isBlankCell(raw)) continue;
      const text = cleanCell(raw);
      filled++;
      chars += text.length;
      if (/[。！？；]\s*$/.test(raw)) finished++;
      // A finished sentence (及时发布。) is a requirement, whatever date words it holds.
      if (taskNumber(raw) !== null) numbers++;
      else if (text.length <= 30 && !/[。！？]\s*$/.test(raw) && cache.isDeadline(text)) dates++;
      else if (text.length <= 80) {
        const read = cache.peekResponsibility(text);
        if (read.length > 0 && read.every((a) => a.group || UNIT_LIKE_END.test(a.unit))) units++;
      }
    }
    // Requirements run longer than names and end their sentences: both make a column the content.
    lengths.push(filled ? chars / filled + (20 * finished) / filled : 0);
    shares.push(filled ? { numbers: numbers / filled, dates: dates / filled, units: units / filled } : { numbers: 0, dates: 0, units: 0 });
  }
  // Each special column is the one that holds its kind most, given it holds it in most rows.
  const best = (key: 'numbers' | 'dates' | 'units', least: number, taken: readonly number[]) => {
    let at = -1;
    shares.forEach((share, j) => {
      if (!taken.includes(j) && share[key] >= least && (at < 0 || share[key] > shares[at]![key])) at = j;
    });
    return at;
  };
  const no = best('numbers', 0.75, []);
  const deadline = best('dates', 0.5, [no]);
  const units = best('units', 0.5, [no, deadline]);
  const kinds: Array<Column['kind'] | 'text'> = lengths.map((length, j) =>
    j === no ? 'no' : j === deadline ? 'deadline' : j === units ? 'responsibility' : length === 0 ? 'ignored' : 'text',
  );
  const texts = kinds.flatMap((k, j) => (k === 'text' ? [j] : []));
  if (texts.length === 0 || !kinds.some((k) => k === 'deadline' || k === 'responsibility')) return null;
  const content = texts.reduce((a, b) => (lengths[b]! > lengths[a]! ? b : a));
  const name = texts.filter((j) => j < content).pop() ?? (texts.length > 1 ? texts.find((j) => j !== content) : undefined);
  const HEADERS: Record<string, string> = { no: '序号', name: '任务名称', content: '任务内容', responsibility: '责任单位', deadline: '时间节点', ignored: '' };
  return kinds.map((k, j) => {
    const kind: Column['kind'] = k === 'text' ? (j === content ? 'content' : j === name ? 'name' : 'ignored') : k;
    return { kind, header: HEADERS[kind] ?? '', lead: false };
  });
}
