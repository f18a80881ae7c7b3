import type { Assessment, Plan, UnitScore } from '@zwgk/sdk';
import { fixed1, type GRADES, groupLabel, groupsOf, rankText, STATUS_LABEL, type MilestoneStatus, type ScoreGroup } from './labels.js';

/** Escapes text for HTML and SVG content and attribute values. */
export function esc(value: string | number): string {
  return String(value).replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

/** Colours of the grades (colour-blind-safe enough with the value printed beside each bar). */
export const GRADE_COLOR: Record<(typeof GRADES)[number], string> = {
  优秀: '#1a9850',
  良好: '#66a3d2',
  合格: '#f0b429',
  不合格: '#d73027',
};

const AXIS = '#888';
const GRID = '#ddd';
const TEXT = '#222';

function n(x: number): string {
  return String(Math.round(x * 10) / 10);
}

/**
 * A sorted horizontal bar chart of one group's finals: one `rect.bar` per unit, coloured by grade, with
 * dashed lines at the grade thresholds.
 */
export function distributionChart(assessment: Assessment, group: ScoreGroup): string {
  const units = assessment.units.filter((u) => u.group === group);
  const label = groupLabel(assessment.rubric, group);
  const thresholds = assessment.rubric.grades;
  const max = Math.max(100, ...units.map((u) => u.final));
  const left = 132;
  const right = 44;
  const top = 34;
  const row = 18;
  const width = 460;
  const plotW = width - left - right;
  const height = top + units.length * row + 26;
  const x = (v: number) => left + (v / max) * plotW;
  const parts: string[] = [];
  parts.push(`<svg class="chart chart-dist" data-group="${group}" viewBox="0 0 ${width} ${height}" width="${width}" height="${height}" role="img" aria-label="${esc(`${label}得分分布`)}">`);
  parts.push(`<title>${esc(`${label}得分分布（按总分排序）`)}</title>`);
  // labels of thresholds closer than a label's width go on a second line instead of overlapping
  let lastX = -Infinity;
  let lifted = false;
  for (const [grade, at] of [['合格', thresholds.合格], ['良好', thresholds.良好], ['优秀', thresholds.优秀]] as const) {
    if (at > max) continue;
    const lx = x(at);
    lifted = lx - lastX < 40 ? !lifted : false;
    lastX = lx;
    const ly = lifted ? top - 19 : top - 8;
    parts.push(`<line class="threshold" x1="${n(lx)}" x2="${n(lx)}" y1="${ly + 2}" y2="${height - 22}" stroke="${GRADE_COLOR[grade]}" stroke-dasharray="3 3"/>`);
    parts.push(`<text x="${n(lx)}" y="${ly}" font-size="10" text-anchor="middle" fill="${GRADE_COLOR[grade]}">${esc(`${grade}${at}`)}</text>`);
  }
  units.forEach((u, i) => {
    const y = top + i * row;
    const w = Math.max(0, x(u.final) - left);
    parts.push(`<g class="unit-bar" data-unit="${esc(u.unit)}">`);
    parts.push(`<text x="${left - 6}" y="${y + 12.5}" font-size="11.5" text-anchor="end" fill="${TEXT}">${esc(u.rank === null ? `${u.unit}（不排名）` : `${u.rank}. ${u.unit}`)}</text>`);
    parts.push(`<rect class="bar" x="${left}" y="${y + 2}" width="${n(w)}" height="${row - 5}" fill="${GRADE_COLOR[u.grade]}"><title>${esc(`${u.unit}：总分 ${fixed1(u.final)}，${u.grade}，${u.rank === null ? rankText(u) : `组内第${u.rank}名`}`)}</title></rect>`);
    parts.push(`<text class="value" x="${n(left + w + 4)}" y="${y + 12.5}" font-size="11" fill="${TEXT}" stroke="#fff" stroke-width="3" paint-order="stroke">${fixed1(u.final)}</text>`);
    parts.push('</g>');
  });
  const axisY = height - 22;
  parts.push(`<line x1="${left}" x2="${left + plotW}" y1="${axisY}" y2="${axisY}" stroke="${AXIS}"/>`);
  for (let v = 0; v <= max; v += 20) {
    parts.push(`<line x1="${n(x(v))}" x2="${n(x(v))}" y1="${axisY}" y2="${axisY + 4}" stroke="${AXIS}"/>`);
    parts.push(`<text x="${n(x(v))}" y="${axisY + 15}" font-size="10" text-anchor="middle" fill="${AXIS}">${v}</text>`);
  }
  parts.push('</svg>');
  return parts.join('');
}

/** Completion of one task across its units, as the bar chart shows it. */
export interface TaskRate {
  task: number;
  name: string;
  /** `milestones`: share of due, non-exempt (unit, milestone) pairs confirmed; `briefing` / `highlight`: share of units with one. */
  kind: 'milestones' | 'briefing' | 'highlight';
  /** Counted pairs (or units); 0 when nothing is due yet or no unit is scored on the task. */
  total: number;
  /** (unit, milestone) pairs scored on the task, due or not, exempt or not. */
  scored: number;
  onTime: number;
  late: number;
}

/**
 * Per task: how many of its due (unit, milestone) pairs are confirmed on time and late. The tasks the
 * rubric leaves out of the milestone score are shown by their own rule: the briefing task as the share
 * of units with a counted briefing, the highlight task as the share with an entry.
 */
export function taskRates(assessment: Assessment, plan: Plan): TaskRate[] {
  const byTask = new Map<number, { total: number; scored: number; onTime: number; late: number }>();
  for (const u of assessment.units) {
    for (const m of u.detail.milestones) {
      let t = byTask.get(m.task);
      if (!t) byTask.set(m.task, (t = { total: 0, scored: 0, onTime: 0, late: 0 }));
      t.scored++;
      if (m.status === 'not_due' || m.status === 'exempt') continue;
      t.total++;
      if (m.status === 'on_time') t.onTime++;
      if (m.status === 'late') t.late++;
    }
  }
  const { briefing, highlight } = assessment.rubric.tasks;
  const all = assessment.units.length;
  return plan.tasks.map((task) => {
    if (task.no === briefing && !byTask.has(task.no)) {
      const done = assessment.units.filter((u) => u.detail.briefings.some((b) => b.status === 'counted')).length;
      return { task: task.no, name: task.name, kind: 'briefing', total: all, scored: all, onTime: done, late: 0 };
    }
    if (task.no === highlight && !byTask.has(task.no)) {
      const done = assessment.units.filter((u) => u.detail.highlights.length > 0).length;
      return { task: task.no, name: task.name, kind: 'highlight', total: all, scored: all, onTime: done, late: 0 };
    }
    const t = byTask.get(task.no) ?? { total: 0, scored: 0, onTime: 0, late: 0 };
    return { task: task.no, name: task.name, kind: 'milestones', ...t };
  });
}

const RATE_COLOR = { onTime: '#1a9850', late: '#f0b429', other: '#66a3d2' };

/** A vertical bar chart with one `g.task-bar` per plan task: on-time share stacked under late share. */
export function taskRateChart(rates: TaskRate[]): string {
  const left = 40;
  const top = 16;
  const plotH = 180;
  const col = 19;
  const width = left + rates.length * col + 12;
  const height = top + plotH + 34;
  const y = (share: number) => top + plotH - share * plotH;
  const parts: string[] = [];
  parts.push(`<svg class="chart chart-tasks" viewBox="0 0 ${width} ${height}" width="${width}" height="${height}" role="img" aria-label="各任务完成率">`);
  parts.push('<title>各任务完成率（按时 + 逾期完成）</title>');
  for (const p of [0, 0.25, 0.5, 0.75, 1]) {
    parts.push(`<line x1="${left}" x2="${width - 8}" y1="${n(y(p))}" y2="${n(y(p))}" stroke="${p === 0 ? AXIS : GRID}"/>`);
    parts.push(`<text x="${left - 5}" y="${n(y(p) + 3.5)}" font-size="10" text-anchor="end" fill="${AXIS}">${p * 100}%</text>`);
  }
  rates.forEach((r, i) => {
    const x0 = left + i * col + 3;
    const w = col - 6;
    const head = `任务${r.task} ${r.name}：`;
    let tip: string;
    if (r.scored === 0) tip = `${head}没有计分的责任单位`;
    else if (r.total === 0) tip = `${head}未到期或全部豁免`;
    else if (r.kind === 'milestones') {
      tip = `${head}按时 ${r.onTime}、逾期完成 ${r.late}、共 ${r.total} 项次（完成率 ${Math.round(((r.onTime + r.late) / r.total) * 100)}%）`;
    } else tip = `${head}${r.onTime}/${r.total} 个单位${r.kind === 'briefing' ? '已听取汇报' : '报送亮点'}`;
    parts.push(`<g class="task-bar" data-task="${r.task}" data-kind="${r.kind}"><title>${esc(tip)}</title>`);
    if (r.total === 0) {
      parts.push(`<text x="${n(x0 + w / 2)}" y="${n(y(0) - 4)}" font-size="10" text-anchor="middle" fill="${AXIS}">${r.scored === 0 ? '×' : '—'}</text>`);
    } else if (r.kind === 'milestones') {
      const hOn = (r.onTime / r.total) * plotH;
      const hLate = (r.late / r.total) * plotH;
      parts.push(`<rect class="bar on-time" x="${x0}" y="${n(y(0) - hOn)}" width="${w}" height="${n(hOn)}" fill="${RATE_COLOR.onTime}"/>`);
      parts.push(`<rect class="bar late" x="${x0}" y="${n(y(0) - hOn - hLate)}" width="${w}" height="${n(hLate)}" fill="${RATE_COLOR.late}"/>`);
    } else {
      const h = (r.onTime / r.total) * plotH;
      parts.push(`<rect class="bar other" x="${x0}" y="${n(y(0) - h)}" width="${w}" height="${n(h)}" fill="${RATE_COLOR.other}"/>`);
    }
    parts.push(`<text x="${n(x0 + w / 2)}" y="${top + plotH + 13}" font-size="10" text-anchor="middle" fill="${TEXT}">${r.task}</text>`);
    parts.push('</g>');
  });
  parts.push(`<text x="${n(left + (rates.length * col) / 2)}" y="${height - 4}" font-size="10.5" text-anchor="middle" fill="${AXIS}">任务序号</text>`);
  parts.push('</svg>');
  return parts.join('');
}

/** The state of one (unit, task) cell of the heat map. */
export type CellState = 'overdue' | 'late' | 'on_time' | 'not_due' | 'exempt';

/** One (unit, task) cell: its state and the number of overdue milestones. */
export interface HeatCell {
  unit: string;
  task: number;
  state: CellState;
  overdue: number;
  statuses: MilestoneStatus[];
}

/** Folds a unit's milestones on one task into a cell: any overdue wins, then late, on time, not yet due, exempt. */
export function heatCells(unit: UnitScore): HeatCell[] {
  const byTask = new Map<number, MilestoneStatus[]>();
  for (const m of unit.detail.milestones) {
    let list = byTask.get(m.task);
    if (!list) byTask.set(m.task, (list = []));
    list.push(m.status);
  }
  return [...byTask].map(([task, statuses]) => {
    const overdue = statuses.filter((s) => s === 'overdue').length;
    const state: CellState = overdue
      ? 'overdue'
      : statuses.includes('late')
        ? 'late'
        : statuses.includes('on_time')
          ? 'on_time'
          : statuses.includes('not_due')
            ? 'not_due'
            : 'exempt';
    return { unit: unit.unit, task, state, overdue, statuses };
  });
}

const CELL_FILL: Record<CellState, string> = {
  overdue: '#d73027',
  late: '#f0b429',
  on_time: '#a6d96a',
  not_due: '#e0ecf4',
  exempt: '#bdbdbd',
};
const OVERDUE_2 = '#a50026';

/**
 * The overdue heat map: a row per unit (grouped, in rank order), a column per plan task, a `rect.cell`
 * for every (unit, task) the unit is scored on, coloured by its worst status (two or more overdue
 * milestones darker, with the count printed), and a legend.
 */
export function heatMap(assessment: Assessment, plan: Plan): string {
  const tasks = plan.tasks.map((t) => t.no);
  const colOf = new Map(tasks.map((t, i) => [t, i]));
  const left = 128;
  const top = 28;
  const cell = 16;
  const gap = 14;
  const width = left + tasks.length * cell + 8;
  const rows: Array<{ kind: 'group'; label: string } | { kind: 'unit'; unit: UnitScore }> = [];
  for (const group of groupsOf(assessment)) {
    const units = assessment.units.filter((u) => u.group === group);
    if (units.length === 0) continue;
    rows.push({ kind: 'group', label: groupLabel(assessment.rubric, group) });
    for (const unit of units) rows.push({ kind: 'unit', unit });
  }
  let yCursor = top;
  const body: string[] = [];
  for (const r of rows) {
    if (r.kind === 'group') {
      yCursor += 4;
      body.push(`<text x="4" y="${yCursor + gap - 3}" font-size="11" font-weight="bold" fill="${TEXT}">${esc(r.label)}</text>`);
      yCursor += gap;
      continue;
    }
    const y = yCursor;
    body.push(`<g class="heat-row" data-unit="${esc(r.unit.unit)}">`);
    body.push(`<text x="${left - 6}" y="${y + 12}" font-size="11" text-anchor="end" fill="${TEXT}">${esc(r.unit.unit)}</text>`);
    for (const c of heatCells(r.unit)) {
      const i = colOf.get(c.task);
      if (i === undefined) continue;
      const fill = c.state === 'overdue' && c.overdue >= 2 ? OVERDUE_2 : CELL_FILL[c.state];
      const tip = `${c.unit} · 任务${c.task}：${c.statuses.map((s) => STATUS_LABEL[s]).join('、')}`;
      body.push(`<rect class="cell" data-task="${c.task}" data-state="${c.state}" x="${left + i * cell + 1}" y="${y + 1}" width="${cell - 2}" height="${cell - 2}" rx="2" fill="${fill}"><title>${esc(tip)}</title></rect>`);
      if (c.overdue >= 2) {
        body.push(`<text x="${left + i * cell + cell / 2}" y="${y + 12}" font-size="9.5" text-anchor="middle" fill="#fff">${c.overdue}</text>`);
      }
    }
    body.push('</g>');
    yCursor += cell;
  }
  const legendY = yCursor + 14;
  const legend: string[] = [];
  const items: Array<[string, string]> = [
    [CELL_FILL.overdue, '逾期未完成 1 项'],
    [OVERDUE_2, '逾期未完成 ≥2 项（数字为项数）'],
    [CELL_FILL.late, '逾期完成'],
    [CELL_FILL.on_time, '按时完成'],
    [CELL_FILL.not_due, '未到期'],
    [CELL_FILL.exempt, '豁免'],
    ['#ffffff', '未分配'],
  ];
  let lx = 4;
  let ly = legendY;
  for (const [fill, text] of items) {
    const w = 16 + [...text].reduce((sum, ch) => sum + (ch.charCodeAt(0) > 0x2e80 ? 11 : 6.5), 0) + 16;
    if (lx + w > width) {
      lx = 4;
      ly += 18;
    }
    legend.push(`<rect x="${lx}" y="${ly}" width="12" height="12" rx="2" fill="${fill}" stroke="${fill === '#ffffff' ? '#bbb' : 'none'}"/>`);
    legend.push(`<text x="${lx + 16}" y="${ly + 10.5}" font-size="11" fill="${TEXT}">${esc(text)}</text>`);
    lx += w;
  }
  const height = ly + 22;
  const head: string[] = [];
  head.push(`<svg class="chart chart-heat" viewBox="0 0 ${width} ${height}" width="${width}" height="${height}" role="img" aria-label="逾期热力图">`);
  head.push('<title>逾期热力图（单位 × 任务）</title>');
  // column stripes make a 44 × 34 grid readable on paper
  tasks.forEach((t, i) => {
    if (i % 2 === 0) head.push(`<rect x="${left + i * cell}" y="${top}" width="${cell}" height="${yCursor - top}" fill="#f6f6f6"/>`);
    head.push(`<text x="${left + i * cell + cell / 2}" y="${top - 8}" font-size="9.5" text-anchor="middle" fill="${TEXT}">${t}</text>`);
  });
  head.push(`<text x="${left - 6}" y="${top - 8}" font-size="10" text-anchor="end" fill="${AXIS}">任务 →</text>`);
  return `${head.join('')}${body.join('')}${legend.join('')}</svg>`;
}

