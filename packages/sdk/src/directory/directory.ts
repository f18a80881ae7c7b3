import { UnitSchema, type Assignment, type Result, type Role, type Unit, type UnitKind } from '../model/schemas.js';
import { ZwgkError } from '../errors.js';
import { editDistance } from '../text/edit-distance.js';

/** What a group phrase in a responsibility column stands for. */
export type GroupKind = 'townships' | 'zone' | 'departments' | 'unspecified';

/** Why a name did not resolve, with the closest directory names to offer instead. */
export interface UnknownUnit {
  message: string;
  suggestions: string[];
}

/** A unit after group expansion: the directory name and the strongest role it holds on a task. */
export interface Assignee {
  unit: string;
  role: Role;
}

/** A unit directory with alias resolution and group expansion. Build one with {@link createDirectory}. */
export interface Directory {
  readonly units: readonly Unit[];
  /** Unspecified group phrase → units the county office mapped it to. */
  readonly groups: Readonly<Record<string, readonly string[]>>;
  /** The unit a name or alias stands for, or the closest names when none does. */
  resolve(name: string): Result<Unit, UnknownUnit>;
  /** Directory units of a kind, in directory order. */
  ofKind(...kinds: UnitKind[]): Unit[];
  /** Per-task mappings: task number (key) → group phrase → units or class phrases (see `Plan.assignments`). */
  readonly assignments: Readonly<Record<string, Readonly<Record<string, readonly string[]>>>>;
  /**
   * Expands assignments (groups included) into directory units, each once with its strongest role. With
   * `task`, that task's mappings apply first (a mapped phrase stands for exactly the units mapped).
   * Retired units are never in the result.
   */
  expand(assignments: readonly Assignment[], task?: number): Assignee[];
  /** The units one phrase of a task stands for (what {@link Directory.expand} does with it), in directory order. */
  expandPhrase(phrase: string, task?: number): Unit[];
  /** Up to `limit` directory names closest to `name`, best first. */
  suggest(name: string, limit?: number): string[];
}

const ROLE_RANK: Record<Role, number> = { lead: 3, responsible: 2, cooperating: 1 };

/** The stronger of two roles (lead > responsible > cooperating). */
export function strongerRole(a: Role, b: Role): Role {
  return ROLE_RANK[a] >= ROLE_RANK[b] ? a : b;
}

const PUNCTUATION = /[\s\u3000、，,。.；;：:（）()“”"'‘’]/g;

/**
 * Folds width, spaces and punctuation, and — when the county is given — its name as a prefix, so that
 * 沁源县司法局, 县司法局 and full-width variants meet: with `county` 沁源县, `沁源县司法局` → `县司法局` and
 * `沁源司法局` → `司法局` (a two-character or longer county stem only, and never before 经济…, which names
 * the development zone). No county is assumed when none is given.
 *
 * @example
 * normalizeUnitName('沁源县 司法局', '沁源县'); // '县司法局'
 * normalizeUnitName('县司法局（）');            // '县司法局'
 */
export function normalizeUnitName(name: string, county?: string): string {
  let key = name.normalize('NFKC').replace(PUNCTUATION, '');
  const full = county?.normalize('NFKC').replace(PUNCTUATION, '') ?? '';
  if (full.length >= 2) {
    const suffix = full.slice(-1);
    const stem = /[县区市旗]$/.test(full) ? full.slice(0, -1) : full;
    if (key.startsWith(full) && key.length > full.length) key = `${suffix}${key.slice(full.length)}`;
    else if (stem.length >= 2 && key.startsWith(stem) && key.length > stem.length && !key.startsWith('经济', stem.length)) {
      key = key.slice(stem.length);
    }
  }
  return key;
}

// 各镇（街道） and 各乡（镇） reach the reader as 各镇 / 各乡 (a name's bracketed other name is dropped).
const TOWNSHIP_GROUP =
  /^(?:全县|全区|全市)?各(?:乡镇|乡|镇|街道|镇街|镇街道|乡镇街道|乡镇\(街道\)|镇\(街道\)|乡\(镇\)|街道办事处|镇\(街道\)办事处)(?:人民政府|政府)?$/;
const ZONE_GROUP = /^(开发区|沁源经济技术开发区|经济技术开发区|开发区管委会)$/;
// 县直各有关部门 and its kin, as counties (县直), districts (区直) and cities (市直) write them.
const DEPARTMENT_GROUP = /^(?:(?:县|区|市|旗)直(?:各)?(?:有关|相关)?(?:部门|单位)(?:\(单位\))?|各(?:县|区|市|旗)直(?:有关|相关)?(?:部门|单位))$/;
const UNSPECIFIED_GROUP =
  /^(相关部门|有关部门|各相关部门|各有关部门|各相关职能部门|相关职能部门|有关单位|相关单位|各有关单位|各相关单位|各行业主管部门|行业主管部门|归口管理的公共企事业单位|各级各部门|各部门|各村|各社区|各村居|各行政村|各村委会|各居委会|各村\(社区\)|各村\(居\)委会)$/;

/** Only CJK unified ideographs, which NFKC normalisation never changes. */
const PLAIN_HAN = /^[\u4E00-\u9FFF]+$/;
/** The last character of every township, department or unspecified group phrase. */
const GROUP_END = /[镇府门位乡道处村区会]$/;

/**
 * Classifies a responsibility phrase that stands for several units, or returns `null` for a single unit.
 *
 * @example
 * classifyGroup('各乡镇') // 'townships'
 * classifyGroup('县直各有关部门') // 'departments'
 * classifyGroup('相关部门') // 'unspecified'
 * classifyGroup('县司法局') // null
 */
export function classifyGroup(phrase: string): GroupKind | null {
  // Unified ideographs are what NFKC leaves alone: a phrase of those alone, ending as no group phrase ends,
  // is a single unit without normalising it (the importer asks this of every name it reads).
  if (PLAIN_HAN.test(phrase) && !GROUP_END.test(phrase)) return null;
  const p = phrase.normalize('NFKC').replace(/\s/g, '');
  if (TOWNSHIP_GROUP.test(p)) return 'townships';
  if (DEPARTMENT_GROUP.test(p)) return 'departments';
  if (UNSPECIFIED_GROUP.test(p)) return 'unspecified';
  return null;
}

/** True when the phrase names the development zone (开发区), which is a single unit but written like a group. */
export function isZonePhrase(phrase: string): boolean {
  if (PLAIN_HAN.test(phrase) && !/[区会]$/.test(phrase)) return false;
  return ZONE_GROUP.test(phrase.normalize('NFKC').replace(/\s/g, ''));
}

function sharedChars(a: string, b: string): number {
  const pool = [...b];
  let n = 0;
  for (const ch of a) {
    const at = pool.indexOf(ch);
    if (at >= 0) {
      n++;
      pool.splice(at, 1);
    }
  }
  return n;
}

/** Options of {@link createDirectory}. */
export interface DirectoryOptions {
  /** The county, e.g. `沁源县`: names written with its prefix (沁源县司法局) resolve like 县司法局. Default: none. */
  county?: string | undefined;
  /** Per-task mappings, task number (key) → group phrase → units or class phrases. Default: none. */
  assignments?: Readonly<Record<string, Readonly<Record<string, readonly string[]>>>> | undefined;
}

/**
 * Builds a directory from a county's units (validated with {@link UnitSchema}) and the county office's
 * mapping of unspecified groups. No county is assumed: pass its units (for 沁源县, `qinyuanUnits` from
 * `@zwgk/sdk/qinyuan`, or use `qinyuanDirectory()` there). Throws a {@link ZwgkError}
 * (`invalid_directory`) when a unit is malformed or two units claim the same name or alias: that is a
 * programmer error in the directory data, not user input.
 *
 * @param units - the county's units (required)
 * @param groups - unspecified group phrase → unit names (default: none, so 相关部门 adds no units)
 * @param options - `county`, whose name is folded away as a prefix (default: none)
 * @example
 * const dir = createDirectory([{ name: '县行政审批局', kind: 'department', aliases: ['行政审批服务管理局'] }]);
 * dir.resolve('行政审批服务管理局'); // { success: true, data: { name: '县行政审批局', … } }
 */
export function createDirectory(
  units: readonly Unit[] | readonly z_UnitInput[],
  groups: Readonly<Record<string, readonly string[]>> = {},
  options: DirectoryOptions = {},
): Directory {
  if (!Array.isArray(units)) {
    throw new ZwgkError('invalid_directory', 'createDirectory (units)', `expected the county's units as a list, got ${units === undefined ? 'undefined' : typeof units}`);
  }
  const county = options.county;
  const parsed = units.map((u, i) => {
    const r = UnitSchema.safeParse(u);
    if (!r.success) {
      const issue = r.error.issues[0];
      const at = issue?.path.length ? `.${issue.path.join('.')}` : '';
      throw new ZwgkError('invalid_directory', 'createDirectory (units)', `units[${i}]${at}: ${issue?.message ?? 'invalid unit'}`);
    }
    return r.data;
  });
  const byKey = new Map<string, Unit>();
  for (const unit of parsed) {
    for (const label of [unit.name, ...unit.aliases]) {
      const key = normalizeUnitName(label, county);
      const other = byKey.get(key);
      if (other && other.name !== unit.name) {
        throw new ZwgkError('invalid_directory', 'unit directory', `"${label}" names both ${other.name} and ${unit.name}`);
      }
      byKey.set(key, unit);
    }
  }

  const suggest = (name: string, limit = 3): string[] => {
    const key = normalizeUnitName(name, county);
    if (!key) return [];
    const scored: Array<{ name: string; score: number }> = [];
    for (const unit of parsed) {
      let best = Number.POSITIVE_INFINITY;
      for (const label of [unit.name, ...unit.aliases]) {
        const l = normalizeUnitName(label, county);
        const distance = editDistance(key, l);
        const overlap = sharedChars(key, l) / Math.max(key.length, l.length);
        const contains = l.includes(key) || key.includes(l) ? -1 : 0;
        best = Math.min(best, distance - overlap * 2 + contains);
      }
      scored.push({ name: unit.name, score: best });
    }
    const threshold = Math.max(2, key.length * 0.75);
    return scored
      .filter((s) => s.score <= threshold)
      .sort((a, b) => a.score - b.score || a.name.localeCompare(b.name, 'zh'))
      .slice(0, limit)
      .map((s) => s.name);
  };

  const resolve = (name: string): Result<Unit, UnknownUnit> => {
    const key = normalizeUnitName(name, county);
    const direct = byKey.get(key) ?? byKey.get(`县${key}`);
    if (direct) return { success: true, data: direct };
    const suggestions = suggest(name);
    const hint = suggestions.length ? `; did you mean ${suggestions.join(' / ')}?` : '';
    return { success: false, error: { message: `unknown unit "${name}"${hint}`, suggestions } };
  };

  const active = parsed.filter((u) => u.retired !== true);
  const ofKind = (...kinds: UnitKind[]) => active.filter((u) => kinds.includes(u.kind));
  const taskMaps = options.assignments ?? {};
  const order = new Map(parsed.map((u, i) => [u.name, i]));

  // A phrase, without per-task mapping: 开发区 → the zone, class phrases → a class, other groups → the mapping
  // and the units that list the phrase among their groups, a name → its unit.
  const unitsOfPhrase = (phrase: string, group: boolean, depth: number): Unit[] => {
    // 开发区 is written like a group phrase but names one unit, so it resolves before any group rule.
    if (isZonePhrase(phrase)) {
      const zone = resolve(phrase);
      if (zone.success) return zone.data.retired ? [] : [zone.data];
    }
    const kind = classifyGroup(phrase);
    if (kind === 'townships') return ofKind('township');
    if (kind === 'departments') return ofKind('department');
    if (kind === 'unspecified' || (group && kind === null)) {
      const out: Unit[] = [];
      for (const member of groups[phrase] ?? []) out.push(...memberUnits(member, depth));
      for (const u of active) if (u.groups?.includes(phrase)) out.push(u);
      return out;
    }
    const r = resolve(phrase);
    return r.success && !r.data.retired ? [r.data] : [];
  };
  // A mapping's member is a unit name, or a class phrase (县直各部门) standing for its class; one level deep only.
  const memberUnits = (member: string, depth: number): Unit[] => {
    if (depth > 0) {
      const r = resolve(member);
      return r.success && !r.data.retired ? [r.data] : [];
    }
    const kind = classifyGroup(member);
    if (kind === 'townships' || kind === 'departments' || isZonePhrase(member)) return unitsOfPhrase(member, true, depth + 1);
    const r = resolve(member);
    return r.success && !r.data.retired ? [r.data] : [];
  };

  const expandPhrase = (phrase: string, task?: number): Unit[] => {
    const mapped = task === undefined ? undefined : taskMaps[String(task)]?.[phrase];
    const list = mapped ? mapped.flatMap((m) => memberUnits(m, 0)) : unitsOfPhrase(phrase, true, 0);
    const seen = new Set<string>();
    return list
      .filter((u) => !seen.has(u.name) && seen.add(u.name))
      .sort((x, y) => (order.get(x.name) ?? 0) - (order.get(y.name) ?? 0));
  };

  const expand = (assignments: readonly Assignment[], task?: number): Assignee[] => {
    const roles = new Map<string, Role>();
    const add = (unit: string, role: Role) => roles.set(unit, strongerRole(roles.get(unit) ?? role, role));
    for (const a of assignments) {
      const mapped = task === undefined ? undefined : taskMaps[String(task)]?.[a.unit];
      const list = mapped ? mapped.flatMap((m) => memberUnits(m, 0)) : unitsOfPhrase(a.unit, a.group, 0);
      for (const u of list) add(u.name, a.role);
    }
    return [...roles]
      .map(([unit, role]) => ({ unit, role }))
      .sort((x, y) => (order.get(x.unit) ?? 0) - (order.get(y.unit) ?? 0));
  };

  return { units: parsed, groups, assignments: taskMaps, resolve, ofKind, expand, expandPhrase, suggest };
}

type z_UnitInput = {
  name: string;
  kind: UnitKind;
  aliases?: readonly string[];
  rankingGroup?: string;
  groups?: readonly string[];
  sectors?: readonly string[];
  assessor?: boolean;
  vertical?: boolean;
  retired?: boolean;
};

/**
 * Resolves a unit name or alias against a directory, or against the directory a plan carries. No county
 * is assumed: for 沁源县 pass `qinyuanDirectory()` from `@zwgk/sdk/qinyuan`, or the plan.
 *
 * @example
 * resolveUnit('行政审批局', plan);  // { success: true, data: { name: '县行政审批局', kind: 'department', … } }
 * resolveUnit('司法所', plan);      // { success: false, error: { message: 'unknown unit "司法所"; did you mean 县司法局?', … } }
 */
export function resolveUnit(name: string, directory: Directory | DirectorySource): Result<Unit, UnknownUnit> {
  if (directory === null || typeof directory !== 'object') {
    throw new ZwgkError('invalid_directory', 'resolveUnit (directory)', 'expected a directory (createDirectory) or a plan carrying units');
  }
  return ('resolve' in directory && typeof directory.resolve === 'function' ? directory : directoryOf(directory as DirectorySource)).resolve(name);
}

/** What {@link directoryOf} reads from a plan: its units, its group mappings and its county. */
export interface DirectorySource {
  units: readonly Unit[];
  groups?: Readonly<Record<string, readonly string[]>> | undefined;
  assignments?: Readonly<Record<string, Readonly<Record<string, readonly string[]>>>> | undefined;
  county?: string | undefined;
}

const planDirectories = new WeakMap<object, Directory>();

/** The directory a plan carries (its `units`, `groups`, per-task `assignments` and `county`), built once per plan object. */
export function directoryOf(plan: DirectorySource): Directory {
  let dir = planDirectories.get(plan);
  if (!dir) {
    dir = createDirectory(plan.units, plan.groups ?? {}, { county: plan.county, assignments: plan.assignments });
    planDirectories.set(plan, dir);
  }
  return dir;
}
