import assert from 'node:assert/strict';
import { DescribeVpcsCommand, EC2Client } from '@aws-sdk/client-ec2';
import { DescribeLoadBalancersCommand, ElasticLoadBalancingV2Client, type LoadBalancer } from '@aws-sdk/client-elastic-load-balancing-v2';
import { ServiceQuotasClient } from '@aws-sdk/client-service-quotas';
import { createLocalCloudAws, type AccountCredentials } from '../../src/localcloud/aws/local-cloud-aws.js';
import { openStore, type StoreLocation } from '../../src/store/database.js';
import type { AtlasClient } from '../../src/client/atlas-client.js';
import { azureClients } from './azure-clients.js';
import type { Stack } from './full-stack.js';

/** Helpers for tests of the provider account pool, on a running stack with its local cloud. */

/** Adds an `ACCESS_KEY` pool account `name` with `keys` (e.g. a local-cloud account's, so the test can read what is made in it). */
export async function addAccessKeyPoolAccount(
  client: Pick<AtlasClient, 'post'>,
  orgId: string,
  name: string,
  keys: { readonly accessKeyId: string; readonly secretAccessKey: string },
): Promise<void> {
  const added = await client.post(`/api/atlas/v2/orgs/${orgId}/privlink/providerAccounts`, {
    name,
    kind: 'ACCESS_KEY',
    accessKeyId: keys.accessKeyId,
    secretAccessKey: keys.secretAccessKey,
  });
  assert.equal(added.status, 201, added.text);
}

/** Adds a local-cloud account (AWS), subscription (AZURE) or project (GCP) to the pool through the Admin API extension route. */
export async function addPoolAccount(stack: Stack, name: string, providerName: 'AWS' | 'AZURE' | 'GCP' = 'AWS'): Promise<void> {
  const res = await stack.owner.post(`/api/atlas/v2/orgs/${stack.bootstrap.orgId}/privlink/providerAccounts`, { name, kind: 'LOCAL_CLOUD', providerName });
  assert.equal(res.status, 201, res.text);
}

/**
 * The official Azure SDK's clients of a pool subscription, signed in as its service principal
 * (the local Azure cloud's `privlink-pool-<name>`), and its subscription id.
 */
export async function poolSubscriptionClients(stack: Stack, name: string) {
  const principal = await stack.running.azureCloud!.createAccount(`privlink-pool-${name}`);
  const azure = stack.bootstrap.localCloud!.azure!;
  return { subscriptionId: principal.subscriptionId, ...azureClients({ endpoint: azure.endpoint, caPath: azure.caPath! }, principal) };
}

export async function drainPoolAccount(stack: Stack, name: string): Promise<void> {
  const res = await stack.owner.post(`/api/atlas/v2/orgs/${stack.bootstrap.orgId}/privlink/providerAccounts/${name}/drain`, {});
  assert.equal(res.status, 200, res.text);
}

/** SDK clients of a pool account, with the keys the local cloud holds for it (`privlink-pool-<name>`). */
export async function poolAccountClients(stack: Stack, name: string, region = 'us-east-1') {
  const keys = await stack.running.localCloud!.createAccount(`privlink-pool-${name}`);
  return accountClients(stack.running.localCloudUrl!, keys, region);
}

/**
 * Makes the local-cloud accounts of pool accounts `names` (`privlink-pool-<name>`) in a store
 * before a server process starts on it, and returns their keys by pool account name. The server
 * finds them by name on first use, so a test that runs privlink in a child process can still look
 * into every pool account with its own keys.
 */
export async function prepareLocalCloudPoolAccounts(location: StoreLocation, names: readonly string[]): Promise<Map<string, AccountCredentials>> {
  const store = await openStore(location);
  try {
    const cloud = await createLocalCloudAws({ store, delays: 'instant', loopbackBase: 100 });
    try {
      const keys = new Map<string, AccountCredentials>();
      for (const name of names) keys.set(name, await cloud.createAccount(`privlink-pool-${name}`));
      return keys;
    } finally {
      await cloud.close();
    }
  } finally {
    await store.close();
  }
}

/** EC2, ELBv2 and Service Quotas clients of one local-cloud account at `endpoint`, with what the pool tests read through them. */
export function accountClients(endpoint: string, keys: { readonly accessKeyId: string; readonly secretAccessKey: string }, region = 'us-east-1') {
  const config = { endpoint, region, maxAttempts: 1, credentials: { accessKeyId: keys.accessKeyId, secretAccessKey: keys.secretAccessKey } };
  const ec2 = new EC2Client(config);
  const elb = new ElasticLoadBalancingV2Client(config);
  const quotas = new ServiceQuotasClient(config);
  return {
    ec2,
    elb,
    quotas,
    /** Provider VPCs (tagged `privlink:provider-vpc=<region>`) of the account in the region. */
    async providerVpcs(): Promise<string[]> {
      const vpcs = await ec2.send(new DescribeVpcsCommand({ Filters: [{ Name: 'tag:privlink:provider-vpc', Values: [region] }] }));
      return (vpcs.Vpcs ?? []).map((v) => v.VpcId!);
    },
    /** Every VPC of the account in the region but its default VPC. */
    async nonDefaultVpcs(): Promise<string[]> {
      const vpcs = await ec2.send(new DescribeVpcsCommand({}));
      return (vpcs.Vpcs ?? []).filter((v) => !v.IsDefault).map((v) => v.VpcId!);
    },
    async loadBalancers(): Promise<LoadBalancer[]> {
      const out: LoadBalancer[] = [];
      let marker: string | undefined;
      do {
        const page = await elb.send(new DescribeLoadBalancersCommand({ Marker: marker }));
        out.push(...(page.LoadBalancers ?? []));
        marker = page.NextMarker;
      } while (marker);
      return out;
    },
    close() {
      ec2.destroy();
      elb.destroy();
      quotas.destroy();
    },
  };
}

/** Makes `count` projects, each with one endpoint service of `providerName` in `region`, `concurrency` at a time; returns their ids. */
export async function projectsWithServices(
  stack: Stack,
  prefix: string,
  count: number,
  region = 'us-east-1',
  concurrency = 8,
  providerName: 'AWS' | 'AZURE' | 'GCP' = 'AWS',
): Promise<Array<{ projectId: string; serviceId: string }>> {
  const out: Array<{ projectId: string; serviceId: string }> = [];
  let next = 0;
  const worker = async () => {
    while (next < count) {
      const index = next++;
      const project = await stack.owner.post('/api/atlas/v2/groups', { name: `${prefix}-${index}`, orgId: stack.bootstrap.orgId });
      assert.equal(project.status, 201, project.text);
      const projectId = (project.json as { id: string }).id;
      // A request of another worker may have cached the key's roles just before this project was
      // committed: the authentication cache keeps them up to 1 s (docs/decisions.md), so retry then.
      let created = await stack.owner.post(`/api/atlas/v2/groups/${projectId}/privateEndpoint/endpointService`, { providerName, region });
      for (let attempt = 0; created.status === 403 && attempt < 20; attempt++) {
        await new Promise((r) => setTimeout(r, 100));
        created = await stack.owner.post(`/api/atlas/v2/groups/${projectId}/privateEndpoint/endpointService`, { providerName, region });
      }
      assert.equal(created.status, 201, created.text);
      out[index] = { projectId, serviceId: (created.json as { id: string }).id };
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  return out;
}

/**
 * Waits until every service has left INITIATING; returns each one's status and errorMessage.
 * Polls gently (four requests at a time, once a second) so the polling does not slow the server
 * it waits for.
 */
export async function settled(
  stack: Stack,
  services: ReadonlyArray<{ projectId: string; serviceId: string }>,
  timeoutMs = 120_000,
  providerName: 'AWS' | 'AZURE' | 'GCP' = 'AWS',
): Promise<Array<{ status: string; errorMessage: string | null }>> {
  const deadline = Date.now() + timeoutMs;
  const results: Array<{ status: string; errorMessage: string | null } | undefined> = services.map(() => undefined);
  for (;;) {
    const open = services.map((s, i) => ({ s, i })).filter(({ i }) => !results[i]);
    let next = 0;
    const worker = async () => {
      while (next < open.length) {
        const { s, i } = open[next++]!;
        const res = await stack.owner.get(`/api/atlas/v2/groups/${s.projectId}/privateEndpoint/${providerName}/endpointService/${s.serviceId}`);
        const body = res.json as { status: string; errorMessage: string | null };
        if (body.status === 'INITIATING') return; // the rest are most likely still initiating too
        results[i] = { status: body.status, errorMessage: body.errorMessage };
      }
    };
    await Promise.all(Array.from({ length: 4 }, worker));
    if (results.every(Boolean)) return results as Array<{ status: string; errorMessage: string | null }>;
    if (services.length > 20) console.log(`${new Date().toISOString()} ${results.filter(Boolean).length}/${services.length} services settled`);
    assert.ok(Date.now() < deadline, `${results.filter((r) => !r).length} services still INITIATING`);
    await new Promise((r) => setTimeout(r, services.length > 4 ? 1000 : 100));
  }
}
