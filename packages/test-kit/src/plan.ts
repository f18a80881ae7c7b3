import { PlanSchema, type Plan, type PlanInput } from '@zwgk/sdk';
import { qinyuanUnits } from '@zwgk/sdk/qinyuan';

const everyone: PlanInput['tasks'][number]['units'] = [
  { unit: '各乡镇', role: 'responsible', group: true },
  // The zone is a single unit: flagged as a group, the directory would look for it among the county office's unspecified groups.
  { unit: '开发区', role: 'responsible' },
  { unit: '县直各有关部门', role: 'responsible', group: true },
];

/**
 * A small plan shaped like Qinyuan's 2022 plan, on the Qinyuan unit directory: a year-round task for every
 * unit (1), 县司法局 leading the townships with a November deadline (4), 县市场监管局 leading a task with two
 * milestones, one yearly (6), a department-only task (13), a November task for everyone (22), and the
 * 亮点工程 (31) and 组织保障 (32) tasks the assessment scores by its own rules.
 *
 * @example
 * const plan = samplePlan();
 * plan.tasks.map((t) => t.no); // [1, 4, 6, 13, 22, 31, 32]
 */
export function samplePlan(): Plan {
  const input: PlanInput = {
    county: '沁源县',
    year: 2022,
    title: '沁源县2022年政务公开工作要点任务分解表（测试用节选）',
    units: qinyuanUnits.map((u) => ({ name: u.name, kind: u.kind, aliases: [...u.aliases] })),
    tasks: [
      { no: 1, name: '政策发布', content: '', responsibility: '县政府办、各乡镇、开发区、县直各有关部门', deadline: '全年', units: [{ unit: '县政府办', role: 'responsible' }, ...everyone], milestones: [{ due: '2022-12-31', label: '全年', ongoing: true }] },
      {
        no: 4,
        name: '行政处罚信息公开',
        content: '县司法局应于11月底前指导督促全县各级行政执法单位……',
        responsibility: '县司法局牵头，各乡镇、相关部门负责',
        deadline: '11月底前',
        units: [{ unit: '县司法局', role: 'lead' }, { unit: '各乡镇', role: 'responsible', group: true }],
        milestones: [{ due: '2022-11-30', label: '11月底前' }],
      },
      {
        no: 6,
        name: '“双随机、一公开”监管信息公开',
        content: '年度抽查计划应于每年3月底前公布……',
        responsibility: '县市场监管局牵头，各乡镇、县直有关部门负责',
        deadline: '10月底前',
        units: [{ unit: '县市场监管局', role: 'lead' }, { unit: '各乡镇', role: 'responsible', group: true }, { unit: '县直有关部门', role: 'responsible', group: true }],
        milestones: [
          { due: '2022-10-31', label: '2022年度的市场监管信息补录' },
          { due: '2022-03-31', label: '年度抽查计划公布', recurrence: 'yearly', source: 'content' },
        ],
      },
      { no: 13, name: '“双减”信息公开', content: '', responsibility: '县教育局', deadline: '9月底', units: [{ unit: '县教育局', role: 'lead' }], milestones: [{ due: '2022-09-30', label: '9月底' }] },
      { no: 22, name: '优化政务公开平台建设', content: '', responsibility: '各乡镇、开发区、县直各有关部门', deadline: '11月底前', units: everyone, milestones: [{ due: '2022-11-30', label: '11月底前' }] },
      { no: 31, name: '积极参与省政务公开“亮点工程”评选工作', content: '', responsibility: '各乡镇、开发区、县直各有关部门', deadline: '全年', units: everyone, milestones: [{ due: '2022-12-31', label: '全年', ongoing: true }] },
      { no: 32, name: '组织保障', content: '主要负责人年内至少听取一次政务公开工作汇报', responsibility: '各乡镇、开发区、县直各有关部门', deadline: '全年', units: everyone, milestones: [{ due: '2022-12-31', label: '全年', ongoing: true }] },
    ],
  };
  return PlanSchema.parse(input);
}
