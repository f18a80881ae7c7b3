/**
 * What one line (or tab-separated cell) of a one-cell-per-line table looks like on its own: a deadline,
 * a list of units, a role word, a sentence, or plain text. When a row has more lines than columns (a cell
 * wrapped onto several lines), these shapes decide where each column starts.
 */
import type { ImportCache } from './cache.js';
import { cleanCell, collapseSpaces, joinCellLines } from './clean.js';

/**
 * The shape of one line:
 * - `deadline`: a short date phrase with nothing else (全年, 11月底前, 年底前, 长期推进, 每季度);
 * - `units`: unit names or group phrases, possibly with role words (县政府办牵头，/ 各乡镇配合 / 县直各有关部门);
 * - `role`: role words only (牵头 / 配合落实), the tail of a responsibility cell broken before it;
 * - `sentence`: text that ends a sentence (。！？；) or is too long to be anything but content;
 * - `text`: anything else (a short fragment such as 做好解读).
 */
export type LineShape = 'deadline' | 'units' | 'role' | 'sentence' | 'text';

/** A line's shape and the details row fitting and its diagnostics need. */
export interface LineInfo {
  shape: LineShape;
  /** The line cleaned (`cleanCell`): what a column made of it alone would hold. */
  text: string;
  /** The line as written, spaces collapsed (for diagnostics). */
  shown: string;
  /** For `units`: names a role (牵头, 配合, 负责, 落实 …), a group phrase, or several units — unmistakably responsibility. */
  strong: boolean;
  /** For `units`: a unit followed by 牵头 — a lead unit. */
  lead: boolean;
  /** The line ends a sentence (。！？；), so text after it does not continue it. */
  closed: boolean;
  /** The line holds or ends with a clause break (，、), as running text does and a task name does not. */
  clause: boolean;
  /** Cleaned as content (`cleanCell(raw, 'content')`), the line ends a sentence with 。！？: joining text after it costs more. */
  stops: boolean;
  /** Code points in {@link text}. */
  chars: number;
}

/**
 * How a unit's name ends. Narrower than the responsibility reader's list on purpose: a content fragment
 * ending in 区, 站 or 部 (专区, 网站, 全部) must not pass for a unit.
 */
const UNIT_NAME_END =
  /(局|办|办公室|委|委员会|镇|乡|街道|中心|开发区|园区|部门|单位|政府|法院|检察院|医院|大队|支队|宣传部|统战部|组织部|武装部|管委会|公司|集团|(?<![县市区省])(?:处|科|股)|(?<![阅览])室|(?<!场)所)$/;
const ROLE_WORD = /牵头|配合|协办|协助|负责|落实|承办|参与/;
const ROLE_ONLY = /^(?:牵头|配合|协办|协助|参与|负责|落实|实施|承办|[、，,。；;：:\s])+$/;
const SENTENCE_END = /[。！？!?；;]$/;

/** Longest line that still reads as a deadline phrase rather than a sentence mentioning a date. */
const MAX_DEADLINE_LENGTH = 20;
/** Longest line that still reads as a list of units. */
const MAX_UNITS_LENGTH = 80;
/** A line at least this long is content even without a full stop. */
const LONG_LINE = 30;

/** Stray punctuation or space at either end: cleanCell would trim it. */
const STRAY_EDGES = /^[、。，,.；;：:·•・\s]|[、。，,.；;：:·•・\s]$/;
/** A character every date phrase holds (年, 月, 季, 每, 内, 时, 长期, 持续, 常态化). */
const MAY_HOLD_A_DATE = /[每季年月内时长持常]|\d{4}[.\-/]\d/;

const ROLE_TAIL = /(?:牵头|配合|协办|协助|参与|负责|落实|实施|承办|组织实施|具体实施|具体落实)+$/;
const ETC_TAIL = /(?:等相关部门|等有关部门|等相关单位|等有关单位|等部门|等单位|等)$/;
const GROUP_HEAD = /^(?:各|相关|有关|县直|全县|按职责)/;

/**
 * False when a line cannot be a list of units, without reading it: two or more of its comma-separated
 * parts end in something no unit name ends with (关停整合，规范账号管理). The reader would find those
 * names unnamed, and a units line allows at most its last name to be cut off. Lines the reader rewrites
 * (brackets, 会同, 按职责, 分别) are always read.
 */
function mayListUnits(text: string): boolean {
  if (/[（()）会按分]/.test(text)) return true;
  const parts = text.split(/[、，,；;\s/／]+/).filter(Boolean);
  const failing: number[] = [];
  parts.forEach((part, i) => {
    const tail = part.replace(ROLE_TAIL, '').replace(ETC_TAIL, '').replace(/[。.：:]+$/, '');
    if (tail && !UNIT_NAME_END.test(tail) && !GROUP_HEAD.test(tail) && !/[科室处股所站队院馆]$/.test(tail)) failing.push(i);
  });
  if (failing.length >= 2) return false;
  // With no role word and no 及/和/与 inside a part, the names are the parts themselves: one unnamed part
  // is a units line only when it is the last of several (a name cut off at the line's end).
  if (!/[及和与]/.test(text) && !ROLE_WORD.test(text)) {
    return failing.length === 0 || (failing[0] === parts.length - 1 && parts.length >= 2);
  }
  return true;
}

/** Edge characters `cleanCell(raw, 'content')` trims from the end: spaces and stray marks other than 。. */
const TRIMMED_AFTER_STOP = new Set([...'、，,.；;：:·•・ \t\n']);

/** Whether `cleanCell(raw, 'content')` of a line (given joined and collapsed) ends with 。, without cleaning it again. */
function endsWithFullStop(collapsed: string): boolean {
  let end = collapsed.length;
  while (end > 0 && (TRIMMED_AFTER_STOP.has(collapsed[end - 1]!) || /\s/.test(collapsed[end - 1]!))) end--;
  return end > 0 && collapsed[end - 1] === '。';
}

function codePointCount(text: string): number {
  let n = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c < 0xd800 || c > 0xdbff) n++;
  }
  return n;
}

/** Classifies lines, memoised per import (row fitting asks about the same line many times). */
export class LineShapes {
  private readonly memo = new Map<string, LineInfo>();

  constructor(private readonly cache: ImportCache) {}

  /** The shape of a raw line or cell. */
  of(raw: string): LineInfo {
    let info = this.memo.get(raw);
    if (!info) {
      info = this.classify(raw);
      this.memo.set(raw, info);
    }
    return info;
  }

  /** The cleaned text of a line already classified (`cleanCell(raw)`), else `undefined`: nothing is classified here. */
  cleanedIfKnown(raw: string): string | undefined {
    return this.memo.get(raw)?.text;
  }

  private classify(raw: string): LineInfo {
    const joined = joinCellLines(raw);
    const collapsed = collapseSpaces(joined);
    // cleanCell(raw), from the joined and collapsed text already at hand.
    const text = collapsed === joined && !STRAY_EDGES.test(joined) ? joined : cleanCell(raw);
    const closed = SENTENCE_END.test(joined);
    const clause = /[，,、]/.test(joined);
    const length = text.length;
    const shown = collapsed.trim() || text;
    // Cleaning as content differs from cleaning as text only in keeping a closing 。.
    const stops = /[！？!?]$/.test(text) || (joined.includes('。') && endsWithFullStop(collapsed));
    const chars = codePointCount(text);
    const info = { shape: 'text' as LineShape, text, shown, strong: false, lead: false, closed, clause, stops, chars };
    if (!text) return info;
    if (length <= MAX_DEADLINE_LENGTH && !closed && MAY_HOLD_A_DATE.test(text)) {
      if (this.cache.isDeadline(text)) {
        info.shape = 'deadline';
        return info;
      }
    }
    if (ROLE_ONLY.test(text)) {
      info.shape = 'role';
      return info;
    }
    if (length <= MAX_UNITS_LENGTH && !closed && mayListUnits(text)) {
      const units = this.cache.peekResponsibility(text);
      const named = units.map((a) => a.group || UNIT_NAME_END.test(a.unit));
      const count = named.filter(Boolean).length;
      // A list broken at the end of a line leaves a partial last name (县直各有关 | 部门); the rest must be units.
      const allButLast = named.slice(0, -1).every(Boolean) && count >= 1 && units.length >= 2;
      if (units.length > 0 && (count === units.length || allButLast)) {
        info.shape = 'units';
        info.strong = ROLE_WORD.test(text) || units.some((a) => a.group) || units.length >= 2;
        info.lead = units.some((a) => a.role === 'lead' && !a.group);
        return info;
      }
    }
    if (closed || length >= LONG_LINE) info.shape = 'sentence';
    return info;
  }
}

/** What may start a line that carries on the unit name or role of the line before it. */
const CARRIES_ON = /^(?:牵头|配合|协办|协助|参与|负责|落实|实施|承办|等|及|和|与|以及|管委会|办公室|委员会|分局|中心|部门|单位|[、，,。；;：:）)])/;
/** Words that may finish a name broken before them, or be an office of their own. */
const OFFICE_WORD = /^(?:办公室|委员会|分局|中心|管委会)/;
const SEPARATED = /[、，,；;：:（(\s]$/;
const SPACED_NAMES = /[\p{Script=Han}）)][ \t\u3000]+[\p{Script=Han}（(]/u;

/**
 * Joins the lines of a responsibility cell. Lines usually break inside a name (县直各有关 | 部门) and
 * join without a separator, but when one line ends with a whole unit name and the next starts another
 * (县政府办 | 县司法局配合), the names were a list wrapped at the cell's edge: they are joined with 、 so
 * they stay two units. Lines of stray punctuation are kept for {@link cleanCell} to drop.
 *
 * @example
 * joinUnitLines('县政府办\n县司法局配合') // '县政府办、县司法局配合'
 * joinUnitLines('县直各有关\n部门')      // '县直各有关部门'
 * joinUnitLines('县人社局\n牵头')        // '县人社局牵头'
 */
export function joinUnitLines(raw: string): string {
  // A space between two names (县政府办 县司法局, as a Word cell or a PDF line writes a list) breaks them
  // like a line break does.
  const spaced = SPACED_NAMES.test(raw);
  if (!spaced && !raw.includes('\n')) return raw;
  let out = '';
  for (const rawLine of raw.split(spaced ? /\n|[ \t\u3000]+/ : '\n')) {
    const line = rawLine.trim();
    if (!line) continue;
    const before = out.trimEnd();
    // 各乡 | 镇人民政府 is one group broken after 乡, not the township 各乡 and a unit 镇人民政府.
    const wholeName = before && !SEPARATED.test(before) && UNIT_NAME_END.test(before) && !(before.endsWith('乡') && line.startsWith('镇'));
    // 办公室 / 中心 … after a department's own office (法规股 | 办公室) is another office, not the rest of its name.
    const carries = CARRIES_ON.test(line) && !(/[股科处室所]$/.test(before) && OFFICE_WORD.test(line));
    out = out ? `${out}${wholeName && !carries && /^[\p{Script=Han}]/u.test(line) ? '、' : '\n'}${line}` : line;
  }
  return out;
}
