import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { after, before, describe, test } from 'node:test';
import { promisify } from 'node:util';
import { azureSnapshotSource } from '../../src/localcloud/azure/azure-snapshot-source.js';
import type { DataPlaneSnapshot, SnapshotEndpoint } from '../../src/localcloud/common/data-plane-snapshot.js';
import { gcpSnapshotSource } from '../../src/localcloud/gcp/gcp-snapshot-source.js';
import { HostNetwork } from '../../src/localcloud/kernel/host-network.js';
import { hostTable, instanceTag, namespaceName, namespacePrefix } from '../../src/localcloud/kernel/kernel-plan.js';
import { connectionStringsErrors } from '../support/atlas-contract.js';
import { azureAvailableEndpoint, startStack, until, type Stack } from '../support/full-stack.js';
import { GcpCustomer } from '../support/gcp-customer.js';
import { clientInNetwork, eventually, inNetwork, listedNamespaces, type Seen } from '../support/namespace-client.js';

// The kernel data plane (PRIVLINK_LOCALCLOUD_DATA_PLANE=kernel) for Azure and GCP private
// endpoints, as kernel-data-plane.test.ts shows it for AWS: the customer's VNet (Azure) or VPC
// network (GCP) is a network namespace, and a process run in it with `privlink localcloud exec`
// resolves the cluster's private-endpoint names through the network's resolver (Azure
// 168.63.129.16, GCP 169.254.169.254) to the endpoint's private address, reaches the cluster
// through it with the official driver, and nothing the endpoint does not serve. The setup is that
// of azure-connect.test.ts and gcp-private-endpoint.test.ts (port-mapped), with the kernel plane on.
const run = promisify(execFile);
const unavailable = await HostNetwork.unavailable();
const skip = unavailable ? `the kernel data plane cannot run on this host: ${unavailable}` : false;

/** A stack with the kernel data plane on a loopback base of its own, known here (the Azure and GCP snapshots are read with it). */
async function kernelStack(): Promise<{ stack: Stack; base: number }> {
  const base = 20 + Math.floor(Math.random() * 200);
  const stack = await startStack({ PRIVLINK_LOCALCLOUD_DATA_PLANE: 'kernel', PRIVLINK_LOCALCLOUD_LOOPBACK_BASE: String(base) });
  return { stack, base };
}

/** Runs a command inside network `networkId` through the CLI; its standard output. */
function inNetworkOf(stack: Stack, networkId: string, ...command: string[]): Promise<string> {
  return inNetwork(stack.dataDir, networkId, ...command);
}

/** The fixture client run inside the network: what it saw. */
function client(stack: Stack, networkId: string, ...args: string[]): Promise<Seen> {
  return clientInNetwork(stack.dataDir, networkId, ...args);
}

/** Asks privlink's private DNS from the host (as the existing connect tests do). */
async function digOnHost(stack: Stack, type: string, name: string): Promise<string[]> {
  const { stdout } = await run('dig', ['@127.0.0.1', '-p', String(stack.running.dnsPort), '+short', type, name]);
  return stdout.trim().split('\n').filter(Boolean);
}

/** The cluster's private-endpoint SRV string, once the cluster publishes one. */
async function privateString(stack: Stack, clusterName: string): Promise<string> {
  const res = await until(
    () => stack.owner.get(`${stack.project}/clusters/${clusterName}`),
    (r) => (r.json as { connectionStrings: { privateEndpoint: unknown[] } }).connectionStrings.privateEndpoint.length > 0,
  );
  const strings = (res.json as { connectionStrings: { privateEndpoint: Array<Record<string, unknown>> } }).connectionStrings;
  assert.deepEqual(connectionStringsErrors(strings), []);
  return String(strings.privateEndpoint[0]!.srvConnectionString);
}

/**
 * Waits until the endpoint forwards in the snapshot and the kernel plane has made its network's
 * namespace and let the endpoint's address through its table; the endpoint as the snapshot has it.
 */
async function carried(stack: Stack, snapshot: () => Promise<DataPlaneSnapshot>, find: (e: SnapshotEndpoint) => boolean): Promise<SnapshotEndpoint> {
  let endpoint: SnapshotEndpoint | undefined;
  await eventually('the endpoint to forward', async () => {
    endpoint = (await snapshot()).endpoints.find(find);
    return endpoint?.forwarding === true && endpoint.networkInterfaces.length > 0;
  });
  const ns = namespaceName(instanceTag(stack.dataDir), endpoint!.networkId);
  const ip = endpoint!.networkInterfaces[0]!.privateIp;
  await eventually(`namespace ${ns} to let ${ip} through`, async () => {
    if (!existsSync(`/run/netns/${ns}`)) return false;
    const { stdout } = await run('ip', ['netns', 'exec', ns, 'nft', 'list', 'table', 'ip', 'privlink']);
    return stdout.includes(`${ip} . `);
  });
  return endpoint!;
}

/** The namespace list entry of a network (what `localcloud exec` reads). */
function listed(stack: Stack, networkId: string): { namespace: string; resolverAddress: string } | undefined {
  return listedNamespaces(stack.dataDir).find((n) => n.networkId.toLowerCase() === networkId.toLowerCase());
}

/** After `stack.close()`: no namespace with the stack's prefix, no host table. */
async function nothingLeft(stack: Stack): Promise<void> {
  const tag = instanceTag(stack.dataDir);
  const left = (await run('ip', ['netns', 'list'])).stdout.split('\n').filter((line) => line.startsWith(namespacePrefix(tag)));
  assert.deepEqual(left, []);
  await assert.rejects(run('nft', ['list', 'table', 'ip', hostTable(tag)]));
}

describe('kernel data plane: an Azure private endpoint from inside the customer VNet', { skip }, () => {
  let stack: Stack;
  let base: number;
  let registered: { id: string; privateEndpointIPAddress: string };
  let srv: string;
  let vnetId: string;
  let endpointIp: string;
  let closed = false;

  before(async () => {
    if (skip) return;
    ({ stack, base } = await kernelStack());
    ({ registered } = await azureAvailableEndpoint(stack));
    srv = await privateString(stack, 'Cluster0');
    const source = azureSnapshotSource(stack.running.azureCloud!, stack.running.store, base);
    const endpoint = await carried(
      stack,
      () => source.snapshot(),
      (e) => e.endpointId.toLowerCase() === registered.id.toLowerCase(),
    );
    vnetId = endpoint.networkId;
    endpointIp = endpoint.networkInterfaces[0]!.privateIp;
  });

  after(async () => {
    if (!closed) await stack?.close();
  });

  test('the endpoint is in the customer VNet at the address registered with Atlas', () => {
    assert.match(vnetId, /^\/subscriptions\/[^/]+\/resourceGroups\/rg-app\/providers\/Microsoft\.Network\/virtualNetworks\/vnet-app$/i);
    assert.equal(endpointIp, registered.privateEndpointIPAddress);
    assert.match(endpointIp, /^10\.1\.0\.\d+$/);
  });

  test("the VNet's resolver (168.63.129.16) answers the endpoint's private address for every node's name; the host is answered a loopback one", async () => {
    assert.equal(listed(stack, vnetId)?.resolverAddress, '168.63.129.16');
    assert.match(await inNetworkOf(stack, vnetId, 'cat', '/etc/resolv.conf'), /^nameserver 168\.63\.129\.16$/m);
    const name = srv.replace('mongodb+srv://', '');
    const records = await digOnHost(stack, 'SRV', `_mongodb._tcp.${name}`);
    assert.equal(records.length, 3);
    const inside = (await inNetworkOf(stack, vnetId, 'dig', '+short', 'SRV', `_mongodb._tcp.${name}`)).trim().split('\n').sort();
    assert.deepEqual(inside, [...records].sort());
    for (const host of new Set(records.map((r) => r.split(' ')[3]!.replace(/\.$/, '')))) {
      assert.match(host, /^pl-0-/);
      assert.deepEqual((await inNetworkOf(stack, vnetId, 'dig', '+short', 'A', host)).trim().split('\n'), [endpointIp], `A ${host} inside the VNet`);
      const [onHost] = await digOnHost(stack, 'A', host);
      assert.match(onHost!, /^127\.\d+\.\d+\.\d+$/, `A ${host} on the host`);
    }
  });

  test('the official driver inside the VNet: SRV string, tls=false, ping and hello under the endpoint names', async () => {
    const seen = await client(stack, vnetId, 'mongo', `${srv}/?tls=false`);
    assert.equal(seen.outcome, 'ok', seen.message);
    assert.deepEqual(seen.ping, { ok: 1 });
    assert.match(seen.me!, /^pl-0-/);
    assert.equal(seen.hosts!.length, 3);
    for (const h of seen.hosts!) assert.match(h, /^pl-0-/);
  });

  test('a port the endpoint does not serve is refused', async () => {
    const served = (await digOnHost(stack, 'SRV', `_mongodb._tcp.${srv.replace('mongodb+srv://', '')}`)).map((r) => r.split(' ')[2]);
    assert.ok(!served.includes('1099'), `the endpoint serves 1099: ${served.join(', ')}`);
    const seen = await client(stack, vnetId, 'tcp', endpointIp, '1099');
    assert.deepEqual(seen, { outcome: 'error', code: 'ECONNREFUSED' });
  });

  test('once privlink stops, its namespaces and its table are gone', async () => {
    await stack.close();
    closed = true;
    await nothingLeft(stack);
  });
});

describe('kernel data plane: a GCP Private Service Connect endpoint from inside the customer VPC network', { skip }, () => {
  let stack: Stack;
  let base: number;
  let customer: GcpCustomer;
  let rule: { endpointName: string; ipAddress: string };
  let srv: string;
  let networkId: string;
  let endpointIp: string;
  let closed = false;

  before(async () => {
    if (skip) return;
    ({ stack, base } = await kernelStack());
    customer = new GcpCustomer(stack.bootstrap.localCloud!.gcp!);
    await customer.network('app-net');
    await customer.subnet('app-central', 'app-net', 'us-central1', '10.128.0.0/20');
    const cluster = await stack.owner.post(`${stack.project}/clusters`, {
      name: 'Mapped0',
      clusterType: 'REPLICASET',
      replicationSpecs: [{ regionConfigs: [{ providerName: 'GCP', regionName: 'CENTRAL_US', priority: 7, electableSpecs: { instanceSize: 'M10', nodeCount: 3 } }] }],
    });
    assert.equal(cluster.status, 201, cluster.text);
    const created = await stack.owner.post(`${stack.project}/privateEndpoint/endpointService`, { providerName: 'GCP', region: 'CENTRAL_US', portMappingEnabled: true });
    assert.equal(created.status, 201, created.text);
    const serviceId = (created.json as { id: string }).id;
    const ready = await until(
      () => stack.owner.get(`${stack.project}/privateEndpoint/GCP/endpointService/${serviceId}`),
      (r) => (r.json as { status: string }).status === 'AVAILABLE',
      90_000,
    );
    const attachments = (ready.json as { serviceAttachmentNames: string[] }).serviceAttachmentNames;
    assert.equal(attachments.length, 1);
    const rules = await customer.endpoints('psc', { region: 'us-central1', network: 'app-net', subnet: 'app-central' }, attachments);
    rule = rules[0]!;
    const registeredGroup = await stack.owner.post(`${stack.project}/privateEndpoint/GCP/endpointService/${serviceId}/endpoint`, {
      endpointGroupName: 'psc-group',
      gcpProjectId: customer.project,
      endpoints: rules,
    });
    assert.equal(registeredGroup.status, 201, registeredGroup.text);
    const group = await until(
      () => stack.owner.get(`${stack.project}/privateEndpoint/GCP/endpointService/${serviceId}/endpoint/psc-group`),
      (r) => ['AVAILABLE', 'FAILED'].includes((r.json as { status: string }).status),
      30_000,
    );
    assert.equal((group.json as { status: string }).status, 'AVAILABLE', group.text);
    srv = await privateString(stack, 'Mapped0');
    const source = gcpSnapshotSource(stack.running.gcpCloud!, stack.running.store, base);
    const endpoint = await carried(
      stack,
      () => source.snapshot(),
      (e) => e.endpointId === `projects/${customer.project}/regions/us-central1/forwardingRules/psc-0`,
    );
    networkId = endpoint.networkId;
    endpointIp = endpoint.networkInterfaces[0]!.privateIp;
  });

  after(async () => {
    await customer?.close();
    if (!closed) await stack?.close();
  });

  test("the endpoint is in the customer VPC network at its forwarding rule's address", () => {
    assert.equal(networkId, `projects/${customer.project}/global/networks/app-net`);
    assert.equal(endpointIp, rule.ipAddress);
    assert.match(endpointIp, /^10\.128\.\d+\.\d+$/);
  });

  test("the network's resolver (169.254.169.254) answers the forwarding rule's private address for the psc name; the host is answered a loopback one", async () => {
    assert.equal(listed(stack, networkId)?.resolverAddress, '169.254.169.254');
    assert.match(await inNetworkOf(stack, networkId, 'cat', '/etc/resolv.conf'), /^nameserver 169\.254\.169\.254$/m);
    const name = srv.replace('mongodb+srv://', '');
    const records = await digOnHost(stack, 'SRV', `_mongodb._tcp.${name}`);
    assert.deepEqual(records.map((r) => Number(r.split(' ')[2])).sort(), [1024, 1025, 1026]);
    const inside = (await inNetworkOf(stack, networkId, 'dig', '+short', 'SRV', `_mongodb._tcp.${name}`)).trim().split('\n').sort();
    assert.deepEqual(inside, [...records].sort());
    const hosts = new Set(records.map((r) => r.split(' ')[3]!.replace(/\.$/, '')));
    assert.equal(hosts.size, 1, 'one forwarding rule, one name');
    const [host] = hosts;
    assert.match(host!, /^psc-0-us-central1\./);
    assert.deepEqual((await inNetworkOf(stack, networkId, 'dig', '+short', 'A', host!)).trim().split('\n'), [endpointIp]);
    const [onHost] = await digOnHost(stack, 'A', host!);
    assert.match(onHost!, /^127\.\d+\.\d+\.\d+$/);
  });

  test('the official driver inside the network: SRV string, tls=false, ping and hello under the psc names', async () => {
    const seen = await client(stack, networkId, 'mongo', `${srv}/?tls=false`);
    assert.equal(seen.outcome, 'ok', seen.message);
    assert.deepEqual(seen.ping, { ok: 1 });
    assert.match(seen.me!, /^psc-0-us-central1\./);
    assert.equal(seen.hosts!.length, 3);
    for (const h of seen.hosts!) assert.match(h, /^psc-0-us-central1\./);
  });

  test('a port the forwarding rule does not serve is refused', async () => {
    const seen = await client(stack, networkId, 'tcp', endpointIp, '1099');
    assert.deepEqual(seen, { outcome: 'error', code: 'ECONNREFUSED' });
  });

  test('once privlink stops, its namespaces and its table are gone', async () => {
    await stack.close();
    closed = true;
    await nothingLeft(stack);
  });
});
