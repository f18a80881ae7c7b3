import type { Assessment } from '@zwgk/sdk';
import { fixed1, SUMMARY_HEADERS, summaryRow } from './labels.js';

/** The UTF-8 byte order mark: without it Excel on Windows reads the file as GBK and garbles the Chinese. */
export const BOM = '\uFEFF';

/** Quotes a field per RFC 4180 when it holds a comma, a quote, a line break or edge spaces; quotes are doubled. */
export function csvField(value: string): string {
  return /[",\r\n]|^\s|\s$/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}

/**
 * The per-unit summary (the 总表 columns) as CSV: UTF-8 with a BOM, CRLF line ends, RFC 4180 quoting,
 * scores written with one decimal.
 *
 * @example
 * await writeFile('考核.csv', renderCsv(score(plan, records, { asOf: '2022-12-31' })));
 */
export function renderCsv(assessment: Assessment): string {
  const lines = [SUMMARY_HEADERS.map(csvField).join(',')];
  for (const u of assessment.units) {
    const row = summaryRow(assessment, u).map((cell, i) => (typeof cell === 'number' && i >= 2 && i <= 6 ? fixed1(cell) : String(cell)));
    lines.push(row.map(csvField).join(','));
  }
  return `${BOM}${lines.join('\r\n')}\r\n`;
}
