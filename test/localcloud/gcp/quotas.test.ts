import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { ProjectsClient, RegionsClient } from '@google-cloud/compute';
import type { GcpProject } from '../../../src/localcloud/gcp/local-cloud-gcp.js';
import { REGION, startGcp, type ComputeClients, type GcpHarness } from './harness.js';

// The local GCP cloud's quotas, through the official clients: regions.get and projects.get answer
// the `quotas` arrays (limit and usage counted from the project's resources), an insert over a
// limit is refused with Compute's 403 quotaExceeded, and pool projects are made on request with
// keys of their own.
describe('the local GCP cloud answers and enforces Compute quotas', () => {
  let h: GcpHarness;
  let pool: GcpProject;
  let c: ComputeClients;
  let regions: RegionsClient;
  let projects: ProjectsClient;

  before(async () => {
    h = await startGcp();
    pool = await h.cloud.createProject('privlink-pool-quota-one');
    c = h.clients(pool);
    const options = {
      apiEndpoint: h.cloud.host,
      port: h.cloud.port,
      protocol: 'http',
      credentials: { ...pool.serviceAccountKey },
      scopes: [] as string[],
      projectId: pool.projectId,
    };
    regions = new RegionsClient(options);
    projects = new ProjectsClient(options);
  });
  after(async () => {
    await regions?.close();
    await projects?.close();
    await h?.close();
  });

  const quota = (quotas: ReadonlyArray<{ metric?: string | null; limit?: number | null; usage?: number | null }> | null | undefined, metric: string) => {
    const found = (quotas ?? []).find((q) => q.metric === metric);
    return found ? [Number(found.limit), Number(found.usage)] : undefined;
  };

  test('a pool project is made once per name, with its own service account key; the producer project cannot read it', async () => {
    const again = await h.cloud.createProject('privlink-pool-quota-one');
    assert.equal(again.projectId, pool.projectId);
    assert.match(pool.projectId, /^privlink-pool-quota-one-[a-z0-9]{6}$/);
    assert.notEqual(pool.serviceAccountKey.private_key_id, h.cloud.projects.producer.serviceAccountKey.private_key_id);
    const other = await h.cloud.createProject('privlink-pool-quota-two');
    assert.notEqual(other.projectId, pool.projectId);
    const producer = h.clients(h.cloud.projects.producer);
    await assert.rejects(producer.networks.list({ project: pool.projectId }), (error: { code?: number }) => error.code === 403);
  });

  test('regions.get and projects.get list the metrics with their default limits and the usage counted from resources', async () => {
    const [region] = await regions.get({ project: pool.projectId, region: REGION });
    assert.equal(region.name, REGION);
    assert.equal(region.status, 'UP');
    assert.deepEqual(quota(region.quotas, 'SERVICE_ATTACHMENTS'), [100, 0]);
    assert.deepEqual(quota(region.quotas, 'INTERNAL_ADDRESSES'), [200, 0]);
    const [before] = await projects.get({ project: pool.projectId });
    assert.equal(before.name, pool.projectId);
    assert.deepEqual(quota(before.quotas, 'NETWORKS'), [15, 0]);
    assert.deepEqual(quota(before.quotas, 'SUBNETWORKS'), [275, 0]);
    await c.done(c.networks.insert({ project: pool.projectId, networkResource: { name: 'net', autoCreateSubnetworks: false } }));
    await c.done(c.subnetworks.insert({ project: pool.projectId, region: REGION, subnetworkResource: { name: 'a', network: 'global/networks/net', ipCidrRange: '10.1.0.0/24' } }));
    await c.done(
      c.subnetworks.insert({ project: pool.projectId, region: 'europe-west1', subnetworkResource: { name: 'b', network: 'global/networks/net', ipCidrRange: '10.2.0.0/24' } }),
    );
    const [after] = await projects.get({ project: pool.projectId });
    assert.deepEqual(quota(after.quotas, 'NETWORKS'), [15, 1]);
    assert.deepEqual(quota(after.quotas, 'SUBNETWORKS'), [275, 2], 'subnetworks of every region count for the project');
    const [other] = await projects.get({ project: h.cloud.projects.producer.projectId }).catch((e: unknown) => [e] as const);
    assert.equal((other as { code?: number }).code, 403, "another project's quotas are not the caller's to read");
  });

  test("an insert over a limit is refused with 403 quotaExceeded in Compute's words; a raised limit lets it through", async () => {
    await h.cloud.setQuotaLimit(pool.projectId, 'global', 'NETWORKS', 1);
    await assert.rejects(
      c.networks.insert({ project: pool.projectId, networkResource: { name: 'net-2', autoCreateSubnetworks: false } }),
      (error: { code?: number; message?: string }) => {
        assert.equal(error.code, 403);
        assert.match(error.message ?? '', /Quota 'NETWORKS' exceeded\. {2}Limit: 1\.0 globally\./);
        return true;
      },
    );
    await h.cloud.setQuotaLimit(pool.projectId, REGION, 'SERVICE_ATTACHMENTS', 0);
    await assert.rejects(
      c.serviceAttachments.insert({
        project: pool.projectId,
        region: REGION,
        serviceAttachmentResource: {
          name: 'sa',
          targetService: `projects/${pool.projectId}/regions/${REGION}/forwardingRules/none`,
          connectionPreference: 'ACCEPT_MANUAL',
          natSubnets: [],
        },
      }),
      (error: { code?: number; message?: string }) => {
        assert.equal(error.code, 403);
        assert.match(error.message ?? '', /Quota 'SERVICE_ATTACHMENTS' exceeded\. {2}Limit: 0\.0 in region us-central1\./);
        return true;
      },
    );
    const [region] = await regions.get({ project: pool.projectId, region: REGION });
    assert.deepEqual(quota(region.quotas, 'SERVICE_ATTACHMENTS'), [0, 0], 'the limit set is the one reported');
    await h.cloud.setQuotaLimit(pool.projectId, 'global', 'NETWORKS', 2);
    await c.done(c.networks.insert({ project: pool.projectId, networkResource: { name: 'net-2', autoCreateSubnetworks: false } }));
    await h.cloud.setQuotaLimit(pool.projectId, 'global', 'NETWORKS', null);
    const [project] = await projects.get({ project: pool.projectId });
    assert.deepEqual(quota(project.quotas, 'NETWORKS'), [15, 2], 'null restores the default');
  });
});
