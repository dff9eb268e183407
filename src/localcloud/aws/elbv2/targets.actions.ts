import type { ActionContext } from '../action-context.js';
import { AwsQueryError } from '../aws-query-error.js';
import { cidrContainsAddress, parseCidr, parseIpv4 } from '../../common/ipv4.js';
import type { Target, TargetGroup } from '../model.js';
import { element, leaf, xml, type Xml } from '../xml.js';
import { requiredMember, validationError } from './elbv2-errors.js';
import { members } from './elbv2-render.js';
import { ownTargetGroup } from './target-groups.actions.js';

/** Registered targets per target group. */
const MAX_TARGETS_PER_GROUP = 1000;

/**
 * Private ranges an IP target outside the group's VPC may use (with AvailabilityZone=all). The
 * local cloud adds 127.0.0.0/8: "the host it runs on", where simulated nodes and self-hosted
 * targets listen (AWS refuses loopback targets).
 */
const PRIVATE_RANGES = ['10.0.0.0/8', '172.16.0.0/12', '192.168.0.0/16', '100.64.0.0/10', '127.0.0.0/8'].map((c) => parseCidr(c)!);

interface TargetSpec {
  readonly id: string;
  readonly port: number | undefined;
  readonly availabilityZone: string | null;
}

function parseTargets(ctx: ActionContext): TargetSpec[] {
  const targets = ctx.params.memberStructs('Targets').map((t) => {
    const id = t.get('Id');
    if (!id) throw validationError("1 validation error detected: Value null at 'targets.member.id' failed to satisfy constraint: Member must not be null");
    const portText = t.get('Port');
    const port = portText === undefined ? undefined : Number(portText);
    if (port !== undefined && !(Number.isInteger(port) && port >= 1 && port <= 65535)) throw validationError(`Invalid port '${portText}' for target '${id}'`);
    return { id, port, availabilityZone: t.get('AvailabilityZone') ?? null };
  });
  if (targets.length === 0) requiredMember(ctx.params, 'Targets');
  return targets;
}

/**
 * AWS's rules for IP targets: an IPv4 address in the group's VPC CIDR, or in a private range
 * (RFC 1918, RFC 6598) with AvailabilityZone=all. Instance targets cannot be registered here
 * (the local cloud has no instances).
 */
async function checkTarget(ctx: ActionContext, group: TargetGroup, target: TargetSpec): Promise<void> {
  if (group.targetType === 'instance') throw new AwsQueryError('InvalidTarget', `The following targets are not valid instances: '${target.id}'`);
  const address = parseIpv4(target.id);
  if (address === undefined) throw new AwsQueryError('InvalidTarget', `The IP address '${target.id}' is not a valid IPv4 address`);
  const vpc = (await ctx.repos.network.findVpc(group.vpcId))!;
  if (cidrContainsAddress(parseCidr(vpc.cidrBlock)!, address)) {
    if (target.availabilityZone && target.availabilityZone !== 'all' && !ctx.region.zones.some((z) => z.zoneName === target.availabilityZone)) {
      throw validationError(`The availability zone '${target.availabilityZone}' is not valid`);
    }
    return;
  }
  if (!PRIVATE_RANGES.some((range) => cidrContainsAddress(range, address))) {
    throw new AwsQueryError('InvalidTarget', `The IP address '${target.id}' is not a private address: IP targets must be in the VPC CIDR or in the RFC 1918 / RFC 6598 ranges`);
  }
  if (target.availabilityZone !== 'all') {
    throw new AwsQueryError(
      'InvalidTarget',
      `The following targets are not in the target group VPC '${group.vpcId}': '${target.id}'; use AvailabilityZone 'all' for targets outside the VPC`,
    );
  }
}

/** RegisterTargets: `TargetGroupArn`, `Targets.member.N.Id/Port/AvailabilityZone`. Re-registering is a no-op. */
export async function registerTargets(ctx: ActionContext): Promise<Xml> {
  const group = await ownTargetGroup(ctx, requiredMember(ctx.params, 'TargetGroupArn'));
  const targets = parseTargets(ctx);
  for (const target of targets) await checkTarget(ctx, group, target);
  const registered = await ctx.repos.loadBalancers.listTargets([group.arn]);
  const key = (id: string, port: number) => `${id}:${port}`;
  const keys = new Set(registered.map((t) => key(t.targetId, t.port)));
  for (const target of targets) keys.add(key(target.id, target.port ?? group.port));
  if (keys.size > MAX_TARGETS_PER_GROUP) {
    throw new AwsQueryError('TooManyTargets', `The maximum number of targets per target group '${MAX_TARGETS_PER_GROUP}' has been reached on target group '${group.arn}'`);
  }
  for (const target of targets) {
    await ctx.repos.loadBalancers.insertTarget({
      targetGroupArn: group.arn,
      targetId: target.id,
      port: target.port ?? group.port,
      availabilityZone: target.availabilityZone,
      registeredAt: ctx.now,
    });
  }
  return xml();
}

/** DeregisterTargets: `Targets.member.N.Id/Port` (no port: every registration of the id). */
export async function deregisterTargets(ctx: ActionContext): Promise<Xml> {
  const group = await ownTargetGroup(ctx, requiredMember(ctx.params, 'TargetGroupArn'));
  const targets = parseTargets(ctx);
  const registered = await ctx.repos.loadBalancers.listTargets([group.arn]);
  const matches = (spec: TargetSpec) => registered.filter((t) => t.targetId === spec.id && (spec.port === undefined || t.port === spec.port));
  const missing = targets.filter((spec) => matches(spec).length === 0);
  if (missing.length > 0) {
    throw new AwsQueryError('InvalidTarget', `The following targets are not registered in target group '${group.arn}': ${missing.map((m) => `'${m.id}'`).join(', ')}`);
  }
  for (const spec of targets) for (const target of matches(spec)) await ctx.repos.loadBalancers.deleteTarget(group.arn, target.targetId, target.port);
  return xml();
}

/**
 * DescribeTargetHealth: `TargetGroupArn`, optional `Targets.member.N`. There are no real health
 * checks: a target is `unused` while no listener forwards to its group, `initial` while the load
 * balancer is provisioning, and `healthy` otherwise.
 */
export async function describeTargetHealth(ctx: ActionContext): Promise<Xml> {
  const group = await ownTargetGroup(ctx, requiredMember(ctx.params, 'TargetGroupArn'));
  let targets: Target[] = await ctx.repos.loadBalancers.listTargets([group.arn]);
  const wanted = ctx.params.memberStructs('Targets').map((t) => ({ id: t.get('Id') ?? '', port: t.get('Port') }));
  if (wanted.length > 0) {
    const missing = wanted.filter((w) => !targets.some((t) => t.targetId === w.id && (w.port === undefined || t.port === Number(w.port))));
    if (missing.length > 0)
      throw new AwsQueryError('InvalidTarget', `The following targets are not registered in target group '${group.arn}': ${missing.map((m) => `'${m.id}'`).join(', ')}`);
    targets = targets.filter((t) => wanted.some((w) => w.id === t.targetId && (w.port === undefined || Number(w.port) === t.port)));
  }
  const listeners = await ctx.repos.loadBalancers.listenersUsingTargetGroup(group.arn);
  const lb = listeners[0] ? await ctx.repos.loadBalancers.findLoadBalancer(listeners[0].loadBalancerArn) : undefined;
  const health = !lb
    ? { state: 'unused', reason: 'Target.NotInUse', description: 'Target group is not configured to receive traffic from the load balancer' }
    : lb.state === 'provisioning'
      ? { state: 'initial', reason: 'Elb.RegistrationInProgress', description: 'Target registration is in progress' }
      : { state: 'healthy', reason: undefined, description: undefined };
  return members('TargetHealthDescriptions', targets, (target) =>
    xml(
      element('Target', leaf('Id', target.targetId), leaf('Port', target.port), leaf('AvailabilityZone', target.availabilityZone)),
      leaf('HealthCheckPort', group.healthCheck.port === 'traffic-port' ? String(target.port) : group.healthCheck.port),
      element('TargetHealth', leaf('State', health.state), leaf('Reason', health.reason), leaf('Description', health.description)),
    ),
  );
}
