// A tiny hand-made plan and records for the report tests; numbers worked out by hand in the tests.
import { PlanSchema, RecordsSchema, type Plan, type PlanInput, type Records, type RecordsInput } from '@zwgk/sdk';

type TaskInput = PlanInput['tasks'][number];

function task(no: number, name: string, units: TaskInput['units'], dues: string[]): TaskInput {
  return { no, name, content: `${name}。`, responsibility: '', deadline: '', units, milestones: dues.map((due) => ({ due, label: due })) };
}

const everyone = [
  { unit: '各乡镇', role: 'responsible', group: true },
  { unit: '开发区', role: 'responsible' },
  { unit: '县直各有关部门', role: 'responsible', group: true },
] as const;

/**
 * 郭道镇, 沁河镇, the zone; 县司法局, 县公安局, 县财政局.
 * - task 1 政策发布 (06-30, 12-31): everyone;
 * - task 4 行政处罚信息公开 <"quoted"> (11-30): 县司法局 lead, 县公安局 cooperating;
 * - task 10 全年公开 (12-31): the townships and the zone;
 * - 31 亮点工程, 32 组织保障 (12-31): everyone.
 */
export function tinyPlan(): Plan {
  return PlanSchema.parse({
    county: '测试县',
    year: 2022,
    title: '测试县2022年政务公开工作要点',
    units: [
      { name: '郭道镇', kind: 'township' },
      { name: '沁河镇', kind: 'township' },
      { name: '沁源经济技术开发区', kind: 'zone', aliases: ['开发区'] },
      { name: '县司法局', kind: 'department', aliases: ['司法局'] },
      { name: '县公安局', kind: 'department', aliases: ['公安局'] },
      { name: '县财政局', kind: 'department', aliases: ['财政局'] },
    ],
    tasks: [
      task(1, '政策发布', [...everyone], ['2022-06-30', '2022-12-31']),
      task(
        4,
        '行政处罚信息公开 <"quoted">',
        [
          { unit: '县司法局', role: 'lead' },
          { unit: '县公安局', role: 'cooperating' },
        ],
        ['2022-11-30'],
      ),
      task(
        10,
        '全年公开',
        [
          { unit: '各乡镇', role: 'responsible', group: true },
          { unit: '开发区', role: 'responsible' },
        ],
        ['2022-12-31'],
      ),
      task(31, '亮点工程', [...everyone], ['2022-12-31']),
      task(32, '组织保障', [...everyone], ['2022-12-31']),
    ],
  });
}

/** Records for {@link tinyPlan}, assessed as of 2022-12-31. */
export function tinyRecordsInput(): RecordsInput {
  return {
    year: 2022,
    asOf: '2022-12-31',
    confirmations: [
      // 郭道镇: all on time → completion 90
      { task: 1, unit: '郭道镇', due: '2022-06-30', at: '2022-06-30T23:30:00+08:00', evidence: ['https://example.gov.cn/a?x=1&y=2'] },
      { task: 1, unit: '郭道镇', due: '2022-12-31', at: '2022-12-01T09:00:00+08:00' },
      { task: 10, unit: '郭道镇', at: '2022-12-20T09:00:00+08:00' },
      // 沁河镇: one late, one on time, task 10 overdue → 90 × 1.5/3 = 45
      { task: 1, unit: '沁河镇', due: '2022-06-30', at: '2022-07-02T09:00:00+08:00' },
      { task: 1, unit: '沁河镇', due: '2022-12-31', at: '2022-12-30T09:00:00+08:00' },
      // zone: task 1 06-30 on time; 12-31 exempt; task 10 on time → 90
      { task: 1, unit: '开发区', due: '2022-06-30', at: '2022-06-01T09:00:00+08:00' },
      { task: 10, unit: '开发区', at: '2022-12-31T10:00:00+08:00' },
      // 县司法局: task 1 both on time, task 4 late → 90 × 2.5/3 = 75
      { task: 1, unit: '县司法局', due: '2022-06-30', at: '2022-06-20T09:00:00+08:00' },
      { task: 1, unit: '县司法局', due: '2022-12-31', at: '2022-12-20T09:00:00+08:00' },
      { task: 4, unit: '县司法局', at: '2022-12-05T09:00:00+08:00' },
      // 县公安局: task 1 06-30 on time, 12-31 overdue; task 4 (cooperating, 0.5) on time → 90 × 1.5/2.5 = 54
      { task: 1, unit: '县公安局', due: '2022-06-30', at: '2022-06-29T09:00:00+08:00' },
      { task: 4, unit: '县公安局', at: '2022-11-30T18:00:00+08:00' },
      // 县财政局: nothing → completion 0
    ],
    briefings: [
      { unit: '郭道镇', date: '2022-05-10', note: '书记听取汇报' },
      { unit: '县司法局', date: '2022-09-01' },
      { unit: '县财政局', date: '2021-12-20', note: '上年度，不计' },
      { unit: '开发区', date: '2022-03-03' },
    ],
    highlights: [
      { unit: '郭道镇', title: '“一站式”政策问答库', status: 'selected' },
      { unit: '县司法局', title: '行政执法公示平台', status: 'submitted' },
    ],
    carryover: [
      { unit: '沁河镇', item: '2021年政府信息公开年报未按期发布', resolved: false },
      { unit: '沁河镇', item: '依申请公开答复超期', resolved: true },
    ],
    deductions: [{ unit: '县公安局', points: 3, reason: '政务公开专栏信息更新不及时，被市级通报' }],
    exemptions: [{ task: 1, unit: '开发区', due: '2022-12-31', reason: '机构改革，职能划转' }],
  };
}

/** {@link tinyRecordsInput} parsed. */
export function tinyRecords(): Records {
  return RecordsSchema.parse(tinyRecordsInput());
}
