/**
 * Rebuilds Word (.docx) and Excel (.xlsx) copies of the corpus tables from their stored text, with the
 * same cells and the same merged cells (a task name spanning rows, a header spanning the number column),
 * so that `zwgk plan import` is tested on office files holding exactly the tables the text tests check.
 * Run: npx tsx scripts/build-office-corpus.ts (from packages/sdk); the files are committed.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { writeDocx, writeXlsx, type Grid, type GridCell } from './office-grid.js';

const dir = fileURLToPath(new URL('../test/fixtures/corpus/', import.meta.url));
const body = (file: string) => readFileSync(`${dir}${file}`, 'utf8').replace(/^(?:# [^\n]*\n)+/, '');
const sourceOf = (file: string) => /https?:\/\/\S+/.exec(readFileSync(`${dir}${file}`, 'utf8'))![0];

/** 池州市信访局: cells one per line between bar lines; 工作任务 spans the name and number columns, task 3's name spans task 4. */
function chizhou(): Grid {
  const file = 'chizhou-xfj-department.txt';
  const cells = body(file)
    .split(/\n\|\n?/)
    .map((c) => c.trim())
    .filter(Boolean);
  const [h1, h2, h3, h4, ...rest] = cells;
  const rows: GridCell[][] = [[{ text: h1!, colSpan: 2 }, { text: h2! }, { text: h3! }, { text: h4! }]];
  let i = 0;
  while (i < rest.length) {
    const startsWithNumber = /^\d+$/.test(rest[i]!);
    const take = startsWithNumber ? 4 : 5;
    rows.push(rest.slice(i, i + take).map((text) => ({ text })));
    i += take;
  }
  // The row without a name cell sits under the name above it.
  rows.forEach((row, r) => {
    if (r > 0 && row.length === 4) rows[r - 1]![0]!.rowSpan = 2;
  });
  return { file, title: '政务公开重点任务清单', source: sourceOf(file), columns: 5, rows };
}

/** 江门市土地储备中心: `|` rows; a row of two cells sits under the task name of the row above. */
function jiangmen(): Grid {
  const file = 'jiangmen-land-reserve-department.txt';
  const lines = body(file).split('\n').filter((l) => l.trim());
  const rows: GridCell[][] = [];
  let nameRow: GridCell | null = null;
  for (const line of lines) {
    const cells = line.split('|').map((c) => c.trim());
    while (cells.length && !cells[cells.length - 1]) cells.pop();
    if (cells.length === 3) {
      const row = cells.map((text) => ({ text }));
      nameRow = rows.length ? row[0]! : null;
      rows.push(row);
    } else {
      if (nameRow) nameRow.rowSpan = (nameRow.rowSpan ?? 1) + 1;
      rows.push(cells.map((text) => ({ text })));
    }
  }
  return { file, title: '政务公开工作任务', source: sourceOf(file), columns: 3, rows };
}

/** 潍坊市 (a Word document): 目标 and 任务 each merged over the four rows of requirements and units. */
function weifang(): Grid {
  const file = 'weifang-2017-plan.txt';
  const lines = body(file).split('\n').map((l) => l.trim()).filter(Boolean);
  const [, h1, h2, h3, h4, goal, task, ...rest] = lines;
  const rows: GridCell[][] = [[{ text: h1! }, { text: h2! }, { text: h3! }, { text: h4! }]];
  for (let i = 0; i + 1 < rest.length; i += 2) {
    const pair = [{ text: rest[i]! }, { text: rest[i + 1]! }];
    rows.push(i === 0 ? [{ text: goal!, rowSpan: rest.length / 2 }, { text: task!, rowSpan: rest.length / 2 }, ...pair] : pair);
  }
  return { file, title: lines[0]!, source: sourceOf(file), columns: 4, rows };
}

for (const grid of [chizhou(), jiangmen(), weifang()]) {
  await writeXlsx(grid, `${dir}${grid.file.replace(/\.txt$/, '.xlsx')}`);
  await writeDocx(grid, `${dir}${grid.file.replace(/\.txt$/, '.docx')}`);
  console.log(`${grid.file}: ${grid.rows.length} rows → .xlsx, .docx (from ${grid.source})`);
}
