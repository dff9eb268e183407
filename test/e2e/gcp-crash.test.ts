import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { ForwardingRulesClient, NetworksClient, RegionBackendServicesClient, RegionNetworkEndpointGroupsClient, ServiceAttachmentsClient } from '@google-cloud/compute';
import { describe, test } from 'node:test';
import { AtlasClient } from '../../src/client/atlas-client.js';
import { until } from '../support/full-stack.js';
import { GcpCustomer } from '../support/gcp-customer.js';
import { FAST_RECOVERY_ENV, restart, waitForDeath } from '../support/crash-restarts.js';
import { startServer, type ServerProcess } from '../support/server-process.js';

// GCP under SIGKILL: the server is killed at injected points between a Compute call and the commit
// of its result, then restarted on the same store. Everything converges, and privlink's producer
// project holds exactly one set of service attachments (six, Atlas's legacy design) with one
// forwarding rule, backend service and endpoint group each, per endpoint service; a group
// accepted just before the kill is AVAILABLE after; deletion leaves nothing behind.
const REGION = 'us-central1';
// How long a convergence may take: six attachments with their rules, backends and groups after a
// restart, on a machine that may be running the rest of the suite beside this file.
const CONVERGE_MS = 90_000;

function owner(server: ServerProcess) {
  return {
    client: new AtlasClient({ baseUrl: server.apiUrl, publicKey: server.bootstrap.publicKey, privateKey: server.bootstrap.privateKey }),
    project: `/api/atlas/v2/groups/${server.bootstrap.projectId}`,
  };
}

/** What privlink's producer project holds in the region (live resources), read with the official clients and the producer's key. */
async function producerResources(server: ServerProcess) {
  const gcp = server.bootstrap.localCloud!.gcp!;
  const url = new URL(gcp.endpoint);
  const options = {
    projectId: gcp.producerProjectId,
    apiEndpoint: url.hostname,
    port: Number(url.port),
    protocol: 'http',
    credentials: JSON.parse(readFileSync(gcp.producerKeyFile!, 'utf8')) as object,
    scopes: [] as string[],
  };
  const clients = {
    attachments: new ServiceAttachmentsClient(options),
    rules: new ForwardingRulesClient(options),
    backends: new RegionBackendServicesClient(options),
    groups: new RegionNetworkEndpointGroupsClient(options),
    networks: new NetworksClient(options),
  };
  const project = gcp.producerProjectId;
  try {
    return {
      attachments: (await clients.attachments.list({ project, region: REGION }))[0].map((a) => a.name).sort(),
      forwardingRules: (await clients.rules.list({ project, region: REGION }))[0].length,
      backendServices: (await clients.backends.list({ project, region: REGION }))[0].length,
      endpointGroups: (await clients.groups.list({ project, region: REGION }))[0].length,
      networks: (await clients.networks.list({ project }))[0].length,
    };
  } finally {
    for (const c of Object.values(clients)) await c.close();
  }
}

const legacyNames = (server: ServerProcess) => [0, 1, 2, 3, 4, 5].map((i) => `sa-${REGION}-${server.bootstrap.projectId}-${i}`);

describe('GCP: crash during create', () => {
  for (const point of ['before-create-endpoint-service', 'after-create-endpoint-service']) {
    test(`SIGKILL at ${point}: after restart the service is AVAILABLE, its six attachments made exactly once`, async () => {
      const first = await startServer({ env: { ...FAST_RECOVERY_ENV, PRIVLINK_TEST_CRASH_AT: point } });
      let second: ServerProcess | undefined;
      try {
        const a = owner(first);
        const created = await a.client.post(`${a.project}/privateEndpoint/endpointService`, { providerName: 'GCP', region: REGION });
        assert.equal(created.status, 201, created.text);
        const serviceId = (created.json as { id: string }).id;
        a.client.close();
        assert.equal(await waitForDeath(first), 'SIGKILL');
        second = await restart(first);
        const b = owner(second);
        const ready = await until(
          () => b.client.get(`${b.project}/privateEndpoint/GCP/endpointService/${serviceId}`),
          (r) => (r.json as { status?: string }).status === 'AVAILABLE',
          CONVERGE_MS,
        );
        b.client.close();
        assert.deepEqual(
          (ready.json as { serviceAttachmentNames: string[] }).serviceAttachmentNames.map((n) => n.split('/').pop()),
          legacyNames(second),
        );
        assert.deepEqual(await producerResources(second), { attachments: legacyNames(second), forwardingRules: 6, backendServices: 6, endpointGroups: 6, networks: 1 });
      } finally {
        await second?.stop();
        await first.destroy();
      }
    });
  }
});

describe('GCP: crash during accept and delete', () => {
  test('SIGKILL right after accepting a group, then after the delete call: the group ends AVAILABLE, then everything is gone', async () => {
    const first = await startServer({ env: FAST_RECOVERY_ENV });
    let second: ServerProcess | undefined;
    let third: ServerProcess | undefined;
    let fourth: ServerProcess | undefined;
    try {
      const a = owner(first);
      const serviceId = ((await a.client.post(`${a.project}/privateEndpoint/endpointService`, { providerName: 'GCP', region: REGION })).json as { id: string }).id;
      const ready = await until(
        () => a.client.get(`${a.project}/privateEndpoint/GCP/endpointService/${serviceId}`),
        (r) => (r.json as { status?: string }).status === 'AVAILABLE',
        CONVERGE_MS,
      );
      const attachments = (ready.json as { serviceAttachmentNames: string[] }).serviceAttachmentNames;
      a.client.close();
      await first.stop();

      second = await restart(first, { PRIVLINK_TEST_CRASH_AT: 'after-accept-connection' });
      const customer = new GcpCustomer(second.bootstrap.localCloud!.gcp!);
      await customer.network('app-net');
      await customer.subnet('app-subnet', 'app-net', REGION, '10.128.0.0/20');
      const endpoints = await customer.endpoints('endpoint', { region: REGION, network: 'app-net', subnet: 'app-subnet' }, attachments);
      const b = owner(second);
      const registered = await b.client.post(`${b.project}/privateEndpoint/GCP/endpointService/${serviceId}/endpoint`, {
        endpointGroupName: 'atlas-group',
        gcpProjectId: customer.project,
        endpoints,
      });
      assert.equal(registered.status, 201, registered.text);
      b.client.close();
      assert.equal(await waitForDeath(second), 'SIGKILL');
      await customer.close();

      third = await restart(first, { PRIVLINK_TEST_CRASH_AT: 'after-delete-endpoint-service' });
      const c = owner(third);
      const groupPath = `${c.project}/privateEndpoint/GCP/endpointService/${serviceId}/endpoint/atlas-group`;
      const available = await until(
        () => c.client.get(groupPath),
        (r) => (r.json as { status?: string }).status === 'AVAILABLE',
        CONVERGE_MS,
      );
      assert.deepEqual(
        (available.json as { endpoints: Array<{ status: string }> }).endpoints.map((e) => e.status),
        ['AVAILABLE', 'AVAILABLE', 'AVAILABLE', 'AVAILABLE', 'AVAILABLE', 'AVAILABLE'],
      );
      const seen = new GcpCustomer(third.bootstrap.localCloud!.gcp!);
      const [rule] = await seen.forwardingRules.get({ project: seen.project, region: REGION, forwardingRule: 'endpoint-0' });
      assert.equal(rule.pscConnectionStatus, 'ACCEPTED');
      await seen.close();
      assert.equal((await c.client.delete(`${c.project}/privateEndpoint/GCP/endpointService/${serviceId}`)).status, 202);
      c.client.close();
      assert.equal(await waitForDeath(third), 'SIGKILL');

      fourth = await restart(first);
      const d = owner(fourth);
      const gone = await until(
        () => d.client.get(`${d.project}/privateEndpoint/GCP/endpointService/${serviceId}`),
        (r) => r.status === 404,
        CONVERGE_MS,
      );
      d.client.close();
      assert.equal(gone.status, 404);
      assert.deepEqual(await producerResources(fourth), { attachments: [], forwardingRules: 0, backendServices: 0, endpointGroups: 0, networks: 0 });
    } finally {
      await fourth?.stop();
      await third?.stop();
      await second?.stop();
      await first.destroy();
    }
  });
});
