import assert from 'node:assert/strict';
import { connect, createServer, type AddressInfo, type Server, type Socket } from 'node:net';
import { after, before, describe, test } from 'node:test';
import { createLogger } from '../../../src/logging/logger.js';
import type { DataPlaneSnapshot } from '../../../src/localcloud/common/data-plane-snapshot.js';
import { gcpPscConnectionIdOf, readProxyHeader, type ProxyHeader } from '../../../src/localcloud/dataplane/proxy-protocol.js';
import { endpointIdOfTlv } from '../../../src/localcloud/gateway/endpoint-tlv.js';
import { PrivateLinkGateway } from '../../../src/localcloud/gateway/private-link-gateway.js';
import { gcpSnapshotSource } from '../../../src/localcloud/gcp/gcp-snapshot-source.js';
import { consumerNetwork, REGION, startGcp, ZONE, type ComputeClients, type GcpHarness } from './harness.js';

const BASE = 100; // GCP slots 1..50 → 127.50.x.x …; the producer's subnet is slot 1, the consumer's slot 2 (127.51.x.x)

/** A TCP echo server on 127.0.0.1:0 that answers `<name>:<bytes>`; with `proxy`, it reads a PROXY v2 header first and records it. */
async function echoServer(name: string, proxy: boolean): Promise<{ server: Server; port: number; headers: ProxyHeader[] }> {
  const headers: ProxyHeader[] = [];
  const echo = (socket: Socket, first: Buffer) => {
    if (first.length > 0) socket.write(`${name}:${first.toString()}`);
    socket.on('data', (d: Buffer) => socket.write(`${name}:${d.toString()}`));
  };
  const server = createServer((socket) => {
    socket.on('error', () => undefined);
    if (!proxy) return echo(socket, Buffer.alloc(0));
    readProxyHeader(socket, { timeoutMs: 2000 }).then(
      ({ header, rest }) => {
        headers.push(header);
        echo(socket, rest);
      },
      () => socket.destroy(),
    );
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, port: (server.address() as AddressInfo).port, headers };
}

/** Connects, sends `text` and resolves with the first reply; rejects when the connection is refused, reset or closed without a reply. */
function exchange(address: string, port: number, text: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect({ host: address, port });
    const timer = setTimeout(() => finish(new Error('no reply within 2 s')), 2000);
    const finish = (error: Error | undefined, reply?: string) => {
      clearTimeout(timer);
      socket.destroy();
      if (error) reject(error);
      else resolve(reply!);
    };
    socket.once('connect', () => socket.write(text));
    socket.once('data', (d: Buffer) => finish(undefined, d.toString()));
    socket.once('error', (e) => finish(e));
    socket.once('close', () => finish(new Error('closed without a reply')));
  });
}

async function until<T>(what: string, probe: () => Promise<T | undefined>, ms = 3000): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = await probe().catch(() => undefined);
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

/** The loopback address of a consumer-subnet IP (slot 2 of the GCP range for BASE). */
function consumerLoopback(ip: string): string {
  const [, , c, d] = ip.split('.');
  return `127.51.${c}.${d}`;
}

describe('GCP Private Service Connect endpoints carry TCP through the local gateway', () => {
  let h: GcpHarness;
  let p: ComputeClients;
  let c: ComputeClients;
  let gateway: PrivateLinkGateway;
  let one: Awaited<ReturnType<typeof echoServer>>;
  let two: Awaited<ReturnType<typeof echoServer>>;
  let legacy: Awaited<ReturnType<typeof echoServer>>;
  let endpointIp: string;
  let pscConnectionId: string;
  let ruleUrl: string;
  const snapshot = (): Promise<DataPlaneSnapshot> => gcpSnapshotSource(h.cloud, h.testStore.store, BASE).snapshot();
  const attachmentUrl = (name: string) => `${h.cloud.url}/compute/v1/projects/${p.project}/regions/${REGION}/serviceAttachments/${name}`;

  /** Producer: an ILB on `allPorts` over a port-mapping NEG (1024 → one, 1025 → two), fronted by ACCEPT_MANUAL attachment `svc` with PROXY protocol. */
  async function portMappedService(): Promise<void> {
    const project = p.project;
    await p.done(p.networks.insert({ project, networkResource: { name: 'svc-net', autoCreateSubnetworks: false } }));
    await p.done(p.subnetworks.insert({ project, region: REGION, subnetworkResource: { name: 'svc-nodes', network: 'global/networks/svc-net', ipCidrRange: '10.10.1.0/24' } }));
    await p.done(
      p.subnetworks.insert({
        project,
        region: REGION,
        subnetworkResource: { name: 'svc-nat', network: 'global/networks/svc-net', ipCidrRange: '10.10.9.0/24', purpose: 'PRIVATE_SERVICE_CONNECT' },
      }),
    );
    await p.done(
      p.regionNegs.insert({
        project,
        region: REGION,
        networkEndpointGroupResource: {
          name: 'svc-map',
          networkEndpointType: 'GCE_VM_IP_PORTMAP',
          network: 'global/networks/svc-net',
          subnetwork: `regions/${REGION}/subnetworks/svc-nodes`,
        },
      }),
    );
    await p.done(
      p.regionNegs.attachNetworkEndpoints({
        project,
        region: REGION,
        networkEndpointGroup: 'svc-map',
        regionNetworkEndpointGroupsAttachEndpointsRequestResource: {
          networkEndpoints: [
            { ipAddress: '127.0.0.1', port: one.port, clientDestinationPort: 1024 },
            { ipAddress: '127.0.0.1', port: two.port, clientDestinationPort: 1025 },
          ],
        },
      }),
    );
    await p.done(
      p.backendServices.insert({
        project,
        region: REGION,
        backendServiceResource: { name: 'svc-bs', loadBalancingScheme: 'INTERNAL', protocol: 'TCP', backends: [{ group: `regions/${REGION}/networkEndpointGroups/svc-map` }] },
      }),
    );
    await p.done(
      p.forwardingRules.insert({
        project,
        region: REGION,
        forwardingRuleResource: {
          name: 'svc-ilb',
          loadBalancingScheme: 'INTERNAL',
          backendService: `regions/${REGION}/backendServices/svc-bs`,
          subnetwork: `regions/${REGION}/subnetworks/svc-nodes`,
          allPorts: true,
        },
      }),
    );
    await p.done(
      p.serviceAttachments.insert({
        project,
        region: REGION,
        serviceAttachmentResource: {
          name: 'svc',
          targetService: `regions/${REGION}/forwardingRules/svc-ilb`,
          connectionPreference: 'ACCEPT_MANUAL',
          natSubnets: [`regions/${REGION}/subnetworks/svc-nat`],
          consumerAcceptLists: [],
          enableProxyProtocol: true,
        },
      }),
    );
  }

  /** Producer: the shape of earlier privlink versions, an ILB on port 27017 over a zonal hybrid NEG with one endpoint; the consumer is accepted from the start. */
  async function legacyService(): Promise<void> {
    const project = p.project;
    await p.done(
      p.negs.insert({
        project,
        zone: ZONE,
        networkEndpointGroupResource: { name: 'legacy-nodes', networkEndpointType: 'NON_GCP_PRIVATE_IP_PORT', network: 'global/networks/svc-net', defaultPort: legacy.port },
      }),
    );
    await p.done(
      p.negs.attachNetworkEndpoints({
        project,
        zone: ZONE,
        networkEndpointGroup: 'legacy-nodes',
        networkEndpointGroupsAttachEndpointsRequestResource: { networkEndpoints: [{ ipAddress: '127.0.0.1', port: legacy.port }] },
      }),
    );
    await p.done(
      p.backendServices.insert({
        project,
        region: REGION,
        backendServiceResource: { name: 'legacy-bs', loadBalancingScheme: 'INTERNAL', protocol: 'TCP', backends: [{ group: `zones/${ZONE}/networkEndpointGroups/legacy-nodes` }] },
      }),
    );
    await p.done(
      p.forwardingRules.insert({
        project,
        region: REGION,
        forwardingRuleResource: {
          name: 'legacy-ilb',
          loadBalancingScheme: 'INTERNAL',
          backendService: `regions/${REGION}/backendServices/legacy-bs`,
          subnetwork: `regions/${REGION}/subnetworks/svc-nodes`,
          ports: ['27017'],
        },
      }),
    );
    await p.done(
      p.serviceAttachments.insert({
        project,
        region: REGION,
        serviceAttachmentResource: {
          name: 'legacy',
          targetService: `regions/${REGION}/forwardingRules/legacy-ilb`,
          connectionPreference: 'ACCEPT_MANUAL',
          natSubnets: [`regions/${REGION}/subnetworks/svc-nat`],
          consumerAcceptLists: [{ projectIdOrNum: c.project, connectionLimit: 10 }],
        },
      }),
    );
  }

  /** The consumer reserves `<name>-ip` and points PSC forwarding rule `name` at `attachment`; returns the rule's IP. */
  async function pscRule(name: string, attachment: string): Promise<string> {
    await c.done(
      c.addresses.insert({
        project: c.project,
        region: REGION,
        addressResource: { name: `${name}-ip`, addressType: 'INTERNAL', subnetwork: `regions/${REGION}/subnetworks/app-subnet` },
      }),
    );
    await c.done(
      c.forwardingRules.insert({
        project: c.project,
        region: REGION,
        forwardingRuleResource: { name, target: attachmentUrl(attachment), network: 'global/networks/app-net', IPAddress: `regions/${REGION}/addresses/${name}-ip` },
      }),
    );
    const [rule] = await c.forwardingRules.get({ project: c.project, region: REGION, forwardingRule: name });
    return rule.IPAddress!;
  }

  async function patchAttachment(name: string, change: Record<string, unknown>): Promise<void> {
    const [current] = await p.serviceAttachments.get({ project: p.project, region: REGION, serviceAttachment: name });
    await p.done(
      p.serviceAttachments.patch({ project: p.project, region: REGION, serviceAttachment: name, serviceAttachmentResource: { fingerprint: current.fingerprint, ...change } }),
    );
  }

  before(async () => {
    one = await echoServer('one', true);
    two = await echoServer('two', true);
    legacy = await echoServer('legacy', false);
    h = await startGcp();
    p = h.clients(h.cloud.projects.producer);
    await portMappedService();
    c = await consumerNetwork(h);
    endpointIp = await pscRule('to-svc', 'svc');
    const [rule] = await c.forwardingRules.get({ project: c.project, region: REGION, forwardingRule: 'to-svc' });
    pscConnectionId = String(rule.pscConnectionId);
    ruleUrl = rule.selfLink!;
    gateway = new PrivateLinkGateway(gcpSnapshotSource(h.cloud, h.testStore.store, BASE), createLogger('error'), 500);
    await gateway.start();
  });
  after(async () => {
    await gateway?.stop();
    await h?.close();
    for (const s of [one, two, legacy]) s?.server.close();
  });

  test('a PENDING endpoint is in the snapshot at its loopback address but refuses connections', async () => {
    const s = await snapshot();
    const endpoint = s.endpoints.find((e) => e.endpointId === `projects/${c.project}/regions/${REGION}/forwardingRules/to-svc`)!;
    assert.equal(endpoint.state, 'PENDING');
    assert.equal(endpoint.forwarding, false);
    assert.deepEqual(
      endpoint.networkInterfaces.map((n) => [n.privateIp, n.loopbackAddress]),
      [[endpointIp, consumerLoopback(endpointIp)]],
    );
    assert.deepEqual(endpoint.proxyTlv, { kind: 'gcp-psc-connection-id', pscConnectionId });
    await gateway.reconcile();
    await assert.rejects(exchange(consumerLoopback(endpointIp), 1024, 'hello'), { code: 'ECONNREFUSED' });
  });

  test('accepted, each client port reaches its mapped server, with a PROXY v2 header whose 0xE0 TLV is the PSC connection id', async () => {
    await patchAttachment('svc', { consumerAcceptLists: [{ projectIdOrNum: c.project, connectionLimit: 10 }] });
    const address = consumerLoopback(endpointIp);
    assert.equal(await until('the endpoint listener', () => exchange(address, 1024, 'ping')), 'one:ping');
    assert.equal(await exchange(address, 1025, 'pong'), 'two:pong');
    const header = one.headers.at(-1)!;
    assert.equal(header.command, 'PROXY');
    assert.equal(header.destination?.address, address);
    assert.equal(gcpPscConnectionIdOf(header), pscConnectionId);
    const tlv = header.tlvs.find((t) => t.type === 0xe0)!;
    assert.equal(tlv.value.readBigUInt64BE(0).toString(), pscConnectionId);
    assert.equal(gcpPscConnectionIdOf(two.headers.at(-1)!), pscConnectionId);
    // What the data-plane worker does for a simulated node: the PSC connection id names the forwarding rule.
    assert.equal(endpointIdOfTlv(await snapshot(), { kind: 'gcp-psc-connection-id', pscConnectionId }), ruleUrl.replace(`${h.cloud.url}/compute/v1/`, ''));
  });

  test("an EGRESS deny rule of the consumer's network towards the endpoint blocks that port; a higher-priority allow reopens it", async () => {
    const address = consumerLoopback(endpointIp);
    await c.done(
      c.firewalls.insert({
        project: c.project,
        firewallResource: {
          name: 'deny-1025',
          network: 'global/networks/app-net',
          direction: 'EGRESS',
          priority: 1000,
          denied: [{ IPProtocol: 'tcp', ports: ['1025'] }],
          destinationRanges: [`${endpointIp}/32`],
        },
      }),
    );
    await gateway.reconcile();
    await assert.rejects(exchange(address, 1025, 'blocked'));
    assert.equal(await exchange(address, 1024, 'still'), 'one:still');
    await c.done(
      c.firewalls.insert({
        project: c.project,
        firewallResource: { name: 'allow-1025', network: 'global/networks/app-net', direction: 'EGRESS', priority: 900, allowed: [{ IPProtocol: 'tcp', ports: ['1025'] }] },
      }),
    );
    await gateway.reconcile();
    assert.equal(await exchange(address, 1025, 'open'), 'two:open');
  });

  test('a legacy-style rule (ports 27017, zonal hybrid NEG) carries traffic on 27017 without a PROXY header', async () => {
    await legacyService();
    const ip = await pscRule('to-legacy', 'legacy');
    const [rule] = await c.forwardingRules.get({ project: c.project, region: REGION, forwardingRule: 'to-legacy' });
    assert.equal(rule.pscConnectionStatus, 'ACCEPTED');
    assert.equal(await until('the legacy listener', () => exchange(consumerLoopback(ip), 27017, 'hi')), 'legacy:hi');
  });

  test('rejected (reject list + reconcileConnections), new connections are refused within a second', async () => {
    const address = consumerLoopback(endpointIp);
    assert.equal(await exchange(address, 1024, 'before'), 'one:before');
    await patchAttachment('svc', { consumerRejectLists: [c.project], reconcileConnections: true });
    const at = Date.now();
    const [rule] = await c.forwardingRules.get({ project: c.project, region: REGION, forwardingRule: 'to-svc' });
    assert.equal(rule.pscConnectionStatus, 'REJECTED');
    await until(
      'the listener to close',
      async () => ((await exchange(address, 1024, 'after').catch((e: { code?: string }) => e.code)) === 'ECONNREFUSED' ? true : undefined),
      1000,
    );
    assert.ok(Date.now() - at < 1000);
    await assert.rejects(exchange(address, 1025, 'after'), { code: 'ECONNREFUSED' });
  });
});
