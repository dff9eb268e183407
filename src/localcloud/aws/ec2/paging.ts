import { AwsQueryError } from '../aws-query-error.js';
import type { QueryParams } from '../query-params.js';
import { optionalInteger } from './ec2-errors.js';

/** Limits of one Describe action's MaxResults. */
export interface PageLimits {
  readonly min: number;
  readonly max: number;
  /** Larger values are cut to `max` instead of refused (DescribeVpcEndpoints does that). */
  readonly clampAboveMax?: boolean;
}

/**
 * One page of `items` (already filtered, in `seq` order) per `MaxResults`/`NextToken`. The token
 * is opaque to clients: the seq of the last item returned. Without MaxResults everything after
 * the token is returned. An undecodable token fails with InvalidPaginationToken.
 */
export function paginate<T extends { readonly seq: number }>(items: readonly T[], params: QueryParams, limits: PageLimits): { page: T[]; nextToken?: string } {
  const raw = params.get('MaxResults');
  let maxResults: number | undefined;
  if (raw !== undefined && limits.clampAboveMax && Number(raw) > limits.max) maxResults = limits.max;
  else maxResults = optionalInteger(params, 'MaxResults', limits.min, limits.max);
  const token = params.get('NextToken');
  let after = 0;
  if (token) {
    const decoded = decodeToken(token);
    if (decoded === undefined) throw new AwsQueryError('InvalidPaginationToken', `The specified pagination token is not valid or is expired: ${token}`);
    after = decoded;
  }
  const remaining = items.filter((item) => item.seq > after);
  if (maxResults === undefined || remaining.length <= maxResults) return { page: remaining };
  const page = remaining.slice(0, maxResults);
  return { page, nextToken: encodeToken(page[page.length - 1].seq) };
}

function encodeToken(seq: number): string {
  return Buffer.from(JSON.stringify({ after: seq })).toString('base64url');
}

function decodeToken(token: string): number | undefined {
  try {
    const value = JSON.parse(Buffer.from(token, 'base64url').toString('utf8')) as { after?: unknown };
    return typeof value.after === 'number' && Number.isInteger(value.after) && value.after >= 0 ? value.after : undefined;
  } catch {
    return undefined;
  }
}
