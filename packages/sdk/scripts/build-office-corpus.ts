/**
 * Rebuilds Word (.docx) and Excel (.xlsx) copies of the corpus tables from their stored text, with the
 * same cells and the same merged cells (a task name spanning rows, a header spanning the number column),
 * so that `zwgk plan import` is tested on office files holding exactly the tables the text tests check.
 * Run: npx tsx scripts/build-office-corpus.ts (from packages/sdk); the files are committed.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Document, Packer, Paragraph, Table, TableCell, TableRow, VerticalMergeType, WidthType } from 'docx';
import ExcelJS from 'exceljs';

/** One cell of the rebuilt grid: its text, and how many rows / columns it spans from here. */
interface GridCell {
  text: string;
  rowSpan?: number;
  colSpan?: number;
}

interface Grid {
  file: string;
  title: string;
  source: string;
  columns: number;
  rows: GridCell[][];
}

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

/** The grid with merged-over positions marked, so both writers place every cell in its column. */
function layout(grid: Grid): Array<Array<{ cell: GridCell; master: boolean; vmerge: 'restart' | 'continue' | null } | null>> {
  const out: Array<Array<{ cell: GridCell; master: boolean; vmerge: 'restart' | 'continue' | null } | null>> = grid.rows.map(() => Array(grid.columns).fill(null));
  grid.rows.forEach((row, r) => {
    let c = 0;
    for (const cell of row) {
      while (out[r]![c]) c++;
      const rs = cell.rowSpan ?? 1;
      const cs = cell.colSpan ?? 1;
      for (let dr = 0; dr < rs; dr++) {
        for (let dc = 0; dc < cs; dc++) {
          out[r + dr]![c + dc] = { cell, master: dr === 0 && dc === 0, vmerge: rs > 1 ? (dr === 0 ? 'restart' : 'continue') : null };
        }
      }
      c += cs;
    }
  });
  return out;
}

async function writeXlsx(grid: Grid): Promise<void> {
  const book = new ExcelJS.Workbook();
  book.created = new Date('2024-01-01T00:00:00Z');
  book.modified = book.created;
  const sheet = book.addWorksheet('任务清单');
  sheet.addRow([grid.title]);
  sheet.mergeCells(1, 1, 1, grid.columns);
  const placed = layout(grid);
  placed.forEach((row, r) => {
    row.forEach((slot, c) => {
      if (slot?.master) sheet.getCell(r + 2, c + 1).value = slot.cell.text;
    });
  });
  placed.forEach((row, r) => {
    row.forEach((slot, c) => {
      if (!slot?.master) return;
      const rs = slot.cell.rowSpan ?? 1;
      const cs = slot.cell.colSpan ?? 1;
      if (rs > 1 || cs > 1) sheet.mergeCells(r + 2, c + 1, r + 1 + rs, c + cs);
    });
  });
  await book.xlsx.writeFile(`${dir}${grid.file.replace(/\.txt$/, '.xlsx')}`);
}

async function writeDocx(grid: Grid): Promise<void> {
  const placed = layout(grid);
  const rows = placed.map(
    (row) =>
      new TableRow({
        children: row.flatMap((slot, c) => {
          if (!slot) return [new TableCell({ children: [new Paragraph('')] })];
          // A cell spanning columns is written once, at its first column.
          if (c > 0 && row[c - 1]?.cell === slot.cell && (slot.cell.colSpan ?? 1) > 1) return [];
          return [
            new TableCell({
              children: [new Paragraph(slot.vmerge === 'continue' ? '' : slot.cell.text)],
              columnSpan: slot.cell.colSpan,
              verticalMerge: slot.vmerge === 'restart' ? VerticalMergeType.RESTART : slot.vmerge === 'continue' ? VerticalMergeType.CONTINUE : undefined,
            }),
          ];
        }),
      }),
  );
  const doc = new Document({
    creator: 'zwgk corpus',
    sections: [{ children: [new Paragraph(grid.title), new Table({ rows, width: { size: 100, type: WidthType.PERCENTAGE } })] }],
  });
  writeFileSync(`${dir}${grid.file.replace(/\.txt$/, '.docx')}`, await Packer.toBuffer(doc));
}

for (const grid of [chizhou(), jiangmen(), weifang()]) {
  await writeXlsx(grid);
  await writeDocx(grid);
  console.log(`${grid.file}: ${grid.rows.length} rows → .xlsx, .docx (from ${grid.source})`);
}
