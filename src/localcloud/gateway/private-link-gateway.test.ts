import assert from 'node:assert/strict';
import { once } from 'node:events';
import { connect, createServer, type AddressInfo } from 'node:net';
import { test } from 'node:test';
import type { DataPlaneSnapshot, SnapshotEndpoint, SnapshotLoadBalancer, SnapshotService } from '../common/data-plane-snapshot.js';
import { PostedSnapshots } from '../dataplane-host/posted-snapshots.js';
import { SnapshotDiffer } from '../dataplane-host/snapshot-diff.js';
import { createLogger } from '../../logging/logger.js';
import { Cleanup, dial, listenEcho, seededRandom } from '../dataplane/dataplane.test-support.js';
import { OpenFileBudget } from '../dataplane/open-file-budget.js';
import { PrivateLinkGateway } from './private-link-gateway.js';

/** A port free on this machine now (the OS picks it). */
async function freePort(): Promise<number> {
  const server = createServer();
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  server.close();
  await once(server, 'close');
  return port;
}

/** Whether something listens at address:port (a refused connect says no). */
function listening(address: string, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host: address, port });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

const ADDRESS = (endpoint: number, eni: number) => `127.77.${endpoint + 1}.${eni + 1}`;
/** An address two endpoints may both claim now and then (the whole picture decides who gets it). */
const SHARED = '127.77.99.1';

const loadBalancer = (id: string, active: boolean, ports: number[], target: { address: string; port: number }): SnapshotLoadBalancer => ({
  cloud: 'AWS',
  loadBalancerId: id,
  name: id,
  accountId: '111111111111',
  region: 'us-east-1',
  networkId: 'vpc-provider',
  active,
  dnsName: null,
  securityGroupIds: [],
  networkInterfaces: [],
  ports: ports.map((port) => ({
    id: `${id}/${port}`,
    port,
    protocol: 'TCP',
    proxyProtocol: false,
    targets: [{ id: target.address, port: target.port, availabilityZone: 'us-east-1a', loopbackAddress: target.address }],
  })),
});

const service = (id: string, loadBalancerIds: string[]): SnapshotService => ({
  cloud: 'AWS',
  serviceId: id,
  serviceName: `com.amazonaws.vpce.us-east-1.${id}`,
  accountId: '111111111111',
  region: 'us-east-1',
  state: 'Available',
  acceptanceRequired: false,
  loadBalancerIds,
  availabilityZones: ['us-east-1a'],
  allowedPrincipals: [],
  proxyProtocol: false,
});

const endpoint = (id: string, serviceId: string, forwarding: boolean, addresses: string[]): SnapshotEndpoint => ({
  cloud: 'AWS',
  endpointId: id,
  accountId: '222222222222',
  region: 'us-east-1',
  networkId: 'vpc-customer',
  serviceId,
  serviceName: `com.amazonaws.vpce.us-east-1.${serviceId}`,
  state: forwarding ? 'available' : 'rejected',
  forwarding,
  securityGroupIds: ['sg-open'],
  networkInterfaces: addresses.map((address, index) => ({
    networkInterfaceId: `eni-${id}-${index}`,
    networkId: 'vpc-customer',
    subnetId: `subnet-${index}`,
    availabilityZone: 'us-east-1a',
    privateIp: `10.1.0.${index + 10}`,
    loopbackAddress: address,
  })),
  dnsNames: [],
  proxyTlv: { kind: 'aws-vpce-id', vpceId: id },
});

function pictureOf(parts: Pick<DataPlaneSnapshot, 'loadBalancers' | 'services' | 'endpoints'>, at: number): DataPlaneSnapshot {
  return {
    takenAt: new Date(at),
    nextTransitionAt: null,
    networks: [],
    securityGroups: [
      {
        cloud: 'AWS',
        groupId: 'sg-open',
        groupName: 'open',
        networkId: 'vpc-customer',
        accountId: '222222222222',
        region: 'us-east-1',
        ingress: [{ ipProtocol: '-1', fromPort: null, toPort: null, cidrIpv4: '0.0.0.0/0', referencedGroupId: null }],
        egress: [],
      },
    ],
    ...parts,
  };
}

/** The address:port pairs a picture wants listened on: every forwarding endpoint's interfaces × its service's active load balancers' ports. */
function wantedKeys(picture: DataPlaneSnapshot): Set<string> {
  const keys = new Set<string>();
  for (const e of picture.endpoints) {
    if (!e.forwarding) continue;
    const s = picture.services.find((x) => x.serviceId === e.serviceId);
    if (!s) continue;
    for (const eni of e.networkInterfaces)
      for (const lb of picture.loadBalancers.filter((x) => s.loadBalancerIds.includes(x.loadBalancerId) && x.active))
        for (const port of lb.ports) keys.add(`${eni.loopbackAddress}:${port.port}`);
  }
  return keys;
}

/** An echo server on 127.0.0.1, as the load balancers' target. */
async function upstream(cleanup: Cleanup): Promise<{ address: string; port: number }> {
  return { address: '127.0.0.1', port: (await listenEcho(cleanup)).port };
}

test('gateway: after every change, told as a diff or as a whole picture, it listens on exactly what the picture wants', { timeout: 60_000 }, async () => {
  const base = await freePort();
  const ports = [base, base + 1, base + 2];
  const cleanup = new Cleanup();
  const target = await upstream(cleanup);
  const next = seededRandom(16);
  const pick = <T>(items: readonly T[]) => items[Math.floor(next() * items.length)]!;
  // Pools the entities come from: they are made, change and go.
  const balancers = new Map<string, SnapshotLoadBalancer>();
  const services = new Map<string, SnapshotService>();
  const endpoints = new Map<string, SnapshotEndpoint>();
  const lbIds = ['lb-0', 'lb-1', 'lb-2'];
  const serviceIds = ['svc-0', 'svc-1', 'svc-2'];
  const endpointIds = ['vpce-0', 'vpce-1', 'vpce-2', 'vpce-3', 'vpce-4', 'vpce-5'];
  const randomBalancer = (id: string) =>
    loadBalancer(
      id,
      next() < 0.8,
      ports.filter(() => next() < 0.6),
      target,
    );
  const randomService = (id: string) =>
    service(
      id,
      lbIds.filter(() => next() < 0.5),
    );
  const randomEndpoint = (id: string) => {
    const index = endpointIds.indexOf(id);
    const addresses = [ADDRESS(index, 0), ...(next() < 0.4 ? [ADDRESS(index, 1)] : []), ...(next() < 0.05 ? [SHARED] : [])];
    return endpoint(id, pick(serviceIds), next() < 0.7, addresses);
  };
  for (const id of lbIds) balancers.set(id, randomBalancer(id));
  for (const id of serviceIds) services.set(id, randomService(id));
  for (const id of endpointIds.slice(0, 3)) endpoints.set(id, randomEndpoint(id));
  const picture = (at: number) => pictureOf({ loadBalancers: [...balancers.values()], services: [...services.values()], endpoints: [...endpoints.values()] }, at);

  const differ = new SnapshotDiffer();
  const first = picture(0);
  differ.diff(first);
  const posted = new PostedSnapshots(first);
  const gateway = new PrivateLinkGateway(posted, createLogger('error'), 3_600_000);
  try {
    for (let step = 1; step <= 60; step++) {
      // One to three changes of any kind, then the picture (a diff, or now and then the whole picture).
      for (let change = Math.floor(next() * 3); change >= 0; change--) {
        const kind = next();
        if (kind < 0.4) {
          const id = pick(endpointIds);
          if (endpoints.has(id) && next() < 0.3) endpoints.delete(id);
          else endpoints.set(id, randomEndpoint(id));
        } else if (kind < 0.7) {
          const id = pick(serviceIds);
          if (services.has(id) && next() < 0.2) services.delete(id);
          else services.set(id, randomService(id));
        } else {
          const id = pick(lbIds);
          if (balancers.has(id) && next() < 0.2) balancers.delete(id);
          else balancers.set(id, randomBalancer(id));
        }
      }
      const now = picture(step);
      const diff = differ.diff(now);
      if (next() < 0.1) posted.post(now);
      else if (diff) posted.apply(diff);
      await gateway.reconcile();

      const wanted = wantedKeys(now);
      assert.equal(gateway.listenerCount, wanted.size, `step ${step}: listeners open`);
      for (const address of [...endpointIds.flatMap((_, e) => [ADDRESS(e, 0), ADDRESS(e, 1)]), SHARED]) {
        for (const port of ports) {
          const key = `${address}:${port}`;
          assert.equal(await listening(address, port), wanted.has(key), `step ${step}: ${key} ${wanted.has(key) ? 'should' : 'should not'} listen`);
        }
      }
    }
  } finally {
    await gateway.stop();
    await cleanup.run();
  }
});

test('gateway: an endpoint that stops forwarding loses its connections; another endpoint of its service keeps its own', { timeout: 30_000 }, async () => {
  const port = await freePort();
  const cleanup = new Cleanup();
  const target = await upstream(cleanup);
  const lb = loadBalancer('lb-0', true, [port], target);
  const svc = service('svc-0', ['lb-0']);
  const one = endpoint('vpce-1', 'svc-0', true, [ADDRESS(0, 0)]);
  const two = endpoint('vpce-2', 'svc-0', true, [ADDRESS(1, 0)]);
  const differ = new SnapshotDiffer();
  const first = pictureOf({ loadBalancers: [lb], services: [svc], endpoints: [one, two] }, 0);
  differ.diff(first);
  const posted = new PostedSnapshots(first);
  const gateway = new PrivateLinkGateway(posted, createLogger('error'), 3_600_000);
  try {
    await gateway.reconcile();
    const open = async (address: string) => {
      const socket = await dial(port, cleanup, { host: address });
      socket.write('ping');
      await once(socket, 'data');
      return socket;
    };
    const first = await open(ADDRESS(0, 0));
    const second = await open(ADDRESS(1, 0));
    assert.equal(gateway.connectionCount, 2);
    const closed = once(first, 'close');
    const diff = differ.diff(pictureOf({ loadBalancers: [lb], services: [svc], endpoints: [endpoint('vpce-1', 'svc-0', false, [ADDRESS(0, 0)]), two] }, 1));
    assert.ok(diff);
    posted.apply(diff);
    await gateway.reconcile();
    await closed;
    assert.equal(await listening(ADDRESS(0, 0), port), false);
    assert.equal(gateway.connectionCount, 1);
    second.write('still');
    const [echo] = (await once(second, 'data')) as [Buffer];
    assert.equal(echo.toString(), 'still');
  } finally {
    await gateway.stop();
    await cleanup.run();
  }
});

test('gateway under a spent open-file budget: what does not fit waits for room (not tried again pass after pass), then opens', { timeout: 30_000 }, async () => {
  const port = await freePort();
  const cleanup = new Cleanup();
  const target = await upstream(cleanup);
  const lb = loadBalancer('lb-0', true, [port], target);
  const svc = service('svc-0', ['lb-0']);
  // Five interfaces want five listeners; the budget holds four, two of them taken by another part of the data plane.
  const addresses = [0, 1, 2, 3, 4].map((eni) => ADDRESS(0, eni));
  const differ = new SnapshotDiffer();
  const picture = pictureOf({ loadBalancers: [lb], services: [svc], endpoints: [endpoint('vpce-1', 'svc-0', true, addresses)] }, 0);
  differ.diff(picture);
  const posted = new PostedSnapshots(picture);
  const budget = new OpenFileBudget(4);
  assert.equal(budget.take(2), true);
  const gateway = new PrivateLinkGateway(posted, createLogger('error'), 3_600_000, undefined, undefined, budget);
  try {
    await gateway.reconcile();
    // (Counted by the gateway, not by connecting: a connection would find no room either and be reset.)
    const open = () => gateway.listenerCount;
    assert.equal(open(), 2);
    const refusedAfterFirst = budget.refused;
    assert.equal(refusedAfterFirst, 3);
    // Passes while nothing frees: none of the three is tried again.
    for (let i = 1; i <= 5; i++) {
      const diff = differ.diff(pictureOf({ loadBalancers: [lb], services: [svc], endpoints: [endpoint('vpce-1', 'svc-0', true, addresses)] }, i));
      if (diff) posted.apply(diff);
      await gateway.reconcile();
    }
    assert.equal(budget.refused, refusedAfterFirst, 'no retry while the budget has no room');
    // Room again (the other part gave its files back): the next pass opens what fits, and tries no more.
    budget.give(2);
    await gateway.reconcile();
    assert.equal(open(), 4);
    assert.equal(budget.refused, refusedAfterFirst);
  } finally {
    await gateway.stop();
    await cleanup.run();
  }
});
