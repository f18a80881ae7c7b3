/**
 * Responsibility text (责任单位) read into assignments: who leads (牵头), who carries the task out
 * (负责, 落实, or simply listed) and who cooperates (配合, 协办). Unit names are kept as written.
 */
import { classifyGroup, isZonePhrase, strongerRole } from '../directory/directory.js';
import type { Assignment, Role } from '../model/schemas.js';
import { cleanCell, normalizeInput } from './clean.js';
import { joinUnitLines } from './shape.js';

/** Role words; a run of them (牵头落实, 配合落实, 负责落实) takes the role of its first word. */
const MARKER_RUN = /(?:牵头|配合|协办|协助|参与|负责|组织实施|具体实施|具体落实|落实|实施|承办)+/g;
/** Text with no separator, conjunction, bracket, label or rewrite marker: at most one name and its role. */
const SIMPLE = /^[^、，,；;。\n\s/／及和与（()）:：会按分主\uE000-\uE004]+$/;
/** The first role run (MARKER_RUN without the global flag). */
const FIRST_RUN = /(?:牵头|配合|协办|协助|参与|负责|组织实施|具体实施|具体落实|落实|实施|承办)+/;
/** Column-style labels inside the text: 牵头单位：…；配合单位：… */
const LABEL = /((?:牵头|配合|协办|协助|责任|主责)(?:单位|部门|科室|处室|股室)?)[:：]/g;
/** A role in brackets after one unit applies to that unit only: 县财政局（牵头）. */
const BRACKETED = /[（(]\s*((?:牵头|配合|协办|协助|参与|负责|落实)+)\s*[)）]/g;

/** How a name ends when it is a body of government, so 及 / 和 / 与 after it joins two units. */
const UNIT_END = /(局|办|委|院|所|站|队|会|区|镇|乡|中心|部门|单位|公司|处|科|室|厅|部|街道|社区|集团|组|署|馆|台|社|校|园|府|机关|企业)$/;

/** A department's own offices taken together, and work shared out by duty: groups the table's directory maps. */
const SECTION_GROUP = /^(?:各科室|各处室|各股室|各责任科室|各业务科室|各业务处室|各责任处室|各科|各处|各股|各科（室）|各处（室）|机关各科室|机关各处室|局属各科室|各内设机构|按职责分工)$/;

/** True for 各科室 / 各处室 / 按职责分工 …, which stand for a department's offices, not one unit. */
export function isSectionGroup(phrase: string): boolean {
  return SECTION_GROUP.test(/\s/.test(phrase) ? phrase.replace(/\s/g, '') : phrase);
}

/**
 * Rewrites the ways tables write two roles in one phrase into the 牵头 / 配合 form the reader knows:
 * `A会同B（负责）` → A leads, B cooperates; `A（B、C）` → A leads, B and C cooperate (brackets holding
 * role words, `县财政局（牵头）`, are left alone); `各科室按职责分工落实` → 各科室 carry it out, and
 * `按职责分工落实` alone stays the phrase 按职责分工, a group.
 */
function rewriteRoles(text: string): string {
  // Each rewrite runs only on text holding its marker: most cells hold none.
  if (!/[会（(按分]/.test(text)) return text;
  return text
    .replace(/([^，,；;。、（）()]+?)会同([^，,；;。（）()]+?)(?:共同)?(?:负责|落实|办理|实施|推进)?(?=[，,；;。]|$)/g, '$1牵头，$2配合')
    // 宣传处会办公室: 会 between two office names is 会同.
    .replace(/([^，,；;。、（）()]+?(?:处|局|办|室|科|中心))会(?!同)([^，,；;。（）()]+?(?:处|局|办|室|科|中心))(?=[，,；;。]|$)/g, '$1牵头，$2配合')
    .replace(/^([^（()）]+?)[（(]([^（()）]+)[)）]$/, (whole, head: string, inner: string) => {
      if (/^(?:牵头|配合|协办|协助|参与|负责|落实)+$/.test(inner.trim())) return whole;
      // One name in brackets is the unit's other name (规划信息处（爱卫办）), not a second unit.
      if (!/[、，,；;]|配合|协办|协助|参与/.test(inner)) return head;
      return `${head}牵头，${inner}${/(?:配合|协办|协助|参与)$/.test(inner) ? '' : '配合'}`;
    })
    .replace(/(.)按职责(?:分工)?(?=负责|落实|实施)/g, '$1')
    // 分别牵头落实: each of the units listed leads.
    .replace(/分别(?=牵头|负责|落实|配合)/g, '')
    .replace(/^按职责(?:分工)?(?:负责|落实|实施)?$/, '按职责分工');
}

function roleOf(word: string): Role {
  if (word.startsWith('牵头')) return 'lead';
  if (/^(配合|协办|协助|参与)/.test(word)) return 'cooperating';
  return 'responsible';
}

type Token =
  | { type: 'name'; text: string }
  | { type: 'role'; role: Role; only: boolean }
  | { type: 'label'; role: Role }
  | { type: 'stop' };

/** Where cleanName has nothing to strip: no edge punctuation, no 由/请/会同 before, no 等…/部门/单位 after. */
const CLEAN_START = /^[^\s、，,。.；;：:及和与由请会]/;
const CLEAN_END = /[^\s、，,。.；;：:及和与等门位）)]$/;

/** A cell (or a part of one) saying there is no unit: 无, 暂无, a dash. */
const NONE = /^(?:无|暂无|没有|[-－—–_]+)$/;

function cleanName(raw: string): string {
  if (CLEAN_START.test(raw) && CLEAN_END.test(raw)) return raw;
  return raw
    .replace(/^[\s、，,。.；;：:及和与]+|[\s、，,。.；;：:及和与]+$/g, '')
    .replace(/^(?:由|请|会同)/, '')
    .replace(/(?:等相关部门|等有关部门|等相关单位|等有关单位|等部门|等单位|等)$/, '')
    // One name in closing brackets is the unit's other name (区政府办公室（区政务公开办）), as for a lone name.
    .replace(/^(.+?)[（(]([^（()）、，,；;\uE004]+)[)）]$/, (whole, head: string, inner: string) => (/牵头|配合|协办|协助|参与|负责|落实/.test(inner) ? whole : head))
    .trim();
}

/** Splits a name fragment at 及 / 以及 / 和 / 与 when the part before it is a unit or a group. */
function splitConjunctions(fragment: string): string[] {
  if (!/[及和与]/.test(fragment)) return [fragment];
  const parts: string[] = [];
  let rest = fragment;
  for (;;) {
    const re = /以及|及|和|与/g;
    let cut = -1;
    let width = 0;
    for (let m = re.exec(rest); m; m = re.exec(rest)) {
      const left = rest.slice(0, m.index);
      if (left && m.index + m[0].length < rest.length && (UNIT_END.test(left) || classifyGroup(left) !== null)) {
        cut = m.index;
        width = m[0].length;
        break;
      }
    }
    if (cut < 0) break;
    parts.push(rest.slice(0, cut));
    rest = rest.slice(cut + width);
  }
  parts.push(rest);
  return parts;
}

function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  // Mark labels, bracketed roles and role runs with private-use delimiters, then walk the pieces.
  let marked = /[\uE000-\uE004]/.test(text) ? text.replace(/[\uE000-\uE004]/g, '') : text;
  if (/[:：]/.test(marked)) marked = marked.replace(LABEL, (_m, label: string) => `\uE000\uE001${roleOf(label)}\uE000`);
  if (/[（(]/.test(marked)) marked = marked.replace(BRACKETED, (_m, word: string) => `\uE000\uE002${roleOf(word)}\uE000`);
  // 主办 (hosts) leads when it closes a name (局防控办主办、各工作组协办); inside a name (局主办科室) it is the name.
  if (marked.includes('主办')) marked = marked.replace(/主办(?=[、，,；;。\s]|$)/g, '牵头');
  // Separators inside brackets that a name goes on after (各县（市、区）政府) belong to that one name.
  if (/[（(]/.test(marked)) marked = marked.replace(/[（(][^（）()]{1,12}[)）](?=\p{Script=Han})/gu, (m) => m.replace(/[、，,]/g, '\uE004'));
  const names = (piece: string) => {
    const clauses = /[；;。\n]/.test(piece) ? piece.split(/[；;。\n]/) : [piece];
    clauses.forEach((clause, i) => {
      if (i > 0) tokens.push({ type: 'stop' });
      for (const fragment of clause.split(/[、，,\s/／]+/)) {
        for (const part of splitConjunctions(fragment)) {
          const name = cleanName(part);
          if (name && !NONE.test(name)) tokens.push({ type: 'name', text: name.includes('\uE004') ? name.replace(/\uE004/g, '、') : name });
        }
      }
    });
  };
  // Walk the role runs in place; the text between them is names (labels and bracketed roles are marked).
  // The one global regex, rewound: tokenize never re-enters itself while walking.
  const runs = MARKER_RUN;
  runs.lastIndex = 0;
  let at = 0;
  for (let m = runs.exec(marked); m; m = runs.exec(marked)) {
    if (m.index > at) textPieces(marked.slice(at, m.index), tokens, names);
    tokens.push({ type: 'role', role: roleOf(m[0]), only: false });
    at = m.index + m[0].length;
  }
  if (at < marked.length) textPieces(marked.slice(at), tokens, names);
  return tokens;
}

/** Text between role runs: names, and the labels and bracketed roles marked in it. */
function textPieces(text: string, tokens: Token[], names: (piece: string) => void): void {
  if (!text.includes('\uE000')) {
    names(text);
    return;
  }
  for (const piece of text.split('\uE000')) {
    if (!piece) continue;
    const kind = piece[0];
    if (kind === '\uE001' || kind === '\uE002') {
      const role = piece.slice(1) as Role;
      if (kind === '\uE001') tokens.push({ type: 'label', role });
      else tokens.push({ type: 'role', role, only: true });
      continue;
    }
    names(piece);
  }
}

/**
 * Reads a responsibility cell into assignments (docs/sdk.md roles):
 * - units before 牵头 lead; before 配合 / 协办 cooperate; before 负责 / 落实, or simply listed, are responsible;
 * - a role word applies to every unit listed since the previous role word (县行政审批局、县政府值班联络中心牵头);
 * - names are split on 、，,；; and on 及 / 和 / 与 between two units (县发展和改革局 stays whole); whole unit names
 *   separated by spaces or written on lines of their own (`县政府办 县财政局`) are two units, while a name
 *   broken across lines (`县直各有关\n部门`) is joined;
 *   a trailing 等部门 is dropped; `牵头单位：…；配合单位：…` and `县财政局（牵头）` are understood;
 * - `A会同B` (and 会 between two office names, 宣传处会办公室) and `A（B、C）` make A the lead and the others
 *   cooperating, while one name in brackets is the unit's other name (规划信息处（爱卫办） is 规划信息处); `按职责分工落实` alone is the group
 *   按职责分工 (every office by its duties), and after units (各科室按职责分工落实) it only says they carry it out;
 * - 各科室 / 各处室 / 各股室 are groups too, expanded through the directory's `groups` (see {@link tableDirectory});
 * - group phrases (各乡镇, 县直各有关部门, 相关部门, and the development zone 开发区) get `group: true`;
 * - names are kept as written (cleaned), not resolved against a directory; a unit named twice keeps its
 *   strongest role.
 *
 * @example
 * parseResponsibility('县司法局牵头，各乡镇及相关部门落实')
 * // [{ unit: '县司法局', role: 'lead', group: false },
 * //  { unit: '各乡镇', role: 'responsible', group: true },
 * //  { unit: '相关部门', role: 'responsible', group: true }]
 */
export function parseResponsibility(text: string): Assignment[] {
  let cleaned: string;
  try {
    // Names on lines of their own or separated by spaces (县政府办 县财政局) are a list, as in a table cell.
    cleaned = cleanCell(joinUnitLines(normalizeInput(String(text ?? ''))));
  } catch {
    return [];
  }
  return readCleanResponsibility(cleaned);
}

/** {@link parseResponsibility} of text the importer has already normalised and cleaned (internal). */
export function readCleanResponsibility(cleaned: string): Assignment[] {
  // One name, with or without one role run closing it (县政府办牵头): read without the general walk.
  if (SIMPLE.test(cleaned)) {
    const m = FIRST_RUN.exec(cleaned);
    if (!m || m.index + m[0].length === cleaned.length) {
      const unit = cleanName(m ? cleaned.slice(0, m.index) : cleaned);
      const role: Role = m ? roleOf(m[0]) : 'responsible';
      return unit ? [{ unit, role, group: classifyGroup(unit) !== null || isZonePhrase(unit) || isSectionGroup(unit) }] : [];
    }
  }
  const out: Assignment[] = [];
  const index = new Map<string, number>();
  const assign = (unit: string, role: Role) => {
    const at = index.get(unit);
    if (at !== undefined) {
      out[at]!.role = strongerRole(out[at]!.role, role);
      return;
    }
    index.set(unit, out.length);
    out.push({ unit, role, group: classifyGroup(unit) !== null || isZonePhrase(unit) || isSectionGroup(unit) });
  };

  let pending: string[] = [];
  let clauseRole: Role = 'responsible';
  const flush = (role: Role) => {
    for (const unit of pending) assign(unit, role);
    pending = [];
  };
  for (const token of tokenize(rewriteRoles(cleaned))) {
    switch (token.type) {
      case 'name':
        pending.push(token.text);
        break;
      case 'role':
        if (token.only) {
          const last = pending.pop();
          if (last !== undefined) assign(last, token.role);
        } else flush(token.role);
        break;
      case 'label':
        flush(clauseRole);
        clauseRole = token.role;
        break;
      case 'stop':
        flush(clauseRole);
        clauseRole = 'responsible';
        break;
    }
  }
  flush(clauseRole);
  return out;
}
