// The customer's side of the AWS flow on the local cloud's EC2, with the official SDK: their
// default VPC, a subnet in us-east-1a, interface endpoints to the provider's endpoint service.
import {
  CreateVpcEndpointCommand,
  DeleteVpcEndpointsCommand,
  DescribeSubnetsCommand,
  DescribeVpcEndpointServicesCommand,
  DescribeVpcsCommand,
  EC2Client,
} from '@aws-sdk/client-ec2';
import { FlowError, type CustomerSide } from './atlas-flow.js';

export class CustomerVpc implements CustomerSide {
  readonly provider = 'AWS' as const;
  readonly steps = 'DescribeVpcs+Subnets, CreateVpcEndpoint';
  readonly ec2: EC2Client;

  /** `endpoint`: the local cloud's AWS URL; `credentials`: bootstrap.json `localCloud.customer`. SDK retries off. */
  constructor(endpoint: string, credentials: { accessKeyId: string; secretAccessKey: string }) {
    this.ec2 = new EC2Client({ endpoint, region: 'us-east-1', credentials, maxAttempts: 1 });
  }

  /** DescribeVpcs (isDefault) → DescribeSubnets (us-east-1a) → CreateVpcEndpoint (Interface); registers as `{id: vpce}`. */
  async createEndpoint(serviceName: string): Promise<{ id: string; registration: Record<string, string> }> {
    const vpcs = await this.ec2.send(new DescribeVpcsCommand({ Filters: [{ Name: 'isDefault', Values: ['true'] }] }));
    const vpcId = vpcs.Vpcs?.[0]?.VpcId;
    if (!vpcId) throw new FlowError('DescribeVpcs: no default VPC');
    const subnets = await this.ec2.send(
      new DescribeSubnetsCommand({
        Filters: [
          { Name: 'vpc-id', Values: [vpcId] },
          { Name: 'availability-zone', Values: ['us-east-1a'] },
        ],
      }),
    );
    const subnetId = subnets.Subnets?.[0]?.SubnetId;
    if (!subnetId) throw new FlowError('DescribeSubnets: no subnet in us-east-1a');
    const created = await this.ec2.send(new CreateVpcEndpointCommand({ VpcId: vpcId, ServiceName: serviceName, VpcEndpointType: 'Interface', SubnetIds: [subnetId] }));
    const vpceId = created.VpcEndpoint?.VpcEndpointId;
    if (!vpceId) throw new FlowError('CreateVpcEndpoint: no endpoint id');
    return { id: vpceId, registration: { id: vpceId } };
  }

  /**
   * For many endpoints (the scale benchmark): the default VPC and its subnets with their zones
   * (DescribeVpcs, DescribeSubnets), read once; `subnetsFor` then picks those a service supports.
   */
  async defaultSubnets(): Promise<{ vpcId: string; subnets: Array<{ subnetId: string; zone: string }> }> {
    const vpcs = await this.ec2.send(new DescribeVpcsCommand({ Filters: [{ Name: 'isDefault', Values: ['true'] }] }));
    const vpcId = vpcs.Vpcs?.[0]?.VpcId;
    if (!vpcId) throw new FlowError('DescribeVpcs: no default VPC');
    const found = await this.ec2.send(new DescribeSubnetsCommand({ Filters: [{ Name: 'vpc-id', Values: [vpcId] }] }));
    const subnets = (found.Subnets ?? [])
      .filter((s) => s.AvailabilityZone !== undefined && s.SubnetId !== undefined)
      .map((s) => ({ subnetId: s.SubnetId!, zone: s.AvailabilityZone! }))
      .sort((a, b) => a.subnetId.localeCompare(b.subnetId));
    return { vpcId, subnets };
  }

  /**
   * The subnets among `subnets` in the availability zones `serviceName` supports
   * (DescribeVpcEndpointServices, as a customer does before CreateVpcEndpoint: services placed in
   * different provider accounts support different zones).
   */
  async subnetsFor(serviceName: string, subnets: ReadonlyArray<{ subnetId: string; zone: string }>): Promise<string[]> {
    const services = await this.ec2.send(new DescribeVpcEndpointServicesCommand({ ServiceNames: [serviceName] }));
    const zones = new Set(services.ServiceDetails?.[0]?.AvailabilityZones ?? []);
    const subnetIds = subnets.filter((s) => zones.has(s.zone)).map((s) => s.subnetId);
    if (subnetIds.length === 0) throw new FlowError(`no subnet of the default VPC in a zone of ${serviceName}`);
    return subnetIds;
  }

  /** CreateVpcEndpoint (Interface) in one given subnet, without reading anything first; registers as `{id: vpce}`. */
  async createEndpointIn(serviceName: string, vpcId: string, subnetId: string): Promise<{ id: string; registration: Record<string, string> }> {
    const created = await this.ec2.send(new CreateVpcEndpointCommand({ VpcId: vpcId, ServiceName: serviceName, VpcEndpointType: 'Interface', SubnetIds: [subnetId] }));
    const vpceId = created.VpcEndpoint?.VpcEndpointId;
    if (!vpceId) throw new FlowError('CreateVpcEndpoint: no endpoint id');
    return { id: vpceId, registration: { id: vpceId } };
  }

  async deleteEndpoint(vpceId: string): Promise<void> {
    await this.ec2.send(new DeleteVpcEndpointsCommand({ VpcEndpointIds: [vpceId] }));
  }

  close(): void {
    this.ec2.destroy();
  }
}
