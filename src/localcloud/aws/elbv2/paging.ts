import type { QueryParams } from '../query-params.js';
import { isSeqPosition } from '../../common/seq-position.js';
import { readPage, type SeqReader } from '../seq-pages.js';
import { leaf, type Xml } from '../xml.js';
import { optionalIntegerMember, validationError } from './elbv2-errors.js';

/**
 * One page per ELBv2's `PageSize` (1–400) and `Marker`: `items` in `seq` order, or a reader of the
 * store's rows (seq-pages.ts); `NextMarker` is the seq of the last item returned.
 */
export async function paginateMarker<T extends { readonly seq: number }>(items: readonly T[] | SeqReader<T>, params: QueryParams): Promise<{ page: T[]; nextMarker: Xml }> {
  const pageSize = optionalIntegerMember(params, 'PageSize', 1, 400);
  const marker = params.get('Marker');
  let after = 0;
  if (marker) {
    const text = Buffer.from(marker, 'base64url').toString('utf8');
    const decoded = Number(text.slice('seq:'.length));
    if (!/^seq:\d+$/.test(text) || !isSeqPosition(decoded)) throw validationError('Invalid marker');
    after = decoded;
  }
  const { page, more } = await readPage(items, () => true, after, pageSize);
  // A page with more after it is full, so it has a last item.
  return { page, nextMarker: leaf('NextMarker', more ? Buffer.from(`seq:${page[page.length - 1]!.seq}`).toString('base64url') : undefined) };
}
