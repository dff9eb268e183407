/** Ids per statement when a read names them (`where id in (…)`): one bound parameter each. */
const BATCH = 1000;

/** The distinct ids, a thousand at a time (none: no batch). */
export function thousands(ids: readonly string[]): string[][] {
  const unique = [...new Set(ids)];
  const out: string[][] = [];
  for (let i = 0; i < unique.length; i += BATCH) out.push(unique.slice(i, i + BATCH));
  return out;
}
