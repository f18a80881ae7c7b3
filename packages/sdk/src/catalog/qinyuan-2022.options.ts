import { qinyuanUnits } from '../directory/qinyuan-units.js';
import type { ParsePlanTableOptions } from '../importer/parse-plan-table.js';

/** How the bundled Qinyuan 2022 plan is imported from its seed text (shared by the generator and its test). */
export const qinyuan2022ImportOptions = {
  year: 2022,
  county: '沁源县',
  title: '沁源县2022年政务公开工作要点任务分解表',
  units: qinyuanUnits,
} as const satisfies ParsePlanTableOptions;
