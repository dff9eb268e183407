import {
  CreateSubnetCommand,
  CreateVpcCommand,
  DeleteSubnetCommand,
  DeleteVpcCommand,
  DescribeAvailabilityZonesCommand,
  DescribeSubnetsCommand,
  DescribeVpcsCommand,
  type Subnet,
} from '@aws-sdk/client-ec2';
import { DescribeLoadBalancersCommand, type LoadBalancer } from '@aws-sdk/client-elastic-load-balancing-v2';
import { ProviderError } from '../cloud-provider.js';
import type { RegionClients } from './aws-clients.js';
import { aws, awsOrAbsent } from './aws-errors.js';

/**
 * The provider VPC of a pool account in a region: the VPC privlink creates for its load balancers
 * there ("Atlas creates its own VPC and places clusters within a region behind a network load
 * balancer in the Atlas VPC"), with one subnet per availability zone that network load balancers
 * support. Found by its tag, never by a stored id, so a create whose answer was lost is adopted.
 */
export const PROVIDER_VPC_TAG = 'privlink:provider-vpc';
/** The provider VPC's address space; subnet n (availability zone n of the region) is `10.64.<16n>.0/20`. */
const PROVIDER_VPC_CIDR = '10.64.0.0/16';

/**
 * The provider VPC of the account in the region, if it exists. Should two have been made (two
 * replicas racing on an empty region), the one with the lowest id is the provider VPC for every
 * replica; the other holds nothing and is removed with the region's network.
 */
export async function findProviderVpc(clients: RegionClients, region: string): Promise<string | undefined> {
  const answer = await aws(() => clients.ec2.send(new DescribeVpcsCommand({ Filters: [{ Name: `tag:${PROVIDER_VPC_TAG}`, Values: [region] }] })));
  return (answer.Vpcs ?? [])
    .map((v) => v.VpcId!)
    .filter(Boolean)
    .sort()[0];
}

/** Every VPC of the account in the region (what counts against the VPCs-per-region quota). */
export async function countVpcs(clients: RegionClients): Promise<number> {
  let count = 0;
  let token: string | undefined;
  do {
    const page = await aws(() => clients.ec2.send(new DescribeVpcsCommand({ NextToken: token, MaxResults: 1000 })));
    count += page.Vpcs?.length ?? 0;
    token = page.NextToken;
  } while (token);
  return count;
}

async function subnetsOf(clients: RegionClients, vpcId: string): Promise<Subnet[]> {
  const answer = await aws(() => clients.ec2.send(new DescribeSubnetsCommand({ Filters: [{ Name: 'vpc-id', Values: [vpcId] }] })));
  return answer.Subnets ?? [];
}

/**
 * Makes (or finds) the provider VPC and its subnets: one per availability zone of the region.
 * Idempotent: a repeated call after a crash finds the VPC by tag and adds only missing subnets.
 * Returns the subnet ids by availability zone name.
 */
export async function ensureProviderNetwork(clients: RegionClients, region: string): Promise<Map<string, string>> {
  let vpcId = await findProviderVpc(clients, region);
  if (!vpcId) {
    const created = await aws(() =>
      clients.ec2.send(
        new CreateVpcCommand({
          CidrBlock: PROVIDER_VPC_CIDR,
          TagSpecifications: [
            {
              ResourceType: 'vpc',
              Tags: [
                { Key: PROVIDER_VPC_TAG, Value: region },
                { Key: 'Name', Value: `privlink-provider-${region}` },
              ],
            },
          ],
        }),
      ),
    ).catch(async (error: unknown) => {
      // Another replica made the provider VPC meanwhile and took the account's last VPC: use it.
      if (error instanceof ProviderError && error.code === 'VpcLimitExceeded' && (await findProviderVpc(clients, region))) return undefined;
      throw error;
    });
    vpcId = (await findProviderVpc(clients, region)) ?? created?.Vpc?.VpcId;
    if (!vpcId) throw new ProviderError('transient', 'VpcMissing', 'The provider VPC was not returned');
  }
  const byZone = new Map<string, string>();
  for (const subnet of await subnetsOf(clients, vpcId)) {
    if (subnet.AvailabilityZone && subnet.SubnetId) byZone.set(subnet.AvailabilityZone, subnet.SubnetId);
  }
  if (byZone.size > 0) return byZone;
  const zones = await aws(() => clients.ec2.send(new DescribeAvailabilityZonesCommand({ Filters: [{ Name: 'state', Values: ['available'] }] })));
  for (const [index, zone] of (zones.AvailabilityZones ?? []).entries()) {
    if (!zone.ZoneName || index >= 16) continue;
    const created = await aws(() =>
      clients.ec2.send(
        new CreateSubnetCommand({
          VpcId: vpcId,
          CidrBlock: `10.64.${index * 16}.0/20`,
          AvailabilityZone: zone.ZoneName,
          TagSpecifications: [{ ResourceType: 'subnet', Tags: [{ Key: PROVIDER_VPC_TAG, Value: region }] }],
        }),
      ),
    ).catch((error: unknown) => {
      // Another pass (this replica's or another's) is making the same subnets of a new provider VPC
      // at this moment: its CIDR is taken. Not a failure of this service: the pass is retried, and
      // then finds the subnets the other made.
      if (error instanceof ProviderError && error.code === 'InvalidSubnet.Conflict') {
        throw new ProviderError('conflict', error.code, `Another pass is making the subnets of provider VPC ${vpcId}: ${error.message}`);
      }
      throw error;
    });
    if (created.Subnet?.SubnetId) byZone.set(zone.ZoneName, created.Subnet.SubnetId);
  }
  return byZone;
}

/** Removes one subnet of the provider VPC (an availability zone network load balancers do not support). */
export async function dropProviderSubnet(clients: RegionClients, subnetId: string): Promise<void> {
  await awsOrAbsent(() => clients.ec2.send(new DeleteSubnetCommand({ SubnetId: subnetId })), ['InvalidSubnetID.NotFound']);
}

/**
 * Deletes the provider VPC(s) of the region with their subnets, once no load balancer is left in
 * them (a `conflict` otherwise: the caller retries). Absence is success.
 */
export async function deleteProviderNetwork(clients: RegionClients, region: string): Promise<void> {
  const answer = await aws(() => clients.ec2.send(new DescribeVpcsCommand({ Filters: [{ Name: `tag:${PROVIDER_VPC_TAG}`, Values: [region] }] })));
  const vpcIds = (answer.Vpcs ?? []).map((v) => v.VpcId!).filter(Boolean);
  if (vpcIds.length === 0) return;
  const balancers = await listLoadBalancers(clients);
  for (const vpcId of vpcIds) {
    if (balancers.some((lb) => lb.VpcId === vpcId)) throw new ProviderError('conflict', 'DependencyViolation', `Load balancers still use provider VPC ${vpcId}`);
    for (const subnet of await subnetsOf(clients, vpcId)) await dropProviderSubnet(clients, subnet.SubnetId!);
    await awsOrAbsent(() => clients.ec2.send(new DeleteVpcCommand({ VpcId: vpcId })), ['InvalidVpcID.NotFound']);
  }
}

async function listLoadBalancers(clients: RegionClients): Promise<LoadBalancer[]> {
  const out: LoadBalancer[] = [];
  let marker: string | undefined;
  do {
    const page = await aws(() => clients.elb.send(new DescribeLoadBalancersCommand({ Marker: marker, PageSize: 400 })));
    out.push(...(page.LoadBalancers ?? []));
    marker = page.NextMarker;
  } while (marker);
  return out;
}
