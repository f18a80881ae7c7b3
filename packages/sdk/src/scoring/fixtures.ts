// Hand-made plans for the scoring tests (not exported from the package).
import { PlanSchema, type Plan, type PlanInput } from '../model/schemas.js';
import { RecordsSchema, type Records, type RecordsInput } from '../records/schema.js';

type TaskInput = PlanInput['tasks'][number];

/** 2 townships, the zone and 4 departments, in directory order. */
export const units: PlanInput['units'] = [
  { name: '郭道镇', kind: 'township' },
  { name: '沁河镇', kind: 'township' },
  { name: '沁源经济技术开发区', kind: 'zone', aliases: ['开发区'] },
  { name: '县司法局', kind: 'department', aliases: ['司法局'] },
  { name: '县公安局', kind: 'department', aliases: ['公安局'] },
  { name: '县财政局', kind: 'department', aliases: ['财政局'] },
  { name: '县教育局', kind: 'department', aliases: ['教育局'] },
];

const everyone = [
  { unit: '各乡镇', role: 'responsible', group: true },
  { unit: '开发区', role: 'responsible' },
  { unit: '县直各有关部门', role: 'responsible', group: true },
] as const;

export function task(no: number, name: string, assignments: TaskInput['units'], dues: string[], responsibility = ''): TaskInput {
  return {
    no,
    name,
    content: `${name}。`,
    responsibility,
    deadline: '',
    units: assignments,
    milestones: dues.map((due) => ({ due, label: due })),
  };
}

/**
 * Tasks:
 * - 4 (one milestone 06-30): 县司法局 lead, 郭道镇 responsible, 县公安局 cooperating;
 * - 6 (two milestones 03-31 and 10-31): 县公安局 responsible;
 * - 10 (12-31): the townships and the zone;
 * - 31 亮点工程, 32 组织保障 (12-31): everyone;
 * - 33 强化考核 (12-31): 县司法局 lead, the townships.
 * 县财政局 and 县教育局 hold only tasks 31 and 32.
 */
export const baseTasks: TaskInput[] = [
  task(
    4,
    '行政执法公示',
    [
      { unit: '县司法局', role: 'lead' },
      { unit: '郭道镇', role: 'responsible' },
      { unit: '县公安局', role: 'cooperating' },
    ],
    ['2022-06-30'],
    '县司法局牵头，郭道镇负责，县公安局配合',
  ),
  task(6, '双随机一公开', [{ unit: '县公安局', role: 'responsible' }], ['2022-03-31', '2022-10-31'], '县公安局'),
  task(
    10,
    '全年公开',
    [
      { unit: '各乡镇', role: 'responsible', group: true },
      { unit: '开发区', role: 'responsible' },
    ],
    ['2022-12-31'],
    '各乡镇、开发区',
  ),
  task(31, '积极参与省政务公开“亮点工程”评选工作', [...everyone], ['2022-12-31']),
  task(32, '组织保障', [...everyone], ['2022-12-31']),
  task(
    33,
    '强化考核',
    [
      { unit: '县司法局', role: 'lead' },
      { unit: '各乡镇', role: 'responsible', group: true },
    ],
    ['2022-12-31'],
  ),
];

export function makePlan(tasks: TaskInput[] = baseTasks): Plan {
  return PlanSchema.parse({ county: '沁源县', year: 2022, title: '沁源县2022年政务公开工作要点', tasks, units });
}

export function makeRecords(input: Omit<RecordsInput, 'year'> & { year?: number } = {}): Records {
  return RecordsSchema.parse({ year: 2022, ...input });
}
