/**
 * Plans bundled with the SDK, validated once and cached.
 */
import { PlanSchema, type Plan, type PlanInput } from '../model/schemas.js';
import { qinyuan2022Data } from './qinyuan-2022.js';

/** Ids of the plans bundled with the SDK. */
export type PlanId = 'qinyuan-2022';

/** A bundled plan at a glance, as {@link listPlans} lists it. */
export interface PlanSummary {
  id: PlanId;
  county: string;
  year: number;
  title: string;
}

const SOURCES: Record<PlanId, PlanInput> = {
  'qinyuan-2022': qinyuan2022Data,
};

const cache = new Map<PlanId, Plan>();

/**
 * A bundled plan, validated through {@link PlanSchema} on first use and cached (the same object is
 * returned on every call; treat it as read-only). Throws for an id the SDK does not ship — a programmer
 * error — naming the ids it does.
 *
 * @example
 * const plan = getPlan('qinyuan-2022');
 * plan.tasks.length;          // 34
 * plan.tasks[3]?.milestones;  // [{ due: '2022-11-30', label: '11月底前', … }]
 */
export function getPlan(id: PlanId): Plan {
  const cached = cache.get(id);
  if (cached) return cached;
  if (!Object.prototype.hasOwnProperty.call(SOURCES, id)) {
    throw new Error(`unknown plan "${String(id)}"; bundled plans: ${Object.keys(SOURCES).join(', ')}`);
  }
  const plan = PlanSchema.parse(SOURCES[id]);
  cache.set(id, plan);
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

/** 《沁源县2022年政务公开工作要点任务分解表》: the same object as `getPlan('qinyuan-2022')`. */
export const qinyuan2022: Plan = getPlan('qinyuan-2022');
