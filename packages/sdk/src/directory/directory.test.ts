import { describe, expect, it } from 'vitest';
import { classifyGroup, createDirectory, resolveUnit } from './directory.js';

describe('resolveUnit', () => {
  it('resolves short, full and county-prefixed names to one unit', () => {
    for (const name of ['行政审批局', '县行政审批局', '县行政审批服务管理局', '沁源县行政审批局', ' 行政审批局 ']) {
      const r = resolveUnit(name);
      expect(r.success && r.data.name).toBe('县行政审批局');
    }
  });

  it('resolves the development zone by its short name', () => {
    const r = resolveUnit('开发区');
    expect(r.success && r.data).toMatchObject({ name: '沁源经济技术开发区', kind: 'zone' });
  });

  it('suggests the closest names for an unknown name', () => {
    const r = resolveUnit('司法所');
    expect(r.success).toBe(false);
    if (!r.success) {
      expect(r.error.suggestions[0]).toBe('县司法局');
      expect(r.error.message).toContain('县司法局');
    }
  });

  it('suggests nothing for text that resembles no unit', () => {
    const r = resolveUnit('今天天气很好啊朋友们');
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
    const dir = createDirectory();
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
    const dir = createDirectory();
    for (const group of [true, false]) {
      expect(dir.expand([{ unit: '开发区', role: 'responsible', group }])).toEqual([
        { unit: '沁源经济技术开发区', role: 'responsible' },
      ]);
    }
  });

  it('expands an unspecified group only through the configured mapping', () => {
    const plain = createDirectory();
    expect(plain.expand([{ unit: '相关部门', role: 'responsible', group: true }])).toEqual([]);
    const mapped = createDirectory(undefined, { 相关部门: ['公安局', '财政局'] });
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
    ).toThrow(/names both/);
  });
});
