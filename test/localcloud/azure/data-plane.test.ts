import assert from 'node:assert/strict';
import { connect, createServer, type AddressInfo, type Server, type Socket } from 'node:net';
import { after, before, describe, test } from 'node:test';
import { createLogger } from '../../../src/logging/logger.js';
import { azureSnapshotSource } from '../../../src/localcloud/azure/azure-snapshot-source.js';
import { azureLinkIdOf, readProxyHeader, type ProxyHeader } from '../../../src/localcloud/dataplane/proxy-protocol.js';
import { endpointIdOfTlv } from '../../../src/localcloud/gateway/endpoint-tlv.js';
import { PrivateLinkGateway } from '../../../src/localcloud/gateway/private-link-gateway.js';
import { createGroup, customerSubnet, POLL, startAzure, type AzureHarness } from './harness.js';

const BASE = 100; // the customer's VNet is the second one: slot 2 → 127.2.x.x

/** A TCP echo server on 127.0.0.1:0 that reads a PROXY v2 header first and records it. */
async function echoServer(): Promise<{ server: Server; port: number; headers: ProxyHeader[] }> {
  const headers: ProxyHeader[] = [];
  const server = createServer((socket) => {
    socket.on('error', () => undefined);
    readProxyHeader(socket, { timeoutMs: 2000 }).then(
      ({ header, rest }) => {
        headers.push(header);
        if (rest.length > 0) socket.write(rest);
        socket.pipe(socket);
        socket.resume();
      },
      () => socket.destroy(),
    );
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, port: (server.address() as AddressInfo).port, headers };
}

/** A port free on `address` now (the OS picks it), for a load-balancing rule's frontend port. */
async function freePortOn(address: string): Promise<number> {
  const probe = createServer();
  await new Promise<void>((resolve, reject) => {
    probe.once('error', reject);
    probe.listen(0, address, resolve);
  });
  const port = (probe.address() as AddressInfo).port;
  await new Promise<void>((resolve) => probe.close(() => resolve()));
  return port;
}

function open(address: string, port: number): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const socket = connect({ host: address, port });
    socket.once('connect', () => resolve(socket));
    socket.once('error', reject);
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

describe('Azure private endpoints carry TCP through the local gateway', () => {
  let h: AzureHarness;
  let echo: Awaited<ReturnType<typeof echoServer>>;
  let gateway: PrivateLinkGateway;
  let frontendPort: number;
  let peId: string;
  let connectionName: string;
  let linkIdentifier: string;
  const peAddress = '127.2.1.4';

  before(async () => {
    echo = await echoServer();
    frontendPort = await freePortOn(peAddress);
    h = await startAzure();
    const provider = h.cloud.accounts.provider;
    const net = h.network(provider);
    await createGroup(h, provider, 'rg-provider');
    const vnet = await net.virtualNetworks.beginCreateOrUpdateAndWait(
      'rg-provider',
      'svc-vnet',
      {
        location: 'eastus',
        addressSpace: { addressPrefixes: ['10.10.0.0/16'] },
        subnets: [
          { name: 'frontend', addressPrefix: '10.10.1.0/24' },
          { name: 'nat', addressPrefix: '10.10.2.0/24', privateLinkServiceNetworkPolicies: 'Disabled' },
        ],
      },
      POLL,
    );
    const lbId = `/subscriptions/${provider.subscriptionId}/resourceGroups/rg-provider/providers/Microsoft.Network/loadBalancers/svc-lb`;
    const lb = await net.loadBalancers.beginCreateOrUpdateAndWait(
      'rg-provider',
      'svc-lb',
      {
        location: 'eastus',
        sku: { name: 'Standard' },
        frontendIPConfigurations: [{ name: 'fe', subnet: { id: vnet.subnets!.find((s) => s.name === 'frontend')!.id! } }],
        backendAddressPools: [{ name: 'echo', loadBalancerBackendAddresses: [{ name: 'local', ipAddress: '127.0.0.1' }] }],
        loadBalancingRules: [
          {
            name: 'echo',
            frontendIPConfiguration: { id: `${lbId}/frontendIPConfigurations/fe` },
            backendAddressPool: { id: `${lbId}/backendAddressPools/echo` },
            protocol: 'Tcp',
            frontendPort,
            backendPort: echo.port,
          },
        ],
      },
      POLL,
    );
    const pls = await net.privateLinkServices.beginCreateOrUpdateAndWait(
      'rg-provider',
      'svc',
      {
        location: 'eastus',
        loadBalancerFrontendIpConfigurations: [{ id: lb.frontendIPConfigurations![0]!.id! }],
        ipConfigurations: [{ name: 'nat0', subnet: { id: vnet.subnets!.find((s) => s.name === 'nat')!.id! }, primary: true }],
        visibility: { subscriptions: [h.cloud.accounts.customer.subscriptionId] },
        enableProxyProtocol: true,
      },
      POLL,
    );
    const subnetId = await customerSubnet(h);
    const pe = await h
      .network(h.cloud.accounts.customer)
      .privateEndpoints.beginCreateOrUpdateAndWait(
        'rg-customer',
        'to-svc',
        { location: 'eastus', subnet: { id: subnetId }, manualPrivateLinkServiceConnections: [{ name: 'svc', privateLinkServiceId: pls.id! }] },
        POLL,
      );
    assert.equal(pe.customDnsConfigs![0]!.ipAddresses![0], '10.20.1.4');
    peId = pe.id!;
    const connection = (await net.privateLinkServices.get('rg-provider', 'svc')).privateEndpointConnections![0]!;
    connectionName = connection.name!;
    linkIdentifier = connection.linkIdentifier!;
    gateway = new PrivateLinkGateway(azureSnapshotSource(h.cloud, h.testStore.store, BASE), createLogger('error'), 500);
    await gateway.start();
  });
  after(async () => {
    await gateway?.stop();
    await h?.close();
    echo?.server.close();
  });

  const decide = (status: 'Approved' | 'Rejected') =>
    h
      .network(h.cloud.accounts.provider)
      .privateLinkServices.updatePrivateEndpointConnection('rg-provider', 'svc', connectionName, { privateLinkServiceConnectionState: { status } });

  test('before approval, the private endpoint address refuses connections', async () => {
    await gateway.reconcile();
    await assert.rejects(open(peAddress, frontendPort), { code: 'ECONNREFUSED' });
  });

  test('once approved it carries bytes, and the backend sees a PROXY v2 header with the LinkID TLV', async () => {
    await decide('Approved');
    const socket = await until('the endpoint listener', () => open(peAddress, frontendPort));
    try {
      const reply = new Promise<string>((resolve) => socket.once('data', (d: Buffer) => resolve(d.toString())));
      socket.write('ping through private link');
      assert.equal(await reply, 'ping through private link');
      const header = echo.headers.at(-1)!;
      assert.equal(header.command, 'PROXY');
      assert.equal(header.destination?.address, peAddress);
      assert.equal(azureLinkIdOf(header), Number(linkIdentifier));
      const tlv = header.tlvs.find((t) => t.type === 0xee)!;
      assert.equal(tlv.value[0], 0x01);
      assert.equal(tlv.value.readUInt32LE(1), Number(linkIdentifier));
      // What the data-plane worker does for a simulated node: the LinkID names the private endpoint.
      const snapshot = await azureSnapshotSource(h.cloud, h.testStore.store, BASE).snapshot();
      assert.equal(endpointIdOfTlv(snapshot, { kind: 'azure-link-id', linkId: Number(linkIdentifier) }), peId);
    } finally {
      socket.destroy();
    }
  });

  test('rejected, an open connection is dropped within a second and new ones are refused', async () => {
    const socket = await open(peAddress, frontendPort);
    const closed = new Promise<number>((resolve) => socket.once('close', () => resolve(Date.now())));
    socket.on('error', () => undefined);
    const reply = new Promise<string>((resolve) => socket.once('data', (d: Buffer) => resolve(d.toString())));
    socket.write('still here');
    assert.equal(await reply, 'still here');
    const at = Date.now();
    await decide('Rejected');
    const closedAt = await Promise.race([closed, new Promise<number>((_, reject) => setTimeout(() => reject(new Error('connection still open after 1 s')), 1000))]);
    assert.ok(closedAt - at < 1000);
    await assert.rejects(open(peAddress, frontendPort), { code: 'ECONNREFUSED' });
  });
});
