import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { expectContract } from '../support/atlas-contract.js';
import { startApi, type ApiHarness } from '../support/api-harness.js';

// GCP's Atlas shapes and validation on the Admin API alone (no reconciler runs here, so services
// stay INITIATING): the recorded `GCPEndpointService`, port mapping, endpoint groups of forwarding
// rules with Compute Engine's naming rules, checked against the official spec.
let api: ApiHarness;
let base: string;
const code = (res: { json: unknown }) => (res.json as { errorCode: string }).errorCode;

before(async () => {
  api = await startApi();
  base = `/api/atlas/v2/groups/${api.bootstrap.projectId}/privateEndpoint`;
});
after(async () => api?.close());

describe('GCP endpoint service', () => {
  let legacy: string;
  let mapped: string;

  test('create answers the recorded INITIATING shape; port mapping is kept', async () => {
    const res = await api.owner.post(`${base}/endpointService`, { providerName: 'GCP', region: 'us-east4' });
    expectContract(res, 'POST', '/endpointService', 201);
    const body = res.json as Record<string, unknown>;
    legacy = String(body.id);
    assert.deepEqual(body, {
      cloudProvider: 'GCP',
      endpointGroupNames: [],
      errorMessage: null,
      id: legacy,
      portMappingEnabled: false,
      regionName: 'US_EAST_4',
      serviceAttachmentNames: [],
      status: 'INITIATING',
    });
    const withMapping = await api.owner.post(`${base}/endpointService`, { providerName: 'GCP', region: 'CENTRAL_US', portMappingEnabled: true });
    expectContract(withMapping, 'POST', '/endpointService', 201);
    mapped = (withMapping.json as { id: string }).id;
    assert.equal((withMapping.json as { portMappingEnabled: boolean }).portMappingEnabled, true);
    const list = await api.owner.get(`${base}/GCP/endpointService`);
    expectContract(list, 'GET', '/{cloudProvider}/endpointService', 200);
    assert.deepEqual(
      (list.json as Array<{ id: string; portMappingEnabled: boolean }>).map((s) => [s.id, s.portMappingEnabled]),
      [
        [legacy, false],
        [mapped, true],
      ],
    );
  });

  test('portMappingEnabled must be a boolean, and is GCP only', async () => {
    assert.equal(code(await api.owner.post(`${base}/endpointService`, { providerName: 'GCP', region: 'us-west2', portMappingEnabled: 'yes' })), 'INVALID_ATTRIBUTE');
    assert.equal(code(await api.owner.post(`${base}/endpointService`, { providerName: 'AWS', region: 'us-west-2', portMappingEnabled: true })), 'INVALID_ATTRIBUTE');
  });

  test('endpoint groups: Compute Engine names, a project id, IPv4 addresses; else Atlas 400s', async () => {
    const post = (body: unknown) => api.owner.post(`${base}/GCP/endpointService/${legacy}/endpoint`, body);
    assert.equal(code(await post({ gcpProjectId: 'customer-project' })), 'MISSING_ATTRIBUTE');
    assert.equal(code(await post({ endpointGroupName: 'Group_1', gcpProjectId: 'customer-project' })), 'INVALID_ATTRIBUTE');
    assert.equal(code(await post({ endpointGroupName: 'group-1' })), 'MISSING_ATTRIBUTE');
    assert.equal(code(await post({ endpointGroupName: 'group-1', gcpProjectId: 'x' })), 'INVALID_ATTRIBUTE');
    assert.equal(
      code(await post({ endpointGroupName: 'group-1', gcpProjectId: 'customer-project', endpoints: [{ endpointName: 'ep-0', ipAddress: '10.0.0.300' }] })),
      'INVALID_ATTRIBUTE',
    );
    assert.equal(
      code(
        await post({
          endpointGroupName: 'group-1',
          gcpProjectId: 'customer-project',
          endpoints: [
            { endpointName: 'ep-0', ipAddress: '10.0.0.2' },
            { endpointName: 'ep-0', ipAddress: '10.0.0.3' },
          ],
        }),
      ),
      'INVALID_ATTRIBUTE',
    );
  });

  test('a registered group answers PrivateGCPEndpointGroup; the service lists it; delete marks it DELETING', async () => {
    const endpoints = [0, 1, 2, 3, 4, 5].map((i) => ({ endpointName: `endpoint-${i}`, ipAddress: `10.142.0.${i + 2}` }));
    const created = await api.owner.post(`${base}/GCP/endpointService/${legacy}/endpoint`, { endpointGroupName: 'group-1', gcpProjectId: 'mcli-private-endpoints', endpoints });
    expectContract(created, 'POST', '/{cloudProvider}/endpointService/{endpointServiceId}/endpoint', 201);
    assert.deepEqual(created.json, {
      cloudProvider: 'GCP',
      deleteRequested: false,
      endpointGroupName: 'group-1',
      endpoints: endpoints.map((e) => ({ ...e, status: 'INITIATING' })),
      errorMessage: null,
      gcpProjectId: 'mcli-private-endpoints',
      portMappingEnabled: false,
      status: 'INITIATING',
    });
    const mappedGroup = await api.owner.post(`${base}/GCP/endpointService/${mapped}/endpoint`, {
      endpointGroupName: 'forwarding-rule-1',
      gcpProjectId: 'mcli-private-endpoints',
      endpoints: [{ endpointName: 'forwarding-rule-1', ipAddress: '10.128.0.9' }],
    });
    assert.equal(mappedGroup.status, 201, mappedGroup.text);
    assert.equal((mappedGroup.json as { portMappingEnabled: boolean }).portMappingEnabled, true);
    const service = await api.owner.get(`${base}/GCP/endpointService/${legacy}`);
    expectContract(service, 'GET', '/{cloudProvider}/endpointService/{endpointServiceId}', 200);
    assert.deepEqual((service.json as { endpointGroupNames: string[] }).endpointGroupNames, ['group-1']);
    assert.equal((await api.owner.delete(`${base}/GCP/endpointService/${legacy}/endpoint/group-1`)).status, 204);
    const deleting = await api.owner.get(`${base}/GCP/endpointService/${legacy}/endpoint/group-1`);
    expectContract(deleting, 'GET', '/{cloudProvider}/endpointService/{endpointServiceId}/endpoint/{endpointId}', 200);
    assert.deepEqual([(deleting.json as { status: string }).status, (deleting.json as { deleteRequested: boolean }).deleteRequested], ['DELETING', true]);
  });
});

describe('the private-endpoint rules hold for GCP, in Atlas error envelopes', () => {
  const cluster = (name: string, nodes: number) => ({
    name,
    clusterType: 'REPLICASET',
    replicationSpecs: [
      {
        regionConfigs: [
          {
            providerName: 'GCP',
            regionName: 'WESTERN_EUROPE',
            priority: 7,
            electableSpecs: { instanceSize: 'M10', nodeCount: 7 },
            readOnlySpecs: { instanceSize: 'M10', nodeCount: nodes - 7 },
          },
        ],
      },
    ],
  });

  test("a region with a GCP endpoint service holds 50 addressable targets (not the project's 30); the 51st is refused with a 400", async () => {
    const service = await api.owner.post(`${base}/endpointService`, { providerName: 'GCP', region: 'europe-west1' });
    assert.equal(service.status, 201, service.text);
    const clusters = `/api/atlas/v2/groups/${api.bootstrap.projectId}/clusters`;
    const fits = await api.owner.post(clusters, cluster('Gcp40', 40));
    assert.equal(fits.status, 201, fits.text);
    const refused = await api.owner.post(clusters, cluster('Gcp11', 11));
    assert.equal(refused.status, 400, refused.text);
    assert.match(String(refused.headers['content-type']), /^application\/json/);
    assert.deepEqual(refused.json, {
      detail: 'This would bring GCP region WESTERN_EUROPE to 51 addressable targets, above the private link limit of 50 per region. Use another project or region.',
      error: 400,
      errorCode: 'MAX_NODES_PER_PRIVATELINK_REGION_EXCEEDED',
      parameters: ['GCP', 'WESTERN_EUROPE', 51, 50],
      reason: 'Bad Request',
    });
    assert.equal((await api.owner.post(clusters, cluster('Gcp10', 10))).status, 201, 'ten more make exactly 50');
  });
});
