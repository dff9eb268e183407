import type { ActionContext } from '../action-context.js';
import { AwsQueryError } from '../aws-query-error.js';
import { elbId } from '../ids.js';
import type { Listener } from '../model.js';
import { xml, type Xml } from '../xml.js';
import { listenerArn } from './arns.js';
import { checkArn, invalidConfiguration, listenerNotFound, missingMember, optionalIntegerMember, requiredMember, validationError } from './elbv2-errors.js';
import { members, renderListener } from './elbv2-render.js';
import { parseElbTags } from './elbv2-tags.js';
import { ownLoadBalancer } from './load-balancers.actions.js';
import { paginateMarker } from './paging.js';
import { ownTargetGroup } from './target-groups.actions.js';
import { LISTENERS_PER_NLB } from '../servicequotas/quota-catalogue.js';
import { appliedQuota } from '../servicequotas/quota-values.js';
import { namedAmong } from '../../common/named-rows.js';

/** The caller's listener by ARN in the request region, or ListenerNotFound. */
async function ownListener(ctx: ActionContext, arn: string): Promise<Listener> {
  checkArn(arn, 'listener');
  const listener = await ctx.repos.loadBalancers.findListener(arn);
  if (!listener || listener.accountId !== ctx.account.accountId || listener.region !== ctx.region.regionName) throw listenerNotFound();
  return listener;
}

/**
 * CreateListener (TCP): `LoadBalancerArn`, `Protocol=TCP`, `Port`, `DefaultActions.member.1`
 * forward to one target group (`TargetGroupArn` or `ForwardConfig.TargetGroups.member.1`),
 * `Tags.member.N`. The same port with the same settings returns the existing listener; another
 * listener on the port fails with DuplicateListener; one beyond the applied value of Service Quotas
 * `L-57A373D6` (Listeners per Network Load Balancer, AWS's default 50) with TooManyListeners.
 */
export async function createListener(ctx: ActionContext): Promise<Xml> {
  const lb = await ownLoadBalancer(ctx, requiredMember(ctx.params, 'LoadBalancerArn'));
  const protocol = ctx.params.get('Protocol') || 'TCP';
  if (protocol !== 'TCP') throw invalidConfiguration(`Protocol '${protocol}' is not supported by the local cloud for network load balancer listeners; use TCP`);
  const port = optionalIntegerMember(ctx.params, 'Port', 1, 65535);
  if (port === undefined) requiredMember(ctx.params, 'Port');
  const actions = ctx.params.memberStructs('DefaultActions');
  const [action, ...otherActions] = actions;
  if (action === undefined) throw missingMember('DefaultActions');
  if (otherActions.length > 0) throw new AwsQueryError('TooManyActions', 'A listener of a network load balancer can have only one default action');
  if (action.get('Type') !== 'forward') throw invalidConfiguration(`Action type '${action.get('Type') ?? ''}' is not supported for network load balancer listeners; use forward`);
  const forwardGroups = action
    .scope('ForwardConfig')
    .memberStructs('TargetGroups')
    .map((t) => t.get('TargetGroupArn') ?? '');
  const groupArns = [...new Set([action.get('TargetGroupArn'), ...forwardGroups].filter((a): a is string => Boolean(a)))];
  const [groupArn, ...otherArns] = groupArns;
  if (groupArn === undefined) throw validationError('A target group ARN must be specified');
  if (otherArns.length > 0) throw invalidConfiguration('A forward action of a network load balancer can have only one target group');
  const group = await ownTargetGroup(ctx, groupArn);
  if (group.protocol !== protocol)
    throw new AwsQueryError('IncompatibleProtocols', `Listener protocol '${protocol}' is not compatible with target group protocol '${group.protocol}'`);
  if (group.vpcId !== lb.vpcId) throw invalidConfiguration(`The target group '${group.arn}' is not in the VPC of the load balancer '${lb.vpcId}'`);
  const elsewhere = (await ctx.repos.loadBalancers.listenersUsingTargetGroup(group.arn)).filter((l) => l.loadBalancerArn !== lb.arn);
  if (elsewhere.length > 0) {
    throw new AwsQueryError('TargetGroupAssociationLimit', `The following target groups cannot be associated with more than one load balancer: ${group.arn}`);
  }
  const tags = parseElbTags(ctx.params);
  const listeners = await ctx.repos.loadBalancers.listListeners([lb.arn]);
  const onPort = listeners.find((l) => l.port === port);
  if (onPort) {
    if (onPort.protocol === protocol && onPort.targetGroupArn === group.arn) return members('Listeners', [onPort], renderListener);
    throw new AwsQueryError('DuplicateListener', `A listener already exists on this port for this load balancer '${lb.arn}'`);
  }
  const limit = await appliedQuota(ctx.repos, ctx.account.accountId, ctx.region.regionName, LISTENERS_PER_NLB, ctx.now);
  if (listeners.length >= limit) {
    throw new AwsQueryError('TooManyListeners', `You've reached the limit on the number of listeners per load balancer (${limit}) for '${lb.arn}'`);
  }
  const arn = listenerArn(lb.arn, elbId());
  const listener = await ctx.repos.loadBalancers.insertListener({
    arn,
    loadBalancerArn: lb.arn,
    accountId: ctx.account.accountId,
    region: ctx.region.regionName,
    port: port!,
    protocol,
    targetGroupArn: group.arn,
    tags,
    createdAt: ctx.now,
  });
  return members('Listeners', [listener], renderListener);
}

/** DescribeListeners: `LoadBalancerArn` or `ListenerArns.member.N`; `PageSize`/`Marker`. */
export async function describeListeners(ctx: ActionContext): Promise<Xml> {
  const arns = ctx.params.members('ListenerArns');
  const lbArn = ctx.params.get('LoadBalancerArn');
  if (!lbArn && arns.length === 0) throw validationError('You must specify either listener ARNs or a load balancer ARN');
  let listeners: Listener[];
  if (lbArn) listeners = await ctx.repos.loadBalancers.listListeners([(await ownLoadBalancer(ctx, lbArn)).arn]);
  else listeners = await ctx.repos.loadBalancers.listListenersOfAccount(ctx.account.accountId, ctx.region.regionName);
  arns.forEach((arn) => checkArn(arn, 'listener'));
  listeners = namedAmong(listeners, arns, (l) => l.arn, listenerNotFound);
  const { page, nextMarker } = await paginateMarker(listeners, ctx.params);
  return xml(members('Listeners', page, renderListener), nextMarker);
}

/** DeleteListener: `ListenerArn`; ListenerNotFound when it does not exist. */
export async function deleteListener(ctx: ActionContext): Promise<Xml> {
  const listener = await ownListener(ctx, requiredMember(ctx.params, 'ListenerArn'));
  await ctx.repos.loadBalancers.deleteListener(listener.arn);
  return xml();
}
