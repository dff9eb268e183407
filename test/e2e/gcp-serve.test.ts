import assert from 'node:assert/strict';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { NetworksClient } from '@google-cloud/compute';
import { AtlasClient } from '../../src/client/atlas-client.js';
import { startServer } from '../support/server-process.js';

/**
 * `privlink serve` with its default configuration serves GCP against the local cloud's Compute
 * Engine: GCP endpoint services are accepted and reconciled to AVAILABLE, and the customer finds
 * the endpoint, project and key file of the local cloud's GCP in the data directory.
 */
describe('privlink serve: GCP in the local cloud', { concurrency: false }, () => {
  test('default config: a GCP endpoint service in CENTRAL_US is accepted and becomes AVAILABLE; gcp-customer.json (0600) and bootstrap.json localCloud.gcp are written', async () => {
    const server = await startServer();
    const client = new AtlasClient({ baseUrl: server.apiUrl, publicKey: server.bootstrap.publicKey, privateKey: server.bootstrap.privateKey });
    const networks: NetworksClient[] = [];
    try {
      const project = `/api/atlas/v2/groups/${server.bootstrap.projectId}`;
      const created = await client.post(`${project}/privateEndpoint/endpointService`, { providerName: 'GCP', region: 'CENTRAL_US' });
      assert.equal(created.status, 201, created.text);
      const id = (created.json as { id: string }).id;
      const deadline = Date.now() + 60_000;
      let service: { status: string; serviceAttachmentNames?: string[]; errorMessage?: string | null } = { status: '' };
      while (service.status !== 'AVAILABLE') {
        assert.ok(Date.now() < deadline, `not AVAILABLE in 60 s: ${JSON.stringify(service)}\n${server.output()}`);
        assert.notEqual(service.status, 'FAILED', JSON.stringify(service));
        await new Promise((resolve) => setTimeout(resolve, 100));
        const got = await client.get(`${project}/privateEndpoint/GCP/endpointService/${id}`);
        assert.equal(got.status, 200, got.text);
        service = got.json as typeof service;
      }

      const gcp = server.bootstrap.localCloud?.gcp;
      assert.ok(gcp, `bootstrap.json has localCloud.gcp: ${JSON.stringify(server.bootstrap.localCloud)}`);
      assert.match(gcp.endpoint, /^http:\/\/127\.0\.0\.1:\d+$/);
      assert.equal(gcp.keyFile, join(server.dataDir, 'gcp-customer.json'));
      assert.match(gcp.projectId, /^privlink-consumer-[a-z0-9]{6}$/);
      assert.match(gcp.producerProjectId, /^privlink-producer-[a-z0-9]{6}$/);
      // Without portMappingEnabled: Atlas's legacy set of six attachments, in privlink's producer project.
      assert.deepEqual(
        service.serviceAttachmentNames,
        [0, 1, 2, 3, 4, 5].map((i) => `projects/${gcp.producerProjectId}/regions/us-central1/serviceAttachments/sa-us-central1-${server.bootstrap.projectId}-${i}`),
      );

      assert.equal(statSync(gcp.keyFile).mode & 0o777, 0o600);
      const key = JSON.parse(readFileSync(gcp.keyFile, 'utf8')) as { type: string; project_id: string; private_key: string };
      assert.equal(key.type, 'service_account');
      assert.equal(key.project_id, gcp.projectId);

      // The key works with the official client against the endpoint: the customer's (empty) project.
      const url = new URL(gcp.endpoint);
      const customer = new NetworksClient({ apiEndpoint: url.hostname, port: Number(url.port), protocol: 'http', credentials: key, scopes: [], projectId: gcp.projectId });
      networks.push(customer);
      const [list] = await customer.list({ project: gcp.projectId });
      assert.deepEqual(list, []);
    } finally {
      client.close();
      for (const c of networks) await c.close();
      await server.destroy();
    }
  });

  test('PRIVLINK_GCP=off: GCP answers 400 PROVIDER_UNSUPPORTED and the data directory has no GCP key', async () => {
    const server = await startServer({ env: { PRIVLINK_GCP: 'off' } });
    const client = new AtlasClient({ baseUrl: server.apiUrl, publicKey: server.bootstrap.publicKey, privateKey: server.bootstrap.privateKey });
    try {
      const created = await client.post(`/api/atlas/v2/groups/${server.bootstrap.projectId}/privateEndpoint/endpointService`, { providerName: 'GCP', region: 'CENTRAL_US' });
      assert.equal(created.status, 400, created.text);
      assert.equal((created.json as { errorCode: string }).errorCode, 'PROVIDER_UNSUPPORTED');
      assert.equal(server.bootstrap.localCloud?.gcp, undefined);
      assert.equal(existsSync(join(server.dataDir, 'gcp-customer.json')), false);
    } finally {
      client.close();
      await server.destroy();
    }
  });
});
