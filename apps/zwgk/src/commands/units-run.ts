/** `zwgk units …`, loaded only when it runs. */
import { defaultRubric, directoryOf, type Unit } from '@zwgk/sdk';
import type { UnitEdit } from '../config.js';
import { editConfigFile } from '../config-file.js';
import { UsageError, type CliIo } from '../io.js';
import { renderFittedTable } from '../table.js';
import { splitNames } from './plan-setup.js';
import { configuredPlan } from './shared.js';

const KINDS = ['township', 'zone', 'department', 'enterprise', 'institution'] as const;
const KIND_LABEL: Record<(typeof KINDS)[number], string> = {
  township: '乡镇',
  zone: '开发区',
  department: '县直部门',
  enterprise: '企业',
  institution: '事业单位',
};

export interface UnitsValues {
  json?: boolean;
  kind?: string;
  alias?: string[];
  group?: string[];
  sector?: string[];
  'ranking-group'?: string;
  assessor?: boolean;
  'not-assessor'?: boolean;
  vertical?: boolean;
  'not-vertical'?: boolean;
}

function kindOf(value: string | undefined): UnitEdit['kind'] {
  if (value === undefined) return undefined;
  if (!(KINDS as readonly string[]).includes(value)) throw new UsageError(`--kind must be one of ${KINDS.join(', ')}; got "${value}"`);
  return value as UnitEdit['kind'];
}

function rankingGroupLabel(unit: Unit): string {
  const groups = defaultRubric.groups as Record<string, { label: string; kinds: readonly string[] }>;
  if (unit.rankingGroup) return groups[unit.rankingGroup]?.label ?? unit.rankingGroup;
  if (unit.vertical) return defaultRubric.vertical.label;
  return Object.values(groups).find((g) => g.kinds.includes(unit.kind))?.label ?? '';
}

function flags(unit: Unit): string {
  return [unit.assessor ? '考核单位（不排名）' : '', unit.vertical ? '垂直管理' : '', unit.retired ? '已撤并' : ''].filter(Boolean).join('、');
}

/** The fields a command line sets, ready to merge into a unit edit. */
function fieldsOf(values: UnitsValues): Omit<UnitEdit, 'name'> {
  const fields: Omit<UnitEdit, 'name'> = {};
  const kind = kindOf(values.kind);
  if (kind) fields.kind = kind;
  if (values.alias) fields.aliases = splitNames(values.alias);
  if (values.group) fields.groups = splitNames(values.group);
  if (values.sector) fields.sectors = splitNames(values.sector);
  if (values['ranking-group']) fields.rankingGroup = values['ranking-group'];
  if (values.assessor) fields.assessor = true;
  if (values['not-assessor']) fields.assessor = false;
  if (values.vertical) fields.vertical = true;
  if (values['not-vertical']) fields.vertical = false;
  return fields;
}

async function appendEdit(io: CliIo, edit: UnitEdit): Promise<string> {
  return editConfigFile(io, (raw) => {
    raw.units = [...(Array.isArray(raw.units) ? raw.units : []), edit];
  });
}

async function known(io: CliIo, name: string): Promise<Unit> {
  const r = directoryOf((await configuredPlan(io))).resolve(name);
  if (!r.success) throw new UsageError(r.error.message);
  return r.data;
}

export async function runUnits(positionals: string[], values: UnitsValues, io: CliIo, usage: string): Promise<number> {
  const [sub = 'list', ...rest] = positionals;
  switch (sub) {
    case 'list': {
      if (rest.length) throw new UsageError(`units list takes no names\n\n${usage}`);
      const units = (await configuredPlan(io)).units;
      if (values.json) {
        io.stdout.write(`${JSON.stringify(units, null, 2)}\n`);
        return 0;
      }
      const rows = units.map((u) => [u.name, KIND_LABEL[u.kind], rankingGroupLabel(u), flags(u), [...u.aliases, ...(u.groups ?? []).map((g) => `∈${g}`)].join('、')]);
      io.stdout.write(`${renderFittedTable(['单位', '类型', '排名组', '标记', '别名 / 所属集合'], rows, { minWidths: [10, 6, 8, 8, 12] })}\n`);
      return 0;
    }
    case 'add': {
      const [name, ...extra] = rest;
      if (!name || extra.length) throw new UsageError(`units add takes one NAME\n\n${usage}`);
      const fields = fieldsOf(values);
      if (!fields.kind) throw new UsageError(`a new unit needs --kind (${KINDS.join(', ')})\n\n${usage}`);
      if (directoryOf((await configuredPlan(io))).resolve(name).success) throw new UsageError(`"${name}" is already in the directory; use zwgk units set`);
      const file = await appendEdit(io, { name, ...fields });
      io.stdout.write(`已新增单位 ${name}（${KIND_LABEL[fields.kind]}${fields.groups?.length ? `，属于 ${fields.groups.join('、')}` : ''}）：${file}\n`);
      return 0;
    }
    case 'rename': {
      const [from, to, ...extra] = rest;
      if (!from || !to || extra.length) throw new UsageError(`units rename takes OLD NEW\n\n${usage}`);
      const unit = await known(io, from);
      const file = await appendEdit(io, { name: to, formerly: unit.name, ...fieldsOf(values) });
      io.stdout.write(`${unit.name} 已更名为 ${to}，原名仍可识别：${file}\n`);
      return 0;
    }
    case 'retire':
    case 'restore': {
      const [name, ...extra] = rest;
      if (!name || extra.length) throw new UsageError(`units ${sub} takes one NAME\n\n${usage}`);
      const unit = await known(io, name);
      const file = await appendEdit(io, { name: unit.name, retired: sub === 'retire' });
      io.stdout.write(sub === 'retire' ? `${unit.name} 已撤并：不再分配任务、不再计分，已有记录保留：${file}\n` : `${unit.name} 已恢复：${file}\n`);
      return 0;
    }
    case 'set': {
      const [name, ...extra] = rest;
      if (!name || extra.length) throw new UsageError(`units set takes one NAME\n\n${usage}`);
      const unit = await known(io, name);
      const fields = fieldsOf(values);
      if (!Object.keys(fields).length) throw new UsageError(`nothing to change for ${unit.name}\n\n${usage}`);
      const file = await appendEdit(io, { name: unit.name, ...fields });
      const after = directoryOf((await configuredPlan(io))).resolve(unit.name);
      const shown = after.success ? after.data : unit;
      io.stdout.write(`${shown.name}：${KIND_LABEL[shown.kind]}，${rankingGroupLabel(shown)}${flags(shown) ? `，${flags(shown)}` : ''}：${file}\n`);
      return 0;
    }
    default:
      throw new UsageError(`unknown units command "${sub}"\n\n${usage}`);
  }
}
