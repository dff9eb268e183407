import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import {
  CreateSubnetCommand,
  CreateVpcEndpointCommand,
  DescribeRegionsCommand,
  DescribeVpcEndpointConnectionsCommand,
  DescribeVpcEndpointServiceConfigurationsCommand,
  DescribeVpcEndpointServicesCommand,
  DescribeVpcEndpointsCommand,
  DescribeVpcsCommand,
  EC2Client,
  ModifyVpcEndpointServicePermissionsCommand,
} from '@aws-sdk/client-ec2';
import { DescribeLoadBalancersCommand, ElasticLoadBalancingV2Client } from '@aws-sdk/client-elastic-load-balancing-v2';
import { defaultNetwork, providerService, rejectsWith, startHarness, type Harness } from './harness.js';

describe('SigV4 authentication', () => {
  let h: Harness;
  before(async () => {
    h = await startHarness();
  });
  after(async () => h?.close());

  const ec2With = (credentials: { accessKeyId: string; secretAccessKey: string }, extra: Record<string, unknown> = {}) =>
    new EC2Client({ endpoint: h.url, region: 'us-east-1', credentials, maxAttempts: 1, ...extra });
  const elbWith = (credentials: { accessKeyId: string; secretAccessKey: string }, extra: Record<string, unknown> = {}) =>
    new ElasticLoadBalancingV2Client({ endpoint: h.url, region: 'us-east-1', credentials, maxAttempts: 1, ...extra });

  test('a correctly signed request succeeds for both APIs', async () => {
    const regions = await h.ec2(h.cloud.accounts.customer).send(new DescribeRegionsCommand({}));
    assert.ok(regions.Regions!.some((r) => r.RegionName === 'eu-central-1' && r.Endpoint === 'ec2.eu-central-1.amazonaws.com'));
    const lbs = await h.elb(h.cloud.accounts.customer).send(new DescribeLoadBalancersCommand({}));
    assert.deepEqual(lbs.LoadBalancers, []);
  });

  test('a wrong secret: EC2 AuthFailure (401), ELBv2 SignatureDoesNotMatch (403)', async () => {
    const wrong = { accessKeyId: h.cloud.accounts.customer.accessKeyId, secretAccessKey: 'wrong-secret' };
    await rejectsWith(ec2With(wrong).send(new DescribeVpcsCommand({})), 'AuthFailure', { message: 'AWS was not able to validate the provided access credentials', status: 401 });
    await rejectsWith(elbWith(wrong).send(new DescribeLoadBalancersCommand({})), 'SignatureDoesNotMatch', {
      message: /^The request signature we calculated does not match/,
      status: 403,
    });
  });

  test('an unknown access key: InvalidClientTokenId', async () => {
    const unknown = { accessKeyId: 'AKIAIOSFODNN7EXAMPLE', secretAccessKey: 'x' };
    await rejectsWith(ec2With(unknown).send(new DescribeVpcsCommand({})), 'InvalidClientTokenId', { message: 'The security token included in the request is invalid.' });
    await rejectsWith(elbWith(unknown).send(new DescribeLoadBalancersCommand({})), 'InvalidClientTokenId', { status: 403 });
  });

  test('a clock 20 minutes off: EC2 RequestExpired, ELBv2 Signature expired', async () => {
    const skew = { systemClockOffset: -20 * 60 * 1000 };
    await rejectsWith(ec2With(h.cloud.accounts.customer, skew).send(new DescribeVpcsCommand({})), 'RequestExpired');
    await rejectsWith(elbWith(h.cloud.accounts.customer, skew).send(new DescribeLoadBalancersCommand({})), 'SignatureDoesNotMatch', {
      message: /^Signature expired: \d{8}T\d{6}Z is now earlier than/,
    });
    const slightly = { systemClockOffset: -10 * 60 * 1000 };
    await ec2With(h.cloud.accounts.customer, slightly).send(new DescribeVpcsCommand({}));
  });

  test('a credential scope with an unknown region is refused', async () => {
    await rejectsWith(
      new EC2Client({ endpoint: h.url, region: 'xx-nowhere-1', credentials: h.cloud.accounts.customer, maxAttempts: 1 }).send(new DescribeVpcsCommand({})),
      'AuthFailure',
      { message: "Credential should be scoped to a valid region, not 'xx-nowhere-1'." },
    );
  });

  test('unsigned requests: EC2 401 AuthFailure, ELBv2 403 MissingAuthenticationToken, as XML', async () => {
    const post = (body: string) => fetch(h.url, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded; charset=utf-8' }, body });
    const ec2 = await post('Action=DescribeVpcs&Version=2016-11-15');
    assert.equal(ec2.status, 401);
    assert.match(
      await ec2.text(),
      /^<\?xml version="1.0" encoding="UTF-8"\?>\n<Response><Errors><Error><Code>AuthFailure<\/Code><Message>AWS was not able to validate the provided access credentials<\/Message><\/Error><\/Errors><RequestID>[0-9a-f-]{36}<\/RequestID><\/Response>$/,
    );
    const elb = await post('Action=DescribeLoadBalancers&Version=2015-12-01');
    assert.equal(elb.status, 403);
    assert.match(
      await elb.text(),
      /<ErrorResponse xmlns="http:\/\/elasticloadbalancing.amazonaws.com\/doc\/2015-12-01\/"><Error><Type>Sender<\/Type><Code>MissingAuthenticationToken<\/Code>/,
    );
  });
});

describe('accounts see only their own resources', () => {
  let h: Harness;
  before(async () => {
    h = await startHarness();
  });
  after(async () => h?.close());

  test('accounts are stable and createAccount is idempotent by name', async () => {
    const { provider, customer } = h.cloud.accounts;
    assert.notEqual(provider.accountId, customer.accountId);
    assert.match(provider.accountId, /^\d{12}$/);
    assert.match(customer.accessKeyId, /^AKIA[A-Z2-7]{16}$/);
    const two = await h.cloud.createAccount('customer-two');
    assert.deepEqual(await h.cloud.createAccount('customer-two'), two);
    await h.restart();
    assert.deepEqual(h.cloud.accounts, { provider, customer });
    assert.deepEqual(await h.cloud.createAccount('customer-two'), two);
  });

  test('a customer sees neither the provider’s load balancers and services nor another customer’s VPCs', async () => {
    const svc = await providerService(h);
    const customer = h.cloud.accounts.customer;
    const other = await h.cloud.createAccount('customer-two');
    assert.deepEqual((await h.elb(customer).send(new DescribeLoadBalancersCommand({}))).LoadBalancers, []);
    await rejectsWith(h.elb(customer).send(new DescribeLoadBalancersCommand({ LoadBalancerArns: [svc.loadBalancerArn] })), 'LoadBalancerNotFound', {
      message: 'One or more load balancers not found',
    });
    assert.deepEqual((await h.ec2(customer).send(new DescribeVpcEndpointServiceConfigurationsCommand({}))).ServiceConfigurations, []);
    await rejectsWith(h.ec2(customer).send(new DescribeVpcEndpointServiceConfigurationsCommand({ ServiceIds: [svc.serviceId] })), 'InvalidVpcEndpointServiceId.NotFound');
    const mine = await defaultNetwork(h, customer);
    await rejectsWith(h.ec2(other).send(new DescribeVpcsCommand({ VpcIds: [mine.vpcId] })), 'InvalidVpcID.NotFound', { message: `The vpc ID '${mine.vpcId}' does not exist` });
    await rejectsWith(h.ec2(other).send(new CreateSubnetCommand({ VpcId: mine.vpcId, CidrBlock: '172.31.96.0/20', AvailabilityZone: 'us-east-1a' })), 'InvalidVpcID.NotFound');
    const theirs = await defaultNetwork(h, other);
    assert.notEqual(theirs.vpcId, mine.vpcId);
    const created = await h
      .ec2(customer)
      .send(new CreateVpcEndpointCommand({ VpcId: mine.vpcId, ServiceName: svc.serviceName, VpcEndpointType: 'Interface', SubnetIds: [mine.subnetByZone.get('us-east-1a')!] }));
    assert.deepEqual((await h.ec2(other).send(new DescribeVpcEndpointsCommand({}))).VpcEndpoints, []);
    assert.deepEqual((await h.ec2(h.cloud.accounts.provider).send(new DescribeVpcEndpointsCommand({}))).VpcEndpoints, []);
    const connections = await h.ec2(h.cloud.accounts.provider).send(new DescribeVpcEndpointConnectionsCommand({}));
    assert.deepEqual(
      connections.VpcEndpointConnections!.map((c) => c.VpcEndpointId),
      [created.VpcEndpoint!.VpcEndpointId],
    );
    assert.deepEqual((await h.ec2(customer).send(new DescribeVpcEndpointConnectionsCommand({}))).VpcEndpointConnections, []);
    await rejectsWith(h.ec2(other).send(new CreateSubnetCommand({ VpcId: theirs.vpcId, CidrBlock: '172.31.0.0/24', AvailabilityZone: 'us-east-1a' })), 'InvalidSubnet.Conflict');
  });

  test('a service whose principals exclude the caller looks like a missing service', async () => {
    const customer = h.cloud.accounts.customer;
    const other = await h.cloud.createAccount('customer-three');
    const svc = await providerService(h, { name: 'pl-private', principals: [`arn:aws:iam::${customer.accountId}:root`] });
    const missing = `The Vpc Endpoint Service '${svc.serviceName}' does not exist`;
    assert.deepEqual((await h.ec2(customer).send(new DescribeVpcEndpointServicesCommand({ ServiceNames: [svc.serviceName] }))).ServiceNames, [svc.serviceName]);
    await rejectsWith(h.ec2(other).send(new DescribeVpcEndpointServicesCommand({ ServiceNames: [svc.serviceName] })), 'InvalidServiceName', { message: missing });
    assert.ok(!(await h.ec2(other).send(new DescribeVpcEndpointServicesCommand({}))).ServiceNames!.includes(svc.serviceName));
    assert.ok((await h.ec2(customer).send(new DescribeVpcEndpointServicesCommand({}))).ServiceNames!.includes(svc.serviceName), 'listed to the allowed principal');
    const net = await defaultNetwork(h, other);
    const create = () =>
      h
        .ec2(other)
        .send(new CreateVpcEndpointCommand({ VpcId: net.vpcId, ServiceName: svc.serviceName, VpcEndpointType: 'Interface', SubnetIds: [net.subnetByZone.get('us-east-1a')!] }));
    await rejectsWith(create(), 'InvalidServiceName', { message: missing, status: 400 });
    const provider = h.ec2(h.cloud.accounts.provider);
    await provider.send(new ModifyVpcEndpointServicePermissionsCommand({ ServiceId: svc.serviceId, AddAllowedPrincipals: [`arn:aws:iam::${other.accountId}:root`] }));
    assert.equal((await create()).VpcEndpoint!.State, 'pendingAcceptance');
    await provider.send(new ModifyVpcEndpointServicePermissionsCommand({ ServiceId: svc.serviceId, RemoveAllowedPrincipals: [`arn:aws:iam::${other.accountId}:root`] }));
    await rejectsWith(h.ec2(other).send(new DescribeVpcEndpointServicesCommand({ ServiceNames: [svc.serviceName] })), 'InvalidServiceName');
    await rejectsWith(provider.send(new ModifyVpcEndpointServicePermissionsCommand({ ServiceId: svc.serviceId, AddAllowedPrincipals: ['123456789012'] })), 'InvalidPrincipal');
  });
});
