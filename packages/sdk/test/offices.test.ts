import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parsePlanTable } from '../src/importer/parse-plan-table.js';
import type { ExpectedTask } from './fixtures/corpus/expected.js';
import { offices } from './fixtures/offices/expected.js';

const dir = fileURLToPath(new URL('./fixtures/offices/', import.meta.url));
const byRole = (units: ReadonlyArray<{ unit: string; role: string }>, role: string) => units.filter((u) => u.role === role).map((u) => u.unit);
/** Word and Excel fixtures are read by the app (`zwgk plan import`), which turns them into text first. */
const officeFile = (file: string) => /\.(?:docx|xlsx)$/.test(file);

describe('office-style fixtures', () => {
  it('has hand-written expectations for every fixture in the folder, and a fixture for each', () => {
    const files = readdirSync(dir).filter((f) => f !== 'expected.ts');
    expect(files.sort()).toEqual(offices.map((o) => o.file).sort());
    expect(new Set(offices.map((o) => o.style)).size).toBeGreaterThanOrEqual(8);
  });

  for (const table of offices.filter((o) => !officeFile(o.file))) {
    describe(table.file, () => {
      const result = parsePlanTable(readFileSync(`${dir}${table.file}`, 'utf8'), { year: table.year, county: table.county, units: [] });
      if (!result.success) throw new Error(`${table.file}: ${result.error}`);
      const { tasks } = result.data;

      it('reads every task and nothing else', () => {
        expect(tasks.map((t) => t.no)).toEqual(table.tasks.map((t) => t.no));
      });

      for (const want of table.tasks) {
        it(`reads task ${want.no}: name, units by role and milestones`, () => {
          const task = tasks.find((t) => t.no === want.no)!;
          expect(task.name).toBe(want.name);
          const roles = (w: ExpectedTask, role: 'lead' | 'responsible' | 'cooperating') => w[role] ?? [];
          expect({ lead: byRole(task.units, 'lead'), responsible: byRole(task.units, 'responsible'), cooperating: byRole(task.units, 'cooperating') }).toEqual({
            lead: roles(want, 'lead'),
            responsible: roles(want, 'responsible'),
            cooperating: roles(want, 'cooperating'),
          });
          expect(task.milestones.map((m) => m.due)).toEqual(want.milestones.map((m) => m.due));
          want.milestones.forEach((m, i) => {
            const got = task.milestones[i]!;
            if (m.ongoing !== undefined) expect(Boolean(got.ongoing)).toBe(m.ongoing);
            expect(got.recurrence).toBe(m.recurrence ?? null);
            if (m.label) expect(got.label).toBe(m.label);
          });
        });
      }

      if (table.contents) {
        it('keeps every line of each requirement, over page breaks too', () => {
          for (const [no, content] of Object.entries(table.contents!)) expect(tasks.find((t) => t.no === Number(no))!.content).toBe(content);
        });
      }

      it('reports what it did not read as a task, and leaves no row unread', () => {
        const warnings = result.diagnostics.filter((d) => d.severity === 'warning').map((d) => d.message);
        for (const pattern of table.warns ?? []) expect(warnings.some((w) => pattern.test(w))).toBe(true);
        expect(result.rows.filter((r) => r.confidence === 'low')).toEqual([]);
      });
    });
  }
});
