import { AwsQueryError } from '../aws-query-error.js';
import type { Region } from '../geography.js';
import { ec2Id } from '../ids.js';
import { formatCidr, formatIpv4, parseCidr, usableRange } from '../../common/ipv4.js';
import type { LoopbackRange } from '../../common/loopback.js';
import type { NetworkInterface, Subnet, Tag, Vpc } from '../model.js';
import type { Repositories } from '../store/repositories.js';

/** Who and when, for creating network resources outside a request (default VPCs) or inside one. */
export interface NetworkScope {
  readonly repos: Repositories;
  readonly accountId: string;
  readonly region: Region;
  readonly now: Date;
  /** The AWS emulation's loopback range: its slots bound the number of VPCs. */
  readonly loopback: LoopbackRange;
}

/** The next free loopback slot: VPCs and on-premises networks take theirs from one sequence. */
export async function nextLoopbackSlot(repos: Repositories): Promise<number> {
  return Math.max(await repos.network.maxVpcSlot(), await repos.peering.maxOnPremisesSlot()) + 1;
}

/**
 * Creates a VPC as AWS does: with a main route table, DHCP options and its `default` security
 * group (inbound all from itself, outbound all to 0.0.0.0/0). Takes the next loopback slot;
 * fails with VpcLimitExceeded when no slot is left.
 */
export async function createVpc(scope: NetworkScope, cidrBlock: string, isDefault: boolean, tags: readonly Tag[]): Promise<Vpc> {
  const slot = await nextLoopbackSlot(scope.repos);
  if (slot > scope.loopback.maxSlot) {
    throw new AwsQueryError('VpcLimitExceeded', 'The maximum number of VPCs has been reached.');
  }
  const vpc: Omit<Vpc, 'seq'> = {
    vpcId: ec2Id('vpc'),
    accountId: scope.accountId,
    region: scope.region.regionName,
    cidrBlock,
    isDefault,
    slot,
    mainRouteTableId: ec2Id('rtb'),
    dhcpOptionsId: ec2Id('dopt'),
    tags: [...tags],
    createdAt: scope.now,
  };
  await scope.repos.network.insertVpc(vpc);
  const groupId = ec2Id('sg');
  await scope.repos.network.insertSecurityGroup({
    groupId,
    accountId: scope.accountId,
    region: scope.region.regionName,
    vpcId: vpc.vpcId,
    groupName: 'default',
    description: 'default VPC security group',
    tags: [],
    createdAt: scope.now,
  });
  const base = { groupId, fromPort: null, toPort: null, description: null, ipProtocol: '-1' };
  await scope.repos.network.insertRule({ ...base, ruleId: ec2Id('sgr'), isEgress: false, cidrIpv4: null, referencedGroupId: groupId }, scope.now);
  await scope.repos.network.insertRule({ ...base, ruleId: ec2Id('sgr'), isEgress: true, cidrIpv4: '0.0.0.0/0', referencedGroupId: null }, scope.now);
  return (await scope.repos.network.findVpc(vpc.vpcId))!;
}

/**
 * Makes the account's default VPC in the region on first use: 172.31.0.0/16 with one default /20
 * subnet per AZ (172.31.0.0/20 for the first AZ, 172.31.16.0/20 for the second, …). The provider
 * account gets no subnet in the AZ endpoint services never support. Idempotent.
 */
export async function ensureDefaultVpc(scope: NetworkScope, isProvider: boolean): Promise<void> {
  const existing = await scope.repos.control.findDefaultVpcId(scope.accountId, scope.region.regionName);
  if (existing) return;
  const vpc = await createVpc(scope, '172.31.0.0/16', true, []);
  const network = parseCidr('172.31.0.0/16')!;
  for (const [index, zone] of scope.region.zones.entries()) {
    if (isProvider && !zone.endpointServicesSupported) continue;
    const cidr = formatCidr({ network: network.network + index * 4096, prefix: 20, size: 4096 });
    await scope.repos.network.insertSubnet({
      subnetId: ec2Id('subnet'),
      accountId: scope.accountId,
      region: scope.region.regionName,
      vpcId: vpc.vpcId,
      availabilityZone: zone.zoneName,
      availabilityZoneId: zone.zoneId,
      cidrBlock: cidr,
      defaultForAz: true,
      mapPublicIpOnLaunch: true,
      tags: [],
      createdAt: scope.now,
    });
  }
  await scope.repos.control.recordAccountRegion(scope.accountId, scope.region.regionName, vpc.vpcId);
}

/**
 * Gives `owner` one network interface in each of `subnets` (distinct subnets), each with the
 * lowest free private address of its subnet (AWS reserves the first four and the last address of
 * a subnet), in two statements whatever the number of subnets or of interfaces in them. Fails with
 * InsufficientFreeAddressesInSubnet, making none, when one of the subnets is full.
 */
export async function allocateInterfaces(
  repos: Repositories,
  subnets: readonly Subnet[],
  owner: Pick<NetworkInterface, 'ownerKind' | 'ownerId' | 'description'>,
  now: Date,
): Promise<NetworkInterface[]> {
  const cidrs = new Map(subnets.map((subnet) => [subnet.subnetId, parseCidr(subnet.cidrBlock)!]));
  const free = await repos.network.lowestFreeAddresses(
    subnets.map((subnet) => {
      const { first, last } = usableRange(cidrs.get(subnet.subnetId)!);
      return { subnetId: subnet.subnetId, first, last };
    }),
  );
  const enis = subnets.map((subnet): Omit<NetworkInterface, 'seq'> => {
    const cidr = cidrs.get(subnet.subnetId)!;
    const address = free.get(subnet.subnetId);
    const privateIp = address === undefined ? undefined : formatIpv4(address);
    if (!privateIp) {
      throw new AwsQueryError('InsufficientFreeAddressesInSubnet', `Insufficient free IP addresses in subnet ${subnet.subnetId} (${formatIpv4(cidr.network)}/${cidr.prefix}).`);
    }
    return {
      networkInterfaceId: ec2Id('eni'),
      accountId: subnet.accountId,
      region: subnet.region,
      vpcId: subnet.vpcId,
      subnetId: subnet.subnetId,
      availabilityZone: subnet.availabilityZone,
      privateIp,
      ...owner,
      createdAt: now,
    };
  });
  return repos.network.insertInterfaces(enis);
}
