/** Display width in a terminal: CJK and full-width characters take two columns. */
export function displayWidth(text: string): number {
  let width = 0;
  for (const ch of text) {
    const code = ch.codePointAt(0)!;
    width +=
      (code >= 0x1100 && code <= 0x115f) ||
      (code >= 0x2e80 && code <= 0xa4cf) ||
      (code >= 0xac00 && code <= 0xd7a3) ||
      (code >= 0xf900 && code <= 0xfaff) ||
      (code >= 0xfe30 && code <= 0xfe4f) ||
      (code >= 0xff00 && code <= 0xff60) ||
      (code >= 0xffe0 && code <= 0xffe6) ||
      code >= 0x20000
        ? 2
        : 1;
  }
  return width;
}

/** Splits a cell where a line may break: after 、, ， or a space (a longer piece is cut by character when it must). */
function pieces(text: string): string[] {
  return text.split(/(?<=[、，\s])/u);
}

/** Wraps `text` into lines no wider than `width`, breaking between pieces; a piece wider than a line is cut. */
export function wrapCell(text: string, width: number): string[] {
  const lines: string[] = [];
  let line = '';
  for (const piece of pieces(text)) {
    if (line && displayWidth(line + piece.trimEnd()) > width) {
      lines.push(line.trimEnd());
      line = '';
    }
    if (!line && displayWidth(piece.trimEnd()) > width) {
      for (const ch of piece) {
        if (displayWidth(line + ch) > width) {
          lines.push(line);
          line = '';
        }
        line += ch;
      }
      continue;
    }
    line += line || !/^\s+$/u.test(piece) ? piece : '';
  }
  if (line.trimEnd() || !lines.length) lines.push(line.trimEnd());
  return lines;
}

/**
 * Renders rows as aligned columns that fit `width` terminal columns (no limit when undefined, as when the
 * output goes to a file or a pipe): the widest columns give way first, down to `minWidths`, and a cell
 * that no longer fits wraps onto more lines instead of losing its end.
 */
export function renderFittedTable(header: string[], rows: string[][], options: { width?: number; minWidths?: number[] } = {}): string {
  const gap = 2;
  const natural = header.map((h, i) => Math.max(displayWidth(h), ...rows.map((r) => displayWidth(r[i] ?? ''))));
  const min = header.map((h, i) => Math.min(natural[i]!, Math.max(displayWidth(h), options.minWidths?.[i] ?? 0)));
  const widths = [...natural];
  const total = () => widths.reduce((a, b) => a + b, 0) + gap * (widths.length - 1);
  if (options.width !== undefined) {
    while (total() > options.width) {
      let widest = -1;
      for (let i = 0; i < widths.length; i++) if (widths[i]! > min[i]! && (widest < 0 || widths[i]! > widths[widest]!)) widest = i;
      if (widest < 0) break;
      widths[widest]!--;
    }
  }
  const render = (cells: string[]) => {
    const wrapped = cells.map((c, i) => wrapCell(c, widths[i]!));
    const height = Math.max(...wrapped.map((w) => w.length));
    return Array.from({ length: height }, (_, line) =>
      wrapped
        .map((w, i) => {
          const text = w[line] ?? '';
          return text + ' '.repeat(Math.max(0, widths[i]! - displayWidth(text)));
        })
        .join(' '.repeat(gap))
        .trimEnd(),
    ).join('\n');
  };
  return [render(header), widths.map((w) => '─'.repeat(w)).join(' '.repeat(gap)), ...rows.map(render)].join('\n') + '\n';
}
