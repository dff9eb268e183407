import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { CreateSubnetCommand, CreateVpcEndpointCommand, DescribeVpcEndpointServicesCommand } from '@aws-sdk/client-ec2';
import { defaultNetwork, providerService, rejectsWith, startHarness, type Harness, type ProviderService } from './harness.js';

/** Seed 01's troubleshooting flow, through the AWS SDK. */
describe('AZ mismatch: the exact InvalidParameter error and the documented recovery', () => {
  let h: Harness;
  let svc: ProviderService;
  let net: { vpcId: string; subnetByZone: Map<string, string> };
  before(async () => {
    h = await startHarness();
    svc = await providerService(h);
    net = await defaultNetwork(h, h.cloud.accounts.customer);
  });
  after(async () => h?.close());

  test('a subnet in us-east-1e (use1-az3) fails with AWS’s exact message', async () => {
    const subnet = net.subnetByZone.get('us-east-1e')!;
    await rejectsWith(
      h.ec2(h.cloud.accounts.customer).send(new CreateVpcEndpointCommand({ VpcId: net.vpcId, ServiceName: svc.serviceName, VpcEndpointType: 'Interface', SubnetIds: [subnet] })),
      'InvalidParameter',
      { message: `The VPC endpoint service ${svc.serviceName} does not support the availability zone of the subnet: ${subnet}.`, status: 400 },
    );
  });

  test('with several subnets the error names the one in the unsupported AZ, and nothing is created', async () => {
    const ec2 = h.ec2(h.cloud.accounts.customer);
    const bad = net.subnetByZone.get('us-east-1e')!;
    await rejectsWith(
      ec2.send(
        new CreateVpcEndpointCommand({ VpcId: net.vpcId, ServiceName: svc.serviceName, VpcEndpointType: 'Interface', SubnetIds: [net.subnetByZone.get('us-east-1a')!, bad] }),
      ),
      'InvalidParameter',
      { message: new RegExp(`subnet: ${bad}\\.$`) },
    );
    const snapshot = await h.cloud.snapshot();
    assert.equal(snapshot.endpoints.length, 0, 'the failed call left no endpoint and no interface behind');
  });

  test('two subnets in one AZ are DuplicateSubnetsInSameZone', async () => {
    const ec2 = h.ec2(h.cloud.accounts.customer);
    const extra = (await ec2.send(new CreateSubnetCommand({ VpcId: net.vpcId, CidrBlock: '172.31.112.0/20', AvailabilityZone: 'us-east-1b' }))).Subnet!.SubnetId!;
    await rejectsWith(
      ec2.send(
        new CreateVpcEndpointCommand({ VpcId: net.vpcId, ServiceName: svc.serviceName, VpcEndpointType: 'Interface', SubnetIds: [net.subnetByZone.get('us-east-1b')!, extra] }),
      ),
      'DuplicateSubnetsInSameZone',
    );
  });

  test('recovery: describe the service, deploy a subnet in a supported AZ, create the endpoint again', async () => {
    const ec2 = h.ec2(h.cloud.accounts.customer);
    const detail = (await ec2.send(new DescribeVpcEndpointServicesCommand({ ServiceNames: [svc.serviceName] }))).ServiceDetails![0]!;
    assert.deepEqual(detail.AvailabilityZones, ['us-east-1a', 'us-east-1b', 'us-east-1c', 'us-east-1d', 'us-east-1f']);
    assert.ok(!detail.AvailabilityZoneIds!.includes('use1-az3'));
    const zone = detail.AvailabilityZones![0];
    const subnet = (await ec2.send(new CreateSubnetCommand({ VpcId: net.vpcId, CidrBlock: '172.31.96.0/20', AvailabilityZone: zone }))).Subnet!;
    const endpoint = (await ec2.send(new CreateVpcEndpointCommand({ VpcId: net.vpcId, ServiceName: svc.serviceName, VpcEndpointType: 'Interface', SubnetIds: [subnet.SubnetId!] })))
      .VpcEndpoint!;
    assert.equal(endpoint.State, 'pendingAcceptance');
    assert.deepEqual(endpoint.SubnetIds, [subnet.SubnetId]);
  });

  test('a Gateway endpoint type (the EC2 default) does not match the Interface service', async () => {
    await rejectsWith(h.ec2(h.cloud.accounts.customer).send(new CreateVpcEndpointCommand({ VpcId: net.vpcId, ServiceName: svc.serviceName })), 'InvalidParameter', {
      message: 'Endpoint type (Gateway) does not match available service types ([Interface]).',
    });
  });
});
