/**
 * A listing read from the store a page at a time. Every listed row has a `seq` (its creation
 * order, unique in its table); a page is the rows after the previous page's last `seq`, so a page
 * costs the rows it holds (and those a filter skips), not the whole listing.
 */

/** Rows with a `seq` greater than `after`, in `seq` order, at most `limit` of them (all without one). */
export interface SeqWindow {
  readonly after: number;
  readonly limit?: number;
}

/** Reads one window of a listing (by the store's index on the owner and `seq`). */
export type SeqReader<T> = (window: SeqWindow) => Promise<T[]>;

/** A reader over rows already in memory, in `seq` order (a listing read by its keys). */
export function rowsIn<T extends { readonly seq: number }>(items: readonly T[]): SeqReader<T> {
  return async ({ after, limit }) => {
    const rest = items.filter((item) => item.seq > after);
    return limit === undefined ? rest : rest.slice(0, limit);
  };
}

/**
 * A Describe's rows: with `ids`, just those (read once by key; each must exist, else `missing(id)`
 * is thrown), otherwise the caller's rows a window at a time. `list` reads the caller's rows, only
 * those ids when given, only a window when given.
 */
export async function ownRows<T extends { readonly seq: number }>(
  ids: readonly string[],
  list: (onlyIds: readonly string[] | undefined, window?: SeqWindow) => Promise<T[]>,
  idOf: (row: T) => string,
  missing: (id: string) => Error,
): Promise<SeqReader<T>> {
  if (ids.length === 0) return (window) => list(undefined, window);
  const named = await list(ids);
  const found = new Set(named.map(idOf));
  for (const id of ids) if (!found.has(id)) throw missing(id);
  return rowsIn(named);
}

/** The fewest rows a filtered page reads at a time (a small page under a sparse filter would otherwise read a few rows per query). */
const MIN_WINDOW = 100;

/**
 * The first `size` rows after `after` that `keep` accepts (from rows in memory, or read), and whether an accepted row follows
 * them (the page then gets a token); read `size + 1` rows (at least MIN_WINDOW) at a time until
 * the page is full or the listing ends. Without a size: every accepted row after `after`.
 */
export async function readPage<T extends { readonly seq: number }>(
  source: readonly T[] | SeqReader<T>,
  keep: (item: T) => boolean,
  after: number,
  size: number | undefined,
): Promise<{ page: T[]; more: boolean }> {
  const read = typeof source === 'function' ? source : rowsIn(source);
  if (size === undefined) return { page: (await read({ after })).filter(keep), more: false };
  const kept: T[] = [];
  const limit = Math.max(size + 1, MIN_WINDOW);
  for (let from = after; ; ) {
    const rows = await read({ after: from, limit });
    for (const row of rows) {
      if (!keep(row)) continue;
      if (kept.length === size) return { page: kept, more: true };
      kept.push(row);
    }
    if (rows.length < limit) return { page: kept, more: false };
    from = rows[rows.length - 1]!.seq;
  }
}
