import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { after, before, describe, test } from 'node:test';
import { promisify } from 'node:util';
import { CliSession, eventually } from './support/cli-session.js';

const exec = promisify(execFile);

/**
 * Atlas's "Set Up a Private Endpoint for a Dedicated Cluster" (AWS PrivateLink, Atlas CLI tab),
 * done entirely with the privlink CLI as the Atlas CLI and Debian's /usr/bin/aws as the customer
 * against the local cloud.
 */
/** Debian's AWS CLI as the customer of `s`'s local cloud: its customer keys, no config or credentials file. */
function customerAwsEnv(s: CliSession): Record<string, string> {
  const lc = s.server.bootstrap.localCloud!;
  return {
    PATH: process.env.PATH ?? '/usr/bin:/bin',
    HOME: s.home,
    AWS_ACCESS_KEY_ID: lc.customer.accessKeyId,
    AWS_SECRET_ACCESS_KEY: lc.customer.secretAccessKey,
    AWS_CONFIG_FILE: '/dev/null',
    AWS_SHARED_CREDENTIALS_FILE: '/dev/null',
    AWS_PAGER: '',
  };
}

describe('walkthrough: dedicated-cluster private endpoint with the CLI and the aws CLI', { concurrency: false }, () => {
  let s: CliSession;
  let aws: (...args: string[]) => Promise<unknown>;

  before(async () => {
    s = await CliSession.start();
    const env = customerAwsEnv(s);
    aws = async (...args: string[]) => {
      const { stdout } = await exec('/usr/bin/aws', ['ec2', ...args, '--endpoint-url', s.server.localCloudUrl!, '--region', 'us-east-1', '--output', 'json'], { env });
      return stdout.trim() === '' ? undefined : JSON.parse(stdout);
    };
  });
  after(async () => {
    await s?.destroy();
  });

  test('create the service, watch it, connect a VPC endpoint, verify AVAILABLE, delete both', async () => {
    // Step 1: create the private endpoint service; note its ID.
    const created = await s.ok(['privateEndpoints', 'aws', 'create', '--region', 'us-east-1']);
    const serviceId = /^Private endpoint '([0-9a-f]{24})' created\.\n$/.exec(created.stdout)?.[1] ?? assert.fail(created.stdout);

    // Step 2: wait for it, then read the endpoint service name from describe.
    const watched = await s.ok(['privateEndpoints', 'aws', 'watch', serviceId, '--interval', '500ms']);
    assert.equal(watched.stdout, '\nPrivate endpoint changes completed.\n');
    const described = await s.ok(['privateEndpoints', 'aws', 'describe', serviceId], { tty: true });
    const row = new RegExp(`^ID {25}ENDPOINT SERVICE {42}STATUS {6}ERROR\\n${serviceId} {3}(com\\.amazonaws\\.vpce\\.us-east-1\\.vpce-svc-[0-9a-f]{17}) {3}AVAILABLE {3}\\n$`).exec(
      described.stdout,
    );
    const serviceName = row?.[1] ?? assert.fail(`unexpected describe output:\n${described.stdout}`);

    // Step 3: create the interface endpoint in AWS, in a subnet of an AZ the service supports.
    const details = (await aws('describe-vpc-endpoint-services', '--service-names', serviceName)) as { ServiceDetails: Array<{ AvailabilityZones: string[] }> };
    const zones = details.ServiceDetails[0]!.AvailabilityZones;
    const subnets = (await aws('describe-subnets')) as { Subnets: Array<{ SubnetId: string; VpcId: string; AvailabilityZone: string }> };
    const subnet = subnets.Subnets.find((x) => zones.includes(x.AvailabilityZone)) ?? assert.fail('no subnet in a supported AZ');
    const endpoint = (await aws(
      'create-vpc-endpoint',
      '--vpc-id',
      subnet.VpcId,
      '--service-name',
      serviceName,
      '--vpc-endpoint-type',
      'Interface',
      '--subnet-ids',
      subnet.SubnetId,
    )) as { VpcEndpoint: { VpcEndpointId: string } };
    const vpceId = endpoint.VpcEndpoint.VpcEndpointId;
    assert.match(vpceId, /^vpce-[0-9a-f]{17}$/);

    // privlink's customer-side command answers the same JSON as the aws CLI (every member the aws CLI knows, same values).
    const theirs = (await aws('describe-vpc-endpoints', '--vpc-endpoint-ids', vpceId)) as Record<string, unknown>;
    const ours = JSON.parse((await s.ok(['localcloud', 'aws', 'describe-vpc-endpoints', '--vpc-endpoint-ids', vpceId, '-o', 'json'])).stdout) as Record<string, unknown>;
    assertSubset(theirs, ours, '$');

    // Step 4: register the VPC endpoint ID with the private endpoint service.
    const iface = await s.ok(['privateEndpoints', 'aws', 'interfaces', 'create', serviceId, '--privateEndpointId', vpceId]);
    assert.equal(iface.stdout, `Interface endpoint '${vpceId}' created.\n`);

    // Step 7: verify the interface endpoint's STATUS becomes AVAILABLE.
    const table = await eventually(
      async () => {
        const r = await s.ok(['privateEndpoints', 'aws', 'interfaces', 'describe', vpceId, '--endpointServiceId', serviceId], { tty: true });
        return r.stdout.includes('AVAILABLE') ? r.stdout : undefined;
      },
      90_000,
      'interface endpoint AVAILABLE',
    );
    assert.equal(table, `ID                       STATUS      ERROR\n${vpceId}   AVAILABLE   \n`);
    const state = (await aws('describe-vpc-endpoints', '--vpc-endpoint-ids', vpceId)) as { VpcEndpoints: Array<{ State: string }> };
    assert.equal(state.VpcEndpoints[0]!.State, 'available');

    // Clean up: both deleted with --force, then the customer's VPC endpoint.
    const deletedIface = await s.ok(['privateEndpoints', 'aws', 'interfaces', 'delete', vpceId, '--endpointServiceId', serviceId, '--force']);
    assert.equal(deletedIface.stdout, `Interface endpoint '${vpceId}' deleted\n`);
    await eventually(
      async () => ((await s.run(['privateEndpoints', 'aws', 'interfaces', 'describe', vpceId, '--endpointServiceId', serviceId])).code === 1 ? true : undefined),
      60_000,
      'interface endpoint gone',
    );
    const deletedService = await s.ok(['privateEndpoints', 'aws', 'delete', serviceId, '--force']);
    assert.equal(deletedService.stdout, `Private endpoint '${serviceId}' deleted\n`);
    await aws('delete-vpc-endpoints', '--vpc-endpoint-ids', vpceId);
    await eventually(
      async () => {
        const r = await s.run(['privateEndpoints', 'aws', 'describe', serviceId]);
        return r.code === 1 && /HTTP 404 Not Found/.test(r.stderr) ? true : undefined;
      },
      90_000,
      'endpoint service gone (404)',
    );
  });
});

describe('privlink localcloud aws: the customer side without the aws CLI', { concurrency: false }, () => {
  let s: CliSession;
  before(async () => {
    s = await CliSession.start();
  });
  after(async () => {
    await s?.destroy();
  });

  /** Runs the same EC2 call with /usr/bin/aws and returns its stderr (exit code must be non-zero). */
  const awsError = async (env: Record<string, string>, endpoint: string, ...args: string[]) => {
    try {
      await exec('/usr/bin/aws', ['ec2', ...args, '--endpoint-url', endpoint, '--region', 'us-east-1'], { env });
    } catch (error) {
      return (error as { stderr: string }).stderr.trim();
    }
    return assert.fail(`aws ${args.join(' ')} succeeded`);
  };

  test('errors print exactly as the aws CLI prints them, exit 1', async () => {
    const lc = s.server.bootstrap.localCloud!;
    const env = customerAwsEnv(s);
    const args = ['--vpc-id', 'vpc-00000000000000000', '--service-name', 'com.amazonaws.vpce.us-east-1.vpce-svc-00000000000000000', '--subnet-ids', 'subnet-00000000000000000'];
    const ours = await s.run(['localcloud', 'aws', 'create-vpc-endpoint', ...args]);
    assert.equal(ours.code, 1);
    assert.equal(ours.stdout, '');
    assert.equal(ours.stderr, `${await awsError(env, s.server.localCloudUrl!, 'create-vpc-endpoint', ...args)}\n`);
    assert.match(ours.stderr, /^An error occurred \(InvalidVpcID\.NotFound\) when calling the CreateVpcEndpoint operation: /);

    const wrongSecret = { ...env, AWS_SECRET_ACCESS_KEY: 'wrong/secret/key/wrong/secret/key/wrong/12' };
    const oursAuth = await s.run(['localcloud', 'aws', 'describe-vpcs', '--data-dir', s.server.dataDir], {
      env: { AWS_ACCESS_KEY_ID: lc.customer.accessKeyId, AWS_SECRET_ACCESS_KEY: 'wrong/secret/key/wrong/secret/key/wrong/12', AWS_ENDPOINT_URL: s.server.localCloudUrl! },
    });
    // --data-dir (a flag) wins over the environment: the right credentials are used.
    assert.equal(oursAuth.code, 0, oursAuth.stderr);
    const badAuth = await s.run(['localcloud', 'aws', 'describe-vpcs'], {
      env: { AWS_ACCESS_KEY_ID: lc.customer.accessKeyId, AWS_SECRET_ACCESS_KEY: 'wrong/secret/key/wrong/secret/key/wrong/12' },
    });
    assert.equal(badAuth.code, 1);
    assert.equal(badAuth.stderr, `${await awsError(wrongSecret, s.server.localCloudUrl!, 'describe-vpcs')}\n`);
  });

  test('endpoint and credentials: flags, then environment, then the profile; none is an error', async () => {
    const lc = s.server.bootstrap.localCloud!;
    // The profile (config init --data-dir) has them all.
    assert.equal((await s.run(['localcloud', 'aws', 'describe-vpcs'])).code, 0);
    const missing = await s.run(['localcloud', 'aws', 'describe-vpcs', '-P', 'empty']);
    assert.equal(missing.code, 1);
    assert.match(missing.stderr, /^Error: profile 'empty' does not exist in /);
    await s.ok(['config', 'set', 'output', 'json', '-P', 'empty']);
    const noEndpoint = await s.run(['localcloud', 'aws', 'describe-vpcs', '-P', 'empty']);
    assert.equal(noEndpoint.code, 1);
    assert.equal(noEndpoint.stderr, 'Error: no local cloud endpoint: use --endpoint-url, AWS_ENDPOINT_URL, --data-dir, or `privlink config set localcloud_endpoint <url>`\n');
    const noKeys = await s.run(['localcloud', 'aws', 'describe-vpcs', '-P', 'empty', '--endpoint-url', s.server.localCloudUrl!]);
    assert.equal(noKeys.code, 4);
    const viaEnv = await s.run(['localcloud', 'aws', 'describe-vpcs', '-P', 'empty', '-o', 'json'], {
      env: { AWS_ENDPOINT_URL: s.server.localCloudUrl!, AWS_ACCESS_KEY_ID: lc.customer.accessKeyId, AWS_SECRET_ACCESS_KEY: lc.customer.secretAccessKey },
    });
    assert.equal(viaEnv.code, 0, viaEnv.stderr);
    assert.ok((JSON.parse(viaEnv.stdout) as { Vpcs: unknown[] }).Vpcs.length >= 1);
    const unreachable = await s.run(['localcloud', 'aws', 'describe-vpcs', '--endpoint-url', 'http://127.0.0.1:1']);
    assert.equal(unreachable.code, 1);
    assert.match(unreachable.stderr, /^Could not connect to the endpoint URL: "http:\/\/127\.0\.0\.1:1"/);
  });

  test('create-subnet, create-vpc-endpoint, describe-vpc-endpoints, delete-vpc-endpoints', async () => {
    const vpc = (JSON.parse((await s.ok(['localcloud', 'aws', 'describe-vpcs', '-o', 'json'])).stdout) as { Vpcs: Array<{ VpcId: string }> }).Vpcs[0]!.VpcId;
    const subnet = await s.ok(['localcloud', 'aws', 'create-subnet', '--vpc-id', vpc, '--cidr-block', '172.31.200.0/24', '--availability-zone', 'us-east-1b']);
    assert.match(subnet.stdout, /^subnet-[0-9a-f]{17}\n$/);
    const service = /'([0-9a-f]{24})'/.exec((await s.ok(['privateEndpoints', 'aws', 'create', '--region', 'us-east-1'])).stdout)![1]!;
    await s.ok(['privateEndpoints', 'aws', 'watch', service, '--interval', '300ms']);
    const name = (await s.ok(['privateEndpoints', 'aws', 'describe', service, '-o', 'go-template={{.endpointServiceName}}'])).stdout;
    const created = JSON.parse(
      (await s.ok(['localcloud', 'aws', 'create-vpc-endpoint', '--vpc-id', vpc, '--service-name', name, '--subnet-ids', subnet.stdout.trim(), '-o', 'json'])).stdout,
    ) as {
      VpcEndpoint: { VpcEndpointId: string; VpcEndpointType: string; SubnetIds: string[]; ServiceName: string };
    };
    assert.equal(created.VpcEndpoint.VpcEndpointType, 'Interface');
    assert.deepEqual(created.VpcEndpoint.SubnetIds, [subnet.stdout.trim()]);
    const id = created.VpcEndpoint.VpcEndpointId;
    const deleted = await s.ok(['localcloud', 'aws', 'delete-vpc-endpoints', '--vpc-endpoint-ids', id]);
    assert.equal(deleted.stdout, `VPC endpoint '${id}' deleted\n`);
    await s.ok(['privateEndpoints', 'aws', 'delete', service, '--force']);
  });
});

/** Every member of `expected` (recursively) is in `actual` with the same value. */
function assertSubset(expected: unknown, actual: unknown, path: string): void {
  if (expected !== null && typeof expected === 'object') {
    assert.ok(actual !== null && typeof actual === 'object', `${path}: expected an object or array`);
    if (Array.isArray(expected)) {
      assert.ok(Array.isArray(actual) && actual.length === expected.length, `${path}: array length`);
      expected.forEach((item, i) => assertSubset(item, (actual as unknown[])[i], `${path}[${i}]`));
      return;
    }
    for (const [key, value] of Object.entries(expected)) assertSubset(value, (actual as Record<string, unknown>)[key], `${path}.${key}`);
    return;
  }
  assert.equal(actual, expected, path);
}
