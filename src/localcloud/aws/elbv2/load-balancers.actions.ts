import { asShown, type ActionContext } from '../action-context.js';
import { AwsQueryError } from '../aws-query-error.js';
import { allocateInterfaces } from '../ec2/network-factory.js';
import { elbId } from '../ids.js';
import type { LoadBalancer, Subnet } from '../model.js';
import { xml, type Xml } from '../xml.js';
import { NLB_PER_REGION } from '../servicequotas/quota-catalogue.js';
import { appliedQuota } from '../servicequotas/quota-values.js';
import { loadBalancerArn } from './arns.js';
import { checkArn, checkName, invalidConfiguration, loadBalancerNotFound, requiredMember, validationError } from './elbv2-errors.js';
import { members, renderLoadBalancer } from './elbv2-render.js';
import { parseElbTags } from './elbv2-tags.js';
import { paginateMarker } from './paging.js';

/** The caller's load balancer by ARN in the request region, or LoadBalancerNotFound. */
export async function ownLoadBalancer(ctx: ActionContext, arn: string): Promise<LoadBalancer> {
  checkArn(arn, 'loadbalancer');
  const lb = await ctx.repos.loadBalancers.findLoadBalancer(arn);
  if (!lb || lb.accountId !== ctx.account.accountId || lb.region !== ctx.region.regionName) throw loadBalancerNotFound();
  return lb;
}

function sameSettings(lb: LoadBalancer, wanted: Pick<LoadBalancer, 'scheme' | 'ipAddressType' | 'securityGroups'>, subnetIds: readonly string[]): boolean {
  const sorted = (values: readonly string[]) => [...values].sort().join(',');
  return (
    lb.scheme === wanted.scheme &&
    lb.ipAddressType === wanted.ipAddressType &&
    sorted(lb.subnets.map((s) => s.subnetId)) === sorted(subnetIds) &&
    sorted(lb.securityGroups) === sorted(wanted.securityGroups)
  );
}

/**
 * CreateLoadBalancer (network only): `Name`, `Type=network`, `Scheme`, `Subnets.member.N` or
 * `SubnetMappings.member.N.SubnetId`, `SecurityGroups.member.N`, `IpAddressType=ipv4`,
 * `Tags.member.N`. Same name and settings returns the existing one; same name, other settings
 * fails with DuplicateLoadBalancerName. A subnet in the AZ endpoint services never support fails
 * with AvailabilityZoneNotSupported. One network interface per subnet. Starts `provisioning`.
 */
export async function createLoadBalancer(ctx: ActionContext): Promise<Xml> {
  const name = checkName(requiredMember(ctx.params, 'Name'), 'Load balancer');
  const type = ctx.params.get('Type') || 'application';
  if (!['application', 'network', 'gateway'].includes(type)) {
    throw validationError(
      `1 validation error detected: Value '${type}' at 'type' failed to satisfy constraint: Member must satisfy enum value set: [application, network, gateway]`,
    );
  }
  if (type !== 'network') throw invalidConfiguration(`Load balancers of type '${type}' are not supported by the local cloud; use Type=network`);
  const scheme = (ctx.params.get('Scheme') || 'internet-facing') as LoadBalancer['scheme'];
  if (scheme !== 'internal' && scheme !== 'internet-facing')
    throw validationError(
      `1 validation error detected: Value '${scheme}' at 'scheme' failed to satisfy constraint: Member must satisfy enum value set: [internal, internet-facing]`,
    );
  const ipAddressType = ctx.params.get('IpAddressType') || 'ipv4';
  if (ipAddressType !== 'ipv4') throw invalidConfiguration(`IP address type '${ipAddressType}' is not supported by the local cloud`);
  const mappings = ctx.params.memberStructs('SubnetMappings');
  if (mappings.some((m) => m.has('PrivateIPv4Address') || m.has('AllocationId') || m.has('IPv6Address'))) {
    throw invalidConfiguration('Subnet mappings with addresses are not supported by the local cloud; give subnet IDs only');
  }
  const subnetIds = [...new Set([...ctx.params.members('Subnets'), ...mappings.map((m) => m.get('SubnetId') ?? '')])].filter(Boolean);
  if (subnetIds.length === 0) throw validationError('At least one subnet must be specified');
  const securityGroups = ctx.params.members('SecurityGroups');
  const tags = parseElbTags(ctx.params);

  const [existing] = await ctx.repos.loadBalancers.listLoadBalancers(ctx.account.accountId, ctx.region.regionName, { key: 'name', values: [name] });
  if (existing) {
    if (sameSettings(existing, { scheme, ipAddressType, securityGroups }, subnetIds)) return members('LoadBalancers', [existing], (lb) => renderLoadBalancer(lb, ctx.region));
    throw new AwsQueryError('DuplicateLoadBalancerName', `A load balancer with the same name '${name}' exists, but with different settings`);
  }
  // AWS's default quota (50), or the value an approved Service Quotas increase applied.
  if (
    (await ctx.repos.loadBalancers.countLoadBalancers(ctx.account.accountId, ctx.region.regionName)) >=
    (await appliedQuota(ctx.repos, ctx.account.accountId, ctx.region.regionName, NLB_PER_REGION, ctx.now))
  )
    throw new AwsQueryError('TooManyLoadBalancers', 'The quota for the number of load balancers has been reached');

  // Read at once; checked in the order given, so the first bad subnet is the one named.
  const found = new Map((await ctx.repos.network.findSubnets(subnetIds)).map((s) => [s.subnetId, s]));
  const subnets: Subnet[] = [];
  for (const subnetId of subnetIds) {
    const subnet = found.get(subnetId);
    if (!subnet || subnet.accountId !== ctx.account.accountId || subnet.region !== ctx.region.regionName) {
      throw new AwsQueryError('SubnetNotFound', `The subnet ID '${subnetId}' is not valid`);
    }
    const zone = ctx.region.zones.find((z) => z.zoneId === subnet.availabilityZoneId);
    if (!zone?.endpointServicesSupported) {
      throw new AwsQueryError(
        'AvailabilityZoneNotSupported',
        `The specified Availability Zone '${subnet.availabilityZone}' (${subnet.availabilityZoneId}) is not supported by load balancers of type 'network'`,
      );
    }
    if (subnets.some((s) => s.vpcId !== subnet.vpcId)) throw invalidConfiguration('All subnets of a load balancer must be in the same VPC');
    if (subnets.some((s) => s.availabilityZoneId === subnet.availabilityZoneId)) {
      throw invalidConfiguration('A load balancer cannot be attached to multiple subnets in the same Availability Zone');
    }
    subnets.push(subnet);
  }
  // subnetIds is not empty (checked above) and every one of them was pushed or threw.
  const vpcId = subnets[0]!.vpcId;
  for (const groupId of securityGroups) {
    const group = await ctx.repos.network.findSecurityGroup(groupId);
    if (!group || group.accountId !== ctx.account.accountId || group.vpcId !== vpcId) {
      throw new AwsQueryError('InvalidSecurityGroup', `One or more security groups are invalid: '${groupId}'`);
    }
  }
  const id = elbId();
  const arn = loadBalancerArn(ctx.region.regionName, ctx.account.accountId, name, id);
  const timing = ctx.schedule('provisioning', 'active', ctx.delays.loadBalancerProvisioning, 'loadBalancer');
  const lb = await ctx.repos.loadBalancers.insertLoadBalancer({
    arn,
    accountId: ctx.account.accountId,
    region: ctx.region.regionName,
    name,
    type: 'network',
    scheme,
    ipAddressType,
    vpcId,
    dnsName: `${name}-${id}.elb.${ctx.region.regionName}.amazonaws.com`,
    state: timing.stored.state as LoadBalancer['state'],
    nextState: timing.stored.nextState,
    nextStateAt: timing.stored.nextStateAt,
    subnets: subnets.map((s) => ({ subnetId: s.subnetId, zoneName: s.availabilityZone, zoneId: s.availabilityZoneId })),
    securityGroups,
    tags,
    createdAt: ctx.now,
  });
  await allocateInterfaces(ctx.repos, subnets, { ownerKind: 'network_load_balancer', ownerId: arn, description: `ELB net/${name}/${id}` }, ctx.now);
  return members('LoadBalancers', [asShown(lb, timing)], (x) => renderLoadBalancer(x, ctx.region));
}

/** DescribeLoadBalancers: `LoadBalancerArns.member.N` or `Names.member.N`; `PageSize`/`Marker`. */
export async function describeLoadBalancers(ctx: ActionContext): Promise<Xml> {
  const arns = ctx.params.members('LoadBalancerArns');
  const names = ctx.params.members('Names');
  if (arns.length > 0 && names.length > 0) throw validationError('Load balancer names and load balancer ARNs cannot be specified at the same time');
  arns.forEach((arn) => checkArn(arn, 'loadbalancer'));
  const { accountId } = ctx.account;
  const { regionName } = ctx.region;
  // Named ones are read by their key (the account's others are not read); otherwise the page's own rows.
  const only = arns.length > 0 ? ({ key: 'arn', values: arns } as const) : names.length > 0 ? ({ key: 'name', values: names } as const) : undefined;
  const named = only && (await ctx.repos.loadBalancers.listLoadBalancers(accountId, regionName, only));
  if (arns.some((arn) => !named!.some((lb) => lb.arn === arn))) throw loadBalancerNotFound();
  const missing = names.filter((n) => !named!.some((lb) => lb.name === n));
  if (missing.length > 0) throw loadBalancerNotFound(`Load balancers '[${missing.join(', ')}]' not found`);
  const { page, nextMarker } = await paginateMarker(named ?? ((window) => ctx.repos.loadBalancers.listLoadBalancers(accountId, regionName, undefined, window)), ctx.params);
  return xml(
    members('LoadBalancers', page, (lb) => renderLoadBalancer(lb, ctx.region)),
    nextMarker,
  );
}

/**
 * DeleteLoadBalancer: also deletes its listeners and network interfaces. Succeeds for a load
 * balancer that does not exist (as AWS); fails with ResourceInUse while an endpoint service uses it.
 */
export async function deleteLoadBalancer(ctx: ActionContext): Promise<Xml> {
  const arn = checkArn(requiredMember(ctx.params, 'LoadBalancerArn'), 'loadbalancer');
  const lb = await ctx.repos.loadBalancers.findLoadBalancer(arn);
  if (!lb || lb.accountId !== ctx.account.accountId || lb.region !== ctx.region.regionName) return xml();
  if ((await ctx.repos.endpoints.servicesUsingLoadBalancers(ctx.account.accountId, ctx.region.regionName, [arn])).length > 0) {
    throw new AwsQueryError('ResourceInUse', `Load balancer '${arn}' cannot be deleted because it is currently associated with another service`);
  }
  await ctx.repos.network.deleteInterfacesOfOwner(arn);
  await ctx.repos.loadBalancers.deleteLoadBalancer(arn);
  return xml();
}
