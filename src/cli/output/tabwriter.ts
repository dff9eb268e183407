/**
 * Go `text/tabwriter` semantics for the Atlas CLI's settings: minwidth 6, tabwidth 4, padding 3,
 * padchar ' ', flags 0 (as the Atlas CLI sets them). Text is split into lines; each line into cells that
 * are *terminated* by a tab. The text after a line's last tab is not a cell of any column and is
 * printed as is. A column block is a run of consecutive lines that all have a cell in that
 * column; every cell of a block is padded to the block's widest cell + padding (at least
 * minwidth). Widths count Unicode code points, as Go counts runes.
 *
 * @example
 *   tabwrite('ID\tSTATUS\tERROR\n6a79\tAVAILABLE\t\n')
 *   // 'ID     STATUS      ERROR\n6a79   AVAILABLE   \n'
 */
export interface TabwriterOptions {
  readonly minwidth: number;
  readonly padding: number;
  readonly padchar: string;
}

/** The settings of the Atlas CLI's template writer. */
const ATLAS_TABWRITER: TabwriterOptions = { minwidth: 6, padding: 3, padchar: ' ' };

/** Aligns tab-separated text the way Go's tabwriter does, then flushes (as after `Flush()`). */
export function tabwrite(text: string, options: TabwriterOptions = ATLAS_TABWRITER): string {
  // A trailing newline yields an empty last line; keep it aside so it is not treated as a row.
  const rows = text.split('\n').map((line) => line.split('\t'));
  const widths: number[] = [];
  const out: string[] = [];
  const runeLength = (s: string) => [...s].length;

  const writeLines = (from: number, to: number) => {
    for (let i = from; i < to; i++) {
      const cells = rows[i]!;
      let line = '';
      cells.forEach((cell, j) => {
        line += cell;
        // Only tab-terminated cells (all but the last) belong to a column and get padded.
        if (j < cells.length - 1 && j < widths.length) line += options.padchar.repeat(Math.max(0, widths[j]! - runeLength(cell)));
      });
      out.push(line);
    }
  };

  const format = (line0: number, line1: number): void => {
    const column = widths.length;
    for (let current = line0; current < line1; current++) {
      if (column >= rows[current]!.length - 1) continue;
      // A cell exists in this column: print the lines above, then measure the block.
      writeLines(line0, current);
      line0 = current;
      let width = options.minwidth;
      for (; current < line1; current++) {
        const cells = rows[current]!;
        if (column >= cells.length - 1) break;
        width = Math.max(width, runeLength(cells[column]!) + options.padding);
      }
      widths.push(width);
      format(line0, current);
      widths.pop();
      line0 = current;
      // As in Go, the loop's increment skips the line that ended the block: it has no cell here.
    }
    writeLines(line0, line1);
  };

  format(0, rows.length);
  return out.join('\n');
}
