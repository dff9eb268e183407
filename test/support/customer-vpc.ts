import {
  AuthorizeSecurityGroupIngressCommand,
  CreateVpcEndpointCommand,
  DescribeSecurityGroupsCommand,
  DescribeSubnetsCommand,
  DescribeVpcsCommand,
  type EC2Client,
  type Vpc,
} from '@aws-sdk/client-ec2';

/**
 * The customer's side of a private endpoint, as the AWS documentation has it: an interface endpoint
 * in the default VPC, in a subnet of `zone`, to `serviceName`. With `openToVpc` the default
 * security group (attached to the endpoint) first admits TCP 1024–65535 from the VPC's own CIDR,
 * so the VPC's clients can connect through it. Returns the endpoint id (`vpce-…`).
 */
export async function customerEndpoint(ec2: EC2Client, serviceName: string, options: { zone?: string; openToVpc?: boolean } = {}): Promise<string> {
  const vpc = await defaultVpc(ec2);
  const subnet = (
    await ec2.send(
      new DescribeSubnetsCommand({
        Filters: [
          { Name: 'vpc-id', Values: [vpc.VpcId!] },
          { Name: 'availability-zone', Values: [options.zone ?? 'us-east-1a'] },
        ],
      }),
    )
  ).Subnets![0]!;
  const securityGroupIds = options.openToVpc ? [await openDefaultGroupToVpc(ec2, vpc)] : undefined;
  const created = await ec2.send(
    new CreateVpcEndpointCommand({
      VpcId: vpc.VpcId,
      ServiceName: serviceName,
      VpcEndpointType: 'Interface',
      SubnetIds: [subnet.SubnetId!],
      ...(securityGroupIds ? { SecurityGroupIds: securityGroupIds } : {}),
    }),
  );
  return created.VpcEndpoint!.VpcEndpointId!;
}

/** The customer's default VPC. */
export async function defaultVpc(ec2: EC2Client): Promise<Vpc> {
  return (await ec2.send(new DescribeVpcsCommand({ Filters: [{ Name: 'isDefault', Values: ['true'] }] }))).Vpcs![0]!;
}

/** The id of a VPC's default security group. */
export async function defaultGroupId(ec2: EC2Client, vpcId: string): Promise<string> {
  const groups = await ec2.send(
    new DescribeSecurityGroupsCommand({
      Filters: [
        { Name: 'vpc-id', Values: [vpcId] },
        { Name: 'group-name', Values: ['default'] },
      ],
    }),
  );
  return groups.SecurityGroups![0]!.GroupId!;
}

/** Lets the VPC's own clients through its default security group (TCP 1024–65535 from the VPC's CIDR); returns the group's id. */
export async function openDefaultGroupToVpc(ec2: EC2Client, vpc: Vpc): Promise<string> {
  const groupId = await defaultGroupId(ec2, vpc.VpcId!);
  await ec2.send(
    new AuthorizeSecurityGroupIngressCommand({
      GroupId: groupId,
      IpPermissions: [{ IpProtocol: 'tcp', FromPort: 1024, ToPort: 65535, IpRanges: [{ CidrIp: vpc.CidrBlock }] }],
    }),
  );
  return groupId;
}

/** The customer's default VPC and its default security group. */
export async function defaultVpcAndGroup(ec2: EC2Client): Promise<{ id: string; cidr: string; groupId: string }> {
  const vpc = await defaultVpc(ec2);
  return { id: vpc.VpcId!, cidr: vpc.CidrBlock!, groupId: await defaultGroupId(ec2, vpc.VpcId!) };
}
