/**
 * A unit directory read off a plan: for counties whose directory nobody has written yet, the units their
 * task breakdown table names are the best start.
 */
import { classifyGroup, isZonePhrase, normalizeUnitName } from '../directory/directory.js';
import type { Unit, UnitKind } from '../model/schemas.js';

/** The part of a plan {@link unitsFromPlan} reads: its tasks' assignments, and the county for its prefix. */
export interface UnitsFromPlanInput {
  /** The county, e.g. `长子县`: `长子县财政局` and `县财政局` are then one unit. Optional. */
  county?: string;
  tasks: ReadonlyArray<{ units: ReadonlyArray<{ unit: string; group?: boolean }> }>;
}

const TOWNSHIP = /(镇|乡|街道)(人民政府|政府|办事处)?$/;
const ZONE = /(开发区|园区)(管委会|管理委员会)?$/;
/** Phrases that stand for several units even when the group reader does not know them (各级行政机关, 相关科室). */
const GROUP_LIKE = /^(各|相关|有关|县直)/;

/** The development zone written without the county's name: which zone it is depends on the county. */
const GENERIC_ZONE = /^(经济技术)?开发区(管委会)?$/;

const KIND_ORDER: Record<UnitKind, number> = { township: 0, zone: 1, department: 2, enterprise: 3, institution: 4 };

/** The kind a unit's name says it is: …镇 / …乡 / …街道 a township, …开发区 / …园区 the zone, otherwise a department. */
function kindOf(name: string): UnitKind {
  if (isZonePhrase(name) || ZONE.test(name)) return 'zone';
  if (TOWNSHIP.test(name)) return 'township';
  return 'department';
}

/**
 * Builds a unit directory from the unit names a plan's tasks name explicitly — for a county without a
 * directory of its own (import its table with `parsePlanTable(text, { units: [], … })`, then carry
 * these units), so that 各乡镇 expands to that county's townships and not to another county's.
 *
 * - Only names count: group phrases (各乡镇, 县直各有关部门, 相关部门, and anything starting 各 / 相关 /
 *   有关 / 县直) are left out; they expand through the directory this builds. The development zone written
 *   as a phrase (开发区) counts, as it names one unit.
 * - Kind from the name: …镇 / …乡 / …街道 (…人民政府) → `township`, …开发区 / …园区 (…管委会) → `zone`,
 *   otherwise `department`.
 * - One unit per name as {@link normalizeUnitName} folds it, with the county prefix read as 县 and a
 *   leading 县 ignored (`长子县财政局`, `县财政局`, `财政局` are one unit). The name kept is the first
 *   spelling written with a leading 县 (else the first spelling); `aliases` is empty unless the plan
 *   itself spells the unit another way the directory would not resolve (`长子县财政局` next to `县财政局`).
 * - The zone written bare (开发区, 经济技术开发区) is an alias of the zone when the plan names exactly one
 *   zone in full (长子经济技术开发区), else a zone unit of its own named as written (later bare spellings
 *   become its aliases).
 * - Order: townships, then zones, then departments, each in order of first mention.
 *
 * The result passes {@link UnitSchema} and {@link createDirectory} (no name is claimed twice).
 *
 * @param plan - a plan, or anything with `tasks[].units[]` (and optionally `county`)
 * @returns the units, ready for `createDirectory(units)` or a plan's `units`
 * @example
 * const imported = parsePlanTable(text, { year: 2021, county: '长子县', units: [] });
 * if (imported.success) {
 *   const plan = { ...imported.data, units: unitsFromPlan(imported.data) };
 *   directoryOf(plan).expand(plan.tasks[0]!.units); // 各乡镇 → 长子县's townships named in the table
 * }
 */
export function unitsFromPlan(plan: UnitsFromPlanInput): Unit[] {
  const county = typeof plan?.county === 'string' ? normalizeUnitName(plan.county) : '';
  const countyPrefix = county.endsWith('县') ? county : '';
  const key = (name: string) => {
    let k = normalizeUnitName(name);
    if (countyPrefix && k.startsWith(countyPrefix) && k.length > countyPrefix.length) k = `县${k.slice(countyPrefix.length)}`;
    return k.startsWith('县') && k.length > 2 ? k.slice(1) : k;
  };

  const found = new Map<string, { spellings: string[]; order: number }>();
  const genericZones: string[] = [];
  let order = 0;
  for (const task of plan?.tasks ?? []) {
    for (const assignment of task?.units ?? []) {
      const name = typeof assignment?.unit === 'string' ? assignment.unit.trim() : '';
      if (!name) continue;
      if (GENERIC_ZONE.test(normalizeUnitName(name))) {
        if (!genericZones.includes(name)) genericZones.push(name);
        continue;
      }
      if (!isZonePhrase(name) && (assignment.group || classifyGroup(name) !== null || GROUP_LIKE.test(name))) continue;
      const k = key(name);
      if (!k) continue;
      const entry = found.get(k);
      if (!entry) found.set(k, { spellings: [name], order: order++ });
      else if (!entry.spellings.includes(name)) entry.spellings.push(name);
    }
  }

  const units: Array<Unit & { order: number }> = [];
  for (const { spellings, order: at } of found.values()) {
    const name = spellings.find((s) => normalizeUnitName(s).startsWith('县')) ?? spellings[0]!;
    const reached = (s: string) => {
      const n = normalizeUnitName(s);
      const canonical = normalizeUnitName(name);
      return n === canonical || `县${n}` === canonical;
    };
    const aliases = spellings.filter((s) => s !== name && !reached(s));
    units.push({ name, kind: kindOf(name), aliases: [...new Set(aliases)], order: at });
  }

  // 开发区 written as a phrase: an alias of the one zone named in full, else a zone unit of its own.
  const zones = units.filter((u) => u.kind === 'zone');
  for (const phrase of genericZones) {
    if (zones.length === 1) zones[0]!.aliases.push(phrase);
    else {
      const unit = { name: phrase, kind: 'zone' as const, aliases: [], order: order++ };
      units.push(unit);
      // The first bare phrase stands for the zone; later ones (经济技术开发区 after 开发区) are its aliases.
      if (zones.length === 0) zones.push(unit);
    }
  }

  return units
    .sort((a, b) => KIND_ORDER[a.kind] - KIND_ORDER[b.kind] || a.order - b.order)
    .map(({ name, kind, aliases }) => ({ name, kind, aliases }));
}

/** The units and group mapping a table's own names give: what {@link tableDirectory} returns. */
export interface TableDirectory {
  units: Unit[];
  /** 各科室 / 各处室 / 各股室 / 按职责分工 → the offices the table names. */
  groups: Record<string, string[]>;
}

const OFFICE_GROUPS: ReadonlyArray<readonly [RegExp, RegExp]> = [
  [/^(?:各|机关各|局属各|各责任|各业务)科(?:室|（室）)?$/, /(?:科|室)$/],
  [/^(?:各责任|各业务)处室$/, /(?:处|室)$/],
  [/^(?:各|机关各)处(?:室|（室）)?$/, /(?:处|室)$/],
  [/^各股(?:室)?$/, /(?:股|室)$/],
];

/**
 * A directory read off a table, for a plan with none of its own: the units it names ({@link unitsFromPlan})
 * plus what its group phrases for a department's offices stand for. In a department's own task list
 * (责任科室: 办公室, 财务科, 各科室), 各科室 expands to the 科 and 室 the table names, 各处室 to its 处 and 室,
 * 各股室 to its 股 and 室, and 按职责分工 (每个科室按职责) to every unit it names; when no name has the
 * ending, the group covers every unit named. County groups (各乡镇, 县直各部门) need no mapping: they
 * expand by kind.
 *
 * @example
 * const imported = parsePlanTable(text, { year: 2023, county: '池州市信访局', units: [] });
 * if (imported.success) {
 *   const plan = { ...imported.data, ...tableDirectory(imported.data) };
 *   directoryOf(plan).expand(plan.tasks[1]!.units); // 各科室 → 办公室, 财务科 …
 * }
 */
export function tableDirectory(plan: UnitsFromPlanInput): TableDirectory {
  const units = unitsFromPlan(plan);
  const names = units.map((u) => u.name);
  const groups: Record<string, string[]> = {};
  for (const task of plan?.tasks ?? []) {
    for (const assignment of task?.units ?? []) {
      const phrase = typeof assignment?.unit === 'string' ? assignment.unit.replace(/\s/g, '') : '';
      if (!phrase || groups[phrase]) continue;
      if (phrase === '按职责分工') {
        groups[phrase] = [...names];
        continue;
      }
      const rule = OFFICE_GROUPS.find(([group]) => group.test(phrase));
      if (!rule) continue;
      const offices = names.filter((n) => rule[1].test(n));
      groups[phrase] = offices.length ? offices : [...names];
    }
  }
  return { units, groups };
}
