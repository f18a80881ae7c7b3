import { describe, expect, it } from 'vitest';
import { parseResponsibility } from './responsibility.js';

const brief = (text: string) => parseResponsibility(text).map((a) => `${a.unit}:${a.role}${a.group ? ':group' : ''}`);

describe('parseResponsibility', () => {
  it('reads a lead and groups that carry the task out', () => {
    expect(parseResponsibility('县司法局牵头，各乡镇及相关部门落实')).toEqual([
      { unit: '县司法局', role: 'lead', group: false },
      { unit: '各乡镇', role: 'responsible', group: true },
      { unit: '相关部门', role: 'responsible', group: true },
    ]);
  });

  it('reads 配合 as cooperating', () => {
    expect(brief('县行政审批局牵头，各相关职能部门配合')).toEqual(['县行政审批局:lead', '各相关职能部门:cooperating:group']);
  });

  it('makes every listed unit responsible and drops 等部门', () => {
    expect(brief('县发改局、县行政审批局、县工信局、县住建局、县自然资源局、县交通局、县农业农村局、县卫体局、县水利局等部门负责落实')).toEqual([
      '县发改局:responsible',
      '县行政审批局:responsible',
      '县工信局:responsible',
      '县住建局:responsible',
      '县自然资源局:responsible',
      '县交通局:responsible',
      '县农业农村局:responsible',
      '县卫体局:responsible',
      '县水利局:responsible',
    ]);
  });

  it('applies 牵头 to every unit listed before it', () => {
    expect(brief('县行政审批局、县政府值班联络中心牵头，县直各有关部门落实')).toEqual([
      '县行政审批局:lead',
      '县政府值班联络中心:lead',
      '县直各有关部门:responsible:group',
    ]);
  });

  it('reads 牵头落实 as lead only', () => {
    expect(brief('县教育局牵头落实')).toEqual(['县教育局:lead']);
  });

  it('keeps unspecified groups as groups, whatever their role', () => {
    expect(brief('各行业主管部门牵头，归口管理的公共企事业单位落实')).toEqual([
      '各行业主管部门:lead:group',
      '归口管理的公共企事业单位:responsible:group',
    ]);
  });

  it('marks the development zone as a group phrase and keeps short names as written', () => {
    expect(brief('县政府办、行政审批局、开发区，县直各有关部门')).toEqual([
      '县政府办:responsible',
      '行政审批局:responsible',
      '开发区:responsible:group',
      '县直各有关部门:responsible:group',
    ]);
  });

  it('splits on 及 between units but not inside 县发展和改革局', () => {
    expect(brief('县发展和改革局及县住房和城乡建设管理局负责')).toEqual(['县发展和改革局:responsible', '县住房和城乡建设管理局:responsible']);
  });

  it('reads roles separated by 、 and a role word broken by PDF artifacts', () => {
    expect(brief('县政府办牵头、各乡镇、县直各有关单位落实')).toEqual([
      '县政府办:lead',
      '各乡镇:responsible:group',
      '县直各有关单位:responsible:group',
    ]);
    expect(brief('各行业主管部门牵 头，归口管理的公共企事业单位落\n、\n实')).toEqual([
      '各行业主管部门:lead:group',
      '归口管理的公共企事业单位:responsible:group',
    ]);
  });

  it('understands labelled lists and a role in brackets after one unit', () => {
    expect(brief('牵头单位：县财政局；配合单位：县税务局、各乡镇')).toEqual([
      '县财政局:lead',
      '县税务局:cooperating',
      '各乡镇:cooperating:group',
    ]);
    expect(brief('县财政局（牵头）、县税务局')).toEqual(['县财政局:lead', '县税务局:responsible']);
  });

  it('keeps a unit named twice once, with its strongest role', () => {
    expect(brief('县财政局牵头，县财政局、县税务局配合')).toEqual(['县财政局:lead', '县税务局:cooperating']);
  });

  it('returns nothing for text without units', () => {
    expect(parseResponsibility('')).toEqual([]);
    expect(parseResponsibility('、，。')).toEqual([]);
  });
});

describe('parseResponsibility, two roles in one phrase', () => {
  const roles = (text: string) => parseResponsibility(text).map((a) => `${a.unit}:${a.role}${a.group ? ' (group)' : ''}`);

  it('reads A会同B as A leading and B cooperating', () => {
    expect(roles('县发改局会同县统计局')).toEqual(['县发改局:lead', '县统计局:cooperating']);
    expect(roles('县发改局会同县统计局负责')).toEqual(['县发改局:lead', '县统计局:cooperating']);
  });

  it('reads A（B、C） as A leading and the bracketed units cooperating, but keeps 县财政局（牵头）', () => {
    expect(roles('县财政局（县税务局、县人社局）')).toEqual(['县财政局:lead', '县税务局:cooperating', '县人社局:cooperating']);
    expect(roles('办公室（各科室配合）')).toEqual(['办公室:lead', '各科室:cooperating (group)']);
    expect(roles('县财政局（牵头）')).toEqual(['县财政局:lead']);
  });

  it('reads one name in brackets as the same unit\'s other name, and 会 between two offices as 会同', () => {
    expect(roles('规划信息处(爱卫办)')).toEqual(['规划信息处:responsible']);
    expect(roles('宣传处会办公室')).toEqual(['宣传处:lead', '办公室:cooperating']);
    expect(roles('县人大常委会办公室')).toEqual(['县人大常委会办公室:responsible']);
  });

  it('reads 主办 closing a name as leading beside 协办, but keeps 主办 inside a name (局主办科室)', () => {
    expect(roles('局防控办主办、各工作组协办')).toEqual(['局防控办:lead', '各工作组:cooperating']);
    expect(roles('局主办科室')).toEqual(['局主办科室:responsible']);
  });

  it('keeps a name whose brackets hold a list (各县（市、区）政府) as one name', () => {
    expect(roles('各县(市、区)政府，各乡镇政府、街道办事处')).toEqual(['各县(市、区)政府:responsible', '各乡镇政府:responsible (group)', '街道办事处:responsible']);
    expect(roles('县财政局（县税务局、县人社局）')).toEqual(['县财政局:lead', '县税务局:cooperating', '县人社局:cooperating']);
  });

  it('reads one name alone, with or without its role, as the general reading does', () => {
    expect(roles('县政府办牵头')).toEqual(['县政府办:lead']);
    expect(roles('由县司法局负责')).toEqual(['县司法局:responsible']);
    expect(roles('各乡镇配合')).toEqual(['各乡镇:cooperating (group)']);
    expect(roles('县财政局等部门')).toEqual(['县财政局:responsible']);
    expect(roles('牵头')).toEqual([]);
    // The same names inside a longer cell, read by the general walk.
    expect(roles('县政府办牵头，由县司法局负责；各乡镇配合')).toEqual(['县政府办:lead', '县司法局:responsible', '各乡镇:cooperating (group)']);
  });

  it('reads 按职责分工落实 alone as a group and after units as their role only', () => {
    expect(roles('按职责分工落实')).toEqual(['按职责分工:responsible (group)']);
    expect(roles('各科室按职责分工落实')).toEqual(['各科室:responsible (group)']);
    expect(roles('办公室牵头，各处室按职责分工负责')).toEqual(['办公室:lead', '各处室:responsible (group)']);
  });

  it('reads bare role labels (牵头：…；配合：…) like the column-style ones', () => {
    expect(roles('牵头：县政府办；配合：县司法局、县财政局')).toEqual(['县政府办:lead', '县司法局:cooperating', '县财政局:cooperating']);
    expect(roles('责任科室：办公室')).toEqual(['办公室:responsible']);
  });

  it('reads the township and department groups districts and cities write', () => {
    expect(roles('各镇（街道）')).toEqual(['各镇:responsible (group)']);
    expect(roles('县政务服务中心、各乡（镇）')).toEqual(['县政务服务中心:responsible', '各乡:responsible (group)']);
    expect(roles('区政府办公室牵头，各街道办事处配合')).toEqual(['区政府办公室:lead', '各街道办事处:cooperating (group)']);
    expect(roles('县直有关单位')).toEqual(['县直有关单位:responsible (group)']);
    expect(roles('区直各部门、市直相关单位')).toEqual(['区直各部门:responsible (group)', '市直相关单位:responsible (group)']);
    expect(roles('县直属机关工委')).toEqual(['县直属机关工委:responsible']);
  });

  it('reads whole unit names separated by spaces or on lines of their own as several units', () => {
    expect(brief('县政府办 县财政局 县发改局')).toEqual(['县政府办:responsible', '县财政局:responsible', '县发改局:responsible']);
    expect(brief('县教育局\u3000\u3000县卫健委')).toEqual(['县教育局:responsible', '县卫健委:responsible']);
    expect(brief('县人力资源和社会保障局\n县医保局')).toEqual(['县人力资源和社会保障局:responsible', '县医保局:responsible']);
    expect(brief('县政府办牵头 县财政局配合')).toEqual(['县政府办:lead', '县财政局:cooperating']);
  });

  it('keeps a name broken across lines, and a role word on the next line, with its name', () => {
    expect(brief('县直各有关\n部门')).toEqual(['县直各有关部门:responsible:group']);
    expect(brief('县政府办公室 牵头')).toEqual(['县政府办公室:lead']);
    expect(brief('市场监管局 (知识产权局)')).toEqual(['市场监管局:responsible']);
  });
});
