import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { after, before, describe, test } from 'node:test';
import { providerService, startHarness, type Harness, type ProviderService } from './harness.js';

/** Debian's AWS CLI; another `aws` may shadow it on PATH, so always this path. */
const AWS_CLI = '/usr/bin/aws';

interface CliResult {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** Seed 01's customer steps with the real AWS CLI as a subprocess, against the local cloud. */
describe('the AWS CLI against the local cloud (customer steps of an AWS private endpoint)', () => {
  let h: Harness;
  let svc: ProviderService;

  function aws(args: string[], credentials = h.cloud.accounts.customer): Promise<CliResult> {
    const env: NodeJS.ProcessEnv = Object.fromEntries(Object.entries(process.env).filter(([key]) => !key.startsWith('AWS_')));
    Object.assign(env, {
      AWS_ACCESS_KEY_ID: credentials.accessKeyId,
      AWS_SECRET_ACCESS_KEY: credentials.secretAccessKey,
      AWS_CONFIG_FILE: '/dev/null',
      AWS_SHARED_CREDENTIALS_FILE: '/dev/null',
      AWS_PAGER: '',
    });
    return new Promise((resolve) => {
      execFile(AWS_CLI, [...args, '--endpoint-url', h.url, '--region', 'us-east-1', '--output', 'json'], { env, timeout: 60_000 }, (error, stdout, stderr) => {
        const code = error ? (typeof error.code === 'number' ? error.code : -1) : 0;
        resolve({ code, stdout, stderr });
      });
    });
  }

  function json(result: CliResult): any {
    assert.equal(result.code, 0, `aws exited ${result.code}: ${result.stderr}`);
    return JSON.parse(result.stdout);
  }

  before(async () => {
    assert.ok(existsSync(AWS_CLI), `${AWS_CLI} is missing: install Debian's awscli package (apt-get install awscli); these tests do not skip`);
    h = await startHarness();
    svc = await providerService(h);
  });
  after(async () => h?.close());

  test('describe-subnets lists the customer default subnets, us-east-1e included', async () => {
    const subnets = json(await aws(['ec2', 'describe-subnets'])).Subnets as Array<{ AvailabilityZone: string; DefaultForAz: boolean }>;
    assert.deepEqual(
      subnets.map((s) => s.AvailabilityZone),
      ['us-east-1a', 'us-east-1b', 'us-east-1c', 'us-east-1d', 'us-east-1e', 'us-east-1f'],
    );
    assert.ok(subnets.every((s) => s.DefaultForAz));
  });

  test('create-vpc-endpoint in us-east-1e prints AWS’s error line and exits 254; the recovery works', async () => {
    const subnets = json(await aws(['ec2', 'describe-subnets', '--filters', 'Name=availability-zone,Values=us-east-1e'])).Subnets as Array<{ SubnetId: string; VpcId: string }>;
    const { SubnetId: bad, VpcId: vpcId } = subnets[0]!;
    const failed = await aws(['ec2', 'create-vpc-endpoint', '--vpc-id', vpcId, '--service-name', svc.serviceName, '--vpc-endpoint-type', 'Interface', '--subnet-ids', bad]);
    assert.equal(failed.code, 254);
    assert.equal(failed.stdout, '');
    assert.equal(
      failed.stderr.trim(),
      `An error occurred (InvalidParameter) when calling the CreateVpcEndpoint operation: The VPC endpoint service ${svc.serviceName} does not support the availability zone of the subnet: ${bad}.`,
    );

    const services = json(await aws(['ec2', 'describe-vpc-endpoint-services', '--service-names', svc.serviceName]));
    assert.deepEqual(services.ServiceNames, [svc.serviceName]);
    const zones = services.ServiceDetails[0].AvailabilityZones as string[];
    assert.deepEqual(zones, ['us-east-1a', 'us-east-1b', 'us-east-1c', 'us-east-1d', 'us-east-1f']);

    const subnet = json(await aws(['ec2', 'create-subnet', '--vpc-id', vpcId, '--cidr-block', '172.31.96.0/20', '--availability-zone', zones[0]!])).Subnet;
    assert.equal(subnet.AvailabilityZone, 'us-east-1a');
    assert.match(subnet.SubnetId, /^subnet-[0-9a-f]{17}$/);

    const created = json(
      await aws(['ec2', 'create-vpc-endpoint', '--vpc-id', vpcId, '--service-name', svc.serviceName, '--vpc-endpoint-type', 'Interface', '--subnet-ids', subnet.SubnetId]),
    ).VpcEndpoint;
    assert.equal(created.State, 'pendingAcceptance');
    assert.match(created.VpcEndpointId, /^vpce-[0-9a-f]{17}$/);
    assert.match(created.DnsEntries[0].DnsName, new RegExp(`^${created.VpcEndpointId}-[a-z0-9]{8}\\.${svc.serviceId}\\.us-east-1\\.vpce\\.amazonaws\\.com$`));

    const described = json(await aws(['ec2', 'describe-vpc-endpoints', '--vpc-endpoint-ids', created.VpcEndpointId])).VpcEndpoints;
    assert.deepEqual(
      described.map((e: { VpcEndpointId: string; State: string }) => [e.VpcEndpointId, e.State]),
      [[created.VpcEndpointId, 'pendingAcceptance']],
    );
  });

  test('an unknown service name prints InvalidServiceName and exits 254', async () => {
    const name = 'com.amazonaws.vpce.us-east-1.vpce-svc-0123456789abcdef0';
    const result = await aws(['ec2', 'describe-vpc-endpoint-services', '--service-names', name]);
    assert.equal(result.code, 254);
    assert.equal(
      result.stderr.trim(),
      `An error occurred (InvalidServiceName) when calling the DescribeVpcEndpointServices operation: The Vpc Endpoint Service '${name}' does not exist`,
    );
  });

  test('a wrong secret key prints AuthFailure and exits 254', async () => {
    const result = await aws(['ec2', 'describe-vpcs'], { ...h.cloud.accounts.customer, secretAccessKey: 'wrong' });
    assert.equal(result.code, 254);
    assert.equal(result.stderr.trim(), 'An error occurred (AuthFailure) when calling the DescribeVpcs operation: AWS was not able to validate the provided access credentials');
  });

  test('the ELBv2 commands work too (the provider lists its network load balancer)', async () => {
    const lbs = json(await aws(['elbv2', 'describe-load-balancers'], h.cloud.accounts.provider)).LoadBalancers;
    assert.deepEqual(
      lbs.map((lb: { LoadBalancerArn: string; Type: string }) => [lb.LoadBalancerArn, lb.Type]),
      [[svc.loadBalancerArn, 'network']],
    );
    const none = json(await aws(['elbv2', 'describe-load-balancers']));
    assert.deepEqual(none.LoadBalancers, []);
  });

  test("create-tags, describe-tags and delete-tags work on the customer's VPC and subnet, as EC2 documents them", async () => {
    const vpcId = json(await aws(['ec2', 'describe-vpcs', '--filters', 'Name=is-default,Values=true'])).Vpcs[0].VpcId as string;
    const subnetId = json(await aws(['ec2', 'describe-subnets', '--filters', 'Name=availability-zone,Values=us-east-1a'])).Subnets[0].SubnetId as string;
    const tagsOf = async (id: string) =>
      (
        json(await aws(['ec2', 'describe-tags', '--filters', `Name=resource-id,Values=${id}`])).Tags as Array<{
          ResourceId: string;
          ResourceType: string;
          Key: string;
          Value: string;
        }>
      )
        .map((t) => `${t.ResourceType} ${t.Key}=${t.Value}`)
        .sort();

    assert.equal((await aws(['ec2', 'create-tags', '--resources', vpcId, subnetId, '--tags', 'Key=Name,Value=app', 'Key=team,Value=data', 'Key=empty,Value='])).code, 0);
    assert.deepEqual(await tagsOf(vpcId), ['vpc Name=app', 'vpc empty=', 'vpc team=data']);
    const vpc = json(await aws(['ec2', 'describe-vpcs', '--vpc-ids', vpcId])).Vpcs[0];
    assert.deepEqual(vpc.Tags.map((t: { Key: string; Value: string }) => `${t.Key}=${t.Value}`).sort(), ['Name=app', 'empty=', 'team=data']);
    const byKey = json(await aws(['ec2', 'describe-tags', '--filters', 'Name=key,Values=team'])).Tags as Array<{ ResourceId: string; ResourceType: string }>;
    assert.deepEqual(byKey.map((t) => `${t.ResourceType} ${t.ResourceId}`).sort(), [`subnet ${subnetId}`, `vpc ${vpcId}`]);
    // A key given again takes the new value.
    assert.equal((await aws(['ec2', 'create-tags', '--resources', vpcId, '--tags', 'Key=team,Value=platform'])).code, 0);
    assert.deepEqual(await tagsOf(vpcId), ['vpc Name=app', 'vpc empty=', 'vpc team=platform']);

    // delete-tags: a value that does not match deletes nothing; an empty value matches only an empty value; a key alone deletes whatever the value.
    assert.equal((await aws(['ec2', 'delete-tags', '--resources', vpcId, '--tags', 'Key=team,Value=data', 'Key=Name,Value='])).code, 0);
    assert.deepEqual(await tagsOf(vpcId), ['vpc Name=app', 'vpc empty=', 'vpc team=platform']);
    assert.equal((await aws(['ec2', 'delete-tags', '--resources', vpcId, '--tags', 'Key=empty,Value=', 'Key=team'])).code, 0);
    assert.deepEqual(await tagsOf(vpcId), ['vpc Name=app']);
    // Without --tags, every tag of the resource goes.
    assert.equal((await aws(['ec2', 'delete-tags', '--resources', subnetId])).code, 0);
    assert.deepEqual(await tagsOf(subnetId), []);

    const refused = async (args: string[]) => {
      const result = await aws(args);
      assert.equal(result.code, 254, result.stderr);
      return result.stderr.trim();
    };
    const many = Array.from({ length: 50 }, (_, i) => `Key=k${i},Value=v`);
    assert.equal(
      await refused(['ec2', 'create-tags', '--resources', vpcId, '--tags', ...many]),
      'An error occurred (TagLimitExceeded) when calling the CreateTags operation: The maximum number of Tags for a resource has been reached.',
    );
    assert.deepEqual(await tagsOf(vpcId), ['vpc Name=app']);
    assert.match(await refused(['ec2', 'create-tags', '--resources', vpcId, '--tags', 'Key=aws:owner,Value=x']), /\(InvalidParameterValue\).*reserved/);
    assert.equal(
      await refused(['ec2', 'create-tags', '--resources', 'vpc-0123456789abcdef0', '--tags', 'Key=a,Value=b']),
      "An error occurred (InvalidVpcID.NotFound) when calling the CreateTags operation: The vpc ID 'vpc-0123456789abcdef0' does not exist",
    );
    assert.equal(
      await refused(['ec2', 'create-tags', '--resources', 'nonsense', '--tags', 'Key=a,Value=b']),
      "An error occurred (InvalidID) when calling the CreateTags operation: The ID 'nonsense' is not valid",
    );
    const tooMany = Array.from({ length: 1001 }, (_, i) => `vpc-${i.toString(16).padStart(17, '0')}`);
    assert.match(await refused(['ec2', 'create-tags', '--resources', ...tooMany, '--tags', 'Key=a,Value=b']), /\(InvalidParameterValue\).*at most 1000 resource IDs/);
    // The provider's VPC is another account's: not found for the customer, and untouched.
    const providerVpc = json(await aws(['ec2', 'describe-vpcs', '--filters', 'Name=is-default,Values=true'], h.cloud.accounts.provider)).Vpcs[0].VpcId as string;
    assert.match(await refused(['ec2', 'create-tags', '--resources', vpcId, providerVpc, '--tags', 'Key=a,Value=b']), /InvalidVpcID\.NotFound/);
    assert.deepEqual(await tagsOf(vpcId), ['vpc Name=app']);
    const theirs = json(await aws(['ec2', 'describe-tags', '--filters', `Name=resource-id,Values=${providerVpc}`], h.cloud.accounts.provider)).Tags;
    assert.deepEqual(theirs, []);
  });
});
