/**
 * Writing a table grid as the Word (.docx) and Excel (.xlsx) files offices publish, with its merged cells
 * (shared by the corpus and fixture builders). A cell's text may hold line breaks: each line is its own
 * paragraph in Word and a line of a wrapped cell in Excel, as offices type lists of units.
 */
import { writeFileSync } from 'node:fs';
import { Document, Packer, Paragraph, Table, TableCell, TableRow, VerticalAlign, VerticalMergeType, WidthType } from 'docx';
import ExcelJS from 'exceljs';

/** One cell of the rebuilt grid: its text, and how many rows / columns it spans from here. */
export interface GridCell {
  text: string;
  rowSpan?: number;
  colSpan?: number;
}

export interface Grid {
  file: string;
  title: string;
  source: string;
  columns: number;
  /** Header rows Word repeats at the top of every page (default none). */
  repeatHeader?: number;
  /** Cells centred vertically in their rows, as many offices set their Word tables (default top). */
  centred?: boolean;
  rows: GridCell[][];
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

/** Writes the grid as an .xlsx workbook at `path`: a title row merged across, then the table. */
export async function writeXlsx(grid: Grid, path: string): Promise<void> {
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
  await book.xlsx.writeFile(path);
}

/** Writes the grid as a .docx document at `path`: a title paragraph, then the table. */
export async function writeDocx(grid: Grid, path: string): Promise<void> {
  const placed = layout(grid);
  const rows = placed.map(
    (row, r) =>
      new TableRow({
        tableHeader: r < (grid.repeatHeader ?? 0) ? true : undefined,
        children: row.flatMap((slot, c) => {
          if (!slot) return [new TableCell({ children: [new Paragraph('')] })];
          // A cell spanning columns is written once, at its first column.
          if (c > 0 && row[c - 1]?.cell === slot.cell && (slot.cell.colSpan ?? 1) > 1) return [];
          return [
            new TableCell({
              children: (slot.vmerge === 'continue' ? [''] : slot.cell.text.split('\n')).map((line) => new Paragraph(line)),
              columnSpan: slot.cell.colSpan,
              verticalAlign: grid.centred ? VerticalAlign.CENTER : undefined,
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
  writeFileSync(path, await Packer.toBuffer(doc));
}

