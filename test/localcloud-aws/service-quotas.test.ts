import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { after, before, describe, test } from 'node:test';
import { CreateListenerCommand, CreateLoadBalancerCommand, CreateTargetGroupCommand } from '@aws-sdk/client-elastic-load-balancing-v2';
import { CreateVpcCommand, DeleteVpcCommand, DescribeSubnetsCommand, DescribeVpcsCommand } from '@aws-sdk/client-ec2';
import {
  GetAWSDefaultServiceQuotaCommand,
  GetRequestedServiceQuotaChangeCommand,
  GetServiceQuotaCommand,
  ListServiceQuotasCommand,
  RequestServiceQuotaIncreaseCommand,
  ServiceQuotasClient,
} from '@aws-sdk/client-service-quotas';
import { rejectsWith, startHarness, type Harness } from './harness.js';

/**
 * AWS Service Quotas in the local cloud: AWS's defaults, increase requests approved after a delay,
 * enforced by CreateLoadBalancer, CreateVpc and CreateListener.
 */
describe('local cloud Service Quotas', () => {
  let h: Harness;
  let quotas: ServiceQuotasClient;
  before(async () => {
    h = await startHarness();
    quotas = new ServiceQuotasClient({ endpoint: h.url, region: 'eu-west-1', maxAttempts: 1, credentials: h.cloud.accounts.provider });
  });
  after(async () => {
    quotas?.destroy();
    await h?.close();
  });

  test("AWS's defaults: 50 network load balancers and 5 VPCs per region", async () => {
    const nlb = await quotas.send(new GetServiceQuotaCommand({ ServiceCode: 'elasticloadbalancing', QuotaCode: 'L-69A177A2' }));
    assert.equal(nlb.Quota?.Value, 50);
    assert.equal(nlb.Quota?.QuotaName, 'Network Load Balancers per Region');
    assert.equal(nlb.Quota?.QuotaArn, `arn:aws:servicequotas:eu-west-1:${h.cloud.accounts.provider.accountId}:elasticloadbalancing/L-69A177A2`);
    const vpc = await quotas.send(new ListServiceQuotasCommand({ ServiceCode: 'vpc' }));
    assert.deepEqual(
      vpc.Quotas?.map((q) => [q.QuotaCode, q.Value]),
      [['L-F678F1CE', 5]],
    );
  });

  test('unknown quotas, values not above the current one and a second open request are refused as AWS does', async () => {
    await assert.rejects(quotas.send(new GetServiceQuotaCommand({ ServiceCode: 'ec2', QuotaCode: 'L-NOPE' })), { name: 'NoSuchResourceException' });
    await assert.rejects(quotas.send(new RequestServiceQuotaIncreaseCommand({ ServiceCode: 'vpc', QuotaCode: 'L-F678F1CE', DesiredValue: 5 })), {
      name: 'IllegalArgumentException',
    });
    await h.cloud.setQuotaApprovalDelay(60_000);
    await quotas.send(new RequestServiceQuotaIncreaseCommand({ ServiceCode: 'vpc', QuotaCode: 'L-F678F1CE', DesiredValue: 10 }));
    await assert.rejects(quotas.send(new RequestServiceQuotaIncreaseCommand({ ServiceCode: 'vpc', QuotaCode: 'L-F678F1CE', DesiredValue: 12 })), {
      name: 'ResourceAlreadyExistsException',
    });
    const bad = new ServiceQuotasClient({ endpoint: h.url, region: 'eu-west-1', maxAttempts: 1, credentials: { accessKeyId: 'AKIANOTAKEY000000000', secretAccessKey: 'x' } });
    try {
      await assert.rejects(bad.send(new GetServiceQuotaCommand({ ServiceCode: 'vpc', QuotaCode: 'L-F678F1CE' })), { name: 'UnrecognizedClientException' });
    } finally {
      bad.destroy();
    }
  });

  test('an approved increase applies after the delay, and CreateLoadBalancer enforces the applied quota', async () => {
    await h.cloud.setQuotaApprovalDelay(1_000);
    const account = await h.cloud.createAccount('quota-tenant');
    const client = new ServiceQuotasClient({ endpoint: h.url, region: 'us-east-1', maxAttempts: 1, credentials: account });
    try {
      const asked = await client.send(new RequestServiceQuotaIncreaseCommand({ ServiceCode: 'elasticloadbalancing', QuotaCode: 'L-69A177A2', DesiredValue: 51 }));
      assert.equal(asked.RequestedQuota?.Status, 'CASE_OPENED');
      assert.equal((await client.send(new GetServiceQuotaCommand({ ServiceCode: 'elasticloadbalancing', QuotaCode: 'L-69A177A2' }))).Quota?.Value, 50);
      h.advance(1_000);
      const change = await client.send(new GetRequestedServiceQuotaChangeCommand({ RequestId: asked.RequestedQuota!.Id! }));
      assert.equal(change.RequestedQuota?.Status, 'APPROVED');
      assert.equal((await client.send(new GetServiceQuotaCommand({ ServiceCode: 'elasticloadbalancing', QuotaCode: 'L-69A177A2' }))).Quota?.Value, 51);
      const subnets = (await h.ec2(account).send(new DescribeSubnetsCommand({ Filters: [{ Name: 'availability-zone', Values: ['us-east-1a'] }] }))).Subnets!;
      const elb = h.elb(account);
      for (let i = 0; i < 51; i++) await elb.send(new CreateLoadBalancerCommand({ Name: `q-${i}`, Type: 'network', Scheme: 'internal', Subnets: [subnets[0]!.SubnetId!] }));
      await assert.rejects(elb.send(new CreateLoadBalancerCommand({ Name: 'q-51', Type: 'network', Scheme: 'internal', Subnets: [subnets[0]!.SubnetId!] })), {
        name: 'TooManyLoadBalancersException',
      });
    } finally {
      client.destroy();
    }
  });

  test('an increase that fell due is applied by the first CreateLoadBalancer after it, with no read of the quota before', async () => {
    // A delay far longer than the test runs (the emulated clock also moves with the wall clock).
    await h.cloud.setQuotaApprovalDelay(600_000);
    const account = await h.cloud.createAccount('quota-due-tenant');
    const client = new ServiceQuotasClient({ endpoint: h.url, region: 'us-east-1', maxAttempts: 1, credentials: account });
    try {
      await client.send(new RequestServiceQuotaIncreaseCommand({ ServiceCode: 'elasticloadbalancing', QuotaCode: 'L-69A177A2', DesiredValue: 51 }));
      const subnets = (await h.ec2(account).send(new DescribeSubnetsCommand({ Filters: [{ Name: 'availability-zone', Values: ['us-east-1a'] }] }))).Subnets!;
      const elb = h.elb(account);
      const create = (i: number) => elb.send(new CreateLoadBalancerCommand({ Name: `d-${i}`, Type: 'network', Scheme: 'internal', Subnets: [subnets[0]!.SubnetId!] }));
      for (let i = 0; i < 50; i++) await create(i);
      await assert.rejects(create(50), { name: 'TooManyLoadBalancersException' }, 'not yet approved');
      h.advance(600_000);
      await create(50);
      await assert.rejects(create(51), { name: 'TooManyLoadBalancersException' });
    } finally {
      client.destroy();
    }
  });

  test('CreateVpc: the default VPC counts; the 5th VPC is made, the 6th is VpcLimitExceeded until an approved increase', async () => {
    await h.cloud.setQuotaApprovalDelay(1_000);
    const account = await h.cloud.createAccount('vpc-tenant');
    const ec2 = h.ec2(account);
    const client = new ServiceQuotasClient({ endpoint: h.url, region: 'us-east-1', maxAttempts: 1, credentials: account });
    try {
      const existing = (await ec2.send(new DescribeVpcsCommand({}))).Vpcs!;
      assert.deepEqual(
        existing.map((v) => v.IsDefault),
        [true],
      );
      const made: string[] = [];
      for (let i = 1; i <= 4; i++) made.push((await ec2.send(new CreateVpcCommand({ CidrBlock: `10.${i}.0.0/16` }))).Vpc!.VpcId!);
      assert.equal((await ec2.send(new DescribeVpcsCommand({}))).Vpcs!.length, 5);
      await rejectsWith(ec2.send(new CreateVpcCommand({ CidrBlock: '10.5.0.0/16' })), 'VpcLimitExceeded', { message: 'The maximum number of VPCs has been reached.', status: 400 });
      // Per region: another region of the same account still has room.
      await h.ec2(account, 'eu-west-1').send(new CreateVpcCommand({ CidrBlock: '10.5.0.0/16' }));
      // A deleted VPC frees its place.
      await ec2.send(new DeleteVpcCommand({ VpcId: made[0] }));
      const fifth = (await ec2.send(new CreateVpcCommand({ CidrBlock: '10.6.0.0/16' }))).Vpc!.VpcId!;
      await rejectsWith(ec2.send(new CreateVpcCommand({ CidrBlock: '10.7.0.0/16' })), 'VpcLimitExceeded');

      const asked = await client.send(new RequestServiceQuotaIncreaseCommand({ ServiceCode: 'vpc', QuotaCode: 'L-F678F1CE', DesiredValue: 6 }));
      await rejectsWith(ec2.send(new CreateVpcCommand({ CidrBlock: '10.7.0.0/16' })), 'VpcLimitExceeded');
      h.advance(1_000);
      assert.equal((await client.send(new GetRequestedServiceQuotaChangeCommand({ RequestId: asked.RequestedQuota!.Id! }))).RequestedQuota?.Status, 'APPROVED');
      const sixth = (await ec2.send(new CreateVpcCommand({ CidrBlock: '10.7.0.0/16' }))).Vpc!.VpcId!;
      assert.notEqual(sixth, fifth);
      await rejectsWith(ec2.send(new CreateVpcCommand({ CidrBlock: '10.8.0.0/16' })), 'VpcLimitExceeded');
    } finally {
      client.destroy();
    }
  });

  test('CreateListener: L-57A373D6 (Listeners per Network Load Balancer, 50, not adjustable) is known and enforced per load balancer', async () => {
    const account = await h.cloud.createAccount('listener-tenant');
    const client = new ServiceQuotasClient({ endpoint: h.url, region: 'us-east-1', maxAttempts: 1, credentials: account });
    try {
      const input = { ServiceCode: 'elasticloadbalancing', QuotaCode: 'L-57A373D6' };
      const applied = (await client.send(new GetServiceQuotaCommand(input))).Quota!;
      assert.deepEqual([applied.QuotaName, applied.Value, applied.Adjustable], ['Listeners per Network Load Balancer', 50, false]);
      assert.equal((await client.send(new GetAWSDefaultServiceQuotaCommand(input))).Quota?.Value, 50);
      const listed = (await client.send(new ListServiceQuotasCommand({ ServiceCode: 'elasticloadbalancing' }))).Quotas!;
      assert.deepEqual(listed.map((q) => [q.QuotaCode, q.Value]).sort(), [
        ['L-57A373D6', 50],
        ['L-69A177A2', 50],
      ]);
      await assert.rejects(client.send(new RequestServiceQuotaIncreaseCommand({ ...input, DesiredValue: 60 })), { name: 'QuotaExceededException' });

      const ec2 = h.ec2(account);
      const elb = h.elb(account);
      const vpcId = (await ec2.send(new DescribeVpcsCommand({}))).Vpcs![0]!.VpcId!;
      const subnets = (await ec2.send(new DescribeSubnetsCommand({ Filters: [{ Name: 'availability-zone', Values: ['us-east-1a'] }] }))).Subnets!;
      const balancer = async (name: string) =>
        (await elb.send(new CreateLoadBalancerCommand({ Name: name, Type: 'network', Scheme: 'internal', Subnets: [subnets[0]!.SubnetId!] }))).LoadBalancers![0]!.LoadBalancerArn!;
      const listen = async (lb: string, port: number) => {
        const group = (await elb.send(new CreateTargetGroupCommand({ Name: `g-${lb.slice(-6)}-${port}`, Protocol: 'TCP', Port: port, VpcId: vpcId, TargetType: 'ip' })))
          .TargetGroups![0]!;
        return elb.send(
          new CreateListenerCommand({ LoadBalancerArn: lb, Protocol: 'TCP', Port: port, DefaultActions: [{ Type: 'forward', TargetGroupArn: group.TargetGroupArn }] }),
        );
      };
      const full = await balancer('many-listeners');
      for (let port = 1024; port < 1074; port++) await listen(full, port);
      await rejectsWith(listen(full, 1074), 'TooManyListeners', {
        message: `You've reached the limit on the number of listeners per load balancer (50) for '${full}'`,
        status: 400,
      });
      // The quota is per load balancer: another one of the same account still takes listeners.
      const other = await balancer('other-listeners');
      assert.equal((await listen(other, 1074)).Listeners?.length, 1);
    } finally {
      client.destroy();
    }
  });

  test('the AWS CLI reads a quota', async () => {
    const env: NodeJS.ProcessEnv = Object.fromEntries(Object.entries(process.env).filter(([key]) => !key.startsWith('AWS_')));
    Object.assign(env, {
      AWS_ACCESS_KEY_ID: h.cloud.accounts.provider.accessKeyId,
      AWS_SECRET_ACCESS_KEY: h.cloud.accounts.provider.secretAccessKey,
      AWS_CONFIG_FILE: '/dev/null',
      AWS_SHARED_CREDENTIALS_FILE: '/dev/null',
      AWS_PAGER: '',
    });
    const stdout = await new Promise<string>((resolve, reject) =>
      execFile(
        '/usr/bin/aws',
        [
          'service-quotas',
          'get-service-quota',
          '--service-code',
          'elasticloadbalancing',
          '--quota-code',
          'L-69A177A2',
          '--endpoint-url',
          h.url,
          '--region',
          'us-east-1',
          '--output',
          'json',
        ],
        { env, timeout: 60_000 },
        (error, out, err) => (error ? reject(new Error(`${error.message}\n${err}`)) : resolve(out)),
      ),
    );
    assert.equal((JSON.parse(stdout) as { Quota: { Value: number } }).Quota.Value, 50);
  });
});
