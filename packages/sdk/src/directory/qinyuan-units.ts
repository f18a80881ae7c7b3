import { createDirectory, type Directory } from './directory.js';

/**
 * Qinyuan County's units as of 2022: 12 townships, the development zone and the county departments.
 * Every department named in the 2022 plan is here, plus the other usual county departments, so that
 * 县直各有关部门 expands to the bodies a county office actually assesses. 县政府办 is the assessor (scored,
 * never ranked); 县税务局 and 县生态环境分局 are vertically managed; `sectors` is the sector→department table
 * `checkAssignments` suggests from. Edit a copy for another year.
 */
export const qinyuanUnits = [
  { name: '沁河镇', kind: 'township', aliases: [] },
  { name: '郭道镇', kind: 'township', aliases: [] },
  { name: '灵空山镇', kind: 'township', aliases: [] },
  { name: '王和镇', kind: 'township', aliases: [] },
  { name: '王陶镇', kind: 'township', aliases: [] },
  { name: '景凤镇', kind: 'township', aliases: [] },
  { name: '中峪乡', kind: 'township', aliases: [] },
  { name: '法中乡', kind: 'township', aliases: [] },
  { name: '交口乡', kind: 'township', aliases: [] },
  { name: '聪子峪乡', kind: 'township', aliases: [] },
  { name: '韩洪乡', kind: 'township', aliases: [] },
  { name: '赤石桥乡', kind: 'township', aliases: [] },
  { name: '沁源经济技术开发区', kind: 'zone', aliases: ['开发区', '经济技术开发区', '沁源开发区', '开发区管委会'] },
  { name: '县政府办', kind: 'department', aliases: ['县人民政府办公室', '县政府办公室', '政府办'], assessor: true },
  { name: '县政府值班联络中心', kind: 'department', aliases: ['值班联络中心', '县值班联络中心'] },
  { name: '县司法局', kind: 'department', aliases: ['司法局'] },
  { name: '县公安局', kind: 'department', aliases: ['公安局'] },
  { name: '县市场监管局', kind: 'department', aliases: ['市场监管局', '县市场监督管理局', '市场监督管理局'], sectors: ['市场监管'] },
  {
    name: '县行政审批局',
    kind: 'department',
    aliases: ['行政审批局', '县行政审批服务管理局', '行政审批服务管理局', '审批局'],
  },
  { name: '县教育局', kind: 'department', aliases: ['教育局', '县教育科技局', '教育科技局'], sectors: ['教育', '培训机构'] },
  { name: '县发改局', kind: 'department', aliases: ['发改局', '县发展和改革局', '发展和改革局'] },
  { name: '县工信局', kind: 'department', aliases: ['工信局', '县工业和信息化局', '工业和信息化局'] },
  {
    name: '县住建局',
    kind: 'department',
    aliases: ['住建局', '县住房和城乡建设管理局', '住房和城乡建设管理局'],
    sectors: ['供气', '供热', '住房'],
  },
  { name: '县自然资源局', kind: 'department', aliases: ['自然资源局', '县规划和自然资源局'] },
  { name: '县交通局', kind: 'department', aliases: ['交通局', '县交通运输局', '交通运输局'], sectors: ['公共交通', '交通运输'] },
  { name: '县农业农村局', kind: 'department', aliases: ['农业农村局', '县农业局'] },
  {
    name: '县卫体局',
    kind: 'department',
    aliases: ['卫体局', '县卫生健康和体育局', '卫生健康和体育局', '县卫健局', '卫健局'],
    sectors: ['卫生健康', '医疗', '体育'],
  },
  { name: '县水利局', kind: 'department', aliases: ['水利局'], sectors: ['供水', '水利'] },
  { name: '县财政局', kind: 'department', aliases: ['财政局'], sectors: ['国资国企', '财政'] },
  { name: '县税务局', kind: 'department', aliases: ['税务局', '国家税务总局沁源县税务局'], vertical: true, sectors: ['税费', '纳税'] },
  {
    name: '县人社局',
    kind: 'department',
    aliases: ['人社局', '县人力资源和社会保障局', '人力资源和社会保障局'],
    sectors: ['就业', '社会保障'],
  },
  { name: '县民政局', kind: 'department', aliases: ['民政局'], sectors: ['养老服务', '儿童福利', '救助管理', '殡葬'] },
  { name: '县退役军人事务局', kind: 'department', aliases: ['退役军人事务局', '退役军人局'] },
  { name: '县应急管理局', kind: 'department', aliases: ['应急管理局', '应急局'] },
  { name: '县审计局', kind: 'department', aliases: ['审计局'] },
  { name: '县统计局', kind: 'department', aliases: ['统计局'] },
  { name: '县文旅局', kind: 'department', aliases: ['文旅局', '县文化和旅游局', '文化和旅游局'] },
  { name: '县医保局', kind: 'department', aliases: ['医保局', '县医疗保障局', '医疗保障局'] },
  { name: '县林业局', kind: 'department', aliases: ['林业局'] },
  { name: '县能源局', kind: 'department', aliases: ['能源局'], sectors: ['供电', '能源'] },
  { name: '县商务局', kind: 'department', aliases: ['商务局', '县商务和粮食局'] },
  { name: '县乡村振兴局', kind: 'department', aliases: ['乡村振兴局'] },
  { name: '县信访局', kind: 'department', aliases: ['信访局'] },
  {
    name: '县生态环境分局',
    kind: 'department',
    aliases: ['生态环境局', '市生态环境局沁源分局', '生态环境分局'],
    vertical: true,
    sectors: ['环境保护', '生态环境'],
  },
] as const;

let qinyuan: Directory | undefined;

/**
 * Qinyuan's 2022 directory (`createDirectory(qinyuanUnits, {}, { county: '沁源县' })`), built on first use
 * and shared.
 *
 * @example
 * qinyuanDirectory().resolve('行政审批服务管理局'); // { success: true, data: { name: '县行政审批局', … } }
 */
export function qinyuanDirectory(): Directory {
  qinyuan ??= createDirectory(qinyuanUnits, {}, { county: '沁源县' });
  return qinyuan;
}
