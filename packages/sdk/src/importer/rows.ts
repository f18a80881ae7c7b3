/**
 * From tokens to table rows: finding the rows of a one-cell-per-line table by its task numbers, fitting
 * a row's cells to the columns when some are missing (merged cells) or split (PDF artifacts), joining
 * wrapped continuation rows, and filling merged cells from the row above.
 */
import type { Diagnostic } from '../model/schemas.js';
import { cleanCell, collapseSpaces, isBlankCell, joinCellLines } from './clean.js';
import { isMergeable, repeatsAbove, type Column, type ColumnKind } from './columns.js';
import type { SourceCell, SourceRow, Tokenised } from './layout.js';
import type { ImportCache } from './cache.js';
import { joinUnitLines, LineShapes, type LineInfo } from './shape.js';
import { chineseNumber, mayHoldDate } from './deadlines.js';

/** One task row: its number and one cell per column (`null` where the table has no cell). */
export interface TableRow {
  /** 1-based line of the row's number (or first) cell. */
  line: number;
  no: number;
  cells: Array<SourceCell | null>;
}

const CIRCLED = '①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳';

/** The task number a cell holds (1, 1., （1）, ①, and as ordinals are written in Chinese 一、 / （二）), or `null`. */
export function taskNumber(raw: string): number | null {
  if (raw.length > 40 || !/[\d①-⑳一二三四五六七八九十]/.test(raw)) return null;
  const text = cleanCell(raw);
  if (text.length === 1 && CIRCLED.includes(text)) return CIRCLED.indexOf(text) + 1;
  const chinese = /^(?:[(（]([一二三四五六七八九十]{1,3})[)）]|([一二三四五六七八九十]{1,3}))$/.exec(text);
  if (chinese) {
    const n = chineseNumber(chinese[1] ?? chinese[2]!);
    return n !== null && n >= 1 ? n : null;
  }
  const m = /^[(（]?(\d{1,4})[)）]?$/.exec(text);
  if (!m) return null;
  const n = Number(m[1]);
  return n >= 1 ? n : null;
}

/** A sub-item number in the number column: 1.1, 2-3, 1．2. */
const SUB_NUMBER = /^\d{1,3}[.．\-－]\d{1,3}$/;

const SAME_AS_ABOVE = /^(同上|同上条|〃|"|”|同前)$/;

const MISSING_COST: Record<ColumnKind, number> = {
  no: 10,
  name: 4,
  content: 4,
  responsibility: 1,
  cooperating: 0.5,
  deadline: 1,
  category: 0.3,
  ignored: 0.2,
};

/** The most {@link Plausibility.score} gives a text in a column of each kind (a bound for row fitting). */
const MAX_PLAUSIBILITY: Record<ColumnKind, number> = {
  no: 3,
  name: 1,
  content: 1.5,
  responsibility: 2,
  cooperating: 2,
  deadline: 2,
  category: 0.5,
  ignored: 0,
};

/**
 * In a row with fewer cells than columns the missing cell is a merged one, and the task name is the cell
 * tables merge most (one name over several requirements): its absence costs less there.
 */
const RAGGED_MISSING_COST: Record<ColumnKind, number> = { ...MISSING_COST, name: 2.5 };

const UNIT_LIKE = /(局|办|委|院|所|站|队|会|区|镇|乡|中心|部门|单位|公司|处|科|室|厅|部|街道|社区|集团|组|署|馆|台|社|校|园|府|机关|企业)$/;

/** An item number opening a requirement (1.积极推进…, 2、…, （3）…), as content cells carry them. */
export const ITEM_NUMBER = /^(?:\d{1,3}[.．、]|[(（]\d{1,3}[)）])(?!\d)/;

const ROLE_RUN_TAIL = /(?:牵头|配合|协办|协助|参与|负责|组织实施|具体实施|具体落实|落实|实施|承办)+$/;
const ETC_TAIL = /(?:等相关部门|等有关部门|等相关单位|等有关单位|等部门|等单位|等)$/;

/**
 * False when some comma-separated part of the text ends in something no unit name ends like (and is no
 * group phrase): the responsibility reader would then read a unit that is not unit-like, so the text is
 * not a list of units. Text the reader rewrites first (brackets, 会同, 按职责, 分别) is never ruled out.
 */
function mayBeUnitLike(text: string): boolean {
  if (/[（()）会按分]/.test(text)) return true;
  for (const part of text.split(/[、，,；;。\n\s/／]+/)) {
    const tail = part
      .replace(ROLE_RUN_TAIL, '')
      .replace(/^(?:由|请|会同)/, '')
      .replace(/^[.：:及和与]+|[.：:及和与]+$/g, '')
      .replace(ETC_TAIL, '')
      .replace(/[.：:及和与]+$/, '');
    if (tail && !UNIT_LIKE.test(tail) && !/^(?:各|相关|有关|县直|全县|归口|行业|按职责)/.test(tail)) return false;
  }
  return true;
}

/** A cell ending a sentence as written. */
const FINISHED = /[。！？!?]\s*$/;
/** A heading's ordinal (一、 / （二）), which task names carry and requirements do not. */
const HEADING_ORDINAL = /^(?:[一二三四五六七八九十]{1,3}[、.．]|[(（][一二三四五六七八九十]{1,3}[)）])/;

/** Long free text is content, and nothing else. */
function longText(kind: ColumnKind): number {
  return kind === 'content' ? 1 : kind === 'name' ? -2 : kind === 'ignored' ? 0 : -3;
}

const isAsciiWord = (ch: string) => /[A-Za-z0-9]/.test(ch);

/** Characters as the eye counts them (a surrogate pair is one), without building an array. */
function codePoints(text: string): number {
  let n = text.length;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c >= 0xd800 && c <= 0xdbff) n--;
  }
  return n;
}

const STRAY_EDGE = new Set([...'、。，,.；;：:·•・']);

/** {@link cleanCell}'s trimming of stray punctuation and space at both ends. */
function trimStray(text: string): string {
  let start = 0;
  let end = text.length;
  while (start < end && (STRAY_EDGE.has(text[start]!) || /\s/.test(text[start]!))) start++;
  while (end > start && (STRAY_EDGE.has(text[end - 1]!) || /\s/.test(text[end - 1]!))) end--;
  return start === 0 && end === text.length ? text : text.slice(start, end);
}

/** How plausible a text is for a column; memoised per parse because row fitting asks repeatedly. */
class Plausibility {
  private readonly memo = new Map<ColumnKind, Map<string, number>>();
  /** A cell's cleaned text, shared by the kinds it is judged for. */
  private readonly cleaned = new Map<string, string>();
  private readonly pieces = new Map<string, string>();
  private readonly judged = new Map<ColumnKind, Map<string, number>>();
  readonly shapes: LineShapes;
  constructor(private readonly cache: ImportCache) {
    this.shapes = new LineShapes(cache);
  }

  score(text: string, kind: ColumnKind): number {
    let byText = this.memo.get(kind);
    if (!byText) {
      byText = new Map();
      this.memo.set(kind, byText);
    }
    let value = byText.get(text);
    if (value === undefined) {
      value = this.compute(text, kind);
      byText.set(text, value);
    }
    return value;
  }

  private isUnitList(text: string): boolean {
    if (!mayBeUnitLike(text)) return false;
    const units = this.cache.peekResponsibility(text);
    return units.length > 0 && units.every((u) => u.group || UNIT_LIKE.test(u.unit));
  }

  /**
   * The score of cells `from`…`to` joined into one cell, as {@link score} would give the joined text: the
   * cleaned text is put together from each cell's own joined lines (cached), not by cleaning the join.
   */
  scoreGroup(cells: readonly SourceCell[], from: number, to: number, kind: ColumnKind): number {
    if (to - from === 1) return this.score(cells[from]!.raw, kind);
    let rawLength = to - from - 1;
    for (let i = from; i < to; i++) rawLength += cells[i]!.raw.length;
    if (rawLength > 300) return longText(kind);
    let text = '';
    for (let i = from; i < to; i++) {
      const piece = this.piece(cells[i]!.raw);
      if (!piece) continue;
      if (text && isAsciiWord(text[text.length - 1]!) && isAsciiWord(piece[0]!)) text += ' ';
      text += piece;
    }
    return this.judgeOnce(trimStray(text), kind, FINISHED.test(cells[to - 1]!.raw));
  }

  /** {@link judge}, memoised: a row's fitting meets the same joined text under several groupings. */
  private judgeOnce(text: string, kind: ColumnKind, finished: boolean): number {
    let byText = this.judged.get(kind);
    if (!byText) {
      byText = new Map();
      this.judged.set(kind, byText);
    }
    const key = finished ? `${text}\u0000` : text;
    let value = byText.get(key);
    if (value === undefined) {
      value = this.judge(text, kind, finished);
      byText.set(key, value);
    }
    return value;
  }

  /** A cell's lines joined and its spaces collapsed: {@link cleanCell} before the edges are trimmed. */
  private piece(raw: string): string {
    let piece = this.pieces.get(raw);
    if (piece === undefined) {
      piece = collapseSpaces(joinCellLines(raw));
      this.pieces.set(raw, piece);
    }
    return piece;
  }

  private compute(raw: string, kind: ColumnKind): number {
    // Long free text needs no cleaning to be judged: it is content, and nothing else.
    if (raw.length > 300) return longText(kind);
    let text = this.cleaned.get(raw);
    if (text === undefined) {
      text = this.shapes.cleanedIfKnown(raw) ?? cleanCell(raw);
      this.cleaned.set(raw, text);
    }
    return this.judge(text, kind, FINISHED.test(raw));
  }

  /** `finished`: the cell as written ends a sentence (。！？), which cleaning drops from the text. */
  private judge(text: string, kind: ColumnKind, finished: boolean): number {
    const length = codePoints(text);
    switch (kind) {
      case 'no':
        return !text ? -1 : taskNumber(text) !== null ? 3 : -5;
      case 'name': {
        if (!text) return -3;
        // A date phrase (持续推进, 年底前) or an item-numbered sentence (3.及时反馈…) is never a task's name.
        if (length <= 12 && mayHoldDate(text) && this.cache.peekDeadline(text).diagnostics.length === 0) return -2;
        if (ITEM_NUMBER.test(text)) return -1;
        const score = length <= 40 ? 1 : length <= 80 ? 0 : -2;
        // A finished sentence is a requirement, unless it is a heading (一、做好财政信息公开。).
        return finished && !HEADING_ORDINAL.test(text) ? Math.min(score, 0) : score;
      }
      case 'content': {
        if (!text) return -2;
        if (ITEM_NUMBER.test(text)) return 1.5;
        // A short cell of unit names only (疾控处, 办公室牵头) is a responsibility cell shifted left.
        if (length < 15 && this.isUnitList(text)) return -2.5;
        if (length < 15 && mayHoldDate(text) && this.cache.peekDeadline(text).diagnostics.length === 0) return -1;
        return length >= 15 || finished ? 1 : 0;
      }
      case 'responsibility':
      case 'cooperating': {
        // A list of units is never paragraph-long; skip reading one.
        if (length > 200) return -3;
        // A part that no unit name ends like: the reader would find units, not all of them unit-like.
        if (!mayBeUnitLike(text)) return -1 - (length > 80 ? 1 : 0);
        const units = this.cache.peekResponsibility(text);
        if (units.length === 0) return -2;
        const unitLike = units.every((u) => u.group || UNIT_LIKE.test(u.unit));
        return (unitLike ? 2 : -1) - (length > 80 ? 1 : 0);
      }
      case 'deadline': {
        if (length > 100) return -2;
        if (!mayHoldDate(text)) return -2;
        const r = this.cache.peekDeadline(text);
        if (r.milestones.length === 0) return -2;
        if (r.diagnostics.length > 0) return 0;
        return length > 30 ? 1 : 2;
      }
      case 'category':
        return length <= 20 ? 0.5 : -1;
      case 'ignored':
        return 0;
    }
  }
}

/** The cost of joining a cell to the one before it: more for a long cell, and more after a full stop. */
function joinCost(left: LineInfo, right: LineInfo): number {
  let cost = right.chars <= 4 ? 0.5 : 1.5;
  if (left.stops) cost += 1;
  return cost;
}

function joinCells(cells: readonly SourceCell[]): SourceCell {
  return { raw: cells.map((c) => c.raw).join('\n'), line: cells[0]!.line };
}

/**
 * What the shapes of the lines joined into one column say about that join (0 when they fit, negative
 * when they do not). Only several lines are judged here; a single line is judged by its plausibility.
 * - a responsibility cell is made of unit names and role words: a sentence or a date in it is wrong;
 * - a free-text cell (content, name) may hold any line, except that unit lines at its end are the
 *   responsibility cell that follows, so ending content with 县政府办牵头， costs most of all;
 * - a deadline cell holds no unit names and no sentences.
 *
 * Computed for every group of a row's lines without building the group: the units and deadline terms add
 * up line by line (prefix sums); the free-text term walks back from the group's end.
 */
class ShapeTerms {
  private readonly units: number[] = [0];
  private readonly deadline: number[] = [0];
  private readonly nameRun: number[] = [0];

  constructor(private readonly lines: readonly LineInfo[]) {
    for (const line of lines) {
      const u = line.shape === 'text' ? (line.text.length <= 3 ? -0.5 : -1.5) : line.shape === 'sentence' || line.shape === 'deadline' ? -3 : 0;
      this.units.push(this.units[this.units.length - 1]! + u);
      const d = line.shape === 'units' || line.shape === 'sentence' ? -3 : 0;
      this.deadline.push(this.deadline[this.deadline.length - 1]! + d);
      const nm = line.closed ? -2 : line.clause ? -1 : 0;
      this.nameRun.push(this.nameRun[this.nameRun.length - 1]! + nm);
    }
  }

  of(from: number, to: number, kind: ColumnKind): number {
    const count = to - from;
    switch (kind) {
      case 'responsibility':
      case 'cooperating':
        return count < 2 ? 0 : this.units[to]! - this.units[from]!;
      case 'deadline':
        return count < 2 ? 0 : this.deadline[to]! - this.deadline[from]!;
      case 'content':
      case 'name': {
        let term = 0;
        for (let i = to - 1; i >= from; i--) {
          const line = this.lines[i]!;
          if (line.shape === 'units') term -= line.strong ? 2.5 : 0.5;
          else if (line.shape === 'role') term -= 1;
          else if (line.shape === 'deadline' && i === to - 1 && i > from) term -= 1.5;
          else break;
        }
        if (kind === 'name' && count > 1) term += this.nameRun[to]! - this.nameRun[from]!;
        return term;
      }
      default:
        return 0;
    }
  }
}

/** Where each column's cells are: `[from, to)` into the fitted cells, `null` for a column with none. */
type Ranges = Array<readonly [number, number] | null>;

interface Fit {
  score: number;
  values: Array<SourceCell | null>;
  ranges: Ranges;
}

/** A small number per column kind, for numeric memo keys. */
const KIND_INDEX: Record<ColumnKind, number> = { no: 0, name: 1, content: 2, responsibility: 3, cooperating: 4, deadline: 5, category: 6, ignored: 7 };

/** A column takes at most this many neighbouring cells when cells are joined. */
const MAX_GROUP = 8;
/** Beyond this many surplus cells, row fitting stops searching and joins the surplus into the free text. */
const MAX_SURPLUS = 12;

function valuesOf(cells: readonly SourceCell[], ranges: Ranges): Array<SourceCell | null> {
  return ranges.map((r) => (!r ? null : r[1] - r[0] === 1 ? cells[r[0]]! : joinCells(cells.slice(r[0], r[1]))));
}

/**
 * Fits cells to columns, keeping their order: with fewer cells than columns some columns are missing
 * (merged cells); with more, neighbouring cells are joined (a cell wrapped onto several lines, or split
 * by a stray tab). The fit with the most plausible texts wins, found by dynamic programming over (cells
 * used, columns filled); a joined group is judged by its text and by the shapes of its lines
 * ({@link ShapeTerms}), so a deadline line ends the row, unit lines before it form the responsibility
 * cell and sentences stay in the content.
 */
function fitCells(cells: readonly SourceCell[], columns: readonly Column[], judge: Plausibility, missing: Record<ColumnKind, number> = MISSING_COST): Fit {
  const k = cells.length;
  const n = columns.length;
  if (n === 0) return { score: k === 0 ? 0 : -100 * k, values: [], ranges: [] };
  if (k === n) {
    return {
      score: cells.reduce((sum, cell, i) => sum + judge.score(cell.raw, columns[i]!.kind), 0),
      values: [...cells],
      ranges: cells.map((_c, i) => [i, i + 1] as const),
    };
  }
  if (k > n + MAX_SURPLUS) return greedyJoin(cells, columns, judge);

  // With s surplus cells no column needs more than s + 1 of them; one more allows for a missing column.
  const maxGroup = Math.min(MAX_GROUP, Math.max(1, k - n + 1) + 1);
  // costBefore[g]: total cost of joining cells 0..g into one, so any group's cost is a difference.
  const infos = cells.map((c) => judge.shapes.of(c.raw));
  const costBefore: number[] = [0];
  for (let g = 1; g < k; g++) costBefore.push(costBefore[g - 1]! + joinCost(infos[g - 1]!, infos[g]!));
  const shapes = k > n ? infos : [];
  const terms = new ShapeTerms(shapes);
  // A group's score is its text's plausibility, plus what its lines' shapes say, minus the cost of
  // joining them; the text is built and judged only when the group could still beat the best found.
  // Content scores its most (1.5) only opening with an item number (1.…): in a row without a digit, 1 bounds it.
  const numbered = cells.some((c) => /\d/.test(c.raw));
  const most = (kind: ColumnKind) => (kind === 'content' && !numbered ? 1 : MAX_PLAUSIBILITY[kind]);
  // The text's plausibility per (from, to, column kind), so the first fit and the search judge a group once.
  const judged = new Map<number, number>();
  const groupScore = (from: number, to: number, kind: ColumnKind, floor: number): number => {
    const shape = shapes.length ? terms.of(from, to, kind) : 0;
    const cost = to - from === 1 ? 0 : costBefore[to - 1]! - costBefore[from]!;
    if (most(kind) + shape - cost <= floor) return Number.NEGATIVE_INFINITY;
    const key = (from * (k + 1) + to) * 8 + KIND_INDEX[kind];
    let plausibility = judged.get(key);
    if (plausibility === undefined) {
      plausibility = judge.scoreGroup(cells, from, to, kind);
      judged.set(key, plausibility);
    }
    return plausibility + shape - cost;
  };
  // Branch and bound: a fit read off the lines' shapes is a score to beat, and a choice that cannot reach
  // it even if every later column scored its most is skipped (strictly below only, so ties are kept and
  // the fit found is the one the full search finds).
  // A row whose lines say plainly where each column starts needs no search.
  const plain = shapes.length ? plainFit(shapes, columns) : null;
  if (plain) {
    // Its score matters only where fits are compared (a row's cells split around its number): judged then.
    let score: number | undefined;
    return {
      get score() {
        score ??= plain.reduce((sum, r, j) => sum + (r ? groupScore(r[0], r[1], columns[j]!.kind, Number.NEGATIVE_INFINITY) : -missing[columns[j]!.kind]), 0);
        return score;
      },
      values: valuesOf(cells, plain),
      ranges: plain,
    };
  }
  const incumbent = shapes.length ? shapeFit(shapes, columns, (from, to, kind) => groupScore(from, to, kind, Number.NEGATIVE_INFINITY), missing) : Number.NEGATIVE_INFINITY;
  const ahead: number[] = Array<number>(n + 1).fill(0);
  for (let j = n - 1; j >= 0; j--) ahead[j] = ahead[j + 1]! + most(columns[j]!.kind);
  // The most columns j… can still score holding cells i…: their best texts, less the joins the surplus
  // cells need (every join costs at least 0.5, and shape terms are never positive); −∞ when the cells
  // left are more than those columns can take.
  const bound = (j: number, i: number): number => {
    const surplus = k - i - (n - j);
    if (k - i > (n - j) * maxGroup) return Number.NEGATIVE_INFINITY;
    return surplus > 0 ? ahead[j]! - 0.5 * surplus : ahead[j]!;
  };
  // best[j][i]: best score with the first j columns holding the first i cells; from[j][i]: where column
  // j−1's cells start (−1 when that column is missing).
  const start: number[] = [0];
  const none: number[] = [-1];
  for (let i = 1; i <= k; i++) {
    start.push(Number.NEGATIVE_INFINITY);
    none.push(-1);
  }
  const best: number[][] = [start];
  const from: number[][] = [none];
  for (let j = 1; j <= n; j++) {
    const kind = columns[j - 1]!.kind;
    const prev = best[j - 1]!;
    const row: number[] = [];
    const back: number[] = [];
    for (let i = 0; i <= k; i++) {
      back.push(-1);
      row.push(prev[i]! - missing[kind]);
      for (let t = i - 1; t >= Math.max(0, i - maxGroup); t--) {
        if (prev[t] === Number.NEGATIVE_INFINITY) continue;
        if (prev[t]! + bound(j - 1, t) < incumbent) continue;
        const floor = Math.max(row[i]! - prev[t]!, incumbent - prev[t]! - bound(j, i) - 1e-9);
        const score = prev[t]! + groupScore(t, i, kind, floor);
        if (score > row[i]!) {
          row[i] = score;
          back[i] = t;
        }
      }
    }
    best.push(row);
    from.push(back);
  }
  const ranges: Ranges = Array<null>(n).fill(null);
  let i = k;
  for (let j = n; j >= 1; j--) {
    const t = from[j]![i]!;
    if (t < 0) continue;
    ranges[j - 1] = [t, i];
    i = t;
  }
  if (i !== 0) return greedyJoin(cells, columns, judge);
  return { score: best[n]![k]!, values: valuesOf(cells, ranges), ranges };
}

/**
 * The fit of a row laid out as 任务名称 / 任务内容 / 责任单位 / 时间节点 (name and deadline optional) when its
 * lines leave no choice: one date line closes the row, the unit lines before it start with a role word,
 * a group or several units (or follow a finished sentence), no unit, role or date line stands among the
 * requirement's lines, and a short first line without a comma is followed by one that plainly starts the
 * requirement. `null` when anything is open: the search decides then.
 */
function plainFit(lines: readonly LineInfo[], columns: readonly Column[]): Ranges | null {
  const kinds = columns.map((c) => c.kind).join(',');
  if (!/^(?:name,)?content,responsibility(?:,deadline)?$/.test(kinds)) return null;
  const hasName = kinds.startsWith('name');
  const hasDeadline = kinds.endsWith('deadline');
  let end = lines.length;
  if (hasDeadline) {
    if (lines[end - 1]!.shape !== 'deadline') return null;
    end--;
  }
  let start = end;
  while (start > 0 && (lines[start - 1]!.shape === 'units' || lines[start - 1]!.shape === 'role')) start--;
  const first = hasName ? 2 : 1;
  if (start === end || start < first) return null;
  const opener = lines[start]!;
  const before = lines[start - 1]!;
  if (opener.shape !== 'units' || !(opener.strong || before.closed || before.shape === 'sentence')) return null;
  for (let i = 0; i < start; i++) if (lines[i]!.shape !== 'text' && lines[i]!.shape !== 'sentence') return null;
  if (hasName) {
    const name = lines[0]!;
    const next = lines[1]!;
    if (name.shape !== 'text' || name.clause || name.closed) return null;
    if (!(next.shape === 'sentence' || next.clause || next.closed || ITEM_NUMBER.test(next.text))) return null;
  }
  const ranges: Array<readonly [number, number]> = [];
  if (hasName) ranges.push([0, 1]);
  ranges.push([hasName ? 1 : 0, start], [start, end]);
  if (hasDeadline) ranges.push([end, end + 1]);
  return ranges;
}

/**
 * A first fit for a row laid out as 任务名称 / 任务内容 / 责任单位 / 时间节点 (name and deadline optional), read
 * off its lines' shapes: a closing date line is the deadline, the unit lines before it the units, the first
 * line the name and the rest the content. Its score bounds the search; −∞ for other layouts.
 */
function shapeFit(
  lines: readonly LineInfo[],
  columns: readonly Column[],
  score: (from: number, to: number, kind: ColumnKind) => number,
  missing: Record<ColumnKind, number>,
): number {
  const kinds = columns.map((c) => c.kind).join(',');
  if (!/^(?:name,)?content,responsibility(?:,deadline)?$/.test(kinds)) return Number.NEGATIVE_INFINITY;
  const hasName = kinds.startsWith('name');
  const hasDeadline = kinds.endsWith('deadline');
  let end = lines.length;
  let total = 0;
  if (hasDeadline) {
    if (lines[end - 1]!.shape === 'deadline') total += score(end - 1, end--, 'deadline');
    else total -= missing.deadline;
  }
  let start = end - 1;
  while (start - 1 >= (hasName ? 2 : 1) && (lines[start - 1]!.shape === 'units' || lines[start - 1]!.shape === 'role')) start--;
  if (start < (hasName ? 2 : 1)) return Number.NEGATIVE_INFINITY;
  total += score(start, end, 'responsibility');
  if (hasName) total += score(0, 1, 'name');
  total += score(hasName ? 1 : 0, start, 'content');
  return total;
}

/** Too many cells to try every join: one cell per column around the free-text column, which takes the rest. */
function greedyJoin(cells: readonly SourceCell[], columns: readonly Column[], judge: Plausibility): Fit {
  let wide = columns.findIndex((c) => c.kind === 'content');
  if (wide < 0) wide = columns.findIndex((c) => c.kind === 'name');
  if (wide < 0) wide = columns.length - 1;
  const after = columns.length - 1 - wide;
  const ranges: Ranges = columns.map((_c, j) =>
    j < wide ? [j, j + 1] : j === wide ? [wide, cells.length - after] : [cells.length - (columns.length - j), cells.length - (columns.length - j) + 1],
  );
  const values = valuesOf(cells, ranges);
  const score = values.reduce((sum, cell, i) => sum + (cell ? judge.score(cell.raw, columns[i]!.kind) : 0), 0) - 5;
  return { score, values, ranges };
}

const KIND_NAMES: Record<ColumnKind, string> = {
  no: 'number',
  name: 'name',
  content: 'content',
  responsibility: 'responsibility',
  cooperating: 'cooperating-units',
  deadline: 'deadline',
  category: 'category',
  ignored: 'ignored',
};

/** `the content column (任务内容)`, or `the responsibility column (责任单位)` … */
function columnLabel(column: Column): string {
  const kind = column.lead ? 'lead-unit' : KIND_NAMES[column.kind];
  return `the ${kind} column (${column.header})`;
}

function quoted(text: string): string {
  if (text.length <= 24 || codePoints(text) <= 24) return `"${text}"`;
  return `"${[...text].slice(0, 23).join('')}…"`;
}

/** `"a" + "b"`, or `"a" + … + "z" (5 lines)` for a long run. */
function pieces(lines: readonly LineInfo[], unit: string): string {
  if (lines.length <= 3) return lines.map((l) => quoted(l.shown)).join(' + ');
  return `${quoted(lines[0]!.shown)} + … + ${quoted(lines[lines.length - 1]!.shown)} (${lines.length} ${unit})`;
}

const isFreeText = (kind: ColumnKind) => kind === 'content' || kind === 'name';
const isUnitsColumn = (kind: ColumnKind) => kind === 'responsibility' || kind === 'cooperating';

/**
 * Says how a row with more cells than columns was fitted: which columns took several cells, what each
 * took, and — where the lines' shapes left it open — which line could belong to either of two columns
 * and where it was put. A warning when the importer had to choose, info otherwise.
 */
function describeFit(
  no: number,
  cells: readonly SourceCell[],
  columns: readonly Column[],
  fit: Fit,
  shapes: LineShapes,
): Diagnostic | null {
  const byColumn = fit.ranges.map((r) => {
    const out: LineInfo[] = [];
    if (r) for (let i = r[0]; i < r[1]; i++) out.push(shapes.of(cells[i]!.raw));
    return out;
  });
  const lines = (j: number) => byColumn[j]!;
  // One line per cell: call them lines; cells holding several lines (tab-separated PDF text) are cells.
  const unit = cells.every((c) => !c.raw.trim().includes('\n')) ? 'lines' : 'cells';
  const mentioned = new Set<number>();
  columns.forEach((column, j) => {
    if (lines(j).length < 2) return;
    mentioned.add(j);
    // Where a free-text column meets a units column, the boundary between them is the decision made.
    if (isUnitsColumn(column.kind) && j > 0 && isFreeText(columns[j - 1]!.kind) && fit.ranges[j - 1]) mentioned.add(j - 1);
    if (isFreeText(column.kind) && j + 1 < columns.length && isUnitsColumn(columns[j + 1]!.kind) && fit.ranges[j + 1]) mentioned.add(j + 1);
  });
  if (mentioned.size === 0) return null;
  // Notes that explain a choice without doubting it (a lead unit named inside a sentence). Each is
  // written only when the message is read: a parse whose diagnostics nobody reads never builds them.
  const notes: Array<() => string> = [];
  const doubts: Array<() => string> = [];
  const flagged = new Set<LineInfo>();
  for (const j of mentioned) {
    if (!isFreeText(columns[j]!.kind)) continue;
    const group = lines(j);
    group.forEach((line, i) => {
      if (line.shape !== 'units' || !line.lead) return;
      flagged.add(line);
      const next = group[i + 1];
      const free = KIND_NAMES[columns[j]!.kind];
      if (next && next.shape !== 'units' && next.shape !== 'role') {
        notes.push(() => `${quoted(line.shown)} names a lead unit but stays in the ${free}: the sentence goes on in ${quoted(next.shown)}`);
      } else doubts.push(() => `${quoted(line.shown)} names a lead unit but was read as part of the ${free}`);
    });
  }
  for (let j = 0; j + 1 < columns.length; j++) {
    if (!mentioned.has(j) || !mentioned.has(j + 1)) continue;
    if (!isFreeText(columns[j]!.kind) || !isUnitsColumn(columns[j + 1]!.kind)) continue;
    const last = lines(j)[lines(j).length - 1];
    const first = lines(j + 1)[0];
    if (!last || !first) continue;
    const free = KIND_NAMES[columns[j]!.kind];
    const units = columns[j + 1]!.lead ? 'lead unit' : KIND_NAMES[columns[j + 1]!.kind];
    if (flagged.has(last)) continue;
    if (last.shape === 'units' || last.shape === 'role') {
      doubts.push(() => `${quoted(last.shown)} reads like responsibility text but was kept as ${free}`);
    } else if (first.shape !== 'units' && first.shape !== 'role') {
      doubts.push(() => `${quoted(first.shown)} does not read like unit names but was taken as ${units}`);
    } else if (!first.strong && !last.closed && lines(j).length > 0) {
      doubts.push(
        () => `could not tell whether ${quoted(first.shown)} ends the ${free} (${quoted(last.shown)} is unfinished) or starts the ${units}; taken as ${units}`,
      );
    }
  }
  const chosen = [...mentioned].sort((a, b) => a - b);
  const message = () => {
    const count = chosen.reduce((sum, j) => sum + lines(j).length, 0);
    const names = chosen.map((j) => columnLabel(columns[j]!));
    const where = names.length === 1 ? names[0]! : `${names.slice(0, -1).join(', ')} and ${names[names.length - 1]!}`;
    const parts = chosen.map((j) => `${KIND_NAMES[columns[j]!.kind]} = ${pieces(lines(j), unit)}`);
    const doubt = [...notes, ...doubts].map((d) => `; ${d()}`).join('') + (doubts.length ? ' — check the source table' : '');
    return `task ${no}: ${count} ${unit} for ${where}; read as ${parts.join(', ')}${doubt}`;
  };
  return lazyDiagnostic(cells[fit.ranges[chosen[0]!]![0]]!.line, doubts.length ? 'warning' : 'info', no, message);
}

/**
 * A diagnostic whose message is written the first time it is read (then kept): explaining a fit costs
 * more than making it, and most parses are read for their plan, not their notes. The message is an
 * ordinary enumerable property to every reader (spread, JSON, equality).
 */
function lazyDiagnostic(line: number, severity: Diagnostic['severity'], task: number, write: () => string): Diagnostic {
  let text: string | undefined;
  return {
    line,
    severity,
    get message() {
      text ??= write();
      return text;
    },
    task,
  };
}

interface Draft {
  line: number;
  no: number;
  cells: Array<SourceCell | null>;
}

/**
 * Rows of a one-cell-per-line table with no number column, read from what each cell looks like: a heading
 * (（一）…, or 一、… when no finer heading follows) is the task name, merged over the rows below it; a unit
 * list is the units cell and a date phrase the deadline cell; anything else is the requirement. A row
 * ends with the last of the units and deadline columns, or when a new requirement follows a complete one.
 * A top heading (一、…) over finer ones (（一）…) is a section, read as a category.
 */
function rowsByShape(cells: readonly SourceCell[], columns: readonly Column[], judge: Plausibility, diagnostics: Diagnostic[]): Draft[] {
  const index = (kind: ColumnKind) => columns.findIndex((c) => c.kind === kind);
  const nameAt = index('name');
  const contentAt = index('content');
  const unitsAt = index('responsibility');
  const deadlineAt = index('deadline');
  const closing = Math.max(unitsAt, deadlineAt);
  const finerHeadings = cells.some((c) => SUB_HEADING.test(c.raw));
  const drafts: Draft[] = [];
  let row: Array<SourceCell | null> = columns.map(() => null);
  let pendingName: SourceCell | null = null;
  const has = (at: number) => at >= 0 && row[at] !== null;
  const emit = () => {
    if (!row.some(Boolean)) return;
    if (nameAt >= 0 && !row[nameAt] && pendingName) row[nameAt] = pendingName;
    pendingName = null;
    const first = row.find(Boolean)!;
    drafts.push({ line: first.line, no: drafts.length + 1, cells: row });
    row = columns.map(() => null);
  };
  for (const cell of cells) {
    const text = cleanCell(cell.raw);
    if (!text) continue;
    const heading = TOP_HEADING.test(text) || SUB_HEADING.test(text);
    if (heading && nameAt >= 0) {
      if (has(contentAt)) emit();
      if (TOP_HEADING.test(text) && finerHeadings) {
        diagnostics.push({ line: cell.line, severity: 'info', message: `section heading read as a category above the tasks: "${text.slice(0, 30)}"` });
        continue;
      }
      pendingName = cell;
      continue;
    }
    // A short phrase ending in its role (…分别牵头落实) is a units cell even when a name is unusual (…支行).
    const units = unitsAt >= 0 && [...text].length <= 80 && (judge.score(cell.raw, 'responsibility') >= 1 || (ROLE_TAIL.test(text) && !/[。；;！？]/.test(text)));
    const date = !units && deadlineAt >= 0 && judge.score(cell.raw, 'deadline') >= 2;
    const at = units ? unitsAt : date ? deadlineAt : contentAt;
    if (at < 0) continue;
    if (at === contentAt && has(contentAt)) {
      if (has(unitsAt) || has(deadlineAt)) emit();
      else {
        row[contentAt] = joinCells([row[contentAt]!, cell]);
        continue;
      }
    }
    if (has(at)) emit();
    row[at] = cell;
    if (at === closing && (unitsAt < 0 || has(unitsAt)) && (deadlineAt < 0 || has(deadlineAt))) emit();
  }
  emit();
  return drafts;
}

/** Rows of a one-cell-per-line table, found from the task numbers in the number column. */
function rowsFromCells(tok: Tokenised, columns: Column[], judge: Plausibility, diagnostics: Diagnostic[]): Draft[] {
  const cells = tok.cells;
  const noIndex = columns.findIndex((c) => c.kind === 'no');
  if (noIndex < 0) return rowsByShape(cells, columns, judge, diagnostics);
  const before = columns.slice(0, noIndex);
  const after = columns.slice(noIndex + 1);
  const anchors: Array<{ index: number; no: number }> = [];
  for (let i = 0; i < cells.length; i++) {
    const no = taskNumber(cells[i]!.raw);
    if (no === null) continue;
    const last = anchors[anchors.length - 1];
    const gap = last === undefined ? 0 : i - last.index;
    // A number starts a row when it continues the numbering, or restarts it where the previous row is
    // already complete (a second table); anywhere else it is text inside a cell.
    const forward = last !== undefined && no > last.no && no <= last.no + 10 && gap >= 2;
    const restart = last !== undefined && no <= last.no && gap >= columns.length;
    if (last === undefined || forward || restart) {
      if (last && no !== last.no + 1) {
        diagnostics.push({
          line: cells[i]!.line,
          severity: 'warning',
          message: `task ${no} follows task ${last.no}: ${
            no > last.no
              ? `${no - last.no === 2 ? `number ${last.no + 1} is` : `numbers ${last.no + 1}–${no - 1} are`} missing`
              : 'numbering starts again (a second table, or the same table repeated?)'
          }`,
          task: no,
        });
      }
      anchors.push({ index: i, no });
    }
  }
  if (anchors.length === 0) return [];

  const drafts: Draft[] = [];
  const leadingOf: SourceCell[][] = [];
  // Before the first task number: its leading cells, anything earlier is outside the table.
  const firstRegion = cells.slice(0, anchors[0]!.index);
  const keep = Math.min(before.length, firstRegion.length);
  const outside = firstRegion.slice(0, firstRegion.length - keep);
  for (const cell of outside) {
    diagnostics.push({ line: cell.line, severity: 'info', message: `text before the first task ignored: "${cleanCell(cell.raw).slice(0, 30)}"` });
  }
  leadingOf[0] = firstRegion.slice(firstRegion.length - keep);

  for (let a = 0; a < anchors.length; a++) {
    const anchor = anchors[a]!;
    const next = anchors[a + 1];
    const region = cells.slice(anchor.index + 1, next ? next.index : cells.length);
    let split = region.length;
    if (next && before.length > 0) {
      let bestScore = Number.NEGATIVE_INFINITY;
      for (let s = Math.max(0, region.length - before.length); s <= region.length; s++) {
        const score = fitCells(region.slice(0, s), after, judge).score + fitCells(region.slice(s), before, judge).score;
        if (score > bestScore) {
          bestScore = score;
          split = s;
        }
      }
    }
    leadingOf[a + 1] = region.slice(split);
    const trailing = region.slice(0, split);
    const leading = leadingOf[a]!;
    const place = (part: SourceCell[], columns: Column[]) => {
      if (part.length === columns.length) return part;
      const fit = fitCells(part, columns, judge);
      const note = part.length > columns.length ? describeFit(anchor.no, part, columns, fit, judge.shapes) : null;
      if (note) diagnostics.push(note);
      return fit.values;
    };
    const fitBefore = place(leading, before);
    const fitAfter = place(trailing, after);
    drafts.push({ line: cells[anchor.index]!.line, no: anchor.no, cells: [...fitBefore, cells[anchor.index]!, ...fitAfter] });
  }
  return drafts;
}

const ROLE_TAIL = /(?:牵头|负责|落实|配合|承办)(?:落实|负责)?$/;
/** A remark written in the table (注：…, 说明：…, 填报说明), not a task's text. */
const NOTE_ROW = /^(?:注|备注|说明|附注|填报说明|注意事项)\s*\d?\s*[:：]/;
export const TOP_HEADING = /^\s*[一二三四五六七八九十]{1,3}[、.．]/;
export const SUB_HEADING = /^\s*[(（][一二三四五六七八九十]{1,3}[)）]/;

/** The item number a content cell opens with (1.积极推进… → 1), or `null`. */
function itemNumber(cell: SourceCell | null | undefined): number | null {
  if (!cell) return null;
  const m = /^\s*(?:(\d{1,3})[.．、]|[(（](\d{1,3})[)）])(?!\d)/.exec(cell.raw);
  if (!m) return null;
  const n = Number(m[1] ?? m[2]);
  return n >= 1 ? n : null;
}

/**
 * A row with fewer cells than columns and no empty cell among them (copied from a web page, a merged
 * cell simply missing): its cells are placed where their texts fit best, in order, rather than from the
 * left. A task number in the number column stays there. `null` when the row is not ragged.
 */
function raggedFit(cells: readonly SourceCell[], columns: readonly Column[], judge: Plausibility, noIndex: number): Array<SourceCell | null> | null {
  let filled = cells.length;
  while (filled > 0 && isBlankCell(cells[filled - 1]!.raw)) filled--;
  // Columns the importer ignores at the end (备注, 责任人) are often left out of a row altogether, the
  // copy dropping empty cells at its end: a row reaching the last column that counts is read as written.
  let counted = columns.length;
  while (counted > 0 && columns[counted - 1]!.kind === 'ignored') counted--;
  if (filled >= counted || filled < 1) return null;
  const kept = cells.slice(0, filled);
  if (kept.some((c) => isBlankCell(c.raw))) {
    // A row with an empty cell is read as written, unless that would put a plain date phrase (持续推进)
    // outside the deadline column while the row stops short of it: then a merged cell is missing from
    // the row (a web page leaves it out) and the written cells are fitted, the empty ones being empty.
    const deadlineAt = columns.findIndex((c) => c.kind === 'deadline');
    if (noIndex >= 0 || deadlineAt < filled) return null;
    const misplaced = kept.some((c, i) => !isBlankCell(c.raw) && columns[i]!.kind !== 'deadline' && judge.score(cleanCell(c.raw), 'deadline') >= 2);
    if (!misplaced) return null;
    const written = kept.filter((c) => !isBlankCell(c.raw));
    return fitCells(written, columns, judge, RAGGED_MISSING_COST).values;
  }
  const fixed = noIndex >= 0 && kept[noIndex] && taskNumber(kept[noIndex]!.raw) !== null ? noIndex : -1;
  if (fixed >= 0) {
    const rest = kept.filter((_c, i) => i !== fixed);
    const others = columns.filter((_c, i) => i !== fixed);
    const values = rest.length ? fitCells(rest, others, judge, RAGGED_MISSING_COST).values : others.map(() => null);
    return positional([...values.slice(0, fixed), kept[fixed]!, ...values.slice(fixed)], kept);
  }
  // A short row with no task number anywhere carries on the row above (a line wrapped in a table copied as
  // text): its cells go to the other columns, and its number cell stays empty.
  // A section heading (一、… / （一）…) standing alone is no such line.
  const heading = TOP_HEADING.test(kept[0]!.raw) || SUB_HEADING.test(kept[0]!.raw);
  if (noIndex >= 0 && !heading && kept.every((c) => taskNumber(c.raw) === null)) {
    const others = columns.filter((_c, i) => i !== noIndex);
    const values = fitCells(kept, others, judge, RAGGED_MISSING_COST).values;
    return [...values.slice(0, noIndex), null, ...values.slice(noIndex)];
  }
  return positional(fitCells(kept, columns, judge, RAGGED_MISSING_COST).values, kept);
}

/** `null` when the fit left every cell where it was: the row is then read as written, empty cells included. */
function positional(values: Array<SourceCell | null>, kept: readonly SourceCell[]): Array<SourceCell | null> | null {
  return kept.every((cell, i) => values[i] === cell) ? null : values;
}

/** Rows of an explicitly delimited table: continuation rows joined, section headings skipped. */
function rowsFromRows(tok: Tokenised, columns: Column[], judge: Plausibility, diagnostics: Diagnostic[]): Draft[] {
  const noIndex = columns.findIndex((c) => c.kind === 'no');
  const nameIndex = columns.findIndex((c) => c.kind === 'name');
  const keyIndex = noIndex >= 0 ? noIndex : Math.max(nameIndex, 0);
  const drafts: Draft[] = [];
  let highest = 0;
  let ragged = false;
  const subNumbered = noIndex >= 0 && tok.rows.some((row) => row.cells[noIndex] && SUB_NUMBER.test(cleanCell(row.cells[noIndex]!.raw)));
  const fit = (row: SourceRow): Array<SourceCell | null> => {
    let cells = row.cells;
    ragged = false;
    while (cells.length > columns.length && isBlankCell(cells[cells.length - 1]!.raw)) cells = cells.slice(0, -1);
    // 一、… before （一）… in a row one cell too long: a section heading spanning the rows below, over
    // the task names (the header's first cell spans both), not part of the name.
    if (cells.length > columns.length && TOP_HEADING.test(cells[0]!.raw) && SUB_HEADING.test(cells[1]!.raw)) {
      diagnostics.push({ line: cells[0]!.line, severity: 'info', message: `section heading read as a category above the tasks: "${cleanCell(cells[0]!.raw).slice(0, 30)}"` });
      cells = cells.slice(1);
    }
    if (cells.length > columns.length) return fitCells(cells, columns, judge).values;
    const placed = raggedFit(cells, columns, judge, noIndex);
    ragged = placed !== null;
    return placed ?? columns.map((_c, i) => cells[i] ?? null);
  };
  const contentIndex = columns.findIndex((c) => c.kind === 'content');
  const filled = (cells: Array<SourceCell | null>, kinds: readonly ColumnKind[]) =>
    columns.some((c, i) => kinds.includes(c.kind) && cells[i] && !isBlankCell(cells[i]!.raw));
  // Tables numbering their tasks 1, 2, 3 may number their sections 一, 二 in the same column.
  const arabic = noIndex >= 0 && tok.rows.some((row) => row.cells[noIndex] && /^\d{1,3}$/.test(cleanCell(row.cells[noIndex]!.raw)));
  for (const row of tok.rows) {
    if (arabic && row.cells[noIndex] && /^[一二三四五六七八九十]{1,3}[、.．]?$/.test(cleanCell(row.cells[noIndex]!.raw))) {
      const rest = row.cells.filter((c, i) => i !== noIndex && !isBlankCell(c.raw));
      if (rest.length <= 1) {
        const title = rest[0] ? cleanCell(rest[0].raw) : '';
        diagnostics.push({ line: row.line, severity: 'info', message: `section heading skipped: "${cleanCell(row.cells[noIndex]!.raw)}${title ? ` ${title.slice(0, 30)}` : ''}"` });
        continue;
      }
    }
    // A section heading (一、…) alone in a row whose other cells are written empty spans the table: it
    // names the tasks below it, and is no task and no continuation of the task above.
    const written = row.cells.filter((c) => !isBlankCell(c.raw));
    if (row.cells.length >= 3 && written.length === 1 && TOP_HEADING.test(written[0]!.raw) && written[0] === row.cells[0] && cleanCell(written[0]!.raw).length <= 40) {
      diagnostics.push({ line: row.line, severity: 'info', message: `section heading skipped: "${cleanCell(written[0]!.raw).slice(0, 30)}"` });
      continue;
    }
    // A note under the table (注：各单位每季度…), alone in its row: the table's own remark, no task's text.
    if (written.length === 1 && NOTE_ROW.test(cleanCell(written[0]!.raw)) && (row.cells.length >= 3 || drafts.length > 0)) {
      diagnostics.push({ line: row.line, severity: 'warning', message: `note under the table not read as part of a task: "${cleanCell(written[0]!.raw).slice(0, 40)}"` });
      continue;
    }
    const fitted = fit(row);
    // A ragged row holding a requirement and its units is a task under the name merged above, not a
    // wrapped line of the row before.
    // So is a full row under a merged name in a table with real cell boundaries (CSV, a Word or Excel
    // table), or after a row whose requirement ended its sentence.
    const previous = drafts[drafts.length - 1];
    const previousContent = previous && contentIndex >= 0 ? previous.cells[contentIndex] : null;
    const complete = tok.layout !== 'pipe' || (previousContent && /[。；;！？]\s*$/.test(previousContent.raw));
    const underMergedName = ragged || (complete && previous !== undefined);
    if (noIndex < 0 && underMergedName && !filled(fitted, ['name']) && filled(fitted, ['content']) && filled(fitted, ['responsibility', 'deadline'])) {
      highest += 1;
      drafts.push({ line: row.line, no: highest, cells: fitted });
      continue;
    }
    // With no number column, a requirement opening with its item number (3.及时反馈…) starts a task even
    // when its name cell is merged with the row above.
    const item = noIndex < 0 && contentIndex >= 0 ? itemNumber(fitted[contentIndex]) : null;
    const key = item !== null ? fitted[contentIndex]! : fitted[keyIndex];
    const others = row.cells.filter((_c, i) => i !== keyIndex && !isBlankCell(_c.raw));
    if (item !== null) {
      highest = Math.max(highest, item);
      drafts.push({ line: key!.line, no: item, cells: fitted });
      continue;
    }
    if (!key || isBlankCell(key.raw)) {
      const previous = drafts[drafts.length - 1];
      if (!previous) {
        if (others.length) {
          const text = cleanCell(others[0]!.raw).slice(0, 30);
          diagnostics.push({ line: row.line, severity: 'info', message: `row before the first numbered task ignored: "${text}"` });
        }
        continue;
      }
      // A continuation row: a wrapped cell carries on in the same column.
      fitted.forEach((cell, i) => {
        if (!cell || isBlankCell(cell.raw) || i === keyIndex) return;
        const had = previous.cells[i];
        previous.cells[i] = had && !isBlankCell(had.raw) ? { raw: `${had.raw}\n${cell.raw}`, line: had.line } : cell;
      });
      continue;
    }
    let no: number | null = noIndex >= 0 ? taskNumber(key.raw) : highest + 1;
    // With sub-numbers (1.1, 1.2 under 1) every numbered row is a task, numbered in order: the table's
    // numbers cannot be task numbers without two rows sharing one.
    if (subNumbered && (no !== null || SUB_NUMBER.test(cleanCell(key.raw)))) {
      const written = cleanCell(key.raw);
      no = highest + 1;
      if (written !== String(no)) {
        diagnostics.push({ line: row.line, severity: 'info', message: `task ${no}: the table numbers this row ${written}; tasks are numbered in order, as the table uses sub-numbers`, task: no });
      }
    }
    if (no === null) {
      if (others.length === 0) {
        diagnostics.push({ line: row.line, severity: 'info', message: `section heading skipped: "${cleanCell(key.raw).slice(0, 30)}"` });
        continue;
      }
      no = highest + 1;
      diagnostics.push({
        line: row.line,
        severity: 'warning',
        message: `the number cell reads "${cleanCell(key.raw).slice(0, 20)}", not a task number; numbered the row ${no}, after the highest number so far`,
        task: no,
      });
    }
    highest = Math.max(highest, no);
    drafts.push({ line: key.line, no, cells: fitted });
  }
  return drafts;
}

function preview(cell: SourceCell): string {
  const text = cleanCell(joinUnitLines(cell.raw));
  const chars = [...text];
  return `"${chars.length > 30 ? `${chars.slice(0, 29).join('')}…` : text}"`;
}

/**
 * Turns tokens into task rows, reading empty cells by one rule for every layout (SPEC: never guess):
 * - a cell written 同上 / 〃 in a units, deadline or category column repeats the row above;
 * - an empty or missing cell is a merged cell, copied from the row above, only in the columns every task
 *   fills or that group rows: 责任单位 / 牵头单位, 时间节点, 类别 ({@link isMergeable});
 * - an empty 配合单位 cell means no cooperating units and stays empty — when the row's other units column
 *   was copied as merged, a note says so, since the table may mean 同上;
 * - every empty cell of a text column (name, content) stays empty.
 * Each copy is reported as an `info` diagnostic on the row's line naming the column, the task copied
 * from and the text copied.
 */
export function assembleRows(tok: Tokenised, columns: Column[], cache: ImportCache, diagnostics: Diagnostic[]): TableRow[] {
  const judge = new Plausibility(cache);
  const drafts = tok.layout === 'cells' ? rowsFromCells(tok, columns, judge, diagnostics) : rowsFromRows(tok, columns, judge, diagnostics);
  const rows: TableRow[] = [];
  let previous: TableRow | null = null;
  for (const draft of drafts) {
    const note = (message: string) => diagnostics.push({ line: draft.line, severity: 'info', message: `task ${draft.no}: ${message}`, task: draft.no });
    const merged: string[] = [];
    const hasContent = columns.some((c, i) => c.kind === 'content' && draft.cells[i] && !isBlankCell(draft.cells[i]!.raw));
    const cells = draft.cells.map((cell, i) => {
      const column = columns[i]!;
      const above = previous?.cells[i] ?? null;
      const blank = !cell || isBlankCell(cell.raw);
      const same = !blank && cell.raw.length < 20 && SAME_AS_ABOVE.test(cleanCell(cell.raw));
      if (same && repeatsAbove(column.kind)) {
        const says = `${column.header} says "${cleanCell(cell!.raw)}" (same as above)`;
        if (!previous) note(`${says} but it is the first task; left empty`);
        else if (!above || isBlankCell(above.raw)) note(`${says} but task ${previous.no} has nothing there; left empty`);
        else note(`${says}; copied from task ${previous.no}: ${preview(above)}`);
        return above && !isBlankCell(above.raw) ? above : null;
      }
      // A task name spanning several numbered rows leaves the later rows with content but no name.
      const mergedName = column.kind === 'name' && hasContent && columns.filter((c) => c.kind === 'name').length === 1;
      if (!blank || !(isMergeable(column.kind) || mergedName) || !above || isBlankCell(above.raw) || !previous) return cell;
      if (column.kind === 'responsibility') merged.push(column.header);
      note(
        `${column.header} ${cell ? 'cell is empty' : 'has no cell'}; read as merged with task ${previous.no}'s cell above and copied from it: ${preview(above)}`,
      );
      return above;
    });
    // An empty 配合单位 beside a 牵头单位 copied as merged: kept empty, and said so, since the merged cell
    // may have spanned both unit columns.
    columns.forEach((column, i) => {
      const above = previous?.cells[i];
      const cell = cells[i];
      if (column.kind !== 'cooperating' || !merged.length || !above || isBlankCell(above.raw) || !previous) return;
      if (cell && !isBlankCell(cell.raw)) return;
      note(
        `${column.header} ${cell ? 'cell is empty' : 'has no cell'}; read as no cooperating units, not copied from task ${previous.no} (${preview(above)}) ` +
          `although ${merged.join(' and ')} ${merged.length > 1 ? 'were' : 'was'} — write 同上 in the table to copy it`,
      );
    });
    const row = { line: draft.line, no: draft.no, cells };
    rows.push(row);
    previous = row;
  }
  return rows;
}
