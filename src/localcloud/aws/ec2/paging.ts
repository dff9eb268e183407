import { AwsQueryError } from '../aws-query-error.js';
import type { QueryParams } from '../query-params.js';
import { isSeqPosition } from '../../common/seq-position.js';
import { readPage, type SeqReader } from '../seq-pages.js';
import { invalidParameterValue } from './ec2-errors.js';

/**
 * Limits of one Describe action's MaxResults. AWS caps every EC2 page at 1000 items: above that,
 * most actions refuse the request, while the VPC endpoint family documents "if the value is
 * greater than 1,000, we return only 1,000 items" (`clampAboveMax`).
 */
export interface PageLimits {
  readonly min: number;
  readonly max: 1000;
  /** Larger values are cut to `max` instead of refused (DescribeVpcEndpoints does that). */
  readonly clampAboveMax?: boolean;
}

/**
 * One page of a listing per `MaxResults`/`NextToken`: `items` already filtered in `seq` order, or
 * a reader of the store's rows with the filter as `keep` (the page then reads only its own rows;
 * seq-pages.ts). The token is opaque to clients: the seq of the last item returned. Without
 * MaxResults everything after the token is returned. A MaxResults out of bounds fails with
 * InvalidParameterValue in AWS's words; an undecodable token fails with InvalidPaginationToken.
 */
export async function paginate<T extends { readonly seq: number }>(
  items: readonly T[] | SeqReader<T>,
  params: QueryParams,
  limits: PageLimits,
  keep: (item: T) => boolean = () => true,
): Promise<{ page: T[]; nextToken?: string }> {
  const maxResults = pageSize(params.get('MaxResults'), limits);
  const token = params.get('NextToken');
  let after = 0;
  if (token) {
    const decoded = decodeToken(token);
    if (decoded === undefined) throw new AwsQueryError('InvalidPaginationToken', `The specified pagination token is not valid or is expired: ${token}`);
    after = decoded;
  }
  const { page, more } = await readPage(items, keep, after, maxResults);
  // A page with more after it is full, so it has a last item.
  return more ? { page, nextToken: encodeToken(page[page.length - 1]!.seq) } : { page };
}

function pageSize(raw: string | undefined, limits: PageLimits): number | undefined {
  if (raw === undefined) return undefined;
  const value = Number(raw);
  const invalid = `Value ( ${raw} ) for parameter maxResults is invalid.`;
  if (raw.trim() === '' || !Number.isInteger(value)) throw invalidParameterValue(`${invalid} Expecting an integer.`);
  if (value < limits.min) throw invalidParameterValue(`${invalid} Expecting a value greater than ${limits.min}.`);
  if (value > limits.max) {
    if (limits.clampAboveMax) return limits.max;
    throw invalidParameterValue(`${invalid} Expecting a value less than ${limits.max}.`);
  }
  return value;
}

function encodeToken(seq: number): string {
  return Buffer.from(JSON.stringify({ after: seq })).toString('base64url');
}

function decodeToken(token: string): number | undefined {
  try {
    const value = JSON.parse(Buffer.from(token, 'base64url').toString('utf8')) as { after?: unknown };
    return typeof value.after === 'number' && isSeqPosition(value.after) ? value.after : undefined;
  } catch {
    return undefined;
  }
}
