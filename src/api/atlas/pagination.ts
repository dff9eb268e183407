import { ApiError } from '../../domain/errors.js';
import type { LinkWire, PaginatedWire } from './wire/common.wire.js';

/** Atlas paginated list: `{links, results, totalCount}` with `itemsPerPage`, `pageNum`, `includeCount`. */
export function paginate<T>(items: readonly T[], query: Record<string, unknown>, selfHref: string): PaginatedWire<T> {
  const itemsPerPage = intParam(query.itemsPerPage, 'itemsPerPage', 100, 1, 500);
  const pageNum = intParam(query.pageNum, 'pageNum', 1, 1, 1_000_000);
  const includeCount = query.includeCount === undefined ? true : query.includeCount !== 'false';
  const start = (pageNum - 1) * itemsPerPage;
  const results = items.slice(start, start + itemsPerPage);
  const links: LinkWire[] = [{ href: `${selfHref}?pageNum=${pageNum}&itemsPerPage=${itemsPerPage}`, rel: 'self' }];
  if (pageNum > 1) links.unshift({ href: `${selfHref}?pageNum=${pageNum - 1}&itemsPerPage=${itemsPerPage}`, rel: 'previous' });
  if (start + itemsPerPage < items.length) links.push({ href: `${selfHref}?pageNum=${pageNum + 1}&itemsPerPage=${itemsPerPage}`, rel: 'next' });
  return includeCount ? { links, results, totalCount: items.length } : { links, results };
}

function intParam(value: unknown, name: string, fallback: number, min: number, max: number): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n < min || n > max) throw new ApiError('INVALID_QUERY_PARAMETER', [name]);
  return n;
}
