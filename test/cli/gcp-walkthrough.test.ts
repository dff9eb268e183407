import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { startStack, type Stack } from '../support/full-stack.js';
import { assertGolden, tempHome } from './support/cli-runner.js';
import { CliTranscript } from './support/cli-transcript.js';
import { eventually } from './support/cli-session.js';

/**
 * A GCP private endpoint (Private Service Connect) set up as a user does it, with nothing but the
 * privlink CLI: the Atlas-side commands (`privateEndpoints gcp …`) against a whole privlink, and the
 * customer's side in the local cloud's Compute Engine with `localcloud gcp …` (the official
 * `@google-cloud/compute` clients inside). A port-mapped service (one service attachment, one
 * forwarding rule) and a legacy one in another region (six attachments, six forwarding rules).
 * The stable outputs are pinned in golden/e2e-gcp-walkthrough.txt.
 */
describe('walkthrough: GCP private endpoint with the CLI, the customer side with privlink localcloud gcp', { concurrency: false }, () => {
  let stack: Stack;
  let home: { home: string; cleanup(): void };
  const cli = new CliTranscript(() => home.home);
  const { placeholders, entries: transcript } = cli;
  const name = cli.name.bind(cli);
  const run = cli.run.bind(cli);
  const ok = cli.ok.bind(cli);
  const record = cli.record.bind(cli);
  const gcp = () => stack.bootstrap.localCloud!.gcp!;

  interface ServiceJson {
    id: string;
    regionName: string;
    status: string;
    portMappingEnabled: boolean;
    serviceAttachmentNames: string[];
    endpointGroupNames: string[];
  }
  interface GroupJson {
    endpointGroupName: string;
    status: string;
    endpoints: Array<{ endpointName: string; ipAddress: string; status: string }>;
  }
  interface RuleJson {
    name: string;
    IPAddress: string;
    target: string;
    pscConnectionStatus: string;
    pscConnectionId: string;
  }

  /** `privateEndpoints gcp create` → its id (named `placeholder`) → `watch` until AVAILABLE. */
  const createService = async (args: string[], placeholder: string): Promise<string> => {
    const created = await ok(['privateEndpoints', 'gcp', 'create', ...args]);
    const serviceId = /^Private endpoint '([0-9a-f]{24})' created\.\n$/.exec(created.stdout)?.[1] ?? assert.fail(created.stdout);
    name(serviceId, placeholder);
    record(['privateEndpoints', 'gcp', 'create', ...args], created);
    const watched = await ok(['privateEndpoints', 'gcp', 'watch', serviceId, '--interval', '200ms'], { record: true });
    assert.equal(watched.stdout, '\nGCP Private endpoint changes completed.\n');
    return serviceId;
  };
  const describeService = async (serviceId: string, options: { record?: boolean } = {}) =>
    JSON.parse((await ok(['privateEndpoints', 'gcp', 'describe', serviceId, '-o', 'json'], options)).stdout) as ServiceJson;
  const describeGroup = async (group: string, serviceId: string, options: { record?: boolean } = {}) =>
    JSON.parse((await ok(['privateEndpoints', 'gcp', 'interfaces', 'describe', group, '--endpointServiceId', serviceId, '-o', 'json'], options)).stdout) as GroupJson;
  /** The customer's forwarding rules in `region` whose names start with `prefix`, as JSON. */
  const rules = async (region: string, prefix: string) =>
    JSON.parse(
      (await ok(['localcloud', 'gcp', 'forwarding-rules', 'list', '--data-dir', stack.dataDir, '--region', region, '--filter-prefix', prefix, '-o', 'json'])).stdout,
    ) as RuleJson[];
  /** Registers `group`, polls until AVAILABLE, then records the final describe (terminal and JSON). */
  const register = async (group: string, serviceId: string, endpoint: string): Promise<GroupJson> => {
    const registered = await ok(
      ['privateEndpoints', 'gcp', 'interfaces', 'create', group, '--endpointServiceId', serviceId, '--gcpProjectId', gcp().projectId, '--endpoint', endpoint],
      { record: true },
    );
    assert.equal(registered.stdout, `Interface endpoint '${group}' created.\n`);
    const settled = await eventually(
      async () => {
        const g = await describeGroup(group, serviceId);
        return ['AVAILABLE', 'FAILED'].includes(g.status) ? g : undefined;
      },
      60_000,
      `endpoint group ${group} AVAILABLE`,
    );
    assert.equal(settled.status, 'AVAILABLE', JSON.stringify(settled));
    const table = await ok(['privateEndpoints', 'gcp', 'interfaces', 'describe', group, '--endpointServiceId', serviceId]);
    assert.equal(table.stdout, `ENDPOINT\tSTATUS\tDELETE REQUESTED\n${group}\tAVAILABLE\tfalse\n`);
    await ok(['privateEndpoints', 'gcp', 'interfaces', 'describe', group, '--endpointServiceId', serviceId], { tty: true, record: true });
    return describeGroup(group, serviceId, { record: true });
  };
  /** Deletes `group` and waits until its describe answers 404. */
  const deregister = async (group: string, serviceId: string) => {
    const deleted = await ok(['privateEndpoints', 'gcp', 'interfaces', 'delete', group, '--endpointServiceId', serviceId, '--force'], { record: true });
    assert.equal(deleted.stdout, `Interface endpoint '${group}' deleted\n`);
    await eventually(
      async () => {
        const r = await run(['privateEndpoints', 'gcp', 'interfaces', 'describe', group, '--endpointServiceId', serviceId]);
        return r.code === 1 && /HTTP 404 Not Found/.test(r.stderr) ? true : undefined;
      },
      60_000,
      `endpoint group ${group} gone (404)`,
    );
  };
  /** Deletes the service, watches it until it is gone (the watch ends on the 404), records the 404 of describe. */
  const deleteService = async (serviceId: string) => {
    const deleted = await ok(['privateEndpoints', 'gcp', 'delete', serviceId, '--force'], { record: true });
    assert.equal(deleted.stdout, `Private endpoint '${serviceId}' deleted\n`);
    const watched = await run(['privateEndpoints', 'gcp', 'watch', serviceId, '--interval', '200ms'], { timeoutMs: 90_000 });
    assert.equal(watched.code, 1, watched.stderr);
    assert.match(watched.stderr, /HTTP 404 Not Found/);
    const gone = await run(['privateEndpoints', 'gcp', 'describe', serviceId]);
    assert.equal(gone.code, 1);
    assert.match(gone.stderr, /HTTP 404 Not Found/);
    record(['privateEndpoints', 'gcp', 'describe', serviceId], gone);
  };

  /** The legacy part of the walkthrough: returns the service's id, its group `legacy-group` AVAILABLE. */
  const legacy = async (): Promise<string> => {
    const serviceId = await createService(['--region', 'US_EAST_4'], '<LEGACY_SERVICE>');
    const service = await describeService(serviceId, { record: true });
    assert.equal(service.portMappingEnabled, false);
    assert.deepEqual(
      service.serviceAttachmentNames,
      [0, 1, 2, 3, 4, 5].map((i) => `projects/${gcp().producerProjectId}/regions/us-east4/serviceAttachments/sa-us-east4-${stack.projectId}-${i}`),
    );

    const made = await ok(
      [
        'localcloud',
        'gcp',
        'create-endpoints',
        '--data-dir',
        stack.dataDir,
        '--region',
        'us-east4',
        '--network',
        'app-net',
        '--subnet',
        'app-east4',
        '--range',
        '10.150.0.0/20',
        '--prefix',
        'legacy',
        '--service-attachments',
        service.serviceAttachmentNames.join(','),
      ],
      { record: true },
    );
    const endpoint = made.stdout.trim();
    assert.match(endpoint, /^legacy-0@10\.150\.0\.\d+(,legacy-[1-5]@10\.150\.0\.\d+){5}$/);
    const pending = await rules('us-east4', 'legacy');
    assert.deepEqual(
      pending.map((r) => [r.name, r.target, r.pscConnectionStatus]),
      service.serviceAttachmentNames.map((a, i) => [`legacy-${i}`, a, 'PENDING']),
    );
    for (const [i, r] of pending.entries()) placeholders[r.pscConnectionId] = `<PSC_ID_${i}>`;

    // One endpoint group per region across regions: the group in us-east4 sits beside none other here.
    const group = await register('legacy-group', serviceId, endpoint);
    assert.deepEqual(
      group.endpoints.map((e) => [e.endpointName, e.status]),
      [0, 1, 2, 3, 4, 5].map((i) => [`legacy-${i}`, 'AVAILABLE']),
    );
    assert.deepEqual(
      (await rules('us-east4', 'legacy')).map((r) => r.pscConnectionStatus),
      Array.from({ length: 6 }, () => 'ACCEPTED'),
    );
    await ok(['localcloud', 'gcp', 'forwarding-rules', 'list', '--data-dir', stack.dataDir, '--region', 'us-east4'], { tty: true, record: true });
    await ok(['privateEndpoints', 'gcp', 'list'], { tty: true, record: true });
    return serviceId;
  };

  before(async () => {
    stack = await startStack();
    home = tempHome();
    // URLs vary in length with their port: fixed placeholders.
    placeholders[stack.running.apiUrl] = '<API>';
    placeholders[stack.dataDir] = '<DATA_DIR>';
    placeholders[gcp().endpoint] = '<GCP>';
    name(gcp().projectId, '<CUSTOMER_PROJECT>');
    name(gcp().producerProjectId, '<PRODUCER_PROJECT>');
    name(stack.projectId, '<PROJECT>');
    await ok(['config', 'init', '--data-dir', stack.dataDir]);
  });
  after(async () => {
    await stack?.close();
    home?.cleanup();
  });

  test('a port-mapped service and its PSC endpoint, a legacy one with six, both groups AVAILABLE and ACCEPTED, then deleted', async () => {
    // The Atlas side: the endpoint service with port mapping, watched until AVAILABLE.
    const serviceId = await createService(['--region', 'CENTRAL_US', '--portMappingEnabled'], '<SERVICE>');
    const described = await ok(['privateEndpoints', 'gcp', 'describe', serviceId], { tty: true, record: true });
    assert.equal(
      described.stdout,
      `ID${' '.repeat(25)}GROUP NAME   REGION       STATUS      PORT MAPPING ENABLED   ERROR\n${serviceId}   N/A          CENTRAL_US   AVAILABLE   true                   \n`,
    );
    const service = await describeService(serviceId, { record: true });
    assert.equal(service.portMappingEnabled, true);
    assert.deepEqual(service.serviceAttachmentNames, [`projects/${gcp().producerProjectId}/regions/us-central1/serviceAttachments/pl-${serviceId}`]);
    const attachment = service.serviceAttachmentNames[0]!;
    await ok(['privateEndpoints', 'gcp', 'list'], { record: true });

    // The customer's side: credentials for SDK scripts, then the address and forwarding rule.
    const credentials = await ok(['localcloud', 'gcp', 'credentials', '--data-dir', stack.dataDir]);
    assert.equal(
      credentials.stdout,
      [
        `export GOOGLE_APPLICATION_CREDENTIALS='${stack.dataDir}/gcp-customer.json'`,
        `export CLOUDSDK_CORE_PROJECT='${gcp().projectId}'`,
        `export CLOUDSDK_API_ENDPOINT_OVERRIDES_COMPUTE='${gcp().endpoint}/compute/v1/'`,
        '# With @google-cloud/compute (no scopes: the key signs its own tokens):',
        `#   new ForwardingRulesClient({ apiEndpoint: '127.0.0.1', port: ${new URL(gcp().endpoint).port}, protocol: 'http', keyFilename: process.env.GOOGLE_APPLICATION_CREDENTIALS, scopes: [] })`,
        '',
      ].join('\n'),
    );
    const made = await ok(
      [
        'localcloud',
        'gcp',
        'create-endpoints',
        '--data-dir',
        stack.dataDir,
        '--region',
        'us-central1',
        '--network',
        'app-net',
        '--subnet',
        'app-subnet',
        '--range',
        '10.128.0.0/20',
        '--service-attachments',
        attachment,
      ],
      { record: true },
    );
    const endpoint = made.stdout.trim();
    const ip = /^endpoint-0@(10\.128\.0\.\d+)$/.exec(endpoint)?.[1] ?? assert.fail(made.stdout);
    const pending = await rules('us-central1', 'endpoint');
    assert.deepEqual(
      pending.map((r) => [r.name, r.IPAddress, r.target, r.pscConnectionStatus]),
      [['endpoint-0', ip, attachment, 'PENDING']],
    );
    // Its length varies from run to run; the last column of the table, so a fixed placeholder keeps it aligned.
    placeholders[pending[0]!.pscConnectionId] = '<PSC_ID>';
    await ok(['localcloud', 'gcp', 'forwarding-rules', 'list', '--data-dir', stack.dataDir, '--region', 'us-central1'], { tty: true, record: true });

    // Register the group (named after its one forwarding rule); privlink accepts the connection.
    const group = await register('endpoint-0', serviceId, endpoint);
    assert.deepEqual(
      group.endpoints.map((e) => [e.endpointName, e.ipAddress, e.status]),
      [['endpoint-0', ip, 'AVAILABLE']],
    );
    assert.deepEqual(
      (await rules('us-central1', 'endpoint')).map((r) => r.pscConnectionStatus),
      ['ACCEPTED'],
    );
    await ok(['localcloud', 'gcp', 'forwarding-rules', 'list', '--data-dir', stack.dataDir, '--region', 'us-central1'], { tty: true, record: true });
    assert.deepEqual((await describeService(serviceId)).endpointGroupNames, ['endpoint-0']);
    await ok(['privateEndpoints', 'gcp', 'describe', serviceId], { tty: true, record: true });

    // A legacy service (no port mapping) in another region beside it: one endpoint service per
    // region, several regions in a project. Six attachments, one forwarding rule each.
    const legacyId = await legacy();

    // Clean up: the registrations (privlink rejects the connections), then the services.
    await deregister('endpoint-0', serviceId);
    const [after] = await rules('us-central1', 'endpoint');
    assert.notEqual(after?.pscConnectionStatus, 'ACCEPTED');
    await deleteService(serviceId);
    await deregister('legacy-group', legacyId);
    assert.ok((await rules('us-east4', 'legacy')).every((r) => r.pscConnectionStatus !== 'ACCEPTED'));
    await deleteService(legacyId);
    const none = await ok(['privateEndpoints', 'gcp', 'list'], { record: true });
    assert.equal(none.stdout, 'ID\tREGION\tSTATUS\tERROR\n');

    assertGolden('e2e-gcp-walkthrough', transcript.join('\n'));
  });
});
