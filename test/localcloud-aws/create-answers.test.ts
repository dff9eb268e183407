import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import {
  CreateSecurityGroupCommand,
  CreateVpcEndpointCommand,
  CreateVpcEndpointServiceConfigurationCommand,
  DescribeVpcEndpointsCommand,
  DescribeVpcEndpointServiceConfigurationsCommand,
} from '@aws-sdk/client-ec2';
import {
  CreateListenerCommand,
  CreateLoadBalancerCommand,
  CreateTargetGroupCommand,
  DescribeListenersCommand,
  DescribeTargetGroupsCommand,
} from '@aws-sdk/client-elastic-load-balancing-v2';
import { defaultNetwork, providerService, startHarness, type Harness } from './harness.js';

// A create answers the object as it was stored: what a Describe right after it gives, field for
// field (the answer is rendered from the rows the create wrote, not read back).

let h: Harness;

before(async () => {
  h = await startHarness();
});
after(async () => h?.close());

test('CreateVpcEndpoint answers what DescribeVpcEndpoints gives: its interfaces, security groups and DNS entries', async () => {
  const svc = await providerService(h, { name: 'answers', acceptanceRequired: true });
  const customer = h.cloud.accounts.customer;
  const network = await defaultNetwork(h, customer);
  const ec2 = h.ec2(customer);
  const extra = (await ec2.send(new CreateSecurityGroupCommand({ GroupName: 'second', Description: 'second group', VpcId: network.vpcId }))).GroupId!;
  const subnets = svc.zones.slice(0, 2).map((zone) => network.subnetByZone.get(zone)!);
  const created = (
    await ec2.send(
      new CreateVpcEndpointCommand({
        VpcId: network.vpcId,
        ServiceName: svc.serviceName,
        VpcEndpointType: 'Interface',
        SubnetIds: subnets,
        SecurityGroupIds: [extra],
        TagSpecifications: [{ ResourceType: 'vpc-endpoint', Tags: [{ Key: 'team', Value: 'data' }] }],
      }),
    )
  ).VpcEndpoint!;
  assert.equal(created.NetworkInterfaceIds!.length, 2);
  assert.deepEqual(created.Groups, [{ GroupId: extra, GroupName: 'second' }]);
  assert.equal(created.DnsEntries!.length, 3, 'one regional and one zonal name per subnet');
  const described = (await ec2.send(new DescribeVpcEndpointsCommand({ VpcEndpointIds: [created.VpcEndpointId!] }))).VpcEndpoints![0]!;
  assert.deepEqual(created, described);

  // With the VPC's default group (none given) as well.
  const plain = (await ec2.send(new CreateVpcEndpointCommand({ VpcId: network.vpcId, ServiceName: svc.serviceName, VpcEndpointType: 'Interface', SubnetIds: [subnets[0]!] })))
    .VpcEndpoint!;
  assert.equal(plain.Groups![0]!.GroupName, 'default');
  assert.deepEqual(plain, (await ec2.send(new DescribeVpcEndpointsCommand({ VpcEndpointIds: [plain.VpcEndpointId!] }))).VpcEndpoints![0]!);
});

test('CreateTargetGroup, CreateListener and CreateVpcEndpointServiceConfiguration answer what their Describe gives', async () => {
  const provider = h.cloud.accounts.provider;
  const network = await defaultNetwork(h, provider);
  const elb = h.elb(provider);
  const group = (
    await elb.send(new CreateTargetGroupCommand({ Name: 'answer-tg', Protocol: 'TCP', Port: 27017, VpcId: network.vpcId, TargetType: 'ip', Tags: [{ Key: 'k', Value: 'v' }] }))
  ).TargetGroups![0]!;
  assert.deepEqual(group, (await elb.send(new DescribeTargetGroupsCommand({ TargetGroupArns: [group.TargetGroupArn!] }))).TargetGroups![0]);

  const svc = await providerService(h, { name: 'answer-svc' });
  const listener = (
    await elb.send(
      new CreateListenerCommand({ LoadBalancerArn: svc.loadBalancerArn, Protocol: 'TCP', Port: 1025, DefaultActions: [{ Type: 'forward', TargetGroupArn: svc.targetGroupArn }] }),
    )
  ).Listeners![0]!;
  assert.deepEqual(listener, (await elb.send(new DescribeListenersCommand({ ListenerArns: [listener.ListenerArn!] }))).Listeners![0]);

  const lb = (await elb.send(new CreateLoadBalancerCommand({ Name: 'answer-lb', Type: 'network', Scheme: 'internal', Subnets: [network.subnetByZone.get(svc.zones[0]!)!] })))
    .LoadBalancers![0]!;
  const ec2 = h.ec2(provider);
  // Held `Pending` (its state, and its region's, would move on at once with instant delays).
  await h.cloud.setDelays({ serviceAvailable: 600_000 });
  const configuration = (
    await ec2.send(
      new CreateVpcEndpointServiceConfigurationCommand({
        NetworkLoadBalancerArns: [lb.LoadBalancerArn!],
        AcceptanceRequired: true,
        TagSpecifications: [{ ResourceType: 'vpc-endpoint-service', Tags: [{ Key: 'k', Value: 'v' }] }],
      }),
    )
  ).ServiceConfiguration!;
  const describedService = (await ec2.send(new DescribeVpcEndpointServiceConfigurationsCommand({ ServiceIds: [configuration.ServiceId!] }))).ServiceConfigurations![0]!;
  await h.cloud.setDelays('instant');
  assert.equal(configuration.ServiceState, 'Pending');
  assert.deepEqual(configuration, describedService);
});

test('CreateTargetGroup with the settings of a group in use answers it as DescribeTargetGroups does, with its load balancer', async () => {
  const provider = h.cloud.accounts.provider;
  const svc = await providerService(h, { name: 'again-svc' });
  const elb = h.elb(provider);
  // The same call the harness made for the service's group: AWS answers the existing group ("This operation is idempotent").
  const again = (await elb.send(new CreateTargetGroupCommand({ Name: 'again-svc-1024', Protocol: 'TCP', Port: 27017, VpcId: svc.providerVpcId, TargetType: 'ip' })))
    .TargetGroups![0]!;
  assert.equal(again.TargetGroupArn, svc.targetGroupArn);
  assert.deepEqual(again.LoadBalancerArns, [svc.loadBalancerArn]);
  assert.deepEqual(again, (await elb.send(new DescribeTargetGroupsCommand({ TargetGroupArns: [svc.targetGroupArn] }))).TargetGroups![0]);
});
