import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import {
  CreateSubnetCommand,
  CreateVpcCommand,
  CreateVpcEndpointCommand,
  DescribeSubnetsCommand,
  DescribeVpcEndpointsCommand,
  DescribeVpcsCommand,
  paginateDescribeSubnets,
} from '@aws-sdk/client-ec2';
import { CreateTargetGroupCommand, DescribeTargetGroupsCommand, ElasticLoadBalancingV2Client } from '@aws-sdk/client-elastic-load-balancing-v2';
import { defaultNetwork, providerService, rejectsWith, startHarness, type Harness, type ProviderService } from './harness.js';

describe('paging, ClientToken idempotency, faults and the 503 window', () => {
  let h: Harness;
  let svc: ProviderService;
  let net: { vpcId: string; subnetByZone: Map<string, string> };
  before(async () => {
    h = await startHarness();
    svc = await providerService(h);
    net = await defaultNetwork(h, h.cloud.accounts.customer);
  });
  after(async () => h?.close());

  test('MaxResults/NextToken pages through subnets without repeats; the SDK paginator agrees', async () => {
    const ec2 = h.ec2(h.cloud.accounts.customer);
    const vpc = (await ec2.send(new CreateVpcCommand({ CidrBlock: '10.20.0.0/16' }))).Vpc!;
    for (let i = 0; i < 7; i++) await ec2.send(new CreateSubnetCommand({ VpcId: vpc.VpcId, CidrBlock: `10.20.${i}.0/24`, AvailabilityZone: 'us-east-1a' }));
    const filters = [{ Name: 'vpc-id', Values: [vpc.VpcId!] }];
    const first = await ec2.send(new DescribeSubnetsCommand({ Filters: filters, MaxResults: 5 }));
    assert.equal(first.Subnets!.length, 5);
    assert.ok(first.NextToken);
    const second = await ec2.send(new DescribeSubnetsCommand({ Filters: filters, MaxResults: 5, NextToken: first.NextToken }));
    assert.equal(second.Subnets!.length, 2);
    assert.equal(second.NextToken, undefined);
    const ids = [...first.Subnets!, ...second.Subnets!].map((s) => s.SubnetId);
    assert.equal(new Set(ids).size, 7);
    const paged: string[] = [];
    for await (const page of paginateDescribeSubnets({ client: ec2, pageSize: 5 }, { Filters: filters })) paged.push(...page.Subnets!.map((s) => s.SubnetId!));
    assert.deepEqual(paged, ids);
    await rejectsWith(ec2.send(new DescribeSubnetsCommand({ MaxResults: 3 })), 'InvalidParameterValue');
    await rejectsWith(ec2.send(new DescribeSubnetsCommand({ MaxResults: 5, NextToken: 'garbage' })), 'InvalidPaginationToken');
  });

  test('ELBv2 PageSize/Marker pages through target groups', async () => {
    const elb = h.elb(h.cloud.accounts.provider);
    for (let i = 0; i < 3; i++) await elb.send(new CreateTargetGroupCommand({ Name: `page-${i}`, Protocol: 'TCP', Port: 27017, VpcId: svc.providerVpcId, TargetType: 'ip' }));
    const first = await elb.send(new DescribeTargetGroupsCommand({ PageSize: 2 }));
    assert.equal(first.TargetGroups!.length, 2);
    const second = await elb.send(new DescribeTargetGroupsCommand({ PageSize: 2, Marker: first.NextMarker }));
    const third = second.NextMarker ? await elb.send(new DescribeTargetGroupsCommand({ PageSize: 2, Marker: second.NextMarker })) : { TargetGroups: [], NextMarker: undefined };
    const names = [...first.TargetGroups!, ...second.TargetGroups!, ...third.TargetGroups!].map((g) => g.TargetGroupName);
    assert.deepEqual(names, ['pl-test-1024', 'page-0', 'page-1', 'page-2']);
    assert.equal(third.NextMarker, undefined);
  });

  test('the same ClientToken and parameters return the same endpoint; other parameters are IdempotentParameterMismatch', async () => {
    const ec2 = h.ec2(h.cloud.accounts.customer);
    const input = {
      VpcId: net.vpcId,
      ServiceName: svc.serviceName,
      VpcEndpointType: 'Interface' as const,
      SubnetIds: [net.subnetByZone.get('us-east-1a')!],
      ClientToken: 'token-1',
    };
    const first = await ec2.send(new CreateVpcEndpointCommand(input));
    const again = await ec2.send(new CreateVpcEndpointCommand(input));
    assert.equal(again.VpcEndpoint!.VpcEndpointId, first.VpcEndpoint!.VpcEndpointId);
    assert.equal(again.ClientToken, 'token-1');
    assert.equal((await ec2.send(new DescribeVpcEndpointsCommand({}))).VpcEndpoints!.length, 1);
    await rejectsWith(ec2.send(new CreateVpcEndpointCommand({ ...input, SubnetIds: [net.subnetByZone.get('us-east-1b')!] })), 'IdempotentParameterMismatch');
    const other = await ec2.send(new CreateVpcEndpointCommand({ ...input, ClientToken: 'token-2' }));
    assert.notEqual(other.VpcEndpoint!.VpcEndpointId, first.VpcEndpoint!.VpcEndpointId);
  });

  test('a throttle fault for the next 2 calls: HTTP 503 RequestLimitExceeded twice, then normal', async () => {
    const ec2 = h.ec2(h.cloud.accounts.customer);
    await h.cloud.setFault('DescribeVpcs', { kind: 'throttle', times: 2 });
    await rejectsWith(ec2.send(new DescribeVpcsCommand({})), 'RequestLimitExceeded', { message: 'Request limit exceeded.', status: 503 });
    await rejectsWith(ec2.send(new DescribeVpcsCommand({})), 'RequestLimitExceeded');
    assert.ok((await ec2.send(new DescribeVpcsCommand({}))).Vpcs!.length >= 1);
  });

  test('an error fault answers with its code, message and status until cleared; it survives a restart', async () => {
    await h.cloud.setFault('DescribeTargetGroups', { kind: 'error', code: 'InternalFailure', message: 'boom', status: 500 });
    await h.restart();
    await rejectsWith(h.elb(h.cloud.accounts.provider).send(new DescribeTargetGroupsCommand({})), 'InternalFailure', { message: 'boom', status: 500 });
    await rejectsWith(h.elb(h.cloud.accounts.provider).send(new DescribeTargetGroupsCommand({})), 'InternalFailure');
    await h.cloud.setFault('DescribeTargetGroups', null);
    await h.elb(h.cloud.accounts.provider).send(new DescribeTargetGroupsCommand({}));
  });

  test('a timeout fault holds the answer: the client times out, yet the action took effect', async () => {
    await h.cloud.setFault('CreateVpc', { kind: 'timeout', ms: 2_000, times: 1 });
    const started = Date.now();
    await assert.rejects(h.ec2(h.cloud.accounts.customer).send(new CreateVpcCommand({ CidrBlock: '10.99.0.0/16' }), { abortSignal: AbortSignal.timeout(300) }), (e: Error) =>
      /abort|timeout/i.test(e.name + e.message),
    );
    assert.ok(Date.now() - started < 1_500, 'the client gave up long before the held answer');
    const vpcs = await h.ec2(h.cloud.accounts.customer).send(new DescribeVpcsCommand({ Filters: [{ Name: 'cidr', Values: ['10.99.0.0/16'] }] }));
    assert.equal(vpcs.Vpcs!.length, 1);
  });

  test('within the unavailable window after a service becomes Available, CreateVpcEndpoint answers 503 Unavailable', async () => {
    await h.cloud.setUnavailableWindow(30_000);
    const fresh = await providerService(h, { name: 'pl-fresh' });
    const ec2 = h.ec2(h.cloud.accounts.customer);
    const create = () =>
      ec2.send(new CreateVpcEndpointCommand({ VpcId: net.vpcId, ServiceName: fresh.serviceName, VpcEndpointType: 'Interface', SubnetIds: [net.subnetByZone.get('us-east-1c')!] }));
    await rejectsWith(create(), 'Unavailable', { message: 'The service is unavailable', status: 503 });
    h.advance(29_000);
    await rejectsWith(create(), 'Unavailable');
    h.advance(1_000);
    assert.equal((await create()).VpcEndpoint!.State, 'pendingAcceptance');
    await h.cloud.setUnavailableWindow(0);
  });

  test('delays and lazy transitions survive a restart', async () => {
    await h.cloud.setDelays({ connectionAvailable: 45_000 });
    const open = await providerService(h, { name: 'pl-restart', acceptanceRequired: false });
    const ec2 = h.ec2(h.cloud.accounts.customer);
    const id = (
      await ec2.send(
        new CreateVpcEndpointCommand({ VpcId: net.vpcId, ServiceName: open.serviceName, VpcEndpointType: 'Interface', SubnetIds: [net.subnetByZone.get('us-east-1d')!] }),
      )
    ).VpcEndpoint!.VpcEndpointId!;
    await h.restart();
    assert.equal((await h.cloud.delays()).connectionAvailable, 45_000);
    const state = async () => (await h.ec2(h.cloud.accounts.customer).send(new DescribeVpcEndpointsCommand({ VpcEndpointIds: [id] }))).VpcEndpoints![0]!.State;
    assert.equal(await state(), 'pending');
    const waiting = await h.cloud.snapshot();
    assert.ok(waiting.nextTransitionAt, 'the snapshot names when to look again');
    assert.equal(waiting.endpoints.find((e) => e.endpointId === id)!.state, 'pending');
    h.advance(45_000);
    // No request in between: the snapshot itself applies the step that fell due.
    const due = (await h.cloud.snapshot()).endpoints.find((e) => e.endpointId === id)!;
    assert.deepEqual([due.state, due.forwarding], ['available', true]);
    assert.equal(await state(), 'available');
    await h.cloud.setDelays('instant');
  });

  test('an ELBv2 throttle is HTTP 400 Throttling "Rate exceeded"', async () => {
    await h.cloud.setFault('DescribeTargetGroups', { kind: 'throttle', times: 1 });
    await rejectsWith(
      new ElasticLoadBalancingV2Client({ endpoint: h.url, region: 'us-east-1', credentials: h.cloud.accounts.provider, maxAttempts: 1 }).send(new DescribeTargetGroupsCommand({})),
      'Throttling',
      {
        message: 'Rate exceeded',
        status: 400,
      },
    );
  });
});
