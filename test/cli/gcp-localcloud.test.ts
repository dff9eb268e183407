import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { after, before, describe, test } from 'node:test';
import type { GcpProject } from '../../src/localcloud/gcp/local-cloud-gcp.js';
import { startStack, until, type Stack } from '../support/full-stack.js';
import { computeClients, producerService, REGION, type ComputeClients } from '../localcloud/gcp/harness.js';
import { runCliProcess, tempHome, type CliResult } from './support/cli-runner.js';

const exec = promisify(execFile);

/**
 * The customer's side of a GCP private endpoint with `privlink localcloud gcp …` (the official
 * `@google-cloud/compute` clients inside) and with examples/gcp/create-psc-endpoint.mjs, against
 * a whole privlink's local cloud: service attachments made directly with the SDK in the producer
 * project, PSC endpoints to them made by the CLI, seen PENDING by the customer's own SDK client.
 */
describe('privlink localcloud gcp: PSC endpoints in the local cloud', { concurrency: false }, () => {
  let stack: Stack;
  let home: { home: string; cleanup(): void };
  let attachments: string[];
  let customer: ComputeClients;
  const run = (args: string[], env: Record<string, string> = {}) => runCliProcess(args, { home: home.home, env });
  const ok = async (args: string[], env: Record<string, string> = {}): Promise<CliResult> => {
    const result = await run(args, env);
    assert.equal(result.code, 0, `privlink ${args.join(' ')} failed:\n${result.stderr}${result.stdout}`);
    return result;
  };
  const gcp = () => stack.bootstrap.localCloud!.gcp!;

  before(async () => {
    stack = await startStack();
    home = tempHome();
    const cloud = stack.running.gcpCloud!;
    const clients = (project: GcpProject) => computeClients(cloud, project);
    attachments = [];
    for (const name of ['sa-0', 'sa-1']) {
      const made = await producerService({ cloud, clients }, { name });
      attachments.push(`projects/${cloud.projects.producer.projectId}/regions/${REGION}/serviceAttachments/${made.attachmentUrl.split('/').pop()}`);
    }
    customer = clients(cloud.projects.consumer);
  });
  after(async () => {
    await stack?.close();
    home?.cleanup();
  });

  test('credentials: export lines with the key file, the project and the Compute endpoint', async () => {
    const result = await ok(['localcloud', 'gcp', 'credentials', '--data-dir', stack.dataDir]);
    const port = new URL(gcp().endpoint).port;
    assert.equal(
      result.stdout,
      [
        `export GOOGLE_APPLICATION_CREDENTIALS='${stack.dataDir}/gcp-customer.json'`,
        `export CLOUDSDK_CORE_PROJECT='${gcp().projectId}'`,
        `export CLOUDSDK_API_ENDPOINT_OVERRIDES_COMPUTE='${gcp().endpoint}/compute/v1/'`,
        '# With @google-cloud/compute (no scopes: the key signs its own tokens):',
        `#   new ForwardingRulesClient({ apiEndpoint: '127.0.0.1', port: ${port}, protocol: 'http', keyFilename: process.env.GOOGLE_APPLICATION_CREDENTIALS, scopes: [] })`,
        '',
      ].join('\n'),
    );
  });

  test('create-endpoints: network, subnet, one address and PSC forwarding rule per attachment, all PENDING; the --endpoint value on stdout; idempotent', async () => {
    const args = ['localcloud', 'gcp', 'create-endpoints', '--data-dir', stack.dataDir, '--region', REGION, '--network', 'app-net', '--subnet', 'app-subnet'];
    const made = await ok([...args, '--service-attachments', attachments.join(',')]);
    const match = /^endpoint-0@(10\.142\.\d+\.\d+),endpoint-1@(10\.142\.\d+\.\d+)\n$/.exec(made.stdout);
    assert.ok(match, made.stdout);
    assert.match(made.stderr, /^Created network app-net\.\nCreated subnet app-subnet \(10\.142\.0\.0\/20, us-central1\)\.\n/);
    assert.match(made.stderr, /Register them: privlink privateEndpoints gcp interfaces create endpoint --endpointServiceId <endpointServiceId> --gcpProjectId privlink-consumer-/);

    // The customer's own SDK client sees the two rules, PENDING, to the two attachments.
    const [rules] = await customer.forwardingRules.list({ project: customer.project, region: REGION });
    const pscRules = rules.filter((r) => r.name?.startsWith('endpoint-')).sort((a, b) => a.name!.localeCompare(b.name!));
    assert.deepEqual(
      pscRules.map((r) => [r.name, r.IPAddress, r.pscConnectionStatus, r.target!.slice(r.target!.indexOf('projects/'))]),
      [
        ['endpoint-0', match[1], 'PENDING', attachments[0]],
        ['endpoint-1', match[2], 'PENDING', attachments[1]],
      ],
    );

    // Again: the same endpoints, nothing new made.
    const again = await ok([...args, '--service-attachments', attachments.join(',')]);
    assert.equal(again.stdout, made.stdout);
    assert.doesNotMatch(again.stderr, /Created/);

    // -o json: what `privateEndpoints gcp interfaces create` takes, as JSON.
    const json = JSON.parse((await ok([...args, '--service-attachments', attachments.join(','), '-o', 'json'])).stdout) as unknown;
    assert.deepEqual(json, {
      gcpProjectId: gcp().projectId,
      endpointGroupName: 'endpoint',
      endpoints: [
        { endpointName: 'endpoint-0', ipAddress: match[1] },
        { endpointName: 'endpoint-1', ipAddress: match[2] },
      ],
    });
  });

  test('forwarding-rules list: name, IP, target, PSC status and id; --filter-prefix; table and JSON', async () => {
    const listed = JSON.parse(
      (await ok(['localcloud', 'gcp', 'forwarding-rules', 'list', '--data-dir', stack.dataDir, '--region', REGION, '--filter-prefix', 'endpoint', '-o', 'json'])).stdout,
    ) as Array<{ name: string; IPAddress: string; target: string; pscConnectionStatus: string; pscConnectionId: string }>;
    assert.deepEqual(
      listed.map((r) => [r.name, r.target, r.pscConnectionStatus]),
      [
        ['endpoint-0', attachments[0], 'PENDING'],
        ['endpoint-1', attachments[1], 'PENDING'],
      ],
    );
    for (const r of listed) assert.match(r.pscConnectionId, /^\d+$/);
    const none = await ok(['localcloud', 'gcp', 'forwarding-rules', 'list', '--data-dir', stack.dataDir, '--region', REGION, '--filter-prefix', 'other']);
    assert.equal(none.stdout, 'NAME\tIP_ADDRESS\tTARGET\tPSC_CONNECTION_STATUS\tPSC_CONNECTION_ID\n');
    const table = await ok(['localcloud', 'gcp', 'forwarding-rules', 'list', '--data-dir', stack.dataDir, '--region', REGION]);
    assert.equal(
      table.stdout,
      `NAME\tIP_ADDRESS\tTARGET\tPSC_CONNECTION_STATUS\tPSC_CONNECTION_ID\n${listed.map((r) => `${r.name}\t${r.IPAddress}\t${r.target}\tPENDING\t${r.pscConnectionId}\n`).join('')}`,
    );
  });

  test('networks create, addresses create and forwarding-rules create/delete one by one, with the environment instead of --data-dir', async () => {
    const env = { GOOGLE_APPLICATION_CREDENTIALS: gcp().keyFile, CLOUDSDK_API_ENDPOINT_OVERRIDES_COMPUTE: `${gcp().endpoint}/compute/v1/` };
    assert.equal(
      (await ok(['localcloud', 'gcp', 'networks', 'create', 'app-net', '--subnet', 'app-subnet'], env)).stdout,
      'Network app-net and subnet app-subnet already exist.\n',
    );
    assert.equal(
      (await ok(['localcloud', 'gcp', 'networks', 'create', 'net-2', '--subnet', 'sub-2', '--range', '10.50.0.0/24', '--region', REGION], env)).stdout,
      'Created network net-2.\nCreated subnet sub-2 (10.50.0.0/24, us-central1).\n',
    );
    assert.equal(
      (await ok(['localcloud', 'gcp', 'addresses', 'create', 'manual-0', '--region', REGION, '--subnet', 'sub-2', '--address', '10.50.0.9'], env)).stdout,
      'manual-0\t10.50.0.9\n',
    );
    const created = await ok(
      [
        'localcloud',
        'gcp',
        'forwarding-rules',
        'create',
        'manual-0',
        '--region',
        REGION,
        '--network',
        'net-2',
        '--address',
        'manual-0',
        '--target-service-attachment',
        attachments[0]!,
      ],
      env,
    );
    assert.match(
      created.stdout,
      new RegExp(`^NAME\\tIP_ADDRESS\\tTARGET\\tPSC_CONNECTION_STATUS\\tPSC_CONNECTION_ID\\nmanual-0\\t10\\.50\\.0\\.9\\t${attachments[0]}\\tPENDING\\t\\d+\\n$`),
    );
    const deleted = await ok(['localcloud', 'gcp', 'forwarding-rules', 'delete', 'manual-0', '--region', REGION], env);
    assert.equal(deleted.stdout, `Deleted forwarding rule projects/${gcp().projectId}/regions/${REGION}/forwardingRules/manual-0.\n`);
    const [rules] = await customer.forwardingRules.list({ project: customer.project, region: REGION });
    assert.deepEqual(rules.map((r) => r.name).sort(), ['endpoint-0', 'endpoint-1']);
  });

  test("errors: Compute's reason in one line; no endpoint; no credentials", async () => {
    const missing = await run(['localcloud', 'gcp', 'forwarding-rules', 'delete', 'nobody', '--region', REGION, '--data-dir', stack.dataDir]);
    assert.equal(missing.code, 1);
    assert.match(missing.stderr, /^Error: \(notFound\) The resource 'projects\/privlink-consumer-[a-z0-9]+\/regions\/us-central1\/forwardingRules\/nobody' was not found\n$/);
    const taken = await run(['localcloud', 'gcp', 'addresses', 'create', 'endpoint-0', '--region', REGION, '--subnet', 'app-subnet', '--data-dir', stack.dataDir]);
    assert.equal(taken.code, 1);
    assert.match(taken.stderr, /^Error: \(alreadyExists\) .*endpoint-0.* already exists\n$/);
    const noEndpoint = await run(['localcloud', 'gcp', 'forwarding-rules', 'list', '--region', REGION]);
    assert.equal(noEndpoint.code, 1);
    assert.match(noEndpoint.stderr, /^Error: no local cloud GCP endpoint/);
    const noKey = await run(['localcloud', 'gcp', 'forwarding-rules', 'list', '--region', REGION], { CLOUDSDK_API_ENDPOINT_OVERRIDES_COMPUTE: gcp().endpoint });
    assert.equal(noKey.code, 4);
    assert.match(noKey.stderr, /^Error: Unable to locate credentials\./);
    const otherProject = await run(['localcloud', 'gcp', 'forwarding-rules', 'list', '--region', REGION, '--data-dir', stack.dataDir, '--project', gcp().producerProjectId]);
    assert.equal(otherProject.code, 1);
    assert.match(otherProject.stderr, /^Error: \(forbidden\) Required 'compute\.forwardingRules\.list' permission/);
  });

  test("with Atlas: the attachment of privlink's own GCP endpoint service → create-endpoints → a PENDING rule to it, the group named after the rule → registered, AVAILABLE", async () => {
    const service = await stack.owner.post(`${stack.project}/privateEndpoint/endpointService`, { providerName: 'GCP', region: 'CENTRAL_US', portMappingEnabled: true });
    assert.equal(service.status, 201, service.text);
    const serviceId = (service.json as { id: string }).id;
    const available = await until(
      () => stack.owner.get(`${stack.project}/privateEndpoint/GCP/endpointService/${serviceId}`),
      (r) => (r.json as { status?: string }).status === 'AVAILABLE',
      60_000,
    );
    const names = (available.json as { serviceAttachmentNames: string[] }).serviceAttachmentNames;
    assert.equal(names.length, 1);
    const made = await ok([
      'localcloud',
      'gcp',
      'create-endpoints',
      '--data-dir',
      stack.dataDir,
      '--region',
      REGION,
      '--network',
      'app-net',
      '--subnet',
      'app-subnet',
      '--prefix',
      'atlas',
      '--service-attachments',
      names.join(','),
      '-o',
      'json',
    ]);
    const group = JSON.parse(made.stdout) as { gcpProjectId: string; endpointGroupName: string; endpoints: Array<{ endpointName: string; ipAddress: string }> };
    // A port-mapped service: one attachment, one forwarding rule, the group named after it.
    assert.equal(group.endpointGroupName, 'atlas-0');
    const listed = JSON.parse(
      (await ok(['localcloud', 'gcp', 'forwarding-rules', 'list', '--data-dir', stack.dataDir, '--region', REGION, '--filter-prefix', 'atlas', '-o', 'json'])).stdout,
    ) as Array<{ name: string; IPAddress: string; target: string; pscConnectionStatus: string }>;
    assert.deepEqual(
      listed.map((r) => [r.name, r.IPAddress, r.target, r.pscConnectionStatus]),
      [['atlas-0', group.endpoints[0]!.ipAddress, names[0], 'PENDING']],
    );
    const registered = await stack.owner.post(`${stack.project}/privateEndpoint/GCP/endpointService/${serviceId}/endpoint`, group);
    assert.equal(registered.status, 201, registered.text);
    const done = await until(
      () => stack.owner.get(`${stack.project}/privateEndpoint/GCP/endpointService/${serviceId}/endpoint/${group.endpointGroupName}`),
      (r) => ['AVAILABLE', 'FAILED'].includes((r.json as { status?: string }).status ?? ''),
      30_000,
    );
    assert.equal((done.json as { status: string }).status, 'AVAILABLE', done.text);
  });

  test('examples/gcp/create-psc-endpoint.mjs: plain customer code makes PENDING endpoints and prints the --endpoint value', async () => {
    const { stdout } = await exec(
      process.execPath,
      [
        'examples/gcp/create-psc-endpoint.mjs',
        '--region',
        REGION,
        '--network',
        'app-net',
        '--subnet',
        'app-subnet',
        '--prefix',
        'script',
        '--service-attachments',
        attachments.join(','),
      ],
      { env: { ...process.env, GOOGLE_APPLICATION_CREDENTIALS: gcp().keyFile, CLOUDSDK_API_ENDPOINT_OVERRIDES_COMPUTE: `${gcp().endpoint}/compute/v1/` } },
    );
    const match = /^script-0@(10\.142\.\d+\.\d+),script-1@(10\.142\.\d+\.\d+)\n$/.exec(stdout);
    assert.ok(match, stdout);
    const [rule] = await customer.forwardingRules.get({ project: customer.project, region: REGION, forwardingRule: 'script-1' });
    assert.deepEqual([rule.IPAddress, rule.pscConnectionStatus], [match[2], 'PENDING']);
  });
});
