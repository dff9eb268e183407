import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { DescribeVpcEndpointConnectionsCommand, DescribeVpcEndpointsCommand, DescribeVpcsCommand } from '@aws-sdk/client-ec2';
import { DescribeLoadBalancersCommand, DescribeTargetGroupsCommand } from '@aws-sdk/client-elastic-load-balancing-v2';
import { after, before, describe, test } from 'node:test';
import { rejectsWith, startHarness, type Harness } from './harness.js';

const AWS_CLI = '/usr/bin/aws';

/** AWS's page bounds: EC2 pages hold at most 1000 items, ELBv2 pages at most 400. */
describe('page-size bounds of the local cloud, as AWS has them', () => {
  let h: Harness;
  before(async () => {
    h = await startHarness();
  });
  after(async () => h?.close());

  test('EC2 DescribeVpcs: MaxResults 1001 and 4 are InvalidParameterValue, 1000 and 5 are fine', async () => {
    const ec2 = h.ec2(h.cloud.accounts.customer);
    const tooBig = await rejectsWith(ec2.send(new DescribeVpcsCommand({ MaxResults: 1001 })), 'InvalidParameterValue');
    assert.match(String((tooBig as Error).message), /Value \( 1001 \) for parameter maxResults is invalid/);
    await rejectsWith(ec2.send(new DescribeVpcsCommand({ MaxResults: 4 })), 'InvalidParameterValue');
    assert.ok((await ec2.send(new DescribeVpcsCommand({ MaxResults: 1000 }))).Vpcs);
    assert.ok((await ec2.send(new DescribeVpcsCommand({ MaxResults: 5 }))).Vpcs);
  });

  test('EC2 VPC endpoint calls: above 1000 is cut to 1000 (as AWS documents); DescribeVpcEndpointConnections needs at least 5', async () => {
    const customer = h.ec2(h.cloud.accounts.customer);
    assert.deepEqual((await customer.send(new DescribeVpcEndpointsCommand({ MaxResults: 5000 }))).VpcEndpoints, []);
    const provider = h.ec2(h.cloud.accounts.provider);
    await rejectsWith(provider.send(new DescribeVpcEndpointConnectionsCommand({ MaxResults: 1 })), 'InvalidParameterValue');
    assert.ok((await provider.send(new DescribeVpcEndpointConnectionsCommand({ MaxResults: 5000 }))).VpcEndpointConnections);
  });

  test('ELBv2: PageSize 401 and 0 are ValidationError, 400 is fine', async () => {
    const elb = h.elb(h.cloud.accounts.provider);
    const tooBig = await rejectsWith(elb.send(new DescribeTargetGroupsCommand({ PageSize: 401 })), 'ValidationError');
    assert.match(String((tooBig as Error).message), /less than or equal to 400/);
    await rejectsWith(elb.send(new DescribeLoadBalancersCommand({ PageSize: 0 })), 'ValidationError');
    assert.ok((await elb.send(new DescribeLoadBalancersCommand({ PageSize: 400 }))).LoadBalancers);
  });

  test('/usr/bin/aws ec2 describe-vpcs --page-size 1001 fails with AWS’s error line', async () => {
    assert.ok(existsSync(AWS_CLI), `${AWS_CLI} is missing: install Debian's awscli package`);
    const env: NodeJS.ProcessEnv = Object.fromEntries(Object.entries(process.env).filter(([key]) => !key.startsWith('AWS_')));
    Object.assign(env, {
      AWS_ACCESS_KEY_ID: h.cloud.accounts.customer.accessKeyId,
      AWS_SECRET_ACCESS_KEY: h.cloud.accounts.customer.secretAccessKey,
      AWS_CONFIG_FILE: '/dev/null',
      AWS_SHARED_CREDENTIALS_FILE: '/dev/null',
      AWS_PAGER: '',
    });
    const result = await new Promise<{ code: number; stderr: string }>((resolve) => {
      execFile(AWS_CLI, ['ec2', 'describe-vpcs', '--page-size', '1001', '--endpoint-url', h.url, '--region', 'us-east-1'], { env, timeout: 60_000 }, (error, _stdout, stderr) => {
        resolve({ code: error ? (typeof error.code === 'number' ? error.code : -1) : 0, stderr });
      });
    });
    assert.notEqual(result.code, 0);
    assert.match(result.stderr, /An error occurred \(InvalidParameterValue\) when calling the DescribeVpcs operation: Value \( 1001 \) for parameter maxResults is invalid/);
  });
});
