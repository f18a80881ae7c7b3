/**
 * A work-plan document written as numbered paragraphs rather than a table (政务公开工作要点, pasted from
 * a web page or a Word file): each task is an item (（一）… / 1. … / ①…) closing with a bracketed note of
 * who does it and by when:
 *
 * ```text
 * 一、加强政策发布解读
 * （一）做好政策文件发布。行政规范性文件印发后及时公开。（牵头单位：县政府办；责任单位：县直各有关单位；完成时限：长期坚持）
 * （二）深化政策解读。……（县政府办牵头，各乡镇人民政府配合，2023年6月底前完成）
 * ```
 *
 * The items become rows of 序号 | 任务名称 | 任务内容 | 责任单位 | 时间节点 for the table reader: the
 * item's first short sentence is its name, the bracketed note its units and deadline. Section headings
 * (一、…) are skipped; an item with no such note is reported, not read as a task.
 */
import type { Diagnostic } from '../model/schemas.js';
import { cleanCell } from './clean.js';
import type { Column } from './columns.js';
import { isCleanDeadline } from './deadlines.js';
import type { SourceRow } from './layout.js';

/** The columns a paragraph plan is read into. */
const POINT_COLUMNS: Column[] = [
  { kind: 'no', header: '序号', lead: false },
  { kind: 'name', header: '任务名称', lead: false },
  { kind: 'content', header: '任务内容', lead: false },
  { kind: 'responsibility', header: '责任单位', lead: false },
  { kind: 'deadline', header: '时间节点', lead: false },
];

/** An item's ordinal: （一） / (1) / 1. / 1、 / ①; not 一、, which heads a section. */
const ITEM = /^\s*(?:[(（][一二三四五六七八九十\d]{1,3}[)）]|\d{1,3}(?:\.\d{1,2})?[.．、](?!\d)|[①-⑳])\s*/;
const SECTION = /^\s*[一二三四五六七八九十]{1,3}[、.．]/;
/** The closing note: one bracket level inside it (各镇（街道）) is allowed. */
const NOTE = /[（(]((?:[^（）()]|[（(][^（）()]*[)）])+)[)）]\s*[。.；;]?\s*$/;
const ROLE = /牵头|配合|负责|落实|责任单位|牵头单位|配合单位|责任部门|责任科室|协办/;
const DEADLINE_LABEL = /^(?:完成时限|完成时间|时间节点|时限要求|时限|时间)[:：]\s*/;
const UNITS_LABEL = /^(?:牵头单位|责任单位|配合单位|协办单位|牵头部门|责任部门|配合部门|责任科室|牵头科室|配合科室|责任处室)[:：]/;

/** What a paragraph plan gives the table reader. */
export interface PointsTable {
  columns: Column[];
  rows: SourceRow[];
  diagnostics: Diagnostic[];
}

/** How an item is numbered: （一）, (1), 1. / 1、, 1.1, ①. */
function styleOf(text: string): string {
  const t = text.trim();
  if (/^[(（][一二三四五六七八九十]/.test(t)) return 'cn';
  if (/^[(（]\d/.test(t)) return 'paren';
  if (/^\d{1,3}\.\d/.test(t)) return 'sub';
  if (/^\d/.test(t)) return 'arabic';
  return 'circled';
}

/** Splits a note into its units part and its deadline part (完成时限：…, or a part that is only a date). */
function splitNote(note: string, year: number): { units: string; deadline: string } {
  const units: string[] = [];
  const deadlines: string[] = [];
  for (const part of note.split(/[；;]/)) {
    const text = part.trim();
    if (!text) continue;
    if (DEADLINE_LABEL.test(text)) {
      deadlines.push(text.replace(DEADLINE_LABEL, ''));
      continue;
    }
    // A date closing the units (…配合，2023年6月底前完成): split at the last comma.
    const comma = Math.max(text.lastIndexOf('，'), text.lastIndexOf(','));
    const tail = comma >= 0 ? text.slice(comma + 1).trim() : text;
    if (isCleanDeadline(cleanCell(tail), year) && !UNITS_LABEL.test(tail)) {
      deadlines.push(tail);
      if (comma >= 0) units.push(text.slice(0, comma));
      continue;
    }
    units.push(text);
  }
  return { units: units.join('；'), deadline: deadlines.join('；') };
}

/** The item's name: its first sentence when short (做好政策文件发布。), with the rest as its content. */
function nameAndContent(body: string): { name: string; content: string } {
  const m = /^([^。；;！？]{2,40})[。；;！？]\s*(.*)$/s.exec(body);
  if (m && m[2]!.trim()) return { name: m[1]!.trim(), content: m[2]!.trim() };
  // No short first sentence: the first clause names it (or its opening words), the whole item is its content.
  const clause = /^([^，,。；;]{4,24})[，,。；;]/.exec(body);
  const chars = [...body.trim()];
  const name = clause ? clause[1]!.trim() : chars.length <= 24 ? chars.join('') : `${chars.slice(0, 20).join('')}…`;
  return { name: name.replace(/[。；;]+$/, ''), content: body.trim() };
}

/**
 * Reads a paragraph plan (see the module comment) into rows, or `null` when the text is not one: fewer
 * than two items closing with a note that names units, or fewer than half of the items doing so.
 * `year` dates the notes' deadline phrases only to tell them from unit names.
 */
export function readPoints(text: string, year: number): PointsTable | null {
  const lines = text.split('\n');
  // Paragraphs: an item or a section heading starts one; other lines carry the paragraph on (wrapped text).
  const paragraphs: Array<{ line: number; text: string; item: boolean }> = [];
  lines.forEach((raw, i) => {
    const line = raw.trim();
    if (!line) return;
    const item = ITEM.test(line);
    const last = paragraphs[paragraphs.length - 1];
    if (item || SECTION.test(line) || !last || !last.item || NOTE.test(last.text)) paragraphs.push({ line: i + 1, text: line, item });
    else last.text += line;
  });
  const items = paragraphs.filter((p) => p.item);
  const noted = items.filter((p) => {
    const m = NOTE.exec(p.text);
    return m !== null && ROLE.test(m[1]!);
  });
  if (noted.length < 2 || noted.length * 2 < items.length) return null;

  const rows: SourceRow[] = [];
  const diagnostics: Diagnostic[] = [];
  let no = 0;
  items.forEach((p, i) => {
    const m = NOTE.exec(p.text);
    const body = p.text.replace(ITEM, '');
    if (!m || !(ROLE.test(m[1]!) || isCleanDeadline(cleanCell(m[1]!), year))) {
      // （一）… over 1. … items: a heading of the finer items below it, not a task left unread.
      const next = items[i + 1];
      if (next && styleOf(next.text) !== styleOf(p.text) && NOTE.test(next.text)) {
        diagnostics.push({ line: p.line, severity: 'info', message: `heading over the items below skipped: "${cleanCell(body).slice(0, 30)}"` });
        return;
      }
      diagnostics.push({
        line: p.line,
        severity: 'warning',
        message: `item not read as a task: it ends with no bracketed note of units or deadline (…（责任单位：…；完成时限：…）): "${cleanCell(body).slice(0, 30)}"`,
      });
      return;
    }
    no += 1;
    const { name, content } = nameAndContent(body.slice(0, body.length - (p.text.length - m.index)));
    const { units, deadline } = splitNote(m[1]!, year);
    const cell = (raw: string) => ({ raw, line: p.line });
    rows.push({ line: p.line, cells: [cell(String(no)), cell(name), cell(content), cell(units), cell(deadline)] });
  });
  diagnostics.unshift({ line: items[0]!.line, severity: 'info', message: `read as numbered paragraphs, each closing with its units and deadline in brackets: ${no} tasks` });
  return { columns: POINT_COLUMNS.map((c) => ({ ...c })), rows, diagnostics };
}
