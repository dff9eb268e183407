import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import { after, before, describe, test } from 'node:test';
import { runCliProcess, tempHome } from './support/cli-runner.js';

/**
 * The requests `privlink serverless …` and `privlink privateEndpoints serverless …` send (method,
 * path, body) and how `watch` walks a scripted status sequence, against a recording Admin API stub.
 * The whole flow against the real server is serverless-walkthrough.test.ts.
 */
const PROJECT = '0123456789abcdef01234567';
const ENDPOINT = '5f7cac1adf5d6c6306f4b283';
const BASE = `/api/atlas/v2/groups/${PROJECT}`;

interface Recorded {
  method: string;
  url: string;
  body: unknown;
}

describe('serverless commands: the requests they send (recording API stub)', () => {
  let server: Server;
  let baseUrl: string;
  let home: string;
  let cleanup: () => void;
  const recorded: Recorded[] = [];
  /** Status sequence served to GET …/endpoint/{ENDPOINT}, one per poll (the last repeats). */
  let statuses: Array<{ status: string; cloudProviderEndpointId: string | null }> = [];
  let polls = 0;

  const tenantEndpoint = (status: string, cloudProviderEndpointId: string | null) => ({
    _id: ENDPOINT,
    cloudProviderEndpointId,
    comment: null,
    endpointServiceName: status === 'RESERVATION_REQUESTED' ? null : 'com.amazonaws.vpce.us-east-1.vpce-svc-0afd34ee97e30d43f',
    errorMessage: null,
    providerName: 'AWS',
    status,
  });

  before(async () => {
    ({ home, cleanup } = tempHome());
    server = createServer((req, res) => {
      let text = '';
      req.on('data', (chunk: Buffer) => (text += chunk.toString()));
      req.on('end', () => {
        recorded.push({ method: req.method!, url: req.url!, body: text === '' ? undefined : JSON.parse(text) });
        let body: unknown = {};
        if (req.url === `${BASE}/serverless` && req.method === 'POST') body = { name: 'sl0', stateName: 'CREATING' };
        else if (req.url!.endsWith(`/endpoint/${ENDPOINT}`) && req.method === 'GET') {
          const step = statuses[Math.min(polls++, statuses.length - 1)]!;
          body = tenantEndpoint(step.status, step.cloudProviderEndpointId);
        } else if (req.url!.includes('/endpoint')) body = tenantEndpoint('RESERVATION_REQUESTED', null);
        res.writeHead(req.method === 'DELETE' ? 204 : 200, { 'content-type': 'application/vnd.atlas.2023-01-01+json' });
        res.end(req.method === 'DELETE' ? '' : JSON.stringify(body));
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    baseUrl = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
  });
  after(async () => {
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
    cleanup();
  });

  const run = async (args: string[]) => {
    recorded.length = 0;
    const result = await runCliProcess([...args, '--projectId', PROJECT], {
      home,
      env: { PRIVLINK_BASE_URL: baseUrl, PRIVLINK_PUBLIC_API_KEY: 'abcdefgh', PRIVLINK_PRIVATE_API_KEY: 'k' },
    });
    return { ...result, requests: recorded.map((r) => ({ ...r })) };
  };

  test('serverless create: providerSettings with providerName SERVERLESS, an Atlas region name, tags from repeated and comma-separated pairs', async () => {
    const result = await run(['serverless', 'create', 'sl0', '--provider', 'aws', '--region', 'us-east-1', '--tag', 'env=dev,team=db', '--tag', 'empty=', '--tag', 'cost=1=2']);
    assert.equal(result.code, 0, result.stderr);
    assert.equal(result.stdout, 'Serverless instance sl0 created.\n');
    assert.deepEqual(result.requests, [
      {
        method: 'POST',
        url: `${BASE}/serverless`,
        body: {
          name: 'sl0',
          providerSettings: { backingProviderName: 'AWS', providerName: 'SERVERLESS', regionName: 'US_EAST_1' },
          tags: [
            { key: 'env', value: 'dev' },
            { key: 'team', value: 'db' },
            { key: 'cost', value: '1=2' },
          ],
        },
      },
    ]);
  });

  test('serverless list, describe and delete call the instance routes', async () => {
    assert.deepEqual(
      (await run(['serverless', 'list'])).requests.map((r) => `${r.method} ${r.url}`),
      [`GET ${BASE}/serverless?itemsPerPage=500`],
    );
    assert.deepEqual(
      (await run(['serverless', 'describe', 'sl 0'])).requests.map((r) => `${r.method} ${r.url}`),
      [`GET ${BASE}/serverless/sl%200`],
    );
    const deleted = await run(['serverless', 'delete', 'sl0', '--force']);
    assert.equal(deleted.stdout, "Serverless instance 'sl0' deleted\n");
    assert.deepEqual(
      deleted.requests.map((r) => `${r.method} ${r.url}`),
      [`DELETE ${BASE}/serverless/sl0`],
    );
  });

  test('privateEndpoints serverless create sends {comment} or {}', async () => {
    const withComment = await run(['privateEndpoints', 'serverless', 'aws', 'create', 'sl0', '--comment', 'app servers']);
    assert.equal(withComment.stdout, `Private endpoint '${ENDPOINT}' created.\n`);
    assert.deepEqual(withComment.requests, [{ method: 'POST', url: `${BASE}/privateEndpoint/serverless/instance/sl0/endpoint`, body: { comment: 'app servers' } }]);
    const bare = await run(['privateEndpoints', 'serverless', 'azure', 'add', 'sl0']);
    assert.deepEqual(bare.requests, [{ method: 'POST', url: `${BASE}/privateEndpoint/serverless/instance/sl0/endpoint`, body: {} }]);
  });

  test('update sends providerName: AWS with the VPC endpoint id; AZURE adds the IP address', async () => {
    const aws = await run(['privateEndpoints', 'serverless', 'aws', 'update', ENDPOINT, '--instanceName', 'sl0', '--privateEndpointId', 'vpce-0fcac938279cd98dc']);
    assert.equal(aws.code, 0, aws.stderr);
    assert.equal(aws.stdout, `Private endpoint '${ENDPOINT}' updated.\n`);
    assert.deepEqual(aws.requests, [
      {
        method: 'PATCH',
        url: `${BASE}/privateEndpoint/serverless/instance/sl0/endpoint/${ENDPOINT}`,
        body: { providerName: 'AWS', cloudProviderEndpointId: 'vpce-0fcac938279cd98dc' },
      },
    ]);
    const resourceId = '/subscriptions/4e133d35-e734-4385-a565-c0945567ae34/resourceGroups/rg-app/providers/Microsoft.Network/privateEndpoints/pe-atlas';
    const azure = await run([
      'privateEndpoints',
      'serverless',
      'azure',
      'update',
      ENDPOINT,
      '--instanceName',
      'sl0',
      '--privateEndpointId',
      resourceId,
      '--privateEndpointIpAddress',
      '10.0.0.4',
      '--comment',
      'vnet-app',
    ]);
    assert.deepEqual(azure.requests[0]!.body, { providerName: 'AZURE', cloudProviderEndpointId: resourceId, privateEndpointIpAddress: '10.0.0.4', comment: 'vnet-app' });
  });

  test('describe, list and delete of a private endpoint call its routes; the table shows the endpoint', async () => {
    statuses = [{ status: 'AVAILABLE', cloudProviderEndpointId: 'vpce-0fcac938279cd98dc' }];
    polls = 0;
    const described = await run(['privateEndpoints', 'serverless', 'aws', 'describe', ENDPOINT, '--instanceName', 'sl0']);
    assert.equal(
      described.stdout,
      `ID\tENDPOINT SERVICE\tENDPOINT\tSTATUS\tERROR\n${ENDPOINT}\tcom.amazonaws.vpce.us-east-1.vpce-svc-0afd34ee97e30d43f\tvpce-0fcac938279cd98dc\tAVAILABLE\t\n`,
    );
    assert.deepEqual(
      (await run(['privateEndpoints', 'serverless', 'aws', 'list', 'sl0'])).requests.map((r) => `${r.method} ${r.url}`),
      [`GET ${BASE}/privateEndpoint/serverless/instance/sl0/endpoint`],
    );
    const deleted = await run(['privateEndpoints', 'serverless', 'aws', 'delete', ENDPOINT, '--instanceName', 'sl0', '--force']);
    assert.equal(deleted.stdout, `Private endpoint '${ENDPOINT}' deleted\n`);
    assert.deepEqual(
      deleted.requests.map((r) => `${r.method} ${r.url}`),
      [`DELETE ${BASE}/privateEndpoint/serverless/instance/sl0/endpoint/${ENDPOINT}`],
    );
  });

  test('watch stops at RESERVED before update, and at AVAILABLE after it', async () => {
    statuses = [
      { status: 'RESERVATION_REQUESTED', cloudProviderEndpointId: null },
      { status: 'RESERVATION_REQUESTED', cloudProviderEndpointId: null },
      { status: 'RESERVED', cloudProviderEndpointId: null },
    ];
    polls = 0;
    const reserved = await run(['privateEndpoints', 'serverless', 'aws', 'watch', ENDPOINT, '--instanceName', 'sl0', '--interval', '50ms']);
    assert.equal(reserved.code, 0, reserved.stderr);
    assert.equal(reserved.stderr, '..');
    assert.equal(reserved.stdout, '\nPrivate endpoint reserved.\n');

    statuses = [
      { status: 'RESERVED', cloudProviderEndpointId: 'vpce-0fcac938279cd98dc' },
      { status: 'INITIATING', cloudProviderEndpointId: 'vpce-0fcac938279cd98dc' },
      { status: 'AVAILABLE', cloudProviderEndpointId: 'vpce-0fcac938279cd98dc' },
    ];
    polls = 0;
    const available = await run(['privateEndpoints', 'serverless', 'aws', 'watch', ENDPOINT, '--instanceName', 'sl0', '--interval', '50ms']);
    assert.equal(available.code, 0, available.stderr);
    assert.equal(available.stderr, '..');
    assert.equal(available.stdout, '\nPrivate endpoint changes completed.\n');
  });

  test('watch of a FAILED private endpoint exits 1 with its error', async () => {
    statuses = [{ status: 'FAILED', cloudProviderEndpointId: 'vpce-0fcac938279cd98dc' }];
    polls = 0;
    const failed = await run(['privateEndpoints', 'serverless', 'aws', 'watch', ENDPOINT, '--instanceName', 'sl0', '--interval', '50ms']);
    assert.equal(failed.code, 1);
    assert.equal(failed.stderr, `Error: private endpoint '${ENDPOINT}' is FAILED: no error message\n`);
    assert.equal(failed.stdout, '');
  });
});
