/**
 * How the county office set up the 2022 plan beyond the table itself (hand-written, not generated): who the
 * unspecified phrases (相关部门, 有关部门 …) stand for in each task, how 县直有关部门 narrows where a task
 * concerns a few departments only, and the plan's issue date. `zwgk plan check` shows what is left open.
 */

/**
 * The plan's issue date. The table itself carries no 印发日期; it was issued after 2022-03-31 (its own
 * deadlines run from September, task 10 starts "从10月起"), so 2022-04-01 is the earliest date it can have.
 * An office that knows the exact date sets it (`zwgk plan issued YYYY-MM-DD`); only milestones before it change.
 */
export const qinyuan2022Issued = '2022-04-01';

const LAW_ENFORCEMENT = [
  '县市场监管局',
  '县公安局',
  '县交通局',
  '县自然资源局',
  '县住建局',
  '县农业农村局',
  '县卫体局',
  '县水利局',
  '县应急管理局',
  '县生态环境分局',
  '县文旅局',
  '县林业局',
  '县人社局',
  '县教育局',
  '县医保局',
  '县能源局',
];

/** Task number → phrase → units (or class phrases) it stands for in that task. */
export const qinyuan2022Assignments: Record<string, Record<string, string[]>> = {
  // 行政处罚: the departments holding administrative-penalty powers.
  '4': { 相关部门: LAW_ENFORCEMENT },
  // 电子技术监控设备 beyond 公安: road-transport enforcement (治超) runs such devices too.
  '5': { 相关部门: ['县交通局'] },
  // 双随机、一公开: the departments in joint spot checks, not every department (县审计局 has none).
  '6': {
    县直有关部门: [
      '县农业农村局',
      '县自然资源局',
      '县生态环境分局',
      '县住建局',
      '县交通局',
      '县水利局',
      '县卫体局',
      '县应急管理局',
      '县文旅局',
      '县商务局',
      '县人社局',
      '县教育局',
      '县林业局',
      '县能源局',
      '县税务局',
      '县医保局',
    ],
  },
  // 排号公示: departments with service windows where people queue.
  '10': { 县直有关部门: ['县公安局', '县人社局', '县医保局', '县税务局', '县自然资源局', '县民政局', '县住建局'] },
  // 公共资源交易: the departments whose projects and transactions go through it.
  '11': { 各相关职能部门: ['县发改局', '县财政局', '县住建局', '县交通局', '县水利局', '县自然资源局', '县农业农村局'] },
  // 公共企事业单位: the supervising departments of the sectors the content lists (教育 … 国资国企).
  '12': {
    各行业主管部门: ['县教育局', '县卫体局', '县民政局', '县水利局', '县能源局', '县住建局', '县生态环境分局', '县交通局', '县财政局'],
  },
  // 财政信息公开: every department publishes its own budget and final accounts.
  '17': { 有关部门: ['县直各部门'] },
  // 公平竞争审查: members of the joint conference.
  '18': { 有关部门: ['县发改局', '县司法局', '县财政局', '县商务局', '县工信局'] },
  // 减税降费: fees and contributions collected beyond the tax office.
  '26': { 各相关部门: ['县人社局', '县医保局', '县发改局', '县工信局'] },
  // 疫情防控: the departments with epidemic-control duties.
  '27': { 县直有关部门: ['县教育局', '县交通局', '县公安局', '县市场监管局', '县商务局', '县文旅局', '县民政局', '县工信局', '县农业农村局'] },
  // 稳就业保就业: the departments of the groups the policies reach.
  '28': { 有关部门: ['县教育局', '县农业农村局', '县乡村振兴局', '县退役军人事务局'] },
};
