/**
 * `@zwgk/sdk/qinyuan` — the county data the SDK ships: 沁源县 (Qinyuan County, Shanxi) and its 2022 plan,
 * unit directory and the source text the plan is imported from. The root entry `@zwgk/sdk` assumes no
 * county; take what you need from here and pass it explicitly.
 *
 * Nothing is validated when this module is imported: `getPlan` checks a plan once, on first use.
 *
 * @example
 * import { getPlan, qinyuanDirectory } from '@zwgk/sdk/qinyuan';
 * import { dueForUnit, resolveUnit } from '@zwgk/sdk';
 *
 * const plan = getPlan('qinyuan-2022');                 // 34 tasks
 * resolveUnit('行政审批局', qinyuanDirectory());          // { success: true, data: { name: '县行政审批局', … } }
 * dueForUnit(plan, '郭道镇', { asOf: '2022-11-21' });
 *
 * @packageDocumentation
 */

export { getPlan, listPlans, qinyuan2022 } from './catalog/catalog.js';
export type { PlanId, PlanSummary } from './catalog/catalog.js';
export { qinyuan2022SeedText } from './catalog/qinyuan-2022.seed.js';
export { qinyuan2022ImportOptions } from './catalog/qinyuan-2022.options.js';
export { qinyuanDirectory, qinyuanUnits } from './directory/qinyuan-units.js';
