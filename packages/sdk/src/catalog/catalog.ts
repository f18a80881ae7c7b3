/**
 * Plans bundled with the SDK (`@zwgk/sdk/qinyuan`): data checked against {@link PlanSchema} by the tests and
 * once more on first use — never at import.
 */
import { ZwgkError } from '../errors.js';
import { PlanSchema, type Plan } from '../model/schemas.js';
import { qinyuanUnits } from '../directory/qinyuan-units.js';
import { qinyuan2022Data } from './qinyuan-2022.js';
import { qinyuan2022Assignments, qinyuan2022Issued } from './qinyuan-2022.setup.js';

/** Ids of the plans bundled with the SDK. */
export type PlanId = 'qinyuan-2022';

/** A bundled plan at a glance, as {@link listPlans} lists it. */
export interface PlanSummary {
  id: PlanId;
  county: string;
  year: number;
  title: string;
}

// The data is written fully shaped (defaults included), so it is a Plan as it stands; src/catalog/catalog.test.ts
// checks that PlanSchema returns it unchanged. The office's setup (unit flags and sectors, per-task mappings,
// issue date) is added to the imported table here, without parsing anything.
const SOURCES: Record<PlanId, Plan> = {
  'qinyuan-2022': {
    ...qinyuan2022Data,
    units: qinyuanUnits,
    assignments: qinyuan2022Assignments,
    issued: qinyuan2022Issued,
  } as unknown as Plan,
};

const checked = new Set<PlanId>();

/**
 * A bundled plan, checked with {@link PlanSchema} on first use (the same object is returned on every call;
 * treat it as read-only). Throws a {@link ZwgkError} (`unknown_plan`) for an id the SDK does not ship — a
 * programmer error — naming the ids it does.
 *
 * @example
 * const plan = getPlan('qinyuan-2022');
 * plan.tasks.length;          // 34
 * plan.tasks[3]?.milestones;  // [{ due: '2022-11-30', label: '11月底前', … }]
 */
export function getPlan(id: PlanId): Plan {
  if (!Object.hasOwn(SOURCES, id)) {
    throw new ZwgkError('unknown_plan', 'getPlan', `unknown plan "${String(id)}"; bundled plans: ${Object.keys(SOURCES).join(', ')}`);
  }
  const plan = SOURCES[id];
  if (!checked.has(id)) {
    const r = PlanSchema.safeParse(plan);
    if (!r.success) throw new ZwgkError('invalid_plan', 'getPlan', `bundled plan ${id} is damaged: ${r.error.message}`);
    checked.add(id);
  }
  return plan;
}

/**
 * The plans bundled with the SDK: id, county, year and title.
 *
 * @example
 * listPlans(); // [{ id: 'qinyuan-2022', county: '沁源县', year: 2022, title: '沁源县2022年政务公开工作要点任务分解表' }]
 */
export function listPlans(): PlanSummary[] {
  return (Object.keys(SOURCES) as PlanId[]).map((id) => {
    const { county, year, title } = SOURCES[id];
    return { id, county, year, title };
  });
}

/**
 * 《沁源县2022年政务公开工作要点任务分解表》: the same object as `getPlan('qinyuan-2022')`, as data (nothing is
 * validated when this is imported; `getPlan` checks it once).
 */
export const qinyuan2022: Plan = SOURCES['qinyuan-2022'];
