import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { MongoClient } from 'mongodb';
import { after, before, describe, test } from 'node:test';
import { connectionStringsErrors, expectContract } from '../support/atlas-contract.js';
import { privateDns } from '../support/driver-dns.js';
import { startStack, until, type Stack } from '../support/full-stack.js';
import { GcpCustomer } from '../support/gcp-customer.js';

// GCP Private Service Connect end to end, as Atlas documents it, in both designs: a port-mapped
// endpoint service (one service attachment, one forwarding rule, a port per node) and a legacy one
// (six service attachments, one forwarding rule each, a node per attachment on 27017). The
// customer's side is the official Google Cloud client against the local cloud; the cluster's
// private-endpoint-aware strings resolve in privlink's DNS to the forwarding rules' addresses and
// the official driver reaches the simulated nodes through them. Registrations that do not match
// the attachments fail with a message that says why.
const run = promisify(execFile);
let stack: Stack;
let dns: ReturnType<typeof privateDns>;
let customer: GcpCustomer;

type Json = Record<string, unknown>;
type Group = { status: string; errorMessage: string | null; endpoints: Array<{ endpointName: string; ipAddress: string; status: string }> };

before(async () => {
  stack = await startStack();
  dns = privateDns(stack.running.dnsPort);
  customer = new GcpCustomer(stack.bootstrap.localCloud!.gcp!);
  await customer.network('app-net');
  await customer.subnet('app-central', 'app-net', 'us-central1', '10.128.0.0/20');
  await customer.subnet('app-east4', 'app-net', 'us-east4', '10.150.0.0/20');
});

after(async () => {
  dns?.restore();
  await customer?.close();
  await stack?.close();
});

async function cluster(name: string, regionName: string): Promise<void> {
  const res = await stack.owner.post(`${stack.project}/clusters`, {
    name,
    clusterType: 'REPLICASET',
    replicationSpecs: [{ regionConfigs: [{ providerName: 'GCP', regionName, priority: 7, electableSpecs: { instanceSize: 'M10', nodeCount: 3 } }] }],
  });
  assert.equal(res.status, 201, res.text);
}

async function availableService(project: string, region: string, portMappingEnabled: boolean): Promise<Json> {
  const created = await stack.owner.post(`${project}/privateEndpoint/endpointService`, { providerName: 'GCP', region, ...(portMappingEnabled ? { portMappingEnabled } : {}) });
  assert.equal(created.status, 201, created.text);
  const id = (created.json as { id: string }).id;
  const ready = await until(
    () => stack.owner.get(`${project}/privateEndpoint/GCP/endpointService/${id}`),
    (r) => (r.json as { status: string }).status === 'AVAILABLE',
    // A legacy service is six attachments with their load balancers: tens of Compute operations,
    // which take long on a loaded two-core machine.
    90_000,
  );
  return ready.json as Json;
}

async function register(project: string, serviceId: string, body: Json): Promise<void> {
  const res = await stack.owner.post(`${project}/privateEndpoint/GCP/endpointService/${serviceId}/endpoint`, body);
  assert.equal(res.status, 201, res.text);
}

function groupPath(project: string, serviceId: string, group: string): string {
  return `${project}/privateEndpoint/GCP/endpointService/${serviceId}/endpoint/${group}`;
}

async function settled(project: string, serviceId: string, group: string): Promise<Group> {
  const res = await until(
    () => stack.owner.get(groupPath(project, serviceId, group)),
    (r) => ['AVAILABLE', 'FAILED'].includes((r.json as { status: string }).status),
    30_000,
  );
  return res.json as Group;
}

async function privateString(clusterName: string): Promise<string> {
  const res = await until(
    () => stack.owner.get(`${stack.project}/clusters/${clusterName}`),
    (r) => (r.json as { connectionStrings: { privateEndpoint: unknown[] } }).connectionStrings.privateEndpoint.length > 0,
  );
  const strings = (res.json as { connectionStrings: { privateEndpoint: Array<Record<string, unknown>> } }).connectionStrings;
  assert.deepEqual(connectionStringsErrors(strings), []);
  return String(strings.privateEndpoint[0]!.srvConnectionString);
}

async function dig(type: string, name: string): Promise<string[]> {
  const { stdout } = await run('dig', ['@127.0.0.1', '-p', String(stack.running.dnsPort), '+short', type, name]);
  return stdout.trim().split('\n').filter(Boolean);
}

describe('port-mapped: one service attachment, one forwarding rule, a port per node', () => {
  let service: Json;
  let srv: string;

  test('the service becomes AVAILABLE with one service attachment named as Atlas names them', async () => {
    await cluster('Mapped0', 'CENTRAL_US');
    service = await availableService(stack.project, 'CENTRAL_US', true);
    assert.equal(service.portMappingEnabled, true);
    const names = service.serviceAttachmentNames as string[];
    assert.equal(names.length, 1);
    assert.match(names[0]!, /^projects\/[a-z][-a-z0-9]+\/regions\/us-central1\/serviceAttachments\/[-a-z0-9]+$/);
  });

  test('one forwarding rule registered as a group of one: VERIFIED or INITIATING, then AVAILABLE', async () => {
    const rules = await customer.endpoints('psc', { region: 'us-central1', network: 'app-net', subnet: 'app-central' }, service.serviceAttachmentNames as string[]);
    await register(stack.project, String(service.id), { endpointGroupName: 'psc-group', gcpProjectId: customer.project, endpoints: rules });
    const group = await settled(stack.project, String(service.id), 'psc-group');
    assert.equal(group.status, 'AVAILABLE', group.errorMessage ?? '');
    assert.deepEqual(group.endpoints, [{ ...rules[0]!, status: 'AVAILABLE' }]);
    const [rule] = await customer.forwardingRules.get({ project: customer.project, region: 'us-central1', forwardingRule: 'psc-0' });
    assert.equal(rule.pscConnectionStatus, 'ACCEPTED');
  });

  test("strings use Atlas's psc names; the hostname resolves to the forwarding rule's address", async () => {
    srv = await privateString('Mapped0');
    assert.match(srv, /^mongodb\+srv:\/\/mapped0-psc-0\.[a-z0-9]{5}\.privlink\.test$/);
    const records = await dig('SRV', `_mongodb._tcp.${srv.replace('mongodb+srv://', '')}`);
    assert.equal(records.length, 3);
    const ports = records.map((r) => Number(r.split(' ')[2])).sort();
    assert.deepEqual(ports, [1024, 1025, 1026]);
    const host = records[0]!.split(' ')[3]!.replace(/\.$/, '');
    assert.match(host, /^psc-0-us-central1\./);
    const [a] = await dig('A', host);
    assert.match(a!, /^127\.\d+\.\d+\.\d+$/, 'the local cloud carries the rule address on loopback');
  });

  test('the official driver: ping and hello through the forwarding rule, every node under the psc names', async () => {
    const client = new MongoClient(`${srv}/?tls=false`, { lookup: dns.lookup, serverSelectionTimeoutMS: 8000, connectTimeoutMS: 3000 });
    try {
      assert.deepEqual(await client.db('admin').command({ ping: 1 }), { ok: 1 });
      const hello = await client.db('admin').command({ hello: 1 });
      assert.equal(hello.hosts.length, 3);
      for (const h of hello.hosts as string[]) assert.match(h, /^psc-0-us-central1\./);
    } finally {
      await client.close();
    }
  });

  test('deleting the group: DELETING, then gone; the string stops working', async () => {
    await deleteGroupThenRefused(srv, String(service.id), 'psc-group');
  });
});

describe('legacy: six service attachments, a forwarding rule per attachment, a node per attachment', () => {
  let service: Json;
  let srv: string;

  test("the service has Atlas's six attachments sa-<region>-<groupId>-0…5", async () => {
    await cluster('Legacy0', 'US_EAST_4');
    service = await availableService(stack.project, 'US_EAST_4', false);
    assert.equal(service.portMappingEnabled, false);
    const names = service.serviceAttachmentNames as string[];
    assert.deepEqual(
      names.map((n) => n.split('/').pop()),
      [0, 1, 2, 3, 4, 5].map((i) => `sa-us-east4-${stack.projectId}-${i}`),
    );
  });

  test('six forwarding rules registered as one group become AVAILABLE, each rule AVAILABLE', async () => {
    const rules = await customer.endpoints('legacy', { region: 'us-east4', network: 'app-net', subnet: 'app-east4' }, service.serviceAttachmentNames as string[]);
    await register(stack.project, String(service.id), { endpointGroupName: 'legacy-group', gcpProjectId: customer.project, endpoints: rules });
    const group = await settled(stack.project, String(service.id), 'legacy-group');
    assert.equal(group.status, 'AVAILABLE', group.errorMessage ?? '');
    assert.deepEqual(
      group.endpoints.map((e) => e.status),
      ['AVAILABLE', 'AVAILABLE', 'AVAILABLE', 'AVAILABLE', 'AVAILABLE', 'AVAILABLE'],
    );
  });

  test("each node has its attachment's hostname on 27017, resolving to that forwarding rule's address", async () => {
    srv = await privateString('Legacy0');
    assert.match(srv, /^mongodb\+srv:\/\/legacy0-pl-0\.[a-z0-9]{5}\.privlink\.test$/);
    const records = await dig('SRV', `_mongodb._tcp.${srv.replace('mongodb+srv://', '')}`);
    const hosts = records.map((r) => r.split(' ')).map(([, , port, host]) => `${host!.replace(/\.$/, '').split('.')[0]}:${port}`);
    assert.deepEqual(hosts.sort(), ['pl-0-0-us-east4:27017', 'pl-0-1-us-east4:27017', 'pl-0-2-us-east4:27017']);
    const addresses = new Set<string>();
    for (const record of records) addresses.add((await dig('A', record.split(' ')[3]!))[0]!);
    assert.equal(addresses.size, 3, 'three forwarding rules, three addresses');
  });

  test('the official driver reaches every node through its own forwarding rule', async () => {
    const client = new MongoClient(`${srv}/?tls=false`, { lookup: dns.lookup, serverSelectionTimeoutMS: 8000, connectTimeoutMS: 3000 });
    try {
      assert.deepEqual(await client.db('admin').command({ ping: 1 }), { ok: 1 });
      const hello = await client.db('admin').command({ hello: 1 });
      assert.deepEqual((hello.hosts as string[]).map((h) => h.replace(/\..*:/, ':')).sort(), ['pl-0-0-us-east4:27017', 'pl-0-1-us-east4:27017', 'pl-0-2-us-east4:27017']);
      const secondary = new MongoClient(`${srv}/?tls=false&readPreference=secondary`, { lookup: dns.lookup, serverSelectionTimeoutMS: 8000 });
      try {
        assert.deepEqual(await secondary.db('admin').command({ ping: 1 }), { ok: 1 });
      } finally {
        await secondary.close();
      }
    } finally {
      await client.close();
    }
  });

  test('deleting the group: DELETING, then gone; the string stops working', async () => {
    await deleteGroupThenRefused(srv, String(service.id), 'legacy-group');
  });
});

describe('registrations that do not match the attachments fail and say why', () => {
  let project: string;
  let service: Json;
  let attachments: string[];

  before(async () => {
    const created = await stack.owner.post('/api/atlas/v2/groups', { name: 'gcp-mismatches', orgId: stack.bootstrap.orgId });
    assert.equal(created.status, 201, created.text);
    project = `/api/atlas/v2/groups/${(created.json as { id: string }).id}`;
    service = await availableService(project, 'US_EAST_4', false);
    attachments = service.serviceAttachmentNames as string[];
  });

  test('fewer forwarding rules than attachments', async () => {
    const rules = await customer.endpoints('few', { region: 'us-east4', network: 'app-net', subnet: 'app-east4' }, attachments.slice(0, 2));
    await register(project, String(service.id), { endpointGroupName: 'too-few', gcpProjectId: customer.project, endpoints: rules });
    const group = await settled(project, String(service.id), 'too-few');
    assert.equal(group.status, 'FAILED');
    assert.match(group.errorMessage!, /has 2 forwarding rules; the endpoint service has 6 service attachments/);
  });

  test('a forwarding rule on the wrong attachment', async () => {
    const swapped = [attachments[1]!, attachments[0]!, ...attachments.slice(2)];
    const rules = await customer.endpoints('swap', { region: 'us-east4', network: 'app-net', subnet: 'app-east4' }, swapped);
    await register(project, String(service.id), { endpointGroupName: 'swapped', gcpProjectId: customer.project, endpoints: rules });
    const group = await settled(project, String(service.id), 'swapped');
    assert.equal(group.status, 'FAILED');
    assert.match(group.errorMessage!, new RegExp(`forwarding rule swap-0 targets service attachment ${attachments[1]!.split('/').pop()}`));
  });

  test('forwarding rules in another project than the registered one', async () => {
    const rules = await customer.endpoints('elsewhere', { region: 'us-east4', network: 'app-net', subnet: 'app-east4' }, attachments);
    await register(project, String(service.id), { endpointGroupName: 'wrong-project', gcpProjectId: 'someone-elses-project', endpoints: rules });
    const group = await settled(project, String(service.id), 'wrong-project');
    assert.equal(group.status, 'FAILED');
    assert.match(group.errorMessage!, new RegExp(`forwarding rule elsewhere-0 is in GCP project ${customer.project}, not in someone-elses-project`));
  });

  test('forwarding rules that do not exist', async () => {
    const endpoints = attachments.map((_, i) => ({ endpointName: `ghost-${i}`, ipAddress: `10.150.0.${200 + i}` }));
    await register(project, String(service.id), { endpointGroupName: 'ghosts', gcpProjectId: customer.project, endpoints });
    const group = await settled(project, String(service.id), 'ghosts');
    assert.equal(group.status, 'FAILED');
    assert.match(group.errorMessage!, /was not found/);
  });
});

describe('on the v1.0 paths: create, read, list and delete a GCP endpoint service', () => {
  let v1: string;
  let id: string;
  const json = (res: { headers: Record<string, unknown> }) => assert.match(String(res.headers['content-type']), /^application\/json/);

  before(() => {
    v1 = `/api/atlas/v1.0/groups/${stack.projectId}/privateEndpoint`;
  });

  test('create answers the recorded INITIATING GCPEndpointService in application/json', async () => {
    const created = await stack.owner.post(`${v1}/endpointService`, { portMappingEnabled: false, providerName: 'GCP', region: 'WESTERN_EUROPE' });
    expectContract(created, 'POST', '/endpointService', 201);
    json(created);
    id = (created.json as { id: string }).id;
    assert.deepEqual(created.json, {
      cloudProvider: 'GCP',
      endpointGroupNames: [],
      errorMessage: null,
      id,
      portMappingEnabled: false,
      regionName: 'WESTERN_EUROPE',
      serviceAttachmentNames: [],
      status: 'INITIATING',
    });
  });

  test("read and list: AVAILABLE with Atlas's six service attachments, as recorded", async () => {
    const ready = await until(
      () => stack.owner.get(`${v1}/GCP/endpointService/${id}`),
      (r) => (r.json as { status: string }).status === 'AVAILABLE',
      90_000,
    );
    expectContract(ready, 'GET', '/{cloudProvider}/endpointService/{endpointServiceId}', 200);
    json(ready);
    const body = ready.json as { serviceAttachmentNames: string[] };
    assert.deepEqual(
      body.serviceAttachmentNames.map((n) => n.replace(/^projects\/[a-z][-a-z0-9]+\//, 'projects/<producer>/')),
      [0, 1, 2, 3, 4, 5].map((i) => `projects/<producer>/regions/europe-west1/serviceAttachments/sa-europe-west1-${stack.projectId}-${i}`),
    );
    assert.deepEqual(ready.json, {
      cloudProvider: 'GCP',
      endpointGroupNames: [],
      errorMessage: null,
      id,
      portMappingEnabled: false,
      regionName: 'WESTERN_EUROPE',
      serviceAttachmentNames: body.serviceAttachmentNames,
      status: 'AVAILABLE',
    });
    const list = await stack.owner.get(`${v1}/GCP/endpointService`);
    expectContract(list, 'GET', '/{cloudProvider}/endpointService', 200);
    json(list);
    assert.deepEqual(
      (list.json as Json[]).find((s) => s.id === id),
      ready.json,
    );
  });

  test('delete answers 202 {}; the service is DELETING, then gone from GET and from the list', async () => {
    const deleted = await stack.owner.delete(`${v1}/GCP/endpointService/${id}`);
    expectContract(deleted, 'DELETE', '/{cloudProvider}/endpointService/{endpointServiceId}', 202);
    json(deleted);
    assert.deepEqual(deleted.json, {});
    const deleting = await stack.owner.get(`${v1}/GCP/endpointService/${id}`);
    assert.ok(deleting.status === 404 || (deleting.json as { status: string }).status === 'DELETING', deleting.text);
    const gone = await until(
      () => stack.owner.get(`${v1}/GCP/endpointService/${id}`),
      (r) => r.status === 404,
      60_000,
    );
    assert.equal((gone.json as { errorCode: string }).errorCode, 'RESOURCE_NOT_FOUND');
    json(gone);
    const list = await stack.owner.get(`${v1}/GCP/endpointService`);
    assert.equal(list.status, 200);
    assert.equal(
      (list.json as Json[]).some((s) => s.id === id),
      false,
    );
  });
});

/** Deletes an endpoint group through the API (204, then 404) and shows the driver's ping through it failing within 3 s. */
async function deleteGroupThenRefused(srv: string, serviceId: string, group: string): Promise<void> {
  const client = new MongoClient(`${srv}/?tls=false`, { lookup: dns.lookup, serverSelectionTimeoutMS: 2000 });
  try {
    await client.db('admin').command({ ping: 1 });
    const path = groupPath(stack.project, serviceId, group);
    assert.equal((await stack.owner.delete(path)).status, 204);
    await until(
      () => stack.owner.get(path),
      (r) => r.status === 404,
    );
    const goneAt = Date.now();
    await assert.rejects(client.db('admin').command({ ping: 1 }));
    assert.ok(Date.now() - goneAt < 3000, `the ping failed ${Date.now() - goneAt} ms after the group was gone`);
  } finally {
    await client.close();
  }
}
