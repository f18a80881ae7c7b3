/**
 * The plan-table importer: a task breakdown table's text (任务分解表) in, a validated Plan plus
 * diagnostics out.
 */
import { createDirectory, strongerRole, type Directory } from '../directory/directory.js';
import { PlanSchema, type Assignment, type Diagnostic, type Plan, type Task, type UnitKind } from '../model/schemas.js';
import { cleanCell, normalizeInput } from './clean.js';
import type { Column } from './columns.js';
import { ImportCache } from './cache.js';
import { findCleanContentDeadlines, mergeMilestones } from './deadlines.js';
import { tokenise, type SourceCell } from './layout.js';
import { inferColumns, inferNumberColumn } from './infer.js';
import { assembleRows } from './rows.js';
import { dropPinyinGlosses, toSimplified } from './simplified.js';
import { joinUnitLines } from './shape.js';

/** A unit of the directory the plan carries, as accepted by {@link parsePlanTable}. */
export interface PlanUnitInput {
  name: string;
  kind: UnitKind;
  aliases?: readonly string[];
}

/** Options of {@link parsePlanTable}. */
export interface ParsePlanTableOptions {
  /** The plan year: 全年, X月底前 … are dated in it. */
  year: number;
  /** The county the plan belongs to, e.g. `沁源县`. */
  county: string;
  /** Plan title; default: the title line above the table (…任务分解表), else `{county}{year}年政务公开工作任务分解表`. */
  title?: string;
  /**
   * The county's unit directory carried by the plan (for 沁源县, `qinyuanUnits` from `@zwgk/sdk/qinyuan`);
   * default none, as `[]`, since no county is assumed:
   * names are then not checked and groups expand to nothing — build the directory afterwards with
   * {@link unitsFromPlan}.
   */
  units?: readonly PlanUnitInput[];
  /** Unspecified group phrase (相关部门 …) → unit names, as the county office maps them; default none. */
  groups?: Readonly<Record<string, readonly string[]>>;
}

/** How sure the importer is of one task row: `high` read as written, `medium` something inferred or inherited, `low` something unread. */
export type RowConfidence = 'high' | 'medium' | 'low';

/** What the importer did with one task row: {@link ParsePlanTableResult}'s `rows`. */
export interface RowReport {
  /** The task number. */
  task: number;
  /** 1-based line of the row in the input. */
  line: number;
  confidence: RowConfidence;
  /** What was placed or read by inference (a wrapped or ragged row fitted, a name or number supplied …). */
  inferred: string[];
  /** Cells copied from the row above (merged cells, 同上). */
  inherited: string[];
  /** What could not be read (no unit, no date, a unit outside the directory …). */
  unread: string[];
}

/** What {@link parsePlanTable} returns: a plan with notes on what it could not read with certainty, or why nothing was read. */
export type ParsePlanTableResult =
  | { success: true; data: Plan; diagnostics: Diagnostic[]; rows: RowReport[] }
  | { success: false; error: string };

/** Diagnostics that mean part of a row was not read at all: its row is `low`. */
const UNREAD = /no responsible unit|no milestone|cannot read|not a task number|task name cell is empty|not in the unit directory|check the source table/;
const INHERITED = /read as merged|same as above|copied from task/;

/** One report per task, from the diagnostics that name it. */
function rowReports(tasks: readonly Task[], diagnostics: readonly Diagnostic[], lines: ReadonlyMap<number, number>): RowReport[] {
  return tasks.map((task) => {
    const report: RowReport = { task: task.no, line: lines.get(task.no) ?? 0, confidence: 'high', inferred: [], inherited: [], unread: [] };
    for (const d of diagnostics) {
      if (d.task !== task.no || d.message.includes('follows task')) continue;
      const message = d.message.replace(/^task \d+: /, '');
      if (UNREAD.test(message)) report.unread.push(message);
      else if (INHERITED.test(message)) report.inherited.push(message);
      else report.inferred.push(message);
    }
    report.confidence = report.unread.length ? 'low' : report.inferred.length || report.inherited.length ? 'medium' : 'high';
    return report;
  });
}

const DEFAULT_COLUMNS: Column[] = [
  { kind: 'no', header: '序号', lead: false },
  { kind: 'name', header: '任务名称', lead: false },
  { kind: 'content', header: '任务内容', lead: false },
  { kind: 'responsibility', header: '责任单位', lead: false },
  { kind: 'deadline', header: '时间节点', lead: false },
];

function fail(error: string): ParsePlanTableResult {
  return { success: false, error };
}

/** Joins several cleaned cells of the same kind, keeping a separator between sentences. */
function joinTexts(texts: readonly string[]): string {
  return texts.filter(Boolean).reduce((all, t) => (all ? `${all}${/[。；;]$/.test(all) ? '' : '；'}${t}` : t), '');
}

/** A heading's ordinal (一、 / （二）) and closing 。 are the list's, not the task's name. */
function cleanName(name: string): string {
  return name.replace(/^(?:[一二三四五六七八九十]{1,3}[、.．]|[(（][一二三四五六七八九十]{1,3}[)）])\s*/, '').replace(/[。；;]+$/, '');
}

/** The task's own number opening its content (3.及时反馈… in task 3) is the table's numbering. */
function dropItemNumber(content: string, no: number): string {
  const m = /^(?:(\d{1,3})[.．、]|[(（](\d{1,3})[)）])(?!\d)\s*/.exec(content);
  return m && Number(m[1] ?? m[2]) === no && m[0].length < content.length ? content.slice(m[0].length) : content;
}

function checkOptions(options: ParsePlanTableOptions | undefined): string | null {
  if (!options || typeof options !== 'object') return 'options { year, county } are required';
  if (!Number.isInteger(options.year) || options.year < 2000 || options.year > 2100) {
    return `year must be a whole number between 2000 and 2100, got ${String(options.year)}`;
  }
  if (typeof options.county !== 'string' || !options.county.trim()) return 'county must be a non-empty name such as 沁源县';
  if (options.title !== undefined && typeof options.title !== 'string') return 'title must be text';
  return null;
}

/**
 * Imports a task breakdown table (任务分解表) into a {@link Plan}.
 *
 * Reads the table however it was extracted: one cell per line as from a PDF (cells start with a tab,
 * header repeated at page breaks), `|`-separated rows with wrapped cells, tab/comma-separated rows, PDF
 * text laid out in columns by spaces (`pdftotext -layout`, wrapped cells interleaving across columns), or,
 * with no table at all, numbered paragraphs closing with their units and deadline in brackets (工作要点).
 * Columns are recognised by their header words (序号/编号, 任务名称/工作任务/重点任务, 任务内容/具体要求/细化分工/
 * 工作要求, 责任单位/责任科室/责任处室/责任部门/牵头单位, 配合单位/协办单位, 时间节点/时限要求/完成时限/完成时间;
 * 备注 is ignored), in any order. PDF artifacts are cleaned (stray 、。，, words broken across lines,
 * `11 月底前` → `11月底前`, full-width spaces); responsibility text becomes assignments
 * ({@link parseResponsibility}); the deadline column and deadlines inside the content become milestones
 * ({@link parseDeadline}, {@link findContentDeadlines}).
 *
 * Wrapped cells in one-cell-per-line text: when a row has more lines than columns, what the lines look
 * like decides where each column starts — a date phrase (全年, 11月底前, 年底前, 长期推进 …) is the deadline
 * and ends the row; unit names, group phrases (各乡镇, 县直各有关部门) and role words (牵头, 配合, 负责, 落实)
 * right before it form the responsibility cell; lines ending a sentence or running long are content.
 * Every such row gets a diagnostic listing which lines went to which column — a warning when a line could
 * belong to either column (it names the line and where it was put), or when a lead unit (…牵头) ended up
 * in the content. Two whole unit names on consecutive lines of a responsibility cell stay two units.
 *
 * Empty cells, in every layout: in the deadline, responsibility / 牵头单位 and category columns an empty,
 * missing or 同上 cell is a merged cell and is copied from the row above — every task has a responsible
 * unit and a deadline, so an empty one can only be a cell spanning rows; a 配合单位 cell is copied only
 * when it says 同上 (〃), because an empty one means the task has no cooperating units. Each copy is
 * reported, naming the column, the task copied from and the text copied.
 *
 * `units: []` imports with no directory: group phrases stay groups with no units to expand to, and unit
 * names are not checked; build the county's directory from the plan afterwards with {@link unitsFromPlan}.
 *
 * @param text - the table's text
 * @param options - plan year and county (required), title, unit directory (default none), group mapping
 * @example
 * const result = parsePlanTable(text, { year: 2022, county: '沁源县' });
 * if (result.success) {
 *   result.data.tasks[3]?.milestones; // [{ due: '2022-11-30', label: '11月底前', … }]
 *   for (const d of result.diagnostics) console.warn(`line ${d.line}: ${d.message}`);
 * } else {
 *   console.error(result.error);
 * }
 */
export function parsePlanTable(text: string, options: ParsePlanTableOptions): ParsePlanTableResult {
  try {
    return importTable(text, options);
  } catch (error) {
    return fail(`could not read the table: ${error instanceof Error ? error.message : String(error)}`);
  }
}

function importTable(input: string, options: ParsePlanTableOptions): ParsePlanTableResult {
  const invalid = checkOptions(options);
  if (invalid) return fail(invalid);
  const { year, county } = options;
  const units = (options.units ?? []).map((u) => ({ name: u.name, kind: u.kind, aliases: [...(u.aliases ?? [])] }));
  const groups = Object.fromEntries(Object.entries(options.groups ?? {}).map(([k, v]) => [k, [...v]]));
  let directory: Directory;
  try {
    directory = createDirectory(units, groups, { county });
  } catch (error) {
    return fail(`invalid units: ${error instanceof Error ? error.message : String(error)}`);
  }

  const glossed = dropPinyinGlosses(normalizeInput(typeof input === 'string' ? input : String(input ?? '')));
  const simplified = toSimplified(glossed.text);
  const text = simplified.text;
  const tok = tokenise(text, options.year);
  const diagnostics: Diagnostic[] = [...tok.diagnostics];
  if (glossed.dropped) {
    diagnostics.push({ line: 1, severity: 'info', message: `${glossed.dropped} pinyin glosses after characters (区(qū)) dropped, as a mirror site adds them` });
  }
  if (simplified.converted) {
    diagnostics.push({
      line: 1,
      severity: 'info',
      message: `the text is in traditional characters; read as simplified (${simplified.converted} characters converted)`,
    });
  }
  let columns = tok.columns;
  const cache = new ImportCache(year);
  if (!columns && tok.layout !== 'cells') {
    const inferred = inferColumns(tok, cache);
    if (inferred) {
      columns = inferred;
      diagnostics.push({
        line: 1,
        severity: 'warning',
        message: `no header row found; read the columns from what the cells hold: ${inferred.map((c) => c.header || '(ignored)').join(' ')}`,
      });
    }
  }
  if (!columns) {
    columns = DEFAULT_COLUMNS;
    diagnostics.push({
      line: 1,
      severity: 'warning',
      message: 'no header row found (no line names columns such as 序号, 任务名称, 责任单位); assumed the columns 序号 任务名称 任务内容 责任单位 时间节点, in that order',
    });
  }
  columns = inferNumberColumn(tok, columns, diagnostics);
  const rows = assembleRows(tok, columns, cache, diagnostics);

  const tasks: Task[] = [];
  const seen = new Map<number, number>();
  let highestNo = rows.reduce((max, r) => Math.max(max, r.no), 0);
  const hasDeadlineColumn = columns.some((c) => c.kind === 'deadline');
  for (const row of rows) {
    const note = (line: number, severity: Diagnostic['severity'], message: string) =>
      diagnostics.push({ line, severity, message: `task ${row.no}: ${message}`, task: row.no });
    // The row's cells by column kind, gathered once.
    const byKind = new Map<Column['kind'], Array<{ column: Column; cell: SourceCell }>>();
    columns.forEach((column, i) => {
      const cell = row.cells[i];
      if (!cell) return;
      const list = byKind.get(column.kind);
      if (list) list.push({ column, cell });
      else byKind.set(column.kind, [{ column, cell }]);
    });
    const cellsOf = (kind: Column['kind']) => byKind.get(kind) ?? [];
    const lineOf = (kind: Column['kind']) => cellsOf(kind)[0]?.cell.line ?? row.line;

    const content = dropItemNumber(joinTexts(cellsOf('content').map(({ cell }) => cleanCell(cell.raw, 'content'))), row.no);
    let name = cleanName(joinTexts(cellsOf('name').map(({ cell }) => cleanCell(cell.raw))));
    if (!name && !content) {
      note(row.line, 'warning', 'the row has neither a task name nor content; skipped');
      continue;
    }
    const first = seen.get(row.no);
    if (first !== undefined) {
      // The same row again (a table pasted twice) adds nothing; another task under a number already
      // taken is kept, numbered after the table's highest number, so no task is lost.
      const earlier = tasks.find((t) => t.no === row.no);
      const same = earlier && earlier.name === (name || earlier.name) && earlier.content === content;
      if (same) {
        note(row.line, 'warning', `the number appears twice (first on line ${first}) with the same task; this repeated row is skipped`);
        continue;
      }
      const written = row.no;
      row.no = ++highestNo;
      note(row.line, 'warning', `the table numbers this row ${written} too (first on line ${first}); kept as task ${row.no}, after the table's highest number`);
    }
    seen.set(row.no, row.line);
    if (!name) {
      name = `任务${row.no}`;
      note(row.line, 'warning', `the task name cell is empty; named the task "${name}"`);
    }

    // Responsibility: one column, or 牵头单位 + 配合单位 columns read with their roles.
    const responsibilityCells = [...cellsOf('responsibility'), ...cellsOf('cooperating')]
      .map(({ column, cell }) => ({ column, text: cleanCell(joinUnitLines(cell.raw)), line: cell.line }))
      .filter((r) => r.text);
    const labelled = responsibilityCells.length > 1 || responsibilityCells.some((r) => r.column.lead || r.column.kind === 'cooperating');
    const responsibility = labelled
      ? responsibilityCells.map((r) => `${r.column.header}：${r.text}`).join('；')
      : (responsibilityCells[0]?.text ?? '');
    const assignments: Assignment[] = [];
    for (const r of responsibilityCells) {
      const prefix = r.column.kind === 'cooperating' ? '配合单位：' : r.column.lead ? '牵头单位：' : '';
      // The column's role covers every unit of its cell: ；between them lists units (A；B), it starts no
      // clause of another role, unless the cell writes roles of its own.
      const listed = prefix && /[；;]/.test(r.text) && !/[:：]|牵头|配合|协办|协助|负责|落实/.test(r.text) ? r.text.replace(/[；;]/g, '、') : r.text;
      for (const a of cache.responsibility(prefix + listed)) {
        const same = assignments.find((b) => b.unit === a.unit);
        if (same) same.role = strongerRole(same.role, a.role);
        else assignments.push(a);
      }
    }
    if (assignments.length === 0) {
      note(
        lineOf('responsibility'),
        'warning',
        responsibility
          ? `no responsible unit: no unit name could be read from "${responsibility}"`
          : 'no responsible unit: the responsibility cell is empty',
      );
    }
    // With no directory at all (units: []) there is nothing to check names against.
    for (const a of directory.units.length ? assignments : []) {
      if (a.group) continue;
      const resolved = directory.resolve(a.unit);
      if (resolved.success) continue;
      const { suggestions } = resolved.error;
      const hint = suggestions.length ? `; did you mean ${suggestions.join(' / ')}?` : '; add it to the units option if it is a unit';
      note(lineOf('responsibility'), 'warning', `the responsibility column names "${a.unit}", which is not in the unit directory${hint}`);
    }

    // Deadlines: the column's milestones, plus dates written in the content.
    const deadline = joinTexts(cellsOf('deadline').map(({ cell }) => cleanCell(cell.raw)));
    const column = deadline ? cache.deadline(deadline) : { milestones: [], diagnostics: [] };
    for (const message of column.diagnostics) note(lineOf('deadline'), 'warning', `deadline column: ${message}; no milestone made from it`);
    const milestones = mergeMilestones(column.milestones, findCleanContentDeadlines(content, year));
    if (!deadline && milestones.length) {
      note(lineOf('deadline'), 'info', `${hasDeadlineColumn ? 'the deadline cell is empty' : 'the table has no deadline column'}; milestones taken from dates in the content only`);
    }
    if (milestones.length === 0) {
      note(
        lineOf('deadline'),
        'warning',
        `no milestone: ${
          deadline ? 'the deadline column and the content give' : hasDeadlineColumn ? 'the deadline cell is empty and the content gives' : 'the table has no deadline column and the content gives'
        } no readable date, so the task is never due`,
      );
    }

    tasks.push({ no: row.no, name, content, responsibility, deadline, units: assignments, milestones });
  }

  if (tasks.length === 0) {
    return fail(
      tok.columns
        ? `found the table header on line ${tok.headerLine} but no numbered task rows under it`
        : 'no task table found: expected a header row naming columns such as 序号, 任务名称, 任务内容, 责任单位, 时间节点',
    );
  }

  const title = options.title ?? tok.title ?? `${county}${year}年政务公开工作任务分解表`;
  const parsed = PlanSchema.safeParse({ county, year, title, tasks, units, groups });
  if (!parsed.success) {
    return fail(`the imported plan is invalid: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
  }
  diagnostics.sort((a, b) => a.line - b.line);
  // The row reports quote the diagnostics, whose longer explanations are written only when read: the
  // reports are made on first reading too.
  let reports: RowReport[] | undefined;
  return {
    success: true,
    data: parsed.data,
    diagnostics,
    get rows() {
      reports ??= rowReports(parsed.data.tasks, diagnostics, seen);
      return reports;
    },
  };
}
