import type { ActionContext } from '../action-context.js';
import { AwsQueryError } from '../aws-query-error.js';
import { findZone } from '../geography.js';
import { ec2Id } from '../ids.js';
import { cidrContains, cidrsOverlap, formatCidr, parseCidr, usableRange } from '../../common/ipv4.js';
import type { Subnet, Vpc } from '../model.js';
import { parseFilters } from '../query-params.js';
import { element, leaf, list, xml, type Xml } from '../xml.js';
import { invalidParameterValue, required, subnetNotFound, vpcNotFound } from './ec2-errors.js';
import { renderSubnet, renderVpc } from './ec2-render.js';
import { applyFilters } from './filters.js';
import { createVpc } from './network-factory.js';
import { paginate } from './paging.js';
import { tagsFromSpecifications } from './tags.js';
import { VPC_PER_REGION } from '../servicequotas/quota-catalogue.js';
import { appliedQuota } from '../servicequotas/quota-values.js';
import { namedAmong } from '../../common/named-rows.js';

/** The caller's VPC `vpcId` in the request region, or InvalidVpcID.NotFound. */
export async function ownVpc(ctx: ActionContext, vpcId: string): Promise<Vpc> {
  const vpc = await ctx.repos.network.findVpc(vpcId);
  if (!vpc || vpc.accountId !== ctx.account.accountId || vpc.region !== ctx.region.regionName) throw vpcNotFound(vpcId);
  return vpc;
}

/** The caller's subnet `subnetId` in the request region, or InvalidSubnetID.NotFound. */
export async function ownSubnet(ctx: ActionContext, subnetId: string): Promise<Subnet> {
  const subnet = await ctx.repos.network.findSubnet(subnetId);
  if (!subnet || subnet.accountId !== ctx.account.accountId || subnet.region !== ctx.region.regionName) throw subnetNotFound(subnetId);
  return subnet;
}

/**
 * CreateVpc: `CidrBlock` (/16 … /28), `TagSpecification.N` (vpc). Refused with VpcLimitExceeded
 * once the account has the applied value of Service Quotas `L-F678F1CE` (VPCs per Region, AWS's
 * default 5) in the region, its default VPC included.
 */
export async function createVpcAction(ctx: ActionContext): Promise<Xml> {
  const text = required(ctx.params, 'CidrBlock');
  const cidr = parseCidr(text);
  if (!cidr) throw invalidParameterValue(`Value (${text}) for parameter cidrBlock is invalid. This is not a valid CIDR block.`);
  if (cidr.prefix < 16 || cidr.prefix > 28) throw new AwsQueryError('InvalidVpc.Range', `The CIDR '${text}' is invalid.`);
  const tags = tagsFromSpecifications(ctx.params, 'vpc');
  const count = (await ctx.repos.network.listVpcs(ctx.account.accountId, ctx.region.regionName)).length;
  if (count >= (await appliedQuota(ctx.repos, ctx.account.accountId, ctx.region.regionName, VPC_PER_REGION, ctx.now))) {
    throw new AwsQueryError('VpcLimitExceeded', 'The maximum number of VPCs has been reached.');
  }
  const vpc = await createVpc({ repos: ctx.repos, accountId: ctx.account.accountId, region: ctx.region, now: ctx.now, loopback: ctx.loopback }, formatCidr(cidr), false, tags);
  return element('vpc', renderVpc(vpc));
}

/** DescribeVpcs: `VpcId.N`, filters vpc-id, cidr, cidr-block-association.cidr-block, is-default/isDefault, owner-id, state, tags; paging 5–1000. */
export async function describeVpcs(ctx: ActionContext): Promise<Xml> {
  const ids = ctx.params.list('VpcId');
  let vpcs = namedAmong(await ctx.repos.network.listVpcs(ctx.account.accountId, ctx.region.regionName), ids, (vpc) => vpc.vpcId, vpcNotFound);
  vpcs = applyFilters(
    vpcs,
    parseFilters(ctx.params),
    {
      'vpc-id': (v) => v.vpcId,
      cidr: (v) => v.cidrBlock,
      'cidr-block': (v) => v.cidrBlock,
      'cidr-block-association.cidr-block': (v) => v.cidrBlock,
      'cidr-block-association.state': () => 'associated',
      'is-default': (v) => v.isDefault,
      isDefault: (v) => v.isDefault,
      'owner-id': (v) => v.accountId,
      state: () => 'available',
      'dhcp-options-id': (v) => v.dhcpOptionsId,
    },
    (v) => v.tags,
  );
  const { page, nextToken } = await paginate(vpcs, ctx.params, { min: 5, max: 1000 });
  return xml(list('vpcSet', 'item', page, renderVpc), leaf('nextToken', nextToken));
}

/** CreateSubnet: `VpcId`, `CidrBlock`, `AvailabilityZone` or `AvailabilityZoneId`, tags (subnet). */
export async function createSubnet(ctx: ActionContext): Promise<Xml> {
  const vpc = await ownVpc(ctx, required(ctx.params, 'VpcId'));
  const text = required(ctx.params, 'CidrBlock');
  const cidr = parseCidr(text);
  if (!cidr) throw invalidParameterValue(`Value (${text}) for parameter cidrBlock is invalid. This is not a valid CIDR block.`);
  if (cidr.prefix > 28 || !cidrContains(parseCidr(vpc.cidrBlock)!, cidr)) throw new AwsQueryError('InvalidSubnet.Range', `The CIDR '${text}' is invalid.`);
  const siblings = await ctx.repos.network.listSubnetsOfVpc(vpc.vpcId);
  if (siblings.some((subnet) => cidrsOverlap(parseCidr(subnet.cidrBlock)!, cidr))) {
    throw new AwsQueryError('InvalidSubnet.Conflict', `The CIDR '${text}' conflicts with another subnet`);
  }
  const zoneName = ctx.params.get('AvailabilityZone');
  const zoneId = ctx.params.get('AvailabilityZoneId');
  const zoneList = ctx.region.zones.map((z) => z.zoneName).join(', ');
  const zone = zoneName || zoneId ? findZone(ctx.region, (zoneName || zoneId)!) : ctx.region.zones[0];
  if (!zone || (zoneName && zone.zoneName !== zoneName) || (zoneId && zone.zoneId !== zoneId)) {
    throw invalidParameterValue(
      `Value (${zoneName ?? zoneId}) for parameter availabilityZone is invalid. Subnets can currently only be created in the following availability zones: ${zoneList}.`,
    );
  }
  const tags = tagsFromSpecifications(ctx.params, 'subnet');
  const subnetId = ec2Id('subnet');
  await ctx.repos.network.insertSubnet({
    subnetId,
    accountId: ctx.account.accountId,
    region: ctx.region.regionName,
    vpcId: vpc.vpcId,
    availabilityZone: zone.zoneName,
    availabilityZoneId: zone.zoneId,
    cidrBlock: formatCidr(cidr),
    defaultForAz: false,
    mapPublicIpOnLaunch: false,
    tags,
    createdAt: ctx.now,
  });
  const subnet = (await ctx.repos.network.findSubnet(subnetId))!;
  return element('subnet', renderSubnet(subnet, usableRange(cidr).count));
}

/** DescribeSubnets: `SubnetId.N`, filters vpc-id, subnet-id, availability-zone(-id), default-for-az/defaultForAz, cidr-block, state, owner-id, tags; paging 5–1000. */
export async function describeSubnets(ctx: ActionContext): Promise<Xml> {
  const ids = ctx.params.list('SubnetId');
  let subnets = namedAmong(await ctx.repos.network.listSubnets(ctx.account.accountId, ctx.region.regionName), ids, (subnet) => subnet.subnetId, subnetNotFound);
  subnets = applyFilters(
    subnets,
    parseFilters(ctx.params),
    {
      'vpc-id': (s) => s.vpcId,
      vpcId: (s) => s.vpcId,
      'subnet-id': (s) => s.subnetId,
      subnetId: (s) => s.subnetId,
      'availability-zone': (s) => s.availabilityZone,
      availabilityZone: (s) => s.availabilityZone,
      'availability-zone-id': (s) => s.availabilityZoneId,
      'default-for-az': (s) => s.defaultForAz,
      defaultForAz: (s) => s.defaultForAz,
      'cidr-block': (s) => s.cidrBlock,
      cidr: (s) => s.cidrBlock,
      cidrBlock: (s) => s.cidrBlock,
      state: () => 'available',
      'owner-id': (s) => s.accountId,
      'map-public-ip-on-launch': (s) => s.mapPublicIpOnLaunch,
      'subnet-arn': (s) => `arn:aws:ec2:${s.region}:${s.accountId}:subnet/${s.subnetId}`,
    },
    (s) => s.tags,
  );
  const { page, nextToken } = await paginate(subnets, ctx.params, { min: 5, max: 1000 });
  const items: Xml[] = [];
  for (const subnet of page) {
    const used = (await ctx.repos.network.listInterfacesOfSubnet(subnet.subnetId)).length;
    items.push(renderSubnet(subnet, usableRange(parseCidr(subnet.cidrBlock)!).count - used));
  }
  return xml(
    list('subnetSet', 'item', items, (x) => x),
    leaf('nextToken', nextToken),
  );
}

/** DeleteSubnet: refused with DependencyViolation while network interfaces use it. */
export async function deleteSubnet(ctx: ActionContext): Promise<Xml> {
  const subnet = await ownSubnet(ctx, required(ctx.params, 'SubnetId'));
  if ((await ctx.repos.network.listInterfacesOfSubnet(subnet.subnetId)).length > 0) {
    throw new AwsQueryError('DependencyViolation', `The subnet '${subnet.subnetId}' has dependencies and cannot be deleted.`);
  }
  await ctx.repos.network.deleteSubnet(subnet.subnetId);
  return leaf('return', true);
}

/**
 * DeleteVpc: refused with DependencyViolation while the VPC has subnets, security groups other
 * than `default`, or load balancers. The local cloud keeps default VPCs (OperationNotPermitted).
 */
export async function deleteVpc(ctx: ActionContext): Promise<Xml> {
  const vpc = await ownVpc(ctx, required(ctx.params, 'VpcId'));
  if (vpc.isDefault) throw new AwsQueryError('OperationNotPermitted', `The local cloud does not delete default VPCs ('${vpc.vpcId}').`);
  const subnets = await ctx.repos.network.listSubnetsOfVpc(vpc.vpcId);
  const groups = (await ctx.repos.network.listSecurityGroups(ctx.account.accountId, ctx.region.regionName)).filter((g) => g.vpcId === vpc.vpcId && g.groupName !== 'default');
  const balancers = (await ctx.repos.loadBalancers.listLoadBalancers(ctx.account.accountId, ctx.region.regionName)).filter((lb) => lb.vpcId === vpc.vpcId);
  if (subnets.length > 0 || groups.length > 0 || balancers.length > 0) {
    throw new AwsQueryError('DependencyViolation', `The vpc '${vpc.vpcId}' has dependencies and cannot be deleted.`);
  }
  await ctx.repos.network.deleteVpc(vpc.vpcId);
  return leaf('return', true);
}
