import { isDeepStrictEqual } from 'node:util';
import type { ActionContext } from '../action-context.js';
import { AwsQueryError } from '../aws-query-error.js';
import { elbId } from '../ids.js';
import type { HealthCheck, TargetGroup } from '../model.js';
import { xml, type Xml } from '../xml.js';
import { targetGroupArn } from './arns.js';
import { checkArn, checkName, invalidConfiguration, optionalBooleanMember, optionalIntegerMember, requiredMember, targetGroupNotFound, validationError } from './elbv2-errors.js';
import { members, renderAttributes, renderTargetGroup } from './elbv2-render.js';
import { parseElbTags } from './elbv2-tags.js';
import { ownLoadBalancer } from './load-balancers.actions.js';
import { paginateMarker } from './paging.js';
import { namedAmong } from '../../common/named-rows.js';

/** The caller's target group by ARN in the request region, or TargetGroupNotFound. */
export async function ownTargetGroup(ctx: ActionContext, arn: string): Promise<TargetGroup> {
  checkArn(arn, 'targetgroup');
  const group = await ctx.repos.loadBalancers.findTargetGroup(arn);
  if (!group || group.accountId !== ctx.account.accountId || group.region !== ctx.region.regionName) throw targetGroupNotFound();
  return group;
}

/** The load balancers whose listeners forward to each group (read in one statement for a page of groups). */
async function loadBalancersOf(ctx: ActionContext, groups: readonly TargetGroup[]): Promise<Map<string, string[]>> {
  const out = new Map<string, string[]>(groups.map((g) => [g.arn, []]));
  for (const listener of await ctx.repos.loadBalancers.listenersUsingTargetGroups(groups.map((g) => g.arn))) {
    const arns = out.get(listener.targetGroupArn)!;
    if (!arns.includes(listener.loadBalancerArn)) arns.push(listener.loadBalancerArn);
  }
  return out;
}

/** NLB target group attributes and AWS's defaults for a TCP group. */
function defaultAttributes(targetType: string): Record<string, string> {
  return {
    'deregistration_delay.timeout_seconds': '300',
    'deregistration_delay.connection_termination.enabled': 'false',
    'preserve_client_ip.enabled': targetType === 'instance' ? 'true' : 'false',
    'proxy_protocol_v2.enabled': 'false',
    'stickiness.enabled': 'false',
    'stickiness.type': 'source_ip',
    'load_balancing.cross_zone.enabled': 'use_load_balancer_configuration',
    'target_health_state.unhealthy.connection_termination.enabled': 'true',
    'target_health_state.unhealthy.draining_interval_seconds': '0',
    'target_group_health.dns_failover.minimum_healthy_targets.count': '1',
    'target_group_health.dns_failover.minimum_healthy_targets.percentage': 'off',
    'target_group_health.unhealthy_state_routing.minimum_healthy_targets.count': '1',
    'target_group_health.unhealthy_state_routing.minimum_healthy_targets.percentage': 'off',
  };
}

/**
 * CreateTargetGroup (TCP): `Name`, `Protocol=TCP`, `Port`, `VpcId`, `TargetType` (ip|instance),
 * health check members, `Tags.member.N`. Same name and settings returns the existing group;
 * other settings fail with DuplicateTargetGroupName.
 */
export async function createTargetGroup(ctx: ActionContext): Promise<Xml> {
  const name = checkName(requiredMember(ctx.params, 'Name'), 'Target group');
  const targetType = ctx.params.get('TargetType') || 'instance';
  if (targetType !== 'ip' && targetType !== 'instance') throw invalidConfiguration(`Target type '${targetType}' is not supported by the local cloud; use 'ip' or 'instance'`);
  const protocol = requiredMember(ctx.params, 'Protocol');
  if (protocol !== 'TCP') throw invalidConfiguration(`Protocol '${protocol}' is not supported by the local cloud for network load balancer target groups; use TCP`);
  const port = optionalIntegerMember(ctx.params, 'Port', 1, 65535);
  if (port === undefined) requiredMember(ctx.params, 'Port');
  const vpcId = requiredMember(ctx.params, 'VpcId');
  const vpc = await ctx.repos.network.findVpc(vpcId);
  if (!vpc || vpc.accountId !== ctx.account.accountId || vpc.region !== ctx.region.regionName) throw validationError(`The VPC ID '${vpcId}' is not found`);
  const healthProtocol = ctx.params.get('HealthCheckProtocol') || 'TCP';
  if (!['TCP', 'HTTP', 'HTTPS'].includes(healthProtocol)) throw validationError(`Health check protocol '${healthProtocol}' is not supported`);
  const healthPort = ctx.params.get('HealthCheckPort') || 'traffic-port';
  if (healthPort !== 'traffic-port' && !(Number.isInteger(Number(healthPort)) && Number(healthPort) >= 1 && Number(healthPort) <= 65535)) {
    throw validationError(`Health check port '${healthPort}' must be 'traffic-port' or a port number`);
  }
  const healthCheck: HealthCheck = {
    protocol: healthProtocol,
    port: healthPort,
    enabled: optionalBooleanMember(ctx.params, 'HealthCheckEnabled') ?? true,
    intervalSeconds: optionalIntegerMember(ctx.params, 'HealthCheckIntervalSeconds', 5, 300) ?? 30,
    timeoutSeconds: optionalIntegerMember(ctx.params, 'HealthCheckTimeoutSeconds', 2, 120) ?? (healthProtocol === 'TCP' ? 10 : 6),
    healthyThresholdCount: optionalIntegerMember(ctx.params, 'HealthyThresholdCount', 2, 10) ?? 5,
    unhealthyThresholdCount: optionalIntegerMember(ctx.params, 'UnhealthyThresholdCount', 2, 10) ?? 2,
  };
  const tags = parseElbTags(ctx.params);
  const [existing] = await ctx.repos.loadBalancers.listTargetGroups(ctx.account.accountId, ctx.region.regionName, { key: 'name', values: [name] });
  if (existing) {
    const same =
      existing.protocol === protocol &&
      existing.port === port &&
      existing.vpcId === vpcId &&
      existing.targetType === targetType &&
      // Compared field by field: the stored health check comes back from jsonb with its keys reordered.
      isDeepStrictEqual(existing.healthCheck, healthCheck);
    if (!same) throw new AwsQueryError('DuplicateTargetGroupName', `A target group with the same name '${name}' exists, but with different settings`);
    // As DescribeTargetGroups would answer it: with the load balancers its listeners belong to.
    const balancers = await loadBalancersOf(ctx, [existing]);
    return members('TargetGroups', [existing], (g) => renderTargetGroup(g, balancers.get(g.arn)!));
  }
  const arn = targetGroupArn(ctx.region.regionName, ctx.account.accountId, name, elbId());
  const group = await ctx.repos.loadBalancers.insertTargetGroup({
    arn,
    accountId: ctx.account.accountId,
    region: ctx.region.regionName,
    name,
    protocol,
    port: port!,
    vpcId,
    targetType,
    ipAddressType: 'ipv4',
    healthCheck,
    attributes: defaultAttributes(targetType),
    tags,
    createdAt: ctx.now,
  });
  return members('TargetGroups', [group], (g) => renderTargetGroup(g, []));
}

/** DescribeTargetGroups: `LoadBalancerArn`, `TargetGroupArns.member.N` or `Names.member.N`; `PageSize`/`Marker`. */
export async function describeTargetGroups(ctx: ActionContext): Promise<Xml> {
  const arns = ctx.params.members('TargetGroupArns');
  const names = ctx.params.members('Names');
  const lbArn = ctx.params.get('LoadBalancerArn');
  const lb = lbArn ? await ownLoadBalancer(ctx, lbArn) : undefined;
  arns.forEach((arn) => checkArn(arn, 'targetgroup'));
  const { accountId } = ctx.account;
  const { regionName } = ctx.region;
  // Read by the narrowest key given (the account's other groups are not read), then narrowed by the
  // rest; with no key at all, the page's own rows.
  const only = arns.length > 0 ? ({ key: 'arn', values: arns } as const) : names.length > 0 ? ({ key: 'name', values: names } as const) : undefined;
  let groups = lb ? await ctx.repos.loadBalancers.targetGroupsOfLoadBalancer(lb.arn) : only && (await ctx.repos.loadBalancers.listTargetGroups(accountId, regionName, only));
  if (groups) {
    groups = namedAmong(
      groups,
      arns,
      (g) => g.arn,
      () => targetGroupNotFound(),
    );
    groups = namedAmong(
      groups,
      names,
      (g) => g.name,
      () => targetGroupNotFound(),
    );
  }
  const { page, nextMarker } = await paginateMarker(groups ?? ((window) => ctx.repos.loadBalancers.listTargetGroups(accountId, regionName, undefined, window)), ctx.params);
  const balancers = await loadBalancersOf(ctx, page);
  const items = page.map((group) => renderTargetGroup(group, balancers.get(group.arn)!));
  return xml(
    members('TargetGroups', items, (x) => x),
    nextMarker,
  );
}

/**
 * DeleteTargetGroup: fails with ResourceInUse while a listener forwards to it; succeeds for a
 * group that does not exist (as AWS).
 */
export async function deleteTargetGroup(ctx: ActionContext): Promise<Xml> {
  const arn = checkArn(requiredMember(ctx.params, 'TargetGroupArn'), 'targetgroup');
  const group = await ctx.repos.loadBalancers.findTargetGroup(arn);
  if (!group || group.accountId !== ctx.account.accountId || group.region !== ctx.region.regionName) return xml();
  if ((await ctx.repos.loadBalancers.listenersUsingTargetGroup(arn)).length > 0) {
    throw new AwsQueryError('ResourceInUse', `Target group '${arn}' is currently in use by a listener or a rule`);
  }
  await ctx.repos.loadBalancers.deleteTargetGroup(arn);
  return xml();
}

const BOOLEAN_ATTRIBUTES = new Set([
  'deregistration_delay.connection_termination.enabled',
  'preserve_client_ip.enabled',
  'proxy_protocol_v2.enabled',
  'stickiness.enabled',
  'target_health_state.unhealthy.connection_termination.enabled',
]);

/** ModifyTargetGroupAttributes: `Attributes.member.N.Key/Value`; answers all attributes. */
export async function modifyTargetGroupAttributes(ctx: ActionContext): Promise<Xml> {
  const group = await ownTargetGroup(ctx, requiredMember(ctx.params, 'TargetGroupArn'));
  const changes = ctx.params.memberStructs('Attributes').map((a) => ({ key: a.get('Key') ?? '', value: a.get('Value') ?? '' }));
  if (changes.length === 0) requiredMember(ctx.params, 'Attributes');
  const attributes = { ...group.attributes };
  for (const { key, value } of changes) {
    if (!(key in attributes)) throw validationError(`Target group attribute key '${key}' is not recognized`);
    if (BOOLEAN_ATTRIBUTES.has(key) && value !== 'true' && value !== 'false') {
      throw invalidConfiguration(`The value of '${key}' must be 'true' or 'false'`);
    }
    if (key === 'deregistration_delay.timeout_seconds' && !(Number.isInteger(Number(value)) && Number(value) >= 0 && Number(value) <= 3600)) {
      throw invalidConfiguration(`The value of '${key}' must be between 0 and 3600`);
    }
    attributes[key] = value;
  }
  await ctx.repos.loadBalancers.updateTargetGroupAttributes(group.arn, attributes);
  return renderAttributes(attributes);
}

/** DescribeTargetGroupAttributes: `TargetGroupArn`. */
export async function describeTargetGroupAttributes(ctx: ActionContext): Promise<Xml> {
  const group = await ownTargetGroup(ctx, requiredMember(ctx.params, 'TargetGroupArn'));
  return renderAttributes(group.attributes);
}
