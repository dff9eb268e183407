import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import {
  CreateVpcEndpointCommand,
  CreateVpcEndpointServiceConfigurationCommand,
  DeleteVpcEndpointServiceConfigurationsCommand,
  DescribeSubnetsCommand,
  DescribeVpcEndpointsCommand,
  DescribeVpcEndpointServiceConfigurationsCommand,
} from '@aws-sdk/client-ec2';
import {
  CreateListenerCommand,
  CreateLoadBalancerCommand,
  CreateTargetGroupCommand,
  DeleteLoadBalancerCommand,
  DescribeLoadBalancersCommand,
  DescribeTargetGroupsCommand,
} from '@aws-sdk/client-elastic-load-balancing-v2';
import type { AccountCredentials } from '../../src/localcloud/aws/local-cloud-aws.js';
import { defaultNetwork, providerService, rejectsWith, startHarness, type Harness } from './harness.js';

// Load balancers, target groups and VPC endpoints named by ARN, name or id are read by that key,
// not picked out of everything the account holds: what a lookup answers must still be exactly the
// caller's own (account and region), in creation order, with AWS's errors for the missing ones.

let h: Harness;
let provider: AccountCredentials;
let customer: AccountCredentials;

before(async () => {
  h = await startHarness();
  provider = h.cloud.accounts.provider;
  customer = h.cloud.accounts.customer;
});
after(async () => h?.close());

/** The account's default VPC and its subnets in zones network load balancers support (as AWS, not use1-az3). */
async function balancerNetwork(account: AccountCredentials): Promise<{ vpcId: string; subnetIds: string[] }> {
  const { vpcId } = await defaultNetwork(h, account);
  const subnets = (await h.ec2(account).send(new DescribeSubnetsCommand({ Filters: [{ Name: 'vpc-id', Values: [vpcId] }] }))).Subnets!;
  return { vpcId, subnetIds: subnets.filter((s) => s.AvailabilityZoneId !== 'use1-az3').map((s) => s.SubnetId!) };
}

/** A network load balancer and a TCP target group with these names in the account's default VPC. */
async function balancerAndGroup(account: AccountCredentials, name: string): Promise<{ lbArn: string; tgArn: string; vpcId: string }> {
  const { vpcId, subnetIds } = await balancerNetwork(account);
  const elb = h.elb(account);
  const lbArn = (await elb.send(new CreateLoadBalancerCommand({ Name: name, Type: 'network', Scheme: 'internal', Subnets: subnetIds }))).LoadBalancers![0]!.LoadBalancerArn!;
  const tgArn = (await elb.send(new CreateTargetGroupCommand({ Name: name, Protocol: 'TCP', Port: 27017, VpcId: vpcId, TargetType: 'ip' }))).TargetGroups![0]!.TargetGroupArn!;
  return { lbArn, tgArn, vpcId };
}

test('the same names in two accounts: each account finds, re-creates and misses only its own', async () => {
  const mine = await balancerAndGroup(provider, 'same-name');
  const theirs = await balancerAndGroup(customer, 'same-name');
  assert.notEqual(mine.lbArn, theirs.lbArn);
  assert.notEqual(mine.tgArn, theirs.tgArn);
  for (const [account, own, other] of [
    [provider, mine, theirs],
    [customer, theirs, mine],
  ] as const) {
    const elb = h.elb(account);
    assert.deepEqual(
      (await elb.send(new DescribeLoadBalancersCommand({ Names: ['same-name'] }))).LoadBalancers!.map((lb) => lb.LoadBalancerArn),
      [own.lbArn],
    );
    assert.deepEqual(
      (await elb.send(new DescribeTargetGroupsCommand({ Names: ['same-name'] }))).TargetGroups!.map((g) => g.TargetGroupArn),
      [own.tgArn],
    );
    await rejectsWith(elb.send(new DescribeLoadBalancersCommand({ LoadBalancerArns: [own.lbArn, other.lbArn] })), 'LoadBalancerNotFound');
    await rejectsWith(elb.send(new DescribeTargetGroupsCommand({ TargetGroupArns: [other.tgArn] })), 'TargetGroupNotFound');
    // Creating it again answers the account's own (same settings), never the other account's.
    const again = await elb.send(new CreateTargetGroupCommand({ Name: 'same-name', Protocol: 'TCP', Port: 27017, VpcId: own.vpcId, TargetType: 'ip' }));
    assert.equal(again.TargetGroups![0]!.TargetGroupArn, own.tgArn);
    const { subnetIds } = await balancerNetwork(account);
    const lbAgain = await elb.send(new CreateLoadBalancerCommand({ Name: 'same-name', Type: 'network', Scheme: 'internal', Subnets: subnetIds }));
    assert.equal(lbAgain.LoadBalancers![0]!.LoadBalancerArn, own.lbArn);
  }
  // A missing name is named in the error; the ones found are not.
  await rejectsWith(h.elb(provider).send(new DescribeLoadBalancersCommand({ Names: ['same-name', 'nowhere'] })), 'LoadBalancerNotFound', {
    message: "Load balancers '[nowhere]' not found",
  });
});

test('named out of order, load balancers and target groups come back in creation order', async () => {
  const first = await balancerAndGroup(provider, 'order-a');
  const second = await balancerAndGroup(provider, 'order-b');
  const elb = h.elb(provider);
  assert.deepEqual(
    (await elb.send(new DescribeLoadBalancersCommand({ Names: ['order-b', 'order-a'] }))).LoadBalancers!.map((lb) => lb.LoadBalancerArn),
    [first.lbArn, second.lbArn],
  );
  assert.deepEqual(
    (await elb.send(new DescribeTargetGroupsCommand({ TargetGroupArns: [second.tgArn, first.tgArn] }))).TargetGroups!.map((g) => g.TargetGroupArn),
    [first.tgArn, second.tgArn],
  );
});

test('a load balancer’s target groups are those its listeners forward to, narrowed by the names given', async () => {
  const { lbArn, tgArn, vpcId } = await balancerAndGroup(provider, 'behind');
  const elb = h.elb(provider);
  const elsewhere = (await elb.send(new CreateTargetGroupCommand({ Name: 'not-behind', Protocol: 'TCP', Port: 27017, VpcId: vpcId, TargetType: 'ip' }))).TargetGroups![0]!
    .TargetGroupArn!;
  assert.deepEqual((await elb.send(new DescribeTargetGroupsCommand({ LoadBalancerArn: lbArn }))).TargetGroups, []);
  await elb.send(new CreateListenerCommand({ LoadBalancerArn: lbArn, Protocol: 'TCP', Port: 1024, DefaultActions: [{ Type: 'forward', TargetGroupArn: tgArn }] }));
  const behind = (await elb.send(new DescribeTargetGroupsCommand({ LoadBalancerArn: lbArn }))).TargetGroups!;
  assert.deepEqual(
    behind.map((g) => [g.TargetGroupArn, g.LoadBalancerArns]),
    [[tgArn, [lbArn]]],
  );
  assert.equal((await elb.send(new DescribeTargetGroupsCommand({ LoadBalancerArn: lbArn, Names: ['behind'] }))).TargetGroups!.length, 1);
  await rejectsWith(elb.send(new DescribeTargetGroupsCommand({ LoadBalancerArn: lbArn, Names: ['not-behind'] })), 'TargetGroupNotFound');
  await rejectsWith(elb.send(new DescribeTargetGroupsCommand({ LoadBalancerArn: lbArn, TargetGroupArns: [elsewhere] })), 'TargetGroupNotFound');
});

test('a load balancer behind a live service is taken; once the service is deleted it is free again', async () => {
  const { lbArn } = await balancerAndGroup(provider, 'taken');
  const other = await balancerAndGroup(provider, 'untaken');
  const ec2 = h.ec2(provider);
  const elb = h.elb(provider);
  const serviceId = (await ec2.send(new CreateVpcEndpointServiceConfigurationCommand({ NetworkLoadBalancerArns: [lbArn] }))).ServiceConfiguration!.ServiceId!;
  await rejectsWith(ec2.send(new CreateVpcEndpointServiceConfigurationCommand({ NetworkLoadBalancerArns: [other.lbArn, lbArn] })), 'InvalidParameter', {
    message: `The following LBs are already associated with another VPC Endpoint Service Configuration: ${lbArn}`,
  });
  await rejectsWith(elb.send(new DeleteLoadBalancerCommand({ LoadBalancerArn: lbArn })), 'ResourceInUse');
  // Another load balancer of the account is not taken by it.
  await elb.send(new DeleteLoadBalancerCommand({ LoadBalancerArn: other.lbArn }));

  // A deleted service stays visible as `Deleted` for a while (as AWS): it no longer holds its load balancer.
  await h.cloud.setDelays({ deletedRetention: 600_000 });
  try {
    await ec2.send(new DeleteVpcEndpointServiceConfigurationsCommand({ ServiceIds: [serviceId] }));
    const states = (await ec2.send(new DescribeVpcEndpointServiceConfigurationsCommand({})))
      .ServiceConfigurations!.filter((s) => s.ServiceId === serviceId)
      .map((s) => s.ServiceState);
    assert.deepEqual(states, ['Deleted']);
    const reused = (await ec2.send(new CreateVpcEndpointServiceConfigurationCommand({ NetworkLoadBalancerArns: [lbArn] }))).ServiceConfiguration!.ServiceId!;
    assert.notEqual(reused, serviceId);
  } finally {
    await h.cloud.setDelays('instant');
  }
});

test('VPC endpoints named by id: only the caller’s, in creation order, a missing one named', async () => {
  const svc = await providerService(h, { name: 'by-id', acceptanceRequired: false });
  const network = await defaultNetwork(h, customer);
  const ec2 = h.ec2(customer);
  const create = async () =>
    (
      await ec2.send(
        new CreateVpcEndpointCommand({ VpcId: network.vpcId, ServiceName: svc.serviceName, VpcEndpointType: 'Interface', SubnetIds: [network.subnetByZone.get(svc.zones[0]!)!] }),
      )
    ).VpcEndpoint!.VpcEndpointId!;
  const first = await create();
  const second = await create();
  assert.deepEqual(
    (await ec2.send(new DescribeVpcEndpointsCommand({ VpcEndpointIds: [second, first] }))).VpcEndpoints!.map((e) => e.VpcEndpointId),
    [first, second],
  );
  await rejectsWith(h.ec2(provider).send(new DescribeVpcEndpointsCommand({ VpcEndpointIds: [first] })), 'InvalidVpcEndpointId.NotFound', {
    message: `The Vpc Endpoint Id '${first}' does not exist`,
  });
  await rejectsWith(ec2.send(new DescribeVpcEndpointsCommand({ VpcEndpointIds: [first, 'vpce-0123456789abcdef0'] })), 'InvalidVpcEndpointId.NotFound', {
    message: "The Vpc Endpoint Id 'vpce-0123456789abcdef0' does not exist",
  });
});
