import type { ActionContext } from '../action-context.js';
import { AwsQueryError } from '../aws-query-error.js';
import type { Tag } from '../model.js';
import { leaf, xml, type Xml } from '../xml.js';
import { parseElbArn, type ElbResourceKind } from './arns.js';
import { listenerNotFound, loadBalancerNotFound, requiredMember, targetGroupNotFound, validationError } from './elbv2-errors.js';
import { members, renderTags } from './elbv2-render.js';
import { MAX_ELB_TAGS, mergeTags, parseElbTags } from './elbv2-tags.js';

/** A taggable resource of the caller, by ARN (load balancer, target group or listener). */
async function taggable(ctx: ActionContext, arn: string): Promise<{ kind: ElbResourceKind; arn: string; tags: readonly Tag[] }> {
  const parsed = parseElbArn(arn);
  if (!parsed) throw validationError(`'${arn}' is not a valid load balancer, target group or listener ARN`);
  const repo = ctx.repos.loadBalancers;
  const found = parsed.kind === 'loadbalancer' ? await repo.findLoadBalancer(arn) : parsed.kind === 'targetgroup' ? await repo.findTargetGroup(arn) : await repo.findListener(arn);
  if (!found || found.accountId !== ctx.account.accountId || found.region !== ctx.region.regionName) {
    throw parsed.kind === 'loadbalancer' ? loadBalancerNotFound() : parsed.kind === 'targetgroup' ? targetGroupNotFound() : listenerNotFound();
  }
  return { kind: parsed.kind, arn, tags: found.tags };
}

function resourceArns(ctx: ActionContext): string[] {
  const arns = ctx.params.members('ResourceArns');
  if (arns.length === 0) requiredMember(ctx.params, 'ResourceArns');
  if (arns.length > 20)
    throw validationError("1 validation error detected: Value at 'resourceArns' failed to satisfy constraint: Member must have length less than or equal to 20");
  return arns;
}

/** DescribeTags: `ResourceArns.member.N` (≤20). */
export async function describeTags(ctx: ActionContext): Promise<Xml> {
  const resources = [];
  for (const arn of resourceArns(ctx)) resources.push(await taggable(ctx, arn));
  return members('TagDescriptions', resources, (r) => xml(leaf('ResourceArn', r.arn), renderTags(r.tags)));
}

/** AddTags: `ResourceArns.member.N`, `Tags.member.N`; a key already present gets the new value. */
export async function addTags(ctx: ActionContext): Promise<Xml> {
  const added = parseElbTags(ctx.params);
  if (added.length === 0) requiredMember(ctx.params, 'Tags');
  for (const arn of resourceArns(ctx)) {
    const resource = await taggable(ctx, arn);
    const merged = mergeTags(resource.tags, added);
    if (merged.length > MAX_ELB_TAGS) throw new AwsQueryError('TooManyTags', `The quota for the number of tags that can be assigned to '${arn}' has been reached`);
    await ctx.repos.loadBalancers.setTags(resource.kind, arn, merged);
  }
  return xml();
}

/** RemoveTags: `ResourceArns.member.N`, `TagKeys.member.N`. */
export async function removeTags(ctx: ActionContext): Promise<Xml> {
  const keys = ctx.params.members('TagKeys');
  if (keys.length === 0) requiredMember(ctx.params, 'TagKeys');
  for (const arn of resourceArns(ctx)) {
    const resource = await taggable(ctx, arn);
    await ctx.repos.loadBalancers.setTags(
      resource.kind,
      arn,
      resource.tags.filter((t) => !keys.includes(t.key)),
    );
  }
  return xml();
}
