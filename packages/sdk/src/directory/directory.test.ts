import { describe, expect, it } from 'vitest';
import { isZwgkError } from '../errors.js';
import { UnitSchema } from '../model/schemas.js';
import { classifyGroup, createDirectory, directoryOf, normalizeUnitName, resolveUnit } from './directory.js';
import { qinyuanDirectory, qinyuanUnits } from './qinyuan-units.js';

const qinyuan = qinyuanDirectory();

describe('resolveUnit', () => {
  it('resolves short, full and county-prefixed names to one unit', () => {
    for (const name of ['行政审批局', '县行政审批局', '县行政审批服务管理局', '沁源县行政审批局', ' 行政审批局 ']) {
      const r = resolveUnit(name, qinyuan);
      expect(r.success && r.data.name).toBe('县行政审批局');
    }
  });

  it('resolves the development zone by its short name', () => {
    const r = resolveUnit('开发区', qinyuan);
    expect(r.success && r.data).toMatchObject({ name: '沁源经济技术开发区', kind: 'zone' });
  });

  it('suggests the closest names for an unknown name', () => {
    const r = resolveUnit('司法所', qinyuan);
    expect(r.success).toBe(false);
    if (!r.success) {
      expect(r.error.suggestions[0]).toBe('县司法局');
      expect(r.error.message).toContain('县司法局');
    }
  });

  it('resolves against the directory a plan carries', () => {
    const plan = { county: '长子县', units: [{ name: '县财政局', kind: 'department' as const, aliases: [] }] };
    const r = resolveUnit('长子县财政局', plan);
    expect(r.success && r.data.name).toBe('县财政局');
    expect(resolveUnit('沁源县财政局', plan).success).toBe(false);
    expect(directoryOf(plan).resolve('财政局').success).toBe(true);
  });

  it('assumes no county: a directory is required', () => {
    expect(() => resolveUnit('县司法局', undefined as never)).toThrow(
      'resolveUnit (directory): expected a directory (createDirectory) or a plan carrying units',
    );
    expect(() => createDirectory(undefined as never)).toThrow("createDirectory (units): expected the county's units as a list, got undefined");
  });

  it('suggests nothing for text that resembles no unit', () => {
    const r = resolveUnit('今天天气很好啊朋友们', qinyuan);
    expect(r.success).toBe(false);
    if (!r.success) expect(r.error.suggestions).toEqual([]);
  });
});

describe('classifyGroup', () => {
  it('tells townships, departments and unspecified groups apart', () => {
    expect(classifyGroup('各乡镇')).toBe('townships');
    expect(classifyGroup('县直各有关部门')).toBe('departments');
    expect(classifyGroup('县直各部门')).toBe('departments');
    expect(classifyGroup('相关部门')).toBe('unspecified');
    expect(classifyGroup('各相关职能部门')).toBe('unspecified');
    expect(classifyGroup('县司法局')).toBeNull();
  });
});

describe('createDirectory', () => {
  it('expands groups, keeping each unit once with its strongest role', () => {
    const dir = createDirectory(qinyuanUnits);
    const out = dir.expand([
      { unit: '县司法局', role: 'lead', group: false },
      { unit: '各乡镇', role: 'responsible', group: true },
      { unit: '县直各有关部门', role: 'cooperating', group: true },
    ]);
    expect(out.filter((a) => dir.resolve(a.unit).success)).toHaveLength(out.length);
    expect(out.find((a) => a.unit === '县司法局')?.role).toBe('lead');
    expect(out.filter((a) => a.role === 'responsible')).toHaveLength(12);
    expect(out.find((a) => a.unit === '沁源经济技术开发区')).toBeUndefined();
  });

  it('expands 开发区 to the development zone whether or not it is marked as a group', () => {
    const dir = createDirectory(qinyuanUnits);
    for (const group of [true, false]) {
      expect(dir.expand([{ unit: '开发区', role: 'responsible', group }])).toEqual([
        { unit: '沁源经济技术开发区', role: 'responsible' },
      ]);
    }
  });

  it('expands an unspecified group only through the configured mapping', () => {
    const plain = createDirectory(qinyuanUnits);
    expect(plain.expand([{ unit: '相关部门', role: 'responsible', group: true }])).toEqual([]);
    const mapped = createDirectory(qinyuanUnits, { 相关部门: ['公安局', '财政局'] });
    expect(mapped.expand([{ unit: '相关部门', role: 'responsible', group: true }])).toEqual([
      { unit: '县公安局', role: 'responsible' },
      { unit: '县财政局', role: 'responsible' },
    ]);
  });

  it('rejects a directory where one alias names two units', () => {
    expect(() =>
      createDirectory([
        { name: '甲局', kind: 'department', aliases: ['乙'] },
        { name: '丙局', kind: 'department', aliases: ['乙'] },
      ]),
    ).toThrow('unit directory: "乙" names both 甲局 and 丙局');
  });

  it('rejects a malformed unit with a ZwgkError naming its position', () => {
    let caught: unknown;
    try {
      createDirectory([{ name: '甲局', kind: 'department' }, { name: '', kind: 'department' }]);
    } catch (error) {
      caught = error;
    }
    expect(isZwgkError(caught, 'invalid_directory')).toBe(true);
    expect((caught as Error).message).toMatch(/^createDirectory \(units\): units\[1\]\.name: /);
  });
});

describe('qinyuanUnits', () => {
  it('is data that UnitSchema returns unchanged, so nothing needs parsing at import', () => {
    expect(UnitSchema.array().parse(qinyuanUnits)).toStrictEqual(qinyuanUnits.map((u) => ({ ...u, aliases: [...u.aliases] })));
  });
});

describe('normalizeUnitName', () => {
  it('folds a county prefix only for the county given', () => {
    expect(normalizeUnitName('沁源县 司法局', '沁源县')).toBe('县司法局');
    expect(normalizeUnitName('沁源司法局', '沁源县')).toBe('司法局');
    expect(normalizeUnitName('沁源经济技术开发区', '沁源县')).toBe('沁源经济技术开发区');
    expect(normalizeUnitName('沁源县司法局')).toBe('沁源县司法局');
    expect(normalizeUnitName('沁河镇', '沁县')).toBe('沁河镇');
    expect(normalizeUnitName('沁县财政局', '沁县')).toBe('县财政局');
  });
  });
