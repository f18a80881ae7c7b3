/**
 * Header recognition: which column of a task breakdown table holds what, from its header words.
 */

/**
 * What a table column holds.
 * - `no` 序号, `name` 任务名称, `content` 任务内容, `deadline` 时间节点;
 * - `responsibility` 责任单位 (a `牵头单位` column has `lead: true`), `cooperating` 配合单位;
 * - `category` 类别 (often a merged cell spanning rows), `ignored` 备注 and anything not recognised.
 */
export type ColumnKind = 'no' | 'name' | 'content' | 'responsibility' | 'cooperating' | 'deadline' | 'category' | 'ignored';

/** One recognised header cell. */
export interface Column {
  kind: ColumnKind;
  /** The header text as written (spaces removed). */
  header: string;
  /** True for a 牵头单位 / 牵头部门 column: the units it names lead the task. */
  lead: boolean;
}

const KEYWORDS: ReadonlyArray<readonly [string, ColumnKind, boolean?]> = [
  ['序号', 'no'],
  ['编号', 'no'],
  ['项次', 'no'],
  ['序', 'no'],
  ['任务名称', 'name'],
  ['工作任务', 'name'],
  ['重点任务', 'name'],
  ['主要任务', 'name'],
  ['工作事项', 'name'],
  ['任务事项', 'name'],
  ['项目名称', 'name'],
  ['任务', 'name'],
  ['事项', 'name'],
  ['任务内容', 'content'],
  ['具体要求', 'content'],
  ['细化分工', 'content'],
  ['工作要求', 'content'],
  ['工作内容', 'content'],
  ['具体内容', 'content'],
  ['主要内容', 'content'],
  ['具体措施', 'content'],
  ['工作措施', 'content'],
  ['任务要求', 'content'],
  ['具体任务', 'content'],
  ['任务分工', 'content'],
  ['工作分工', 'content'],
  ['责任分工', 'content'],
  ['责任单位', 'responsibility'],
  ['责任科室', 'responsibility'],
  ['责任处室', 'responsibility'],
  ['责任部门', 'responsibility'],
  ['责任主体', 'responsibility'],
  ['承办单位', 'responsibility'],
  ['主责单位', 'responsibility'],
  ['落实单位', 'responsibility'],
  ['负责单位', 'responsibility'],
  ['负责部门', 'responsibility'],
  ['负责科室', 'responsibility'],
  ['负责处室', 'responsibility'],
  ['责任股室', 'responsibility'],
  ['责任站所', 'responsibility'],
  ['责任站办', 'responsibility'],
  ['责任机构', 'responsibility'],
  ['责任部室', 'responsibility'],
  ['牵头股室', 'responsibility', true],
  ['配合股室', 'cooperating'],
  ['牵头单位', 'responsibility', true],
  ['牵头处室', 'responsibility', true],
  ['配合处室', 'cooperating'],
  ['配合科室', 'cooperating'],
  ['牵头部门', 'responsibility', true],
  ['牵头科室', 'responsibility', true],
  ['配合单位', 'cooperating'],
  ['配合部门', 'cooperating'],
  ['协办单位', 'cooperating'],
  ['协助单位', 'cooperating'],
  ['时间节点', 'deadline'],
  ['时限要求', 'deadline'],
  ['完成时限', 'deadline'],
  ['完成时间', 'deadline'],
  ['完成期限', 'deadline'],
  ['时间安排', 'deadline'],
  ['进度安排', 'deadline'],
  ['时限', 'deadline'],
  ['类别', 'category'],
  ['分类', 'category'],
  ['类型', 'category'],
  ['板块', 'category'],
  ['备注', 'ignored'],
  ['分值', 'ignored'],
  ['责任人', 'ignored'],
  ['责任领导', 'ignored'],
  ['分管领导', 'ignored'],
];

const EXACT = new Map(KEYWORDS.map((entry) => [entry[0], entry] as const));
/** Every synonym of two characters or more, longest first. */
const PARTIAL = new RegExp(
  KEYWORDS.map((entry) => entry[0])
    .filter((word) => word.length >= 2)
    .sort((a, b) => b.length - a.length)
    .join('|'),
  'g',
);

/** Longest header a real table uses; longer cells are text, not headers. */
const MAX_HEADER_LENGTH = 12;

/**
 * Recognises one header cell, or returns `null` when the text is not a header word.
 * An exact synonym wins; otherwise the longest synonym the cell contains (责任单位及责任人 → responsibility).
 *
 * @example
 * recognizeHeader('牵头单位') // { kind: 'responsibility', header: '牵头单位', lead: true }
 * recognizeHeader('备注')     // { kind: 'ignored', header: '备注', lead: false }
 * recognizeHeader('政策发布') // null
 */
export function recognizeHeader(text: string): Column | null {
  if (text.length > 40) return null;
  const header = /[\s*＊:：]/.test(text) ? text.replace(/[\s*＊:：]/g, '') : text;
  if (!header || header.length > MAX_HEADER_LENGTH) return null;
  const exact = EXACT.get(header);
  if (exact) return { kind: exact[1], header, lead: exact[2] ?? false };
  let best: (typeof KEYWORDS)[number] | undefined;
  PARTIAL.lastIndex = 0;
  for (let m = PARTIAL.exec(header); m; m = PARTIAL.exec(header)) {
    const entry = EXACT.get(m[0])!;
    if (!best || entry[0].length > best[0].length) best = entry;
    PARTIAL.lastIndex = m.index + 1;
  }
  // A partial match on a long cell is a sentence that happens to contain 任务 or 时限, not a header.
  if (!best || header.length > best[0].length + 4) return null;
  return { kind: best[1], header, lead: best[2] ?? false };
}

/**
 * Reads a header row: returns its columns when at least three cells are header words and the row names
 * the task (a name or content column); otherwise `null`. Unrecognised cells in a header row become
 * `ignored` columns.
 */
export function recognizeHeaderRow(cells: readonly string[]): Column[] | null {
  const columns: Column[] = [];
  let recognised = 0;
  for (const cell of cells) {
    const column = recognizeHeader(cell);
    if (column) recognised++;
    columns.push(column ?? { kind: 'ignored', header: cell.replace(/\s/g, ''), lead: false });
  }
  const names = columns.some((c) => c.kind === 'name' || c.kind === 'content');
  if (recognised < 3 || !names || recognised * 2 < cells.filter((c) => c.trim()).length) return null;
  // Two requirement columns and no name column (工作内容 | 具体要求): the first names the task.
  const contents = columns.filter((c) => c.kind === 'content');
  if (contents.length >= 2 && !columns.some((c) => c.kind === 'name')) contents[0]!.kind = 'name';
  return columns;
}

/**
 * Whether an empty cell in a column of this kind is a merged cell (a cell spanning several rows, which
 * extraction leaves empty in every row but the first) and so inherits the row above. Never a guess:
 * - `responsibility` (责任单位, 牵头单位) and `deadline`: every task has a responsible unit and a deadline, so
 *   an empty cell can only be one merged with the row above;
 * - `category` (类别): a heading cell that spans the rows of its group by design;
 * - `cooperating` (配合单位) is not: many tasks have no cooperating unit, and an empty cell says exactly that
 *   (write 同上 in the table to repeat the row above);
 * - text columns (`name`, `content`), `no` and `ignored` are never merged.
 *
 * @example
 * isMergeable('deadline')    // true
 * isMergeable('cooperating') // false
 */
export function isMergeable(kind: ColumnKind): boolean {
  return kind === 'responsibility' || kind === 'deadline' || kind === 'category';
}

/**
 * Whether a cell of this kind written 同上 / 〃 ("same as above") repeats the row above: the mergeable
 * columns and 配合单位. In text columns 同上 is kept as written.
 */
export function repeatsAbove(kind: ColumnKind): boolean {
  return isMergeable(kind) || kind === 'cooperating';
}
