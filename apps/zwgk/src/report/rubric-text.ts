import type { Rubric } from '@zwgk/sdk';

const KIND_LABEL = { township: '乡镇', zone: '开发区', department: '县直部门', enterprise: '企业', institution: '事业单位' } as const;

const VERTICAL = {
  'own-group': (label: string) => `单独排名（${label}）`,
  'left-out': () => '计分但不参与排名',
  'with-kind': () => '与同类单位一起排名',
} as const;

function num(n: number): string {
  return String(Math.round(n * 100) / 100);
}

/**
 * The rubric in plain Chinese, one [item, rule] pair per line: what the 规则 sheet, the HTML report and
 * docs/assessment.md show the county office.
 *
 * @example
 * describeRubric(defaultRubric)[0]; // ['计分范围', '每个单位按其承担的每项任务的每个时间节点计分，任务31、32除外（另行计分）']
 */
export function describeRubric(rubric: Rubric): Array<[string, string]> {
  const w = rubric.weights;
  const overrides = Object.entries(w.tasks)
    .sort(([a], [b]) => Number(a) - Number(b))
    .map(([task, weight]) => `任务${task}为 ${num(weight)}`);
  const r = rubric.roleFactors;
  const c = rubric.credits;
  const b = rubric.bonus;
  const g = rubric.grades;
  const excluded = rubric.tasks.excluded.length ? `，任务${rubric.tasks.excluded.join('、')}除外（另行计分）` : '';
  return [
    ['计分范围', `每个单位按其承担的每项任务的每个时间节点计分${excluded}`],
    ['权重', `任务权重默认 ${num(w.default)}${overrides.length ? `（${overrides.join('，')}）` : ''} × 角色系数：牵头 ${num(r.lead)}，负责 ${num(r.responsible)}，配合 ${num(r.cooperating)}；同一任务兼有多种角色的按最高系数计一次`],
    ['节点得分', `截止日（含当日，北京时间）前确认 ${num(c.onTime)}；逾期后确认 ${num(c.late)}；到期未确认 ${num(c.overdue)}；豁免及评估日尚未到期的节点不计入`],
    ['完成情况', `${num(rubric.completion.max)} ×（各节点权重 × 得分之和）÷（权重之和）；尚无到期节点的得 ${num(rubric.completion.max)} 分`],
    ['听取汇报', `任务${rubric.tasks.briefing}：年内主要负责人至少听取 ${rubric.briefing.minBriefings} 次政务公开工作汇报的得 ${num(rubric.briefing.points)} 分，否则 0 分`],
    ['亮点工程加分', `任务${rubric.tasks.highlight}：每项亮点按一次计，报送省级评选 +${num(b.submitted)}，入选 +${num(b.selected)}（不累加），加分上限 ${num(b.cap)} 分`],
    ['扣分', `任务${rubric.tasks.carryover}（回头看）：上年遗留问题每项未整改 −${num(rubric.carryover.each)}，上限 ${num(rubric.carryover.cap)} 分；县政府办记录的其他扣分（须注明原因）不设上限`],
    ['总分', `max(0，完成情况 + 听取汇报 − 扣分) + 加分，保留一位小数`],
    ['等次', `优秀 ≥ ${num(g.优秀)}，良好 ≥ ${num(g.良好)}，合格 ≥ ${num(g.合格)}，其余为不合格`],
    [
      '排名',
      `${Object.values(rubric.groups)
        .map((g) => `${g.label}（${g.kinds.map((k) => KIND_LABEL[k]).join('、')}）`)
        .join('、')}分别排名，总分相同的名次并列（如 1、2、2、4）；考核单位（县政府办）计分但不参与排名；垂直管理单位${VERTICAL[rubric.vertical.mode](rubric.vertical.label)}`,
    ],
    ...(rubric.statutory.annualReport
      ? [['法定节点', `任务${rubric.statutory.task}另加法定节点：上一年度政府信息公开工作年度报告 1月31日前公布（政府信息公开条例第四十九条），不受印发日期影响`] as [string, string]]
      : []),
  ];
}
