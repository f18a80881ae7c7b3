import { describe, expect, it } from 'vitest';
import { RubricSchema, defaultRubric, parseRubric, resolveRubric } from './rubric.js';

describe('defaultRubric', () => {
  it('passes its own schema', () => {
    expect(RubricSchema.safeParse(defaultRubric).success).toBe(true);
  });

  it('carries the docs/assessment.md numbers', () => {
    expect(defaultRubric.tasks.excluded).toEqual([31, 32]);
    expect(defaultRubric.roleFactors).toEqual({ lead: 1, responsible: 1, cooperating: 0.5 });
    expect(defaultRubric.credits).toEqual({ onTime: 1, late: 0.5, overdue: 0 });
    expect(defaultRubric.completion.max).toBe(90);
    expect(defaultRubric.bonus).toEqual({ submitted: 1, selected: 3, cap: 10 });
    expect(defaultRubric.carryover).toEqual({ each: 2, cap: 10 });
    expect(defaultRubric.grades).toEqual({ 优秀: 90, 良好: 70, 合格: 60 });
  });

  it('cannot be mutated by a caller', () => {
    expect(() => {
      (defaultRubric.roleFactors as { cooperating: number }).cooperating = 1;
    }).toThrow(TypeError);
  });
});

describe('parseRubric', () => {
  it('merges a partial YAML rubric over the default', () => {
    const r = parseRubric('roleFactors:\n  cooperating: 0.6\nweights:\n  tasks:\n    4: 2\n', 'yaml');
    expect(r.success).toBe(true);
    if (!r.success) return;
    expect(r.data.roleFactors).toEqual({ lead: 1, responsible: 1, cooperating: 0.6 });
    expect(r.data.weights).toEqual({ default: 1, tasks: { '4': 2 } });
    expect(r.data.bonus.cap).toBe(10);
  });

  it('replaces arrays instead of merging them', () => {
    const r = parseRubric('{"tasks": {"excluded": [31]}}', 'json');
    expect(r.success && r.data.tasks).toEqual({ excluded: [31], briefing: 32, highlight: 31, carryover: 33 });
  });

  it('reads an empty YAML document as the default rubric', () => {
    const r = parseRubric('', 'yaml');
    expect(r.success && r.data).toEqual(defaultRubric);
  });

  it('names the field and the expected type of a bad value', () => {
    const r = parseRubric('roleFactors:\n  cooperating: half\n', 'yaml');
    expect(r).toEqual({ success: false, error: 'roleFactors.cooperating: expected a number, received string' });
  });

  it('reports every bad field, one per line', () => {
    const r = parseRubric('{"bonus": {"cap": -1}, "credits": {"late": 2}}', 'json');
    expect(r.success).toBe(false);
    if (r.success) return;
    expect(r.error.split('\n')).toEqual([
      'credits.late: expected a number ≤ 1, received 2',
      'bonus.cap: expected a number ≥ 0, received -1',
    ]);
  });

  it('rejects an unknown field and suggests the known one', () => {
    const r = parseRubric('roleFactor:\n  cooperating: 0.5\n', 'yaml');
    expect(r).toEqual({ success: false, error: 'roleFactor: unknown field; did you mean roleFactors?' });
  });

  it('rejects a task weight keyed by something other than a task number', () => {
    const r = parseRubric('{"weights": {"tasks": {"four": 2}}}', 'json');
    expect(r.success).toBe(false);
    if (!r.success) expect(r.error).toMatch(/^weights\.tasks\.four: .*task number/);
  });

  it('rejects grade bands out of order', () => {
    const r = resolveRubric({ grades: { 优秀: 65 } });
    expect(r).toEqual({ success: false, error: 'grades.优秀: must be at least 良好 (70), received 65' });
  });

  it('rejects groups that leave a unit kind out', () => {
    const r = resolveRubric({ groups: { township: { kinds: ['township'] } } });
    expect(r.success).toBe(false);
    if (!r.success) expect(r.error).toBe('groups: unit kind "zone" must belong to exactly one group, found in none');
  });

  it('reports malformed JSON and YAML as such', () => {
    const j = parseRubric('{"bonus": ', 'json');
    expect(j.success).toBe(false);
    if (!j.success) expect(j.error).toMatch(/^rubric is not valid JSON: /);
    const y = parseRubric('bonus: [1, 2\n', 'yaml');
    expect(y.success).toBe(false);
    if (!y.success) expect(y.error).toMatch(/^rubric is not valid YAML: /);
  });

  it('rejects a top level that is not a mapping', () => {
    expect(parseRubric('- 1\n- 2\n', 'yaml')).toEqual({
      success: false,
      error: 'rubric: expected an object (a mapping of fields), received array',
    });
  });

  it('reports a null section as the wrong type rather than falling back to the default', () => {
    const r = parseRubric('bonus:\n', 'yaml');
    expect(r).toEqual({ success: false, error: 'bonus: expected an object, received null' });
  });
});
