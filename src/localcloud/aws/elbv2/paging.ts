import type { QueryParams } from '../query-params.js';
import { leaf, type Xml } from '../xml.js';
import { optionalIntegerMember, validationError } from './elbv2-errors.js';

/**
 * One page per ELBv2's `PageSize` (1–400) and `Marker`; `NextMarker` is the seq of the last
 * item returned. Items must be in `seq` order.
 */
export function paginateMarker<T extends { readonly seq: number }>(items: readonly T[], params: QueryParams): { page: T[]; nextMarker: Xml } {
  const pageSize = optionalIntegerMember(params, 'PageSize', 1, 400);
  const marker = params.get('Marker');
  let after = 0;
  if (marker) {
    const decoded = Number(Buffer.from(marker, 'base64url').toString('utf8').replace(/^seq:/, ''));
    if (!Buffer.from(marker, 'base64url').toString('utf8').startsWith('seq:') || !Number.isInteger(decoded)) throw validationError('Invalid marker');
    after = decoded;
  }
  const remaining = items.filter((item) => item.seq > after);
  if (pageSize === undefined || remaining.length <= pageSize) return { page: remaining, nextMarker: leaf('NextMarker', undefined) };
  const page = remaining.slice(0, pageSize);
  // remaining.length > pageSize here, so the page is full and has a last item.
  return { page, nextMarker: leaf('NextMarker', Buffer.from(`seq:${page[page.length - 1]!.seq}`).toString('base64url')) };
}
