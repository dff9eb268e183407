import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import {
  CreateSecurityGroupCommand,
  CreateSubnetCommand,
  CreateVpcEndpointCommand,
  DescribeNetworkInterfacesCommand,
  DescribeVpcEndpointsCommand,
  ModifyVpcEndpointCommand,
  type ModifyVpcEndpointCommandInput,
} from '@aws-sdk/client-ec2';
import { defaultNetwork, providerService, rejectsWith, startHarness, type Harness, type ProviderService } from './harness.js';

// What a customer does to an interface endpoint after making it (aws ec2 modify-vpc-endpoint,
// Terraform's updates): add and remove subnets and security groups. The endpoint's interfaces
// follow its subnets, and the data plane's picture follows both.
describe('ModifyVpcEndpoint on an interface endpoint', () => {
  let h: Harness;
  let svc: ProviderService;
  let vpcId: string;
  let zones: Map<string, string>;
  let vpce: string;

  before(async () => {
    h = await startHarness();
    svc = await providerService(h);
    const network = await defaultNetwork(h, h.cloud.accounts.customer);
    vpcId = network.vpcId;
    zones = network.subnetByZone;
    const created = await h
      .ec2(h.cloud.accounts.customer)
      .send(new CreateVpcEndpointCommand({ VpcId: vpcId, ServiceName: svc.serviceName, VpcEndpointType: 'Interface', SubnetIds: [zones.get('us-east-1a')!] }));
    vpce = created.VpcEndpoint!.VpcEndpointId!;
  });
  after(async () => h?.close());

  const modify = (input: Omit<ModifyVpcEndpointCommandInput, 'VpcEndpointId'>, id = vpce, account = h.cloud.accounts.customer) =>
    h.ec2(account).send(new ModifyVpcEndpointCommand({ VpcEndpointId: id, ...input }));
  const describe_ = async () => (await h.ec2(h.cloud.accounts.customer).send(new DescribeVpcEndpointsCommand({ VpcEndpointIds: [vpce] }))).VpcEndpoints![0]!;
  const carried = async () => (await h.cloud.snapshot()).endpoints.find((e) => e.endpointId === vpce)!;

  test('added subnets get an interface each, removed ones lose theirs; the data plane carries the new addresses', async () => {
    const ec2 = h.ec2(h.cloud.accounts.customer);
    const answer = await modify({ AddSubnetIds: [zones.get('us-east-1b')!, zones.get('us-east-1c')!], RemoveSubnetIds: [zones.get('us-east-1a')!] });
    assert.equal(answer.Return, true);
    const endpoint = await describe_();
    assert.deepEqual(endpoint.SubnetIds, [zones.get('us-east-1b'), zones.get('us-east-1c')]);
    assert.equal(endpoint.NetworkInterfaceIds!.length, 2);
    const enis = (await ec2.send(new DescribeNetworkInterfacesCommand({ NetworkInterfaceIds: endpoint.NetworkInterfaceIds }))).NetworkInterfaces!;
    assert.deepEqual(enis.map((e) => e.AvailabilityZone).sort(), ['us-east-1b', 'us-east-1c']);
    const byDescription = (await ec2.send(new DescribeNetworkInterfacesCommand({ Filters: [{ Name: 'description', Values: [`VPC Endpoint Interface ${vpce}`] }] })))
      .NetworkInterfaces!;
    assert.equal(byDescription.length, 2);
    assert.equal(endpoint.DnsEntries!.length, 3);
    const picture = await carried();
    assert.deepEqual(picture.networkInterfaces.map((n) => n.privateIp).sort(), enis.map((e) => e.PrivateIpAddress).sort());
  });

  test('security groups are added and removed; the last one stays', async () => {
    const ec2 = h.ec2(h.cloud.accounts.customer);
    const groupId = (await ec2.send(new CreateSecurityGroupCommand({ GroupName: 'mongo-clients', Description: 'to atlas', VpcId: vpcId }))).GroupId!;
    const before_ = (await describe_()).Groups!.map((g) => g.GroupId!);
    await modify({ AddSecurityGroupIds: [groupId], RemoveSecurityGroupIds: before_ });
    assert.deepEqual(
      (await describe_()).Groups!.map((g) => [g.GroupId, g.GroupName]),
      [[groupId, 'mongo-clients']],
    );
    const enis = (await ec2.send(new DescribeNetworkInterfacesCommand({ NetworkInterfaceIds: (await describe_()).NetworkInterfaceIds }))).NetworkInterfaces!;
    for (const eni of enis)
      assert.deepEqual(
        eni.Groups!.map((g) => g.GroupId),
        [groupId],
      );
    assert.deepEqual((await carried()).securityGroupIds, [groupId]);
    await rejectsWith(modify({ RemoveSecurityGroupIds: [groupId] }), 'InvalidParameter', { message: `The VPC endpoint ${vpce} must keep at least one security group.` });
    assert.deepEqual((await carried()).securityGroupIds, [groupId]);
  });

  test('what AWS refuses is refused, and nothing changes', async () => {
    const before_ = await describe_();
    await rejectsWith(modify({ AddSubnetIds: [zones.get('us-east-1e')!] }), 'InvalidParameter', {
      message: `The VPC endpoint service ${svc.serviceName} does not support the availability zone of the subnet: ${zones.get('us-east-1e')}.`,
    });
    // A second subnet in a zone the endpoint already has, even with another change in the same request.
    const ec2 = h.ec2(h.cloud.accounts.customer);
    const second = (await ec2.send(new CreateSubnetCommand({ VpcId: vpcId, CidrBlock: '172.31.112.0/20', AvailabilityZone: 'us-east-1b' }))).Subnet!.SubnetId!;
    await rejectsWith(modify({ AddSubnetIds: [zones.get('us-east-1a')!, second] }), 'DuplicateSubnetsInSameZone');
    await rejectsWith(modify({ RemoveSubnetIds: [zones.get('us-east-1d')!] }), 'InvalidParameter', { message: /is not associated with the VPC endpoint/ });
    await rejectsWith(modify({ AddRouteTableIds: ['rtb-0123456789abcdef0'] }), 'InvalidParameter', {
      message: 'Route table IDs are only supported for Gateway type VPC Endpoint.',
    });
    await rejectsWith(modify({ PrivateDnsEnabled: true }), 'InvalidParameter');
    await rejectsWith(modify({ AddSubnetIds: [zones.get('us-east-1d')!] }, vpce, h.cloud.accounts.provider), 'InvalidVpcEndpointId.NotFound');
    await rejectsWith(modify({}, 'vpce-0123456789abcdef0'), 'InvalidVpcEndpointId.NotFound');
    await rejectsWith(modify({}, 'not-an-endpoint'), 'InvalidVpcEndpointId.Malformed');
    const after_ = await describe_();
    assert.deepEqual([after_.SubnetIds, after_.NetworkInterfaceIds, after_.Groups], [before_.SubnetIds, before_.NetworkInterfaceIds, before_.Groups]);
  });
});
