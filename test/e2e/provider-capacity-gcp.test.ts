import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { ForwardingRulesClient, NetworksClient, ProjectsClient, RegionsClient, ServiceAttachmentsClient, SubnetworksClient, type protos } from '@google-cloud/compute';
import { startStack, until, type Stack } from '../support/full-stack.js';
import { GcpCustomer } from '../support/gcp-customer.js';
import { addPoolAccount, drainPoolAccount, settled } from '../support/provider-pool.js';

// A pool of two local GCP projects: services of several projects spread over them by room left,
// each project region in one pool project, each service attachment and forwarding rule in that
// project's provider network; a drained project takes no new project region; SERVICE_ATTACHMENTS
// used up fails the service with the metric named; the provider network's subnets go with the last
// service of their region, and the network with the project's last. Seen through the local GCP
// cloud's Compute API (official @google-cloud/compute clients) with each pool project's own key.
process.env.METADATA_SERVER_DETECTION = 'none';
let stack: Stack;
const opened: Array<{ close(): Promise<void> }> = [];
before(async () => {
  stack = await startStack({ PRIVLINK_RECONCILER_WORKERS: '4' });
});
after(async () => {
  for (const client of opened) await client.close();
  await stack?.close();
});

type Quotas = ReadonlyArray<protos.google.cloud.compute.v1.IQuota> | null | undefined;
const quota = (quotas: Quotas, metric: string) => {
  const found = (quotas ?? []).find((q) => q.metric === metric);
  return found ? [Number(found.limit), Number(found.usage)] : undefined;
};

/** The official Compute clients of pool project `name` (the local GCP cloud's `privlink-pool-<name>`), signed with its own key. */
async function inProject(name: string) {
  const gcp = stack.running.gcpCloud!;
  const made = await gcp.createProject(`privlink-pool-${name}`);
  const options = { apiEndpoint: gcp.host, port: gcp.port, protocol: 'http', credentials: { ...made.serviceAccountKey }, scopes: [] as string[], projectId: made.projectId };
  const clients = {
    networks: new NetworksClient(options),
    subnetworks: new SubnetworksClient(options),
    forwardingRules: new ForwardingRulesClient(options),
    serviceAttachments: new ServiceAttachmentsClient(options),
    regions: new RegionsClient(options),
    projects: new ProjectsClient(options),
  };
  opened.push(...Object.values(clients));
  const project = made.projectId;
  return {
    project,
    ...clients,
    attachments: async (region: string) => (await clients.serviceAttachments.list({ project, region }, { autoPaginate: true }))[0],
    providerNetwork: async () => (await clients.networks.list({ project, filter: 'name = "privlink-provider"' }, { autoPaginate: true }))[0],
    subnetNames: async (region: string) => (await clients.subnetworks.list({ project, region }, { autoPaginate: true }))[0].map((s) => s.name).sort(),
  };
}

/** `count` projects, each with one port-mapped GCP endpoint service in `region` (an Atlas region name). */
async function servicesIn(prefix: string, count: number, region: string): Promise<Array<{ projectId: string; serviceId: string }>> {
  const out: Array<{ projectId: string; serviceId: string }> = [];
  for (let i = 0; i < count; i++) {
    const project = await stack.owner.post('/api/atlas/v2/groups', { name: `${prefix}-${i}`, orgId: stack.bootstrap.orgId });
    assert.equal(project.status, 201, project.text);
    const projectId = (project.json as { id: string }).id;
    let created = await stack.owner.post(`/api/atlas/v2/groups/${projectId}/privateEndpoint/endpointService`, { providerName: 'GCP', region, portMappingEnabled: true });
    for (let attempt = 0; created.status === 403 && attempt < 20; attempt++) {
      await new Promise((r) => setTimeout(r, 100));
      created = await stack.owner.post(`/api/atlas/v2/groups/${projectId}/privateEndpoint/endpointService`, { providerName: 'GCP', region, portMappingEnabled: true });
    }
    assert.equal(created.status, 201, created.text);
    out.push({ projectId, serviceId: (created.json as { id: string }).id });
  }
  return out;
}

/** Polls `check` every 100 ms until it holds (30 s at most). */
async function eventually(check: () => Promise<boolean>): Promise<void> {
  const deadline = Date.now() + 30_000;
  while (!(await check())) {
    assert.ok(Date.now() < deadline, 'timed out');
    await new Promise((r) => setTimeout(r, 100));
  }
}

const servicePath = (s: { projectId: string; serviceId: string }) => `/api/atlas/v2/groups/${s.projectId}/privateEndpoint/GCP/endpointService/${s.serviceId}`;

async function attachmentOf(s: { projectId: string; serviceId: string }): Promise<string> {
  const res = await stack.owner.get(servicePath(s));
  assert.equal(res.status, 200, res.text);
  const names = (res.json as { serviceAttachmentNames: string[] }).serviceAttachmentNames;
  assert.equal(names.length, 1, 'a port-mapped service has one attachment');
  return names[0]!;
}

async function deleteService(s: { projectId: string; serviceId: string }): Promise<void> {
  assert.equal((await stack.owner.delete(servicePath(s))).status, 202);
  await until(
    () => stack.owner.get(servicePath(s)),
    (r) => r.status === 404,
    60_000,
  );
}

describe('provider account pool of GCP projects', () => {
  let placed: Array<{ projectId: string; serviceId: string }> = [];
  let adoptedNetworkId: string | undefined;

  test('services of several projects are spread over the pool projects, each attachment and forwarding rule in its project’s provider network', async () => {
    // A provider network already in gproj-1 (a create whose answer was lost) is adopted, not made again.
    const early = await inProject('gproj-1');
    await early.networks.insert({ project: early.project, networkResource: { name: 'privlink-provider', autoCreateSubnetworks: false } });
    await eventually(async () => (await early.providerNetwork()).length === 1);
    adoptedNetworkId = String((await early.providerNetwork())[0]!.id);

    await addPoolAccount(stack, 'gproj-1', 'GCP');
    await addPoolAccount(stack, 'gproj-2', 'GCP');
    placed = await servicesIn('gcp-pool', 4, 'CENTRAL_US');
    const statuses = await settled(stack, placed, 90_000, 'GCP');
    assert.deepEqual(
      statuses.filter((s) => s.status !== 'AVAILABLE'),
      [],
    );
    const projects = [await inProject('gproj-1'), await inProject('gproj-2')];
    const byProject = new Map<string, number>();
    for (const s of placed) {
      const attachment = await attachmentOf(s);
      const owner = projects.find((p) => attachment.includes(`projects/${p.project}/regions/us-central1/serviceAttachments/`));
      assert.ok(owner, `${attachment} is in a pool project`);
      byProject.set(owner.project, (byProject.get(owner.project) ?? 0) + 1);
    }
    assert.deepEqual([...byProject.values()].sort(), [2, 2], 'the most room left wins: two services in each project');
    for (const p of projects) {
      const [network, ...others] = await p.providerNetwork();
      assert.ok(network, 'the project has a provider network');
      assert.deepEqual(others, []);
      assert.deepEqual(await p.subnetNames('us-central1'), ['privlink-provider-us-central1', 'privlink-provider-us-central1-psc']);
      const attachments = await p.attachments('us-central1');
      assert.equal(attachments.length, 2);
      for (const attachment of attachments) {
        assert.match(
          attachment.natSubnets?.[0] ?? '',
          /\/regions\/us-central1\/subnetworks\/privlink-provider-us-central1-psc$/,
          `${attachment.name}'s NAT subnet is the provider network's`,
        );
        const rule = (await p.forwardingRules.get({ project: p.project, region: 'us-central1', forwardingRule: attachment.targetService!.split('/').pop()! }))[0];
        assert.match(rule.subnetwork ?? '', /\/regions\/us-central1\/subnetworks\/privlink-provider-us-central1$/, `${rule.name} is in the provider subnet`);
        assert.match(rule.network ?? '', /\/global\/networks\/privlink-provider$/);
      }
      const [region] = await p.regions.get({ project: p.project, region: 'us-central1' });
      assert.deepEqual(quota(region.quotas, 'SERVICE_ATTACHMENTS'), [100, 2]);
      const [project] = await p.projects.get({ project: p.project });
      assert.deepEqual(quota(project.quotas, 'NETWORKS'), [15, 1], 'one network per pool project');
    }
    assert.equal(String((await projects[0]!.providerNetwork())[0]!.id), adoptedNetworkId, 'the network made before was adopted');
  });

  test("a customer's forwarding rule to a placed service's attachment is accepted in the pool project, and its registration removed again", async () => {
    const customer = new GcpCustomer(stack.bootstrap.localCloud!.gcp!);
    opened.push(customer);
    await customer.network('pool-app');
    await customer.subnet('pool-app-central', 'pool-app', 'us-central1', '10.128.0.0/20');
    const s = placed[0]!;
    const attachment = await attachmentOf(s);
    const rules = await customer.endpoints('pool-psc', { region: 'us-central1', network: 'pool-app', subnet: 'pool-app-central' }, [attachment]);
    const group = `${servicePath(s)}/endpoint/pool-group`;
    const registered = await stack.owner.post(`${servicePath(s)}/endpoint`, { endpointGroupName: 'pool-group', gcpProjectId: customer.project, endpoints: rules });
    assert.equal(registered.status, 201, registered.text);
    const available = await until(
      () => stack.owner.get(group),
      (r) => ['AVAILABLE', 'FAILED'].includes((r.json as { status: string }).status),
      30_000,
    );
    assert.equal((available.json as { status: string }).status, 'AVAILABLE', available.text);
    const [rule] = await customer.forwardingRules.get({ project: customer.project, region: 'us-central1', forwardingRule: 'pool-psc-0' });
    assert.equal(rule.pscConnectionStatus, 'ACCEPTED');
    const poolProject = /projects\/([^/]+)\//.exec(attachment)![1]!;
    const owner = (await inProject('gproj-1')).project === poolProject ? await inProject('gproj-1') : await inProject('gproj-2');
    const [sa] = await owner.serviceAttachments.get({ project: poolProject, region: 'us-central1', serviceAttachment: attachment.split('/').pop()! });
    assert.deepEqual(
      (sa.consumerAcceptLists ?? []).map((a) => a.projectIdOrNum),
      [customer.project],
      "privlink accepted the customer's project on the pool project's attachment",
    );
    assert.equal((await stack.owner.delete(group)).status, 204);
    await until(
      () => stack.owner.get(group),
      (r) => r.status === 404,
      30_000,
    );
    await customer.deleteEndpoint('pool-psc-0', 'us-central1');
  });

  test('a drained project takes no new project region; SERVICE_ATTACHMENTS used up fails the service at once with the metric and the GCP remedy, and an event', async () => {
    await drainPoolAccount(stack, 'gproj-2');
    const p1 = await inProject('gproj-1');
    const p2 = await inProject('gproj-2');
    // gproj-1 may hold 3 service attachments in us-central1 (as if Google had granted exactly 3).
    // A quota reading is trusted 15 s: the next placement reads the new limit once that has passed.
    await stack.running.gcpCloud!.setQuotaLimit(p1.project, 'us-central1', 'SERVICE_ATTACHMENTS', 3);
    await new Promise((r) => setTimeout(r, 15_500));
    const [next] = await servicesIn('gcp-after-drain', 1, 'CENTRAL_US');
    assert.equal((await settled(stack, [next!], 60_000, 'GCP'))[0]!.status, 'AVAILABLE');
    assert.match(await attachmentOf(next!), new RegExp(`projects/${p1.project}/`));
    assert.equal((await p2.attachments('us-central1')).length, 2, 'the drained project took nothing new');

    const [over] = await servicesIn('gcp-full', 1, 'CENTRAL_US');
    const [failed] = await settled(stack, [over!], 30_000, 'GCP');
    assert.equal(failed!.status, 'FAILED');
    assert.match(failed!.errorMessage!, /SERVICE_ATTACHMENTS \(Service attachments\)/);
    assert.match(failed!.errorMessage!, /us-central1/);
    assert.match(failed!.errorMessage!, /3 of 3/);
    assert.match(failed!.errorMessage!, /provider project/);
    assert.match(failed!.errorMessage!, /privlink admin provider-accounts add --provider GCP/);
    assert.match(failed!.errorMessage!, /Quotas/);
    assert.match(failed!.errorMessage!, /gcloud /);
    const feed = await stack.owner.get(`/api/atlas/v2/groups/${over!.projectId}/events`);
    const events = (feed.json as { results: Array<{ eventTypeName: string; targetId: string; errorMessage?: string | null }> }).results;
    assert.ok(events.some((e) => e.eventTypeName === 'ENDPOINT_SERVICE_FAILED' && e.targetId === over!.serviceId && /SERVICE_ATTACHMENTS/.test(e.errorMessage ?? '')));
    assert.equal((await p1.attachments('us-central1')).length, 3, 'nothing was made over the limit');
    assert.equal((await p2.attachments('us-central1')).length, 2);

    const capacity = await stack.owner.get(`/api/atlas/v2/orgs/${stack.bootstrap.orgId}/privlink/capacity`);
    assert.equal(capacity.status, 200, capacity.text);
    const lines = (capacity.json as { results: Array<{ accountName: string; providerName: string; state: string; regionName: string; placements: number; limits: unknown[] }> })
      .results;
    const one = lines.find((l) => l.accountName === 'gproj-1' && l.regionName === 'CENTRAL_US')!;
    assert.equal(one.providerName, 'GCP');
    assert.equal(one.placements, 3);
    assert.deepEqual(one.limits[0], { serviceCode: 'compute.googleapis.com', quotaCode: 'SERVICE_ATTACHMENTS', quotaName: 'Service attachments', used: 3, quota: 3, left: 0 });
    assert.deepEqual(one.limits[1], { serviceCode: 'compute.googleapis.com', quotaCode: 'NETWORKS', quotaName: 'Networks', used: 1, quota: 15, left: 14 });
    assert.equal(lines.find((l) => l.accountName === 'gproj-2')!.state, 'DRAINING');
    const accounts = await stack.owner.get(`/api/atlas/v2/orgs/${stack.bootstrap.orgId}/privlink/providerAccounts`);
    const listed = (accounts.json as { results: Array<{ name: string; providerName: string; kind: string }> }).results.filter((a) => a.name.startsWith('gproj-'));
    assert.deepEqual(
      listed.map((a) => [a.name, a.providerName, a.kind]),
      [
        ['gproj-1', 'GCP', 'LOCAL_CLOUD'],
        ['gproj-2', 'GCP', 'LOCAL_CLOUD'],
      ],
    );
    placed.push(next!);
  });

  test("deleting a region's last service removes its provider subnets; the project's last removes the provider network", async () => {
    const [east] = await servicesIn('gcp-subnet-lifecycle', 1, 'US_EAST_4');
    assert.equal((await settled(stack, [east!], 60_000, 'GCP'))[0]!.status, 'AVAILABLE');
    const p1 = await inProject('gproj-1');
    assert.match(await attachmentOf(east!), new RegExp(`projects/${p1.project}/regions/us-east4/`), 'gproj-1 is the only ACTIVE project');
    assert.deepEqual(await p1.subnetNames('us-east4'), ['privlink-provider-us-east4', 'privlink-provider-us-east4-psc']);
    await deleteService(east!);
    assert.deepEqual(await p1.subnetNames('us-east4'), [], "us-east4's provider subnets went with its last service");
    assert.equal((await p1.providerNetwork()).length, 1, "the network stays: us-central1's services are still in it");

    const p2 = await inProject('gproj-2');
    const inP2 = [];
    for (const s of placed) if ((await attachmentOf(s)).includes(`projects/${p2.project}/`)) inP2.push(s);
    assert.equal(inP2.length, 2);
    await deleteService(inP2[0]!);
    assert.deepEqual(await p2.subnetNames('us-central1'), ['privlink-provider-us-central1', 'privlink-provider-us-central1-psc'], 'one service is still placed there');
    await deleteService(inP2[1]!);
    await eventually(async () => (await p2.providerNetwork()).length === 0);
    assert.deepEqual(await p2.subnetNames('us-central1'), []);
    const [project] = await p2.projects.get({ project: p2.project });
    assert.deepEqual(quota(project.quotas, 'NETWORKS'), [15, 0]);
  });
});
