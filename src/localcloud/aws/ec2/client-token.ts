import { createHash } from 'node:crypto';
import type { ActionContext } from '../action-context.js';
import { AwsQueryError } from '../aws-query-error.js';

/**
 * ClientToken idempotency (EC2): the same token with the same parameters returns the resource
 * the first call made; the same token with different parameters fails with
 * IdempotentParameterMismatch. Tokens are scoped to account, region and action, as in AWS.
 */
export interface IdempotencyCheck {
  readonly token: string | undefined;
  /** The resource made by an earlier call with this token, if any. */
  readonly existingId: string | undefined;
  /** Records the resource made now under the token (no-op without a token). */
  remember(resourceId: string): Promise<void>;
}

/** EC2's documented constraint on a client token: "Maximum 64 ASCII characters". */
const CLIENT_TOKEN = /^[\x20-\x7e]{1,64}$/;

/** Looks the request's ClientToken up (one longer than 64 characters, or not printable ASCII, is InvalidParameterValue). Call before creating anything. */
export async function checkClientToken(ctx: ActionContext): Promise<IdempotencyCheck> {
  const token = ctx.params.get('ClientToken') || undefined;
  if (token !== undefined && !CLIENT_TOKEN.test(token)) {
    throw new AwsQueryError('InvalidParameterValue', 'Value for parameter clientToken is invalid. A client token is at most 64 ASCII characters.');
  }
  const hash = createHash('sha256')
    .update(JSON.stringify(ctx.params.toSortedObject(['ClientToken', 'DryRun'])))
    .digest('hex');
  const { accountId } = ctx.account;
  const region = ctx.region.regionName;
  const found = token ? await ctx.repos.control.findClientToken(accountId, region, ctx.action, token) : undefined;
  if (found && found.requestHash !== hash) {
    throw new AwsQueryError(
      'IdempotentParameterMismatch',
      'The request uses the same client token as a previous, but non-identical request. Do not reuse a client token with different requests, unless the requests are identical.',
    );
  }
  return {
    token,
    existingId: found?.resourceId,
    remember: async (resourceId) => {
      if (token) await ctx.repos.control.saveClientToken(accountId, region, ctx.action, token, hash, resourceId, ctx.now);
    },
  };
}
