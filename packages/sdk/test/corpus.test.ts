import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { createDirectory } from '../src/directory/directory.js';
import { parsePlanTable } from '../src/importer/parse-plan-table.js';
import { tableDirectory } from '../src/importer/units-from-plan.js';
import { corpus, type ExpectedTask } from './fixtures/corpus/expected.js';

/** The fixture's text as an office published it: the leading `# 来源` lines are the corpus's own note. */
export function corpusText(file: string): string {
  const raw = readFileSync(fileURLToPath(new URL(`./fixtures/corpus/${file}`, import.meta.url)), 'utf8');
  return raw.replace(/^(?:# [^\n]*\n)+/, '');
}

const byRole = (units: ReadonlyArray<{ unit: string; role: string }>, role: string) => units.filter((u) => u.role === role).map((u) => u.unit);

describe('corpus of real task tables', () => {
  it('keeps the source address of every table in its file', () => {
    for (const table of corpus) {
      const raw = readFileSync(fileURLToPath(new URL(`./fixtures/corpus/${table.file}`, import.meta.url)), 'utf8');
      expect(raw.split('\n')[0]).toContain(table.source);
    }
  });

  for (const table of corpus) {
    describe(table.file, () => {
      const result = parsePlanTable(corpusText(table.file), { year: table.year, county: table.county, units: [] });
      if (!result.success) throw new Error(`${table.file}: ${result.error}`);
      const tasks = result.data.tasks;

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
          expect(task.milestones.length).toBe(want.milestones.length);
          want.milestones.forEach((m, i) => {
            const got = task.milestones[i]!;
            expect(got.due).toBe(m.due);
            if (m.ongoing !== undefined) expect(Boolean(got.ongoing)).toBe(m.ongoing);
            expect(got.recurrence).toBe(m.recurrence ?? null);
            if (m.label) expect(got.label).toBe(m.label);
          });
        });
      }

      it('explains every row it did not read as written, and says when the table has no deadline column', () => {
        expect(result.rows.map((r) => r.task)).toEqual(tasks.map((t) => t.no));
        for (const row of result.rows) {
          if (row.confidence === 'low') expect(row.unread.length).toBeGreaterThan(0);
          if (row.confidence === 'medium') expect(row.inferred.length + row.inherited.length).toBeGreaterThan(0);
        }
        const dateless = table.tasks.every((t) => t.milestones.length === 0);
        if (dateless) {
          for (const row of result.rows) expect(row.unread.join(' ')).toMatch(/no deadline column|deadline cell is empty/);
        }
      });

      if (table.expands) {
        it('expands its group phrases to the offices the table names', () => {
          const { units, groups } = tableDirectory(result.data);
          const directory = createDirectory(units, groups);
          for (const [phrase, members] of Object.entries(table.expands!)) {
            expect(directory.expand([{ unit: phrase, role: 'responsible', group: true }]).map((a) => a.unit).sort()).toEqual([...members].sort());
          }
        });
      }
    });
  }
});
