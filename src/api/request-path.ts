/**
 * The request target without its query string: `/a/b?c=d` → `/a/b`. Runs several times per Admin
 * API request (routing checks, the log line, the trace), so it slices instead of `split('?')`,
 * which made an array each time.
 */
export function pathOf(url: string): string {
  const query = url.indexOf('?');
  return query === -1 ? url : url.slice(0, query);
}
