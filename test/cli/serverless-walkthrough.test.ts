import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { startStack, type Stack } from '../support/full-stack.js';
import { assertGolden, tempHome } from './support/cli-runner.js';
import { CliTranscript } from './support/cli-transcript.js';
import { eventually, withoutProgress } from './support/cli-session.js';

/**
 * A serverless instance and an AWS private endpoint to it, set up as Atlas's "Set Up a Private
 * Endpoint for a Serverless Instance" describes, with nothing but the privlink CLI: `serverless …`
 * and `privateEndpoints serverless aws …` against a whole privlink (the built CLI as a
 * subprocess), the customer's interface endpoint with `localcloud aws`. The stable outputs are
 * pinned in golden/e2e-serverless-walkthrough.txt; the Azure flow (`localcloud azure`) is checked by assertions.
 */
describe('walkthrough: serverless instance with an AWS private endpoint, with the CLI', { concurrency: false }, () => {
  let stack: Stack;
  let home: { home: string; cleanup(): void };
  const cli = new CliTranscript(() => home.home);
  const { placeholders, entries: transcript } = cli;
  const name = cli.name.bind(cli);
  const run = cli.run.bind(cli);
  const ok = cli.ok.bind(cli);
  const notFound = (args: string[], what: string) =>
    eventually(
      async () => {
        const r = await run(args);
        return r.code === 1 && /HTTP 404 Not Found/.test(r.stderr) ? true : undefined;
      },
      60_000,
      what,
    );

  before(async () => {
    stack = await startStack();
    home = tempHome();
    placeholders[stack.dataDir] = '<DATA_DIR>';
    await ok(['config', 'init', '--data-dir', stack.dataDir]);
  });
  after(async () => {
    await stack?.close();
    home?.cleanup();
  });

  test('create the instance, watch it IDLE, reserve an endpoint, make the VPC endpoint, update, watch AVAILABLE, delete both', async () => {
    // The instance.
    await ok(['serverless', 'create', 'sl0', '--provider', 'AWS', '--region', 'US_EAST_1', '--tag', 'env=test'], { record: true });
    await ok(['serverless', 'watch', 'sl0', '--interval', '200ms'], { record: true });
    const instance = JSON.parse((await ok(['serverless', 'describe', 'sl0', '-o', 'json'])).stdout) as {
      id: string;
      mongoDBVersion: string;
      stateName: string;
      providerSettings: unknown;
      tags: unknown;
    };
    assert.equal(instance.stateName, 'IDLE');
    assert.deepEqual(instance.providerSettings, { backingProviderName: 'AWS', providerName: 'SERVERLESS', regionName: 'US_EAST_1' });
    assert.deepEqual(instance.tags, [{ key: 'env', value: 'test' }]);
    name(instance.id, '<INSTANCE>');
    await ok(['serverless', 'describe', 'sl0'], { tty: true, record: true });
    await ok(['serverless', 'list'], { record: true });

    // Step 1: the private endpoint, RESERVATION_REQUESTED → RESERVED.
    const created = await ok(['privateEndpoints', 'serverless', 'aws', 'create', 'sl0', '--comment', 'app servers']);
    const endpointId = /^Private endpoint '([0-9a-f]{24})' created\.\n$/.exec(created.stdout)?.[1] ?? assert.fail(created.stdout);
    name(endpointId, '<ENDPOINT>');
    await ok(['privateEndpoints', 'serverless', 'aws', 'watch', endpointId, '--instanceName', 'sl0', '--interval', '200ms'], { record: true });

    // Step 2: the service name.
    const serviceName = JSON.parse(
      (await ok(['privateEndpoints', 'serverless', 'aws', 'describe', endpointId, '--instanceName', 'sl0', '-o', 'json-path=$.endpointServiceName'])).stdout,
    ) as string;
    assert.match(serviceName, /^com\.amazonaws\.vpce\.us-east-1\.vpce-svc-[0-9a-f]{17}$/);
    name(serviceName, '<SERVICE_NAME>');
    await ok(['privateEndpoints', 'serverless', 'aws', 'describe', endpointId, '--instanceName', 'sl0'], { record: true });

    // Step 3: the interface endpoint in the customer's VPC.
    const dataDir = ['--data-dir', stack.dataDir];
    const vpcs = JSON.parse((await ok(['localcloud', 'aws', 'describe-vpcs', ...dataDir, '-o', 'json'])).stdout) as { Vpcs: Array<{ VpcId: string; IsDefault: boolean }> };
    const vpc = vpcs.Vpcs.find((v) => v.IsDefault)!.VpcId;
    const zones = (
      JSON.parse((await ok(['localcloud', 'aws', 'describe-vpc-endpoint-services', ...dataDir, '--service-names', serviceName, '-o', 'json'])).stdout) as {
        ServiceDetails: Array<{ AvailabilityZones: string[] }>;
      }
    ).ServiceDetails[0]!.AvailabilityZones;
    const subnets = JSON.parse((await ok(['localcloud', 'aws', 'describe-subnets', ...dataDir, '--vpc-id', vpc, '-o', 'json'])).stdout) as {
      Subnets: Array<{ SubnetId: string; AvailabilityZone: string }>;
    };
    const subnet = subnets.Subnets.find((s) => zones.includes(s.AvailabilityZone))!.SubnetId;
    const vpce = (await ok(['localcloud', 'aws', 'create-vpc-endpoint', ...dataDir, '--vpc-id', vpc, '--service-name', serviceName, '--subnet-ids', subnet])).stdout.trim();
    assert.match(vpce, /^vpce-[0-9a-f]{17}$/);
    name(vpce, '<VPCE>');

    // Step 4: update with the VPC endpoint id (providerName AWS is sent), then AVAILABLE.
    await ok(['privateEndpoints', 'serverless', 'aws', 'update', endpointId, '--instanceName', 'sl0', '--privateEndpointId', vpce], { record: true });
    await ok(['privateEndpoints', 'serverless', 'aws', 'watch', endpointId, '--instanceName', 'sl0', '--interval', '200ms'], { record: true });
    await ok(['privateEndpoints', 'serverless', 'aws', 'describe', endpointId, '--instanceName', 'sl0'], { tty: true, record: true });
    await ok(['privateEndpoints', 'serverless', 'aws', 'list', 'sl0'], { record: true });
    const listed = JSON.parse((await ok(['privateEndpoints', 'serverless', 'aws', 'ls', 'sl0', '-o', 'json'])).stdout) as Array<Record<string, unknown>>;
    assert.deepEqual(
      listed.map((e) => [e._id, e.cloudProviderEndpointId, e.comment, e.status, e.providerName]),
      [[endpointId, vpce, 'app servers', 'AVAILABLE', 'AWS']],
    );

    // The instance's connection strings now carry the private endpoint.
    const strings = JSON.parse((await ok(['serverless', 'describe', 'sl0', '-o', 'json-path=$.connectionStrings.privateEndpoint'])).stdout) as Array<{
      endpoints: Array<{ endpointId: string; providerName: string; region: string }>;
      srvConnectionString: string;
    }>;
    assert.equal(strings.length, 1);
    assert.deepEqual(strings[0]!.endpoints, [{ endpointId: vpce, providerName: 'AWS', region: 'US_EAST_1' }]);
    assert.match(strings[0]!.srvConnectionString, /^mongodb\+srv:\/\/sl0-pe-\d+\./);

    // Clean up: the private endpoint, the instance, the customer's VPC endpoint.
    await ok(['privateEndpoints', 'serverless', 'aws', 'delete', endpointId, '--instanceName', 'sl0', '--force'], { record: true });
    await notFound(['privateEndpoints', 'serverless', 'aws', 'describe', endpointId, '--instanceName', 'sl0'], 'private endpoint gone (404)');
    await ok(['serverless', 'delete', 'sl0', '--force'], { record: true });
    await notFound(['serverless', 'describe', 'sl0'], 'serverless instance gone (404)');
    await ok(['localcloud', 'aws', 'delete-vpc-endpoints', ...dataDir, '--vpc-endpoint-ids', vpce]);

    assertGolden('e2e-serverless-walkthrough', transcript.join('\n'));
  });

  test('Azure: the private endpoint RESERVED, a private endpoint with localcloud azure, update with its IP address, AVAILABLE', async () => {
    await ok(['serverless', 'create', 'slaz', '--provider', 'AZURE', '--region', 'US_EAST_2']);
    await ok(['serverless', 'watch', 'slaz', '--interval', '200ms']);
    const created = await ok(['privateEndpoints', 'serverless', 'azure', 'create', 'slaz']);
    const endpointId = /^Private endpoint '([0-9a-f]{24})' created\.\n$/.exec(created.stdout)?.[1] ?? assert.fail(created.stdout);
    const reserved = await ok(['privateEndpoints', 'serverless', 'azure', 'watch', endpointId, '--instanceName', 'slaz', '--interval', '200ms']);
    assert.equal(reserved.stdout, '\nPrivate endpoint reserved.\n');
    const service = JSON.parse((await ok(['privateEndpoints', 'serverless', 'azure', 'describe', endpointId, '--instanceName', 'slaz', '-o', 'json'])).stdout) as {
      endpointServiceName: string;
      privateLinkServiceResourceId: string;
      providerName: string;
    };
    assert.equal(service.providerName, 'AZURE');
    assert.match(service.privateLinkServiceResourceId, /\/providers\/Microsoft\.Network\/privateLinkServices\//);

    const made = await ok([
      'localcloud',
      'azure',
      'create-private-endpoint',
      '--data-dir',
      stack.dataDir,
      '--private-link-service-id',
      service.privateLinkServiceResourceId,
      '--location',
      'eastus2',
      '--name',
      'pe-serverless',
    ]);
    const endpoint = JSON.parse(made.stdout) as { id: string; privateEndpointIPAddress: string };
    const missingIp = await run(['privateEndpoints', 'serverless', 'azure', 'update', endpointId, '--instanceName', 'slaz', '--privateEndpointId', endpoint.id]);
    assert.equal(missingIp.code, 1);
    assert.equal(missingIp.stderr, 'Error: required flag(s) "privateEndpointIpAddress" not set\n');
    await ok([
      'privateEndpoints',
      'serverless',
      'azure',
      'update',
      endpointId,
      '--instanceName',
      'slaz',
      '--privateEndpointId',
      endpoint.id,
      '--privateEndpointIpAddress',
      endpoint.privateEndpointIPAddress,
    ]);
    const available = await ok(['privateEndpoints', 'serverless', 'azure', 'watch', endpointId, '--instanceName', 'slaz', '--interval', '200ms']);
    assert.equal(available.stdout, '\nPrivate endpoint changes completed.\n');
    const row = await ok(['privateEndpoints', 'serverless', 'azure', 'list', 'slaz']);
    assert.equal(
      row.stdout,
      `ID\tENDPOINT SERVICE\tENDPOINT\tIP ADDRESS\tSTATUS\tERROR\n${endpointId}\t${service.endpointServiceName}\t${endpoint.id}\t${endpoint.privateEndpointIPAddress}\tAVAILABLE\t\n`,
    );

    await ok(['privateEndpoints', 'serverless', 'azure', 'delete', endpointId, '--instanceName', 'slaz', '--force']);
    await notFound(['privateEndpoints', 'serverless', 'azure', 'describe', endpointId, '--instanceName', 'slaz'], 'private endpoint gone (404)');
    await ok(['serverless', 'delete', 'slaz', '--force']);
    await notFound(['serverless', 'describe', 'slaz'], 'serverless instance gone (404)');
    await ok(['localcloud', 'azure', 'delete-private-endpoint', endpoint.id, '--data-dir', stack.dataDir]);
  });

  test('watch of a private endpoint that does not exist fails with the API error (exit 1)', async () => {
    const result = await run(['privateEndpoints', 'serverless', 'aws', 'watch', '0123456789abcdef01234567', '--instanceName', 'nope', '--interval', '200ms']);
    assert.equal(result.code, 1);
    assert.match(withoutProgress(result.stderr), /HTTP 404 Not Found/);
  });
});
