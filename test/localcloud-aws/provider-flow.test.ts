import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import {
  AcceptVpcEndpointConnectionsCommand,
  CreateVpcEndpointCommand,
  DeleteVpcEndpointServiceConfigurationsCommand,
  DeleteVpcEndpointsCommand,
  DescribeVpcEndpointConnectionsCommand,
  DescribeVpcEndpointServiceConfigurationsCommand,
  DescribeVpcEndpointServicePermissionsCommand,
  DescribeVpcEndpointsCommand,
  DescribeVpcEndpointServicesCommand,
  RejectVpcEndpointConnectionsCommand,
} from '@aws-sdk/client-ec2';
import {
  DescribeListenersCommand,
  DescribeLoadBalancersCommand,
  DescribeTargetGroupAttributesCommand,
  DescribeTargetHealthCommand,
  ModifyTargetGroupAttributesCommand,
} from '@aws-sdk/client-elastic-load-balancing-v2';
import { defaultNetwork, providerService, rejectsWith, startHarness, type Harness, type ProviderService } from './harness.js';

describe('provider flow with acceptance (SDK v3 against the local cloud)', () => {
  let h: Harness;
  let svc: ProviderService;
  let customerVpc: string;
  let customerSubnet: string;
  const DELAYS = {
    loadBalancerProvisioning: 120_000,
    serviceAvailable: 60_000,
    connectionAvailable: 45_000,
    endpointDeletion: 30_000,
    serviceDeletion: 30_000,
    deletedRetention: 300_000,
  };

  before(async () => {
    h = await startHarness();
    await h.cloud.setDelays(DELAYS);
  });
  after(async () => h?.close());

  test('the NLB provisions, then becomes active after its delay; the service on it waits for it', async () => {
    svc = await providerService(h);
    const elb = h.elb(h.cloud.accounts.provider);
    const lb = (await elb.send(new DescribeLoadBalancersCommand({ LoadBalancerArns: [svc.loadBalancerArn] }))).LoadBalancers![0]!;
    assert.equal(lb.State?.Code, 'provisioning');
    assert.match(lb.LoadBalancerArn!, /^arn:aws:elasticloadbalancing:us-east-1:\d{12}:loadbalancer\/net\/pl-test\/[0-9a-f]{16}$/);
    assert.match(lb.DNSName!, /^pl-test-[0-9a-f]{16}\.elb\.us-east-1\.amazonaws\.com$/);
    assert.deepEqual(
      lb.AvailabilityZones!.map((z) => z.ZoneName),
      ['us-east-1a', 'us-east-1b', 'us-east-1c', 'us-east-1d', 'us-east-1f'],
    );
    const health = await elb.send(new DescribeTargetHealthCommand({ TargetGroupArn: svc.targetGroupArn }));
    assert.equal(health.TargetHealthDescriptions![0]!.TargetHealth?.State, 'initial');
    const ec2 = h.ec2(h.cloud.accounts.provider);
    const serviceState = async () => (await ec2.send(new DescribeVpcEndpointServiceConfigurationsCommand({ ServiceIds: [svc.serviceId] }))).ServiceConfigurations![0]!.ServiceState;
    assert.equal(await serviceState(), 'Pending');
    h.advance(60_000);
    assert.equal(await serviceState(), 'Pending', 'the service delay passed, but its NLB is not active yet');
    h.advance(60_000);
    const active = (await elb.send(new DescribeLoadBalancersCommand({ Names: ['pl-test'] }))).LoadBalancers![0]!;
    assert.equal(active.State?.Code, 'active');
    assert.equal(await serviceState(), 'Available', 'Available together with its NLB');
    const healthy = await elb.send(new DescribeTargetHealthCommand({ TargetGroupArn: svc.targetGroupArn }));
    assert.deepEqual(
      healthy.TargetHealthDescriptions!.map((d) => [d.Target?.Id, d.Target?.Port, d.TargetHealth?.State]),
      [['172.31.0.10', 27017, 'healthy']],
    );
  });

  test('listener forwards to the target group, whose proxy_protocol_v2 can be turned on', async () => {
    const elb = h.elb(h.cloud.accounts.provider);
    const listeners = (await elb.send(new DescribeListenersCommand({ LoadBalancerArn: svc.loadBalancerArn }))).Listeners!;
    assert.deepEqual(
      listeners.map((l) => [l.Port, l.Protocol, l.DefaultActions?.[0]!.Type, l.DefaultActions?.[0]!.TargetGroupArn]),
      [[1024, 'TCP', 'forward', svc.targetGroupArn]],
    );
    assert.match(listeners[0]!.ListenerArn!, /:listener\/net\/pl-test\/[0-9a-f]{16}\/[0-9a-f]{16}$/);
    const modified = await elb.send(
      new ModifyTargetGroupAttributesCommand({ TargetGroupArn: svc.targetGroupArn, Attributes: [{ Key: 'proxy_protocol_v2.enabled', Value: 'true' }] }),
    );
    assert.equal(modified.Attributes!.find((a) => a.Key === 'proxy_protocol_v2.enabled')?.Value, 'true');
    const described = await elb.send(new DescribeTargetGroupAttributesCommand({ TargetGroupArn: svc.targetGroupArn }));
    assert.equal(described.Attributes!.find((a) => a.Key === 'proxy_protocol_v2.enabled')?.Value, 'true');
    assert.equal(described.Attributes!.find((a) => a.Key === 'deregistration_delay.timeout_seconds')?.Value, '300');
  });

  test('the Available service has the AZs of its NLB and AWS-shaped names', async () => {
    const ec2 = h.ec2(h.cloud.accounts.provider);
    assert.match(svc.serviceId, /^vpce-svc-[0-9a-f]{17}$/);
    assert.equal(svc.serviceName, `com.amazonaws.vpce.us-east-1.${svc.serviceId}`);
    const config = (await ec2.send(new DescribeVpcEndpointServiceConfigurationsCommand({ ServiceIds: [svc.serviceId] }))).ServiceConfigurations![0]!;
    assert.equal(config.ServiceState, 'Available');
    assert.equal(config.AcceptanceRequired, true);
    assert.deepEqual(config.AvailabilityZones, ['us-east-1a', 'us-east-1b', 'us-east-1c', 'us-east-1d', 'us-east-1f']);
    assert.deepEqual(config.AvailabilityZoneIds, ['use1-az1', 'use1-az2', 'use1-az4', 'use1-az6', 'use1-az5']);
    assert.deepEqual(config.BaseEndpointDnsNames, [`${svc.serviceId}.us-east-1.vpce.amazonaws.com`]);
    assert.deepEqual(config.NetworkLoadBalancerArns, [svc.loadBalancerArn]);
    assert.deepEqual(config.ServiceType, [{ ServiceType: 'Interface' }]);
    const permissions = await ec2.send(new DescribeVpcEndpointServicePermissionsCommand({ ServiceId: svc.serviceId }));
    assert.deepEqual(
      permissions.AllowedPrincipals!.map((p) => [p.Principal, p.PrincipalType]),
      [['*', 'All']],
    );
  });

  test('the customer discovers the service and creates an interface endpoint: pendingAcceptance', async () => {
    const ec2 = h.ec2(h.cloud.accounts.customer);
    const found = await ec2.send(new DescribeVpcEndpointServicesCommand({ ServiceNames: [svc.serviceName] }));
    assert.deepEqual(found.ServiceNames, [svc.serviceName]);
    assert.equal(found.ServiceDetails![0]!.Owner, h.cloud.accounts.provider.accountId);
    const net = await defaultNetwork(h, h.cloud.accounts.customer);
    customerVpc = net.vpcId;
    customerSubnet = net.subnetByZone.get('us-east-1a')!;
    const created = await ec2.send(
      new CreateVpcEndpointCommand({
        VpcId: customerVpc,
        ServiceName: svc.serviceName,
        VpcEndpointType: 'Interface',
        SubnetIds: [customerSubnet, net.subnetByZone.get('us-east-1b')!],
      }),
    );
    const endpoint = created.VpcEndpoint!;
    assert.match(endpoint.VpcEndpointId!, /^vpce-[0-9a-f]{17}$/);
    assert.equal(endpoint.VpcEndpointId!.length, 22);
    assert.equal(endpoint.State, 'pendingAcceptance');
    assert.equal(endpoint.VpcEndpointType, 'Interface');
    assert.equal(endpoint.OwnerId, h.cloud.accounts.customer.accountId);
    assert.equal(endpoint.NetworkInterfaceIds!.length, 2);
    assert.ok(endpoint.NetworkInterfaceIds!.every((id) => /^eni-[0-9a-f]{17}$/.test(id)));
    assert.equal(endpoint.Groups!.length, 1);
    assert.equal(endpoint.Groups![0]!.GroupName, 'default');
    const id = endpoint.VpcEndpointId!;
    const base = `${svc.serviceId}.us-east-1.vpce.amazonaws.com`;
    const names = endpoint.DnsEntries!.map((d) => d.DnsName!);
    assert.equal(names.length, 3);
    assert.match(names[0]!, new RegExp(`^${id}-[a-z0-9]{8}\\.${base.replace(/\./g, '\\.')}$`));
    const suffix = names[0]!.slice(id.length + 1, id.length + 9);
    assert.deepEqual(names.slice(1), [`${id}-${suffix}-us-east-1a.${base}`, `${id}-${suffix}-us-east-1b.${base}`]);
    assert.ok(endpoint.DnsEntries!.every((d) => d.HostedZoneId === 'Z7HUB22UULQXV'));

    const provider = h.ec2(h.cloud.accounts.provider);
    const connections = await provider.send(
      new DescribeVpcEndpointConnectionsCommand({
        Filters: [
          { Name: 'service-id', Values: [svc.serviceId] },
          { Name: 'vpc-endpoint-state', Values: ['pendingAcceptance'] },
        ],
      }),
    );
    assert.deepEqual(
      connections.VpcEndpointConnections!.map((c) => [c.VpcEndpointId, c.VpcEndpointOwner, c.VpcEndpointState]),
      [[id, h.cloud.accounts.customer.accountId, 'pendingAcceptance']],
    );
    // A wildcard names the service too, and the connection carries its endpoint's DNS names; another id finds nothing.
    const wild = await provider.send(new DescribeVpcEndpointConnectionsCommand({ Filters: [{ Name: 'service-id', Values: ['vpce-svc-*'] }] }));
    assert.deepEqual(
      wild.VpcEndpointConnections!.map((c) => c.VpcEndpointId),
      [id],
    );
    assert.deepEqual(
      wild.VpcEndpointConnections![0]!.DnsEntries!.map((d) => d.DnsName),
      names,
    );
    const none = await provider.send(new DescribeVpcEndpointConnectionsCommand({ Filters: [{ Name: 'service-id', Values: ['vpce-svc-0000000000000000f'] }] }));
    assert.deepEqual(none.VpcEndpointConnections ?? [], []);
  });

  test('accepting moves the connection to pending, then available after the delay; accepting again is harmless', async () => {
    const provider = h.ec2(h.cloud.accounts.provider);
    const customer = h.ec2(h.cloud.accounts.customer);
    const id = (await customer.send(new DescribeVpcEndpointsCommand({}))).VpcEndpoints![0]!.VpcEndpointId!;
    const accepted = await provider.send(new AcceptVpcEndpointConnectionsCommand({ ServiceId: svc.serviceId, VpcEndpointIds: [id] }));
    assert.deepEqual(accepted.Unsuccessful, []);
    const state = async () => (await customer.send(new DescribeVpcEndpointsCommand({ VpcEndpointIds: [id] }))).VpcEndpoints![0]!.State;
    assert.equal(await state(), 'pending');
    const again = await provider.send(new AcceptVpcEndpointConnectionsCommand({ ServiceId: svc.serviceId, VpcEndpointIds: [id] }));
    assert.deepEqual(again.Unsuccessful, []);
    h.advance(44_000);
    assert.equal(await state(), 'pending');
    h.advance(1_000);
    assert.equal(await state(), 'available');
    const snapshot = await h.cloud.snapshot();
    const endpoint = snapshot.endpoints.find((e) => e.endpointId === id)!;
    assert.equal(endpoint.forwarding, true);
    assert.equal(endpoint.networkInterfaces.length, 2);
    const customerOctet = snapshot.networks.find((n) => n.networkId === customerVpc)!.loopbackOctet;
    for (const eni of endpoint.networkInterfaces) {
      assert.match(eni.privateIp, /^172\.31\.(0|16)\.4$/, 'the first usable address of the subnet');
      assert.equal(eni.loopbackAddress, `127.${customerOctet}.${eni.privateIp.split('.')[2]}.4`);
    }
    const lb = snapshot.loadBalancers.find((l) => l.loadBalancerId === svc.loadBalancerArn)!;
    assert.equal(lb.active, true);
    assert.equal(lb.networkInterfaces.length, 5);
    assert.equal(lb.ports[0]!.port, 1024);
    assert.equal(lb.ports[0]!.proxyProtocol, true);
    assert.deepEqual(endpoint.proxyTlv, { kind: 'aws-vpce-id', vpceId: id });
    const providerOctet = snapshot.networks.find((n) => n.networkId === svc.providerVpcId)!.loopbackOctet;
    assert.deepEqual(lb.ports[0]!.targets, [{ id: '172.31.0.10', port: 27017, availabilityZone: null, loopbackAddress: `127.${providerOctet}.0.10` }]);
    const group = snapshot.securityGroups.find((g) => g.groupId === endpoint.securityGroupIds[0])!;
    assert.deepEqual(group.egress, [{ ipProtocol: '-1', fromPort: null, toPort: null, cidrIpv4: '0.0.0.0/0', referencedGroupId: null }]);
    assert.equal(snapshot.nextTransitionAt, null);
  });

  test('the service cannot be deleted while a connection is live (ExistingVpcEndpointConnections)', async () => {
    const provider = h.ec2(h.cloud.accounts.provider);
    const result = await provider.send(new DeleteVpcEndpointServiceConfigurationsCommand({ ServiceIds: [svc.serviceId] }));
    assert.equal(result.Unsuccessful!.length, 1);
    assert.equal(result.Unsuccessful![0]!.ResourceId, svc.serviceId);
    assert.equal(result.Unsuccessful![0]!.Error?.Code, 'ExistingVpcEndpointConnections');
  });

  test('rejecting ends forwarding; then the service deletes and the customer endpoint stays rejected', async () => {
    const provider = h.ec2(h.cloud.accounts.provider);
    const customer = h.ec2(h.cloud.accounts.customer);
    const id = (await customer.send(new DescribeVpcEndpointsCommand({}))).VpcEndpoints![0]!.VpcEndpointId!;
    let changes = 0;
    const unsubscribe = h.cloud.onChange(() => changes++);
    const rejected = await provider.send(new RejectVpcEndpointConnectionsCommand({ ServiceId: svc.serviceId, VpcEndpointIds: [id, 'vpce-00000000000000000'] }));
    assert.deepEqual(
      rejected.Unsuccessful!.map((u) => [u.ResourceId, u.Error?.Code]),
      [['vpce-00000000000000000', 'InvalidVpcEndpointId.NotFound']],
    );
    for (let i = 0; i < 50 && changes === 0; i++) await new Promise((r) => setTimeout(r, 20));
    unsubscribe();
    assert.ok(changes > 0, 'onChange fired after the rejection');
    assert.equal((await h.cloud.snapshot()).endpoints.find((e) => e.endpointId === id)!.forwarding, false);
    const deleted = await provider.send(new DeleteVpcEndpointServiceConfigurationsCommand({ ServiceIds: [svc.serviceId] }));
    assert.deepEqual(deleted.Unsuccessful, []);
    const describe = () => provider.send(new DescribeVpcEndpointServiceConfigurationsCommand({ ServiceIds: [svc.serviceId] }));
    assert.equal((await describe()).ServiceConfigurations![0]!.ServiceState, 'Deleting');
    h.advance(30_000);
    assert.equal((await describe()).ServiceConfigurations![0]!.ServiceState, 'Deleted');
    h.advance(300_000);
    await rejectsWith(describe(), 'InvalidVpcEndpointServiceId.NotFound');
    const endpoint = (await customer.send(new DescribeVpcEndpointsCommand({ VpcEndpointIds: [id] }))).VpcEndpoints![0]!;
    assert.equal(endpoint.State, 'rejected');
    assert.equal(endpoint.ServiceName, svc.serviceName);
    await rejectsWith(customer.send(new DescribeVpcEndpointServicesCommand({ ServiceNames: [svc.serviceName] })), 'InvalidServiceName');
  });

  test('the customer deletes the rejected endpoint: deleting, deleted, then gone; its addresses are freed', async () => {
    const customer = h.ec2(h.cloud.accounts.customer);
    const id = (await customer.send(new DescribeVpcEndpointsCommand({}))).VpcEndpoints![0]!.VpcEndpointId!;
    const result = await customer.send(new DeleteVpcEndpointsCommand({ VpcEndpointIds: [id] }));
    assert.deepEqual(result.Unsuccessful, []);
    const state = async () => (await customer.send(new DescribeVpcEndpointsCommand({ VpcEndpointIds: [id] }))).VpcEndpoints![0]!.State;
    assert.equal(await state(), 'deleting');
    h.advance(30_000);
    assert.equal(await state(), 'deleted');
    assert.equal((await h.cloud.snapshot()).endpoints.find((e) => e.endpointId === id)!.networkInterfaces.length, 0);
    h.advance(300_000);
    await rejectsWith(customer.send(new DescribeVpcEndpointsCommand({ VpcEndpointIds: [id] })), 'InvalidVpcEndpointId.NotFound', {
      message: `The Vpc Endpoint Id '${id}' does not exist`,
    });
  });

  test('a service without acceptance: the endpoint goes pending, then available on its own', async () => {
    await h.cloud.setDelays('instant');
    const open = await providerService(h, { name: 'pl-open', acceptanceRequired: false });
    const customer = h.ec2(h.cloud.accounts.customer);
    const created = await customer.send(
      new CreateVpcEndpointCommand({ VpcId: customerVpc, ServiceName: open.serviceName, VpcEndpointType: 'Interface', SubnetIds: [customerSubnet] }),
    );
    assert.equal(created.VpcEndpoint!.State, 'pending');
    const now = (await customer.send(new DescribeVpcEndpointsCommand({ VpcEndpointIds: [created.VpcEndpoint!.VpcEndpointId!] }))).VpcEndpoints![0]!;
    assert.equal(now.State, 'available', 'instant delays: the next read sees the next state');
  });
});
