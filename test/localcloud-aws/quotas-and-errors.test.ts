import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import {
  AuthorizeSecurityGroupEgressCommand,
  AuthorizeSecurityGroupIngressCommand,
  CreateSecurityGroupCommand,
  CreateSubnetCommand,
  CreateVpcCommand,
  CreateVpcEndpointCommand,
  DeleteSubnetCommand,
  DescribeAvailabilityZonesCommand,
  DescribeInstancesCommand,
  DescribeSecurityGroupsCommand,
  DescribeSubnetsCommand,
  DescribeVpcEndpointServiceConfigurationsCommand,
  DescribeVpcEndpointsCommand,
  DescribeVpcsCommand,
} from '@aws-sdk/client-ec2';
import {
  AddTagsCommand,
  CreateListenerCommand,
  CreateLoadBalancerCommand,
  CreateTargetGroupCommand,
  DeleteListenerCommand,
  DeleteLoadBalancerCommand,
  DeleteTargetGroupCommand,
  DescribeSSLPoliciesCommand,
  DescribeTagsCommand,
  RegisterTargetsCommand,
} from '@aws-sdk/client-elastic-load-balancing-v2';
import { defaultNetwork, providerService, rejectsWith, startHarness, type Harness, type ProviderService } from './harness.js';

describe('ELBv2 quotas and errors', () => {
  let h: Harness;
  let svc: ProviderService;
  before(async () => {
    h = await startHarness();
    svc = await providerService(h);
  });
  after(async () => h?.close());

  test('a second listener on a port is DuplicateListener; the same listener again returns the existing one', async () => {
    const elb = h.elb(h.cloud.accounts.provider);
    const other = (await elb.send(new CreateTargetGroupCommand({ Name: 'other', Protocol: 'TCP', Port: 27018, VpcId: svc.providerVpcId, TargetType: 'ip' }))).TargetGroups![0]!;
    await rejectsWith(
      elb.send(
        new CreateListenerCommand({
          LoadBalancerArn: svc.loadBalancerArn,
          Protocol: 'TCP',
          Port: 1024,
          DefaultActions: [{ Type: 'forward', TargetGroupArn: other.TargetGroupArn }],
        }),
      ),
      'DuplicateListener',
      { message: `A listener already exists on this port for this load balancer '${svc.loadBalancerArn}'`, status: 400 },
    );
    const same = await elb.send(
      new CreateListenerCommand({ LoadBalancerArn: svc.loadBalancerArn, Protocol: 'TCP', Port: 1024, DefaultActions: [{ Type: 'forward', TargetGroupArn: svc.targetGroupArn }] }),
    );
    assert.equal(same.Listeners![0]!.ListenerArn, svc.listenerArn);
  });

  test('the 51st listener of a load balancer is TooManyListeners', async () => {
    const elb = h.elb(h.cloud.accounts.provider);
    for (let port = 1025; port < 1074; port++) {
      await elb.send(
        new CreateListenerCommand({ LoadBalancerArn: svc.loadBalancerArn, Protocol: 'TCP', Port: port, DefaultActions: [{ Type: 'forward', TargetGroupArn: svc.targetGroupArn }] }),
      );
    }
    await rejectsWith(
      elb.send(
        new CreateListenerCommand({ LoadBalancerArn: svc.loadBalancerArn, Protocol: 'TCP', Port: 2000, DefaultActions: [{ Type: 'forward', TargetGroupArn: svc.targetGroupArn }] }),
      ),
      'TooManyListeners',
    );
  });

  test('the same load balancer name: same settings return it, other settings are DuplicateLoadBalancerName', async () => {
    const elb = h.elb(h.cloud.accounts.provider);
    const lb = (await elb.send(new CreateLoadBalancerCommand({ Name: 'twice', Type: 'network', Scheme: 'internal', Subnets: [await providerSubnet(h, 'us-east-1a')] })))
      .LoadBalancers![0]!;
    const again = (await elb.send(new CreateLoadBalancerCommand({ Name: 'twice', Type: 'network', Scheme: 'internal', Subnets: [await providerSubnet(h, 'us-east-1a')] })))
      .LoadBalancers![0]!;
    assert.equal(again.LoadBalancerArn, lb.LoadBalancerArn);
    await rejectsWith(
      elb.send(new CreateLoadBalancerCommand({ Name: 'twice', Type: 'network', Scheme: 'internet-facing', Subnets: [await providerSubnet(h, 'us-east-1a')] })),
      'DuplicateLoadBalancerName',
      { message: "A load balancer with the same name 'twice' exists, but with different settings" },
    );
  });

  test('a subnet in the AZ endpoint services never support is AvailabilityZoneNotSupported', async () => {
    const customerSubnets = await defaultNetwork(h, h.cloud.accounts.customer);
    await rejectsWith(
      h
        .elb(h.cloud.accounts.customer)
        .send(new CreateLoadBalancerCommand({ Name: 'in-1e', Type: 'network', Scheme: 'internal', Subnets: [customerSubnets.subnetByZone.get('us-east-1e')!] })),
      'AvailabilityZoneNotSupported',
    );
  });

  test('a target group in use is ResourceInUse; after its listeners go it can be deleted', async () => {
    const elb = h.elb(h.cloud.accounts.provider);
    const tg = (await elb.send(new CreateTargetGroupCommand({ Name: 'in-use', Protocol: 'TCP', Port: 27017, VpcId: svc.providerVpcId, TargetType: 'ip' }))).TargetGroups![0]!;
    const lb = (await elb.send(new CreateLoadBalancerCommand({ Name: 'holder', Type: 'network', Scheme: 'internal', Subnets: [await providerSubnet(h, 'us-east-1b')] })))
      .LoadBalancers![0]!;
    const listener = (
      await elb.send(
        new CreateListenerCommand({ LoadBalancerArn: lb.LoadBalancerArn, Protocol: 'TCP', Port: 27017, DefaultActions: [{ Type: 'forward', TargetGroupArn: tg.TargetGroupArn }] }),
      )
    ).Listeners![0]!;
    await rejectsWith(elb.send(new DeleteTargetGroupCommand({ TargetGroupArn: tg.TargetGroupArn })), 'ResourceInUse', {
      message: `Target group '${tg.TargetGroupArn}' is currently in use by a listener or a rule`,
    });
    await elb.send(new DeleteListenerCommand({ ListenerArn: listener.ListenerArn }));
    await rejectsWith(elb.send(new DeleteListenerCommand({ ListenerArn: listener.ListenerArn })), 'ListenerNotFound', { message: 'One or more listeners not found' });
    await elb.send(new DeleteTargetGroupCommand({ TargetGroupArn: tg.TargetGroupArn }));
    await rejectsWith(elb.send(new RegisterTargetsCommand({ TargetGroupArn: tg.TargetGroupArn, Targets: [{ Id: '172.31.0.20' }] })), 'TargetGroupNotFound');
    await elb.send(new DeleteLoadBalancerCommand({ LoadBalancerArn: lb.LoadBalancerArn }));
    await elb.send(new DeleteLoadBalancerCommand({ LoadBalancerArn: lb.LoadBalancerArn }));
  });

  test('a load balancer behind an endpoint service cannot be deleted (ResourceInUse)', async () => {
    await rejectsWith(h.elb(h.cloud.accounts.provider).send(new DeleteLoadBalancerCommand({ LoadBalancerArn: svc.loadBalancerArn })), 'ResourceInUse');
  });

  test('targets: the 1001st is TooManyTargets; loopback and foreign addresses are InvalidTarget', async () => {
    const elb = h.elb(h.cloud.accounts.provider);
    const many = Array.from({ length: 1001 }, (_, i) => ({ Id: `172.31.${Math.floor(i / 250)}.${(i % 250) + 4}`, Port: 27017 }));
    await rejectsWith(elb.send(new RegisterTargetsCommand({ TargetGroupArn: svc.targetGroupArn, Targets: many })), 'TooManyTargets');
    await rejectsWith(elb.send(new RegisterTargetsCommand({ TargetGroupArn: svc.targetGroupArn, Targets: [{ Id: '127.0.0.1' }] })), 'InvalidTarget');
    await rejectsWith(elb.send(new RegisterTargetsCommand({ TargetGroupArn: svc.targetGroupArn, Targets: [{ Id: '10.1.2.3' }] })), 'InvalidTarget');
    await elb.send(new RegisterTargetsCommand({ TargetGroupArn: svc.targetGroupArn, Targets: [{ Id: '10.1.2.3', AvailabilityZone: 'all' }] }));
    await rejectsWith(elb.send(new RegisterTargetsCommand({ TargetGroupArn: 'not-an-arn', Targets: [{ Id: '10.1.2.3' }] })), 'ValidationError');
  });

  test('tags on load balancers: AddTags then DescribeTags', async () => {
    const elb = h.elb(h.cloud.accounts.provider);
    await elb.send(new AddTagsCommand({ ResourceArns: [svc.loadBalancerArn, svc.targetGroupArn], Tags: [{ Key: 'team', Value: 'db' }] }));
    const described = await elb.send(new DescribeTagsCommand({ ResourceArns: [svc.loadBalancerArn, svc.targetGroupArn] }));
    assert.deepEqual(
      described.TagDescriptions!.map((d) => [d.ResourceArn, d.Tags]),
      [
        [svc.loadBalancerArn, [{ Key: 'team', Value: 'db' }]],
        [svc.targetGroupArn, [{ Key: 'team', Value: 'db' }]],
      ],
    );
  });

  test('an unknown action is InvalidAction in both APIs', async () => {
    await rejectsWith(h.ec2(h.cloud.accounts.customer).send(new DescribeInstancesCommand({})), 'InvalidAction', {
      message: 'The action DescribeInstances is not valid for this web service.',
    });
    await rejectsWith(h.elb(h.cloud.accounts.customer).send(new DescribeSSLPoliciesCommand({})), 'InvalidAction');
  });
});

async function providerSubnet(h: Harness, zone: string): Promise<string> {
  return (await defaultNetwork(h, h.cloud.accounts.provider)).subnetByZone.get(zone)!;
}

describe('EC2 networking, errors and tags', () => {
  let h: Harness;
  before(async () => {
    h = await startHarness({ loopbackBase: 250 });
  });
  after(async () => h?.close());

  test('default VPCs: 172.31.0.0/16 with one default /20 per AZ; the provider has none in us-east-1e', async () => {
    const customer = await defaultNetwork(h, h.cloud.accounts.customer);
    const provider = await defaultNetwork(h, h.cloud.accounts.provider);
    assert.deepEqual([...customer.subnetByZone.keys()], ['us-east-1a', 'us-east-1b', 'us-east-1c', 'us-east-1d', 'us-east-1e', 'us-east-1f']);
    assert.deepEqual([...provider.subnetByZone.keys()], ['us-east-1a', 'us-east-1b', 'us-east-1c', 'us-east-1d', 'us-east-1f']);
    const subnets = (await h.ec2(h.cloud.accounts.customer).send(new DescribeSubnetsCommand({ Filters: [{ Name: 'default-for-az', Values: ['true'] }] }))).Subnets!;
    assert.deepEqual(
      subnets.map((s) => s.CidrBlock),
      ['172.31.0.0/20', '172.31.16.0/20', '172.31.32.0/20', '172.31.48.0/20', '172.31.64.0/20', '172.31.80.0/20'],
    );
    const vpc = (await h.ec2(h.cloud.accounts.customer).send(new DescribeVpcsCommand({}))).Vpcs![0]!;
    assert.deepEqual([vpc.CidrBlock, vpc.IsDefault], ['172.31.0.0/16', true]);
    const group = (await h.ec2(h.cloud.accounts.customer).send(new DescribeSecurityGroupsCommand({ Filters: [{ Name: 'group-name', Values: ['default'] }] }))).SecurityGroups![0]!;
    assert.deepEqual(
      group.IpPermissions!.map((p) => [p.IpProtocol, p.UserIdGroupPairs![0]!.GroupId]),
      [['-1', group.GroupId]],
    );
    const zones = (await h.ec2(h.cloud.accounts.customer, 'eu-west-2').send(new DescribeAvailabilityZonesCommand({}))).AvailabilityZones!;
    assert.deepEqual(
      zones.map((z) => [z.ZoneName, z.ZoneId]),
      [
        ['eu-west-2a', 'euw2-az2'],
        ['eu-west-2b', 'euw2-az3'],
        ['eu-west-2c', 'euw2-az1'],
      ],
    );
  });

  test('not found, missing parameter and dry run errors use AWS codes', async () => {
    const ec2 = h.ec2(h.cloud.accounts.customer);
    await rejectsWith(ec2.send(new DescribeSubnetsCommand({ SubnetIds: ['subnet-00000000000000000'] })), 'InvalidSubnetID.NotFound', {
      message: "The subnet ID 'subnet-00000000000000000' does not exist",
    });
    await rejectsWith(ec2.send(new DescribeSecurityGroupsCommand({ GroupIds: ['sg-00000000000000000'] })), 'InvalidGroup.NotFound');
    await rejectsWith(ec2.send(new DescribeVpcEndpointsCommand({ VpcEndpointIds: ['vpce-00000000000000000'] })), 'InvalidVpcEndpointId.NotFound');
    await rejectsWith(ec2.send(new DescribeVpcEndpointServiceConfigurationsCommand({ ServiceIds: ['vpce-svc-00000000000000000'] })), 'InvalidVpcEndpointServiceId.NotFound');
    const vpcId = (await defaultNetwork(h, h.cloud.accounts.customer)).vpcId;
    await rejectsWith(ec2.send(new CreateVpcEndpointCommand({ VpcId: vpcId, VpcEndpointType: 'Interface' })), 'MissingParameter', {
      message: 'The request must contain the parameter ServiceName',
    });
    await rejectsWith(ec2.send(new CreateVpcCommand({ CidrBlock: '10.0.0.0/16', DryRun: true })), 'DryRunOperation', { status: 412 });
    await rejectsWith(ec2.send(new CreateVpcCommand({ CidrBlock: '10.0.0.0/8' })), 'InvalidVpc.Range');
  });

  test('tags from TagSpecification come back in tagSet and filter with tag:<key>; a wrong resource type is refused', async () => {
    const ec2 = h.ec2(h.cloud.accounts.customer);
    const vpc = (await ec2.send(new CreateVpcCommand({ CidrBlock: '10.1.0.0/16', TagSpecifications: [{ ResourceType: 'vpc', Tags: [{ Key: 'Name', Value: 'app' }] }] }))).Vpc!;
    assert.deepEqual(vpc.Tags, [{ Key: 'Name', Value: 'app' }]);
    const found = (await ec2.send(new DescribeVpcsCommand({ Filters: [{ Name: 'tag:Name', Values: ['app'] }] }))).Vpcs!;
    assert.deepEqual(
      found.map((v) => v.VpcId),
      [vpc.VpcId],
    );
    await rejectsWith(
      ec2.send(new CreateVpcCommand({ CidrBlock: '10.2.0.0/16', TagSpecifications: [{ ResourceType: 'subnet', Tags: [{ Key: 'a', Value: 'b' }] }] })),
      'InvalidParameterValue',
    );
    // At most 50 tags, as CreateTags allows (nothing is made past them).
    const tags = (n: number) => Array.from({ length: n }, (_, i) => ({ Key: `k${i}`, Value: 'v' }));
    await rejectsWith(ec2.send(new CreateVpcCommand({ CidrBlock: '10.2.0.0/16', TagSpecifications: [{ ResourceType: 'vpc', Tags: tags(51) }] })), 'TagLimitExceeded');
    const fifty = (await ec2.send(new CreateVpcCommand({ CidrBlock: '10.2.0.0/16', TagSpecifications: [{ ResourceType: 'vpc', Tags: tags(50) }] }))).Vpc!;
    assert.equal(fifty.Tags?.length, 50);
  });

  test('security groups: create, authorize ingress/egress, duplicates refused, attached to endpoints', async () => {
    const ec2 = h.ec2(h.cloud.accounts.customer);
    const net = await defaultNetwork(h, h.cloud.accounts.customer);
    const groupId = (await ec2.send(new CreateSecurityGroupCommand({ GroupName: 'mongo-clients', Description: 'to atlas', VpcId: net.vpcId }))).GroupId!;
    assert.match(groupId, /^sg-[0-9a-f]{17}$/);
    await rejectsWith(ec2.send(new CreateSecurityGroupCommand({ GroupName: 'mongo-clients', Description: 'again', VpcId: net.vpcId })), 'InvalidGroup.Duplicate');
    const permission = { IpProtocol: 'tcp', FromPort: 1024, ToPort: 1074, IpRanges: [{ CidrIp: '172.31.0.0/16' }] };
    await ec2.send(new AuthorizeSecurityGroupIngressCommand({ GroupId: groupId, IpPermissions: [permission] }));
    await rejectsWith(ec2.send(new AuthorizeSecurityGroupIngressCommand({ GroupId: groupId, IpPermissions: [permission] })), 'InvalidPermission.Duplicate');
    await ec2.send(
      new AuthorizeSecurityGroupEgressCommand({ GroupId: groupId, IpPermissions: [{ IpProtocol: 'tcp', FromPort: 27017, ToPort: 27017, IpRanges: [{ CidrIp: '10.0.0.0/8' }] }] }),
    );
    const group = (await ec2.send(new DescribeSecurityGroupsCommand({ GroupIds: [groupId] }))).SecurityGroups![0]!;
    assert.deepEqual(
      group.IpPermissions!.map((p) => [p.IpProtocol, p.FromPort, p.ToPort, p.IpRanges![0]!.CidrIp]),
      [['tcp', 1024, 1074, '172.31.0.0/16']],
    );
    assert.equal(group.IpPermissionsEgress!.length, 2);
    const svc = await providerService(h);
    const endpoint = (
      await ec2.send(
        new CreateVpcEndpointCommand({
          VpcId: net.vpcId,
          ServiceName: svc.serviceName,
          VpcEndpointType: 'Interface',
          SubnetIds: [net.subnetByZone.get('us-east-1a')!],
          SecurityGroupIds: [groupId],
        }),
      )
    ).VpcEndpoint!;
    assert.deepEqual(endpoint.Groups, [{ GroupId: groupId, GroupName: 'mongo-clients' }]);
    const snapshot = await h.cloud.snapshot();
    const snapGroup = snapshot.securityGroups.find((g) => g.groupId === groupId)!;
    assert.deepEqual(snapGroup.ingress, [{ ipProtocol: 'tcp', fromPort: 1024, toPort: 1074, cidrIpv4: '172.31.0.0/16', referencedGroupId: null }]);
    assert.deepEqual(snapshot.endpoints.find((e) => e.endpointId === endpoint.VpcEndpointId)!.securityGroupIds, [groupId]);
    await rejectsWith(ec2.send(new DeleteSubnetCommand({ SubnetId: net.subnetByZone.get('us-east-1a')! })), 'DependencyViolation');
  });

  test('a subnet without dependencies can be deleted', async () => {
    const ec2 = h.ec2(h.cloud.accounts.customer);
    const net = await defaultNetwork(h, h.cloud.accounts.customer);
    const subnet = (await ec2.send(new CreateSubnetCommand({ VpcId: net.vpcId, CidrBlock: '172.31.96.0/20', AvailabilityZone: 'us-east-1b' }))).Subnet!;
    assert.deepEqual([subnet.AvailabilityZone, subnet.AvailabilityZoneId, subnet.DefaultForAz, subnet.AvailableIpAddressCount], ['us-east-1b', 'use1-az2', false, 4091]);
    await ec2.send(new DeleteSubnetCommand({ SubnetId: subnet.SubnetId }));
    await rejectsWith(ec2.send(new DescribeSubnetsCommand({ SubnetIds: [subnet.SubnetId!] })), 'InvalidSubnetID.NotFound');
  });

  test('VPCs beyond the loopback slots are VpcLimitExceeded (base 250 leaves 5 slots)', async () => {
    const ec2 = h.ec2(h.cloud.accounts.customer);
    const used = (await h.cloud.snapshot()).networks.length;
    for (let i = used; i < 5; i++) await ec2.send(new CreateVpcCommand({ CidrBlock: `10.${100 + i}.0.0/16` }));
    await rejectsWith(ec2.send(new CreateVpcCommand({ CidrBlock: '10.200.0.0/16' })), 'VpcLimitExceeded');
    const octets = (await h.cloud.snapshot()).networks.map((n) => n.loopbackOctet).sort((a, b) => a - b);
    assert.deepEqual(octets, [251, 252, 253, 254, 255]);
  });
});
