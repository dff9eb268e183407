// Simulated deployments driven by the official `mongodb` driver: replica-set discovery, horizons
// chosen by the PROXY header's VPC endpoint id or by TLS SNI, and a load-balanced mongos.
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { MongoClient, type MongoClientOptions } from 'mongodb';
import { LocalCertificateAuthority } from './certificates.js';
import { awsVpceIdTlv, proxyHeaderForSocket } from './proxy-protocol.js';
import { startSimulatedMongos, startSimulatedReplicaSet, type SimulatedReplicaSet } from './simulated-cluster.js';
import type { HorizonContext } from './simulated-mongod.js';
import { TcpForwarder } from './tcp-forwarder.js';
import { TcpListenerSet } from './tcp-listener-set.js';
import { Cleanup, mappedLookup } from './dataplane.test-support.js';

const PL_HOST = 'pl-0-us-east-1.abcde.privlink.test';
const VPCE = 'vpce-0123456789abcdef0';
const lookup = mappedLookup({ [PL_HOST]: '127.0.0.1' });

/** The driver's current topology description (public at runtime, absent from its typings). */
function topologyOf(mongo: MongoClient): { description: { type: string; servers: Map<string, { address: string; type: string }> } } {
  const topology = (mongo as unknown as { topology?: ReturnType<typeof topologyOf> }).topology;
  assert.ok(topology, 'client is connected');
  return topology;
}

async function client(uri: string, cleanup: Cleanup, options: MongoClientOptions = {}): Promise<MongoClient> {
  const mongo = new MongoClient(uri, { serverSelectionTimeoutMS: 5000, ...options });
  cleanup.add(() => mongo.close());
  await mongo.connect();
  return mongo;
}

/** Expects connecting to fail server selection; returns the error message. */
async function selectionFails(uri: string, options: MongoClientOptions = {}): Promise<string> {
  const mongo = new MongoClient(uri, { serverSelectionTimeoutMS: 1500, ...options });
  try {
    await mongo.connect();
    await mongo.db('admin').command({ ping: 1 });
  } catch (error) {
    return `${(error as Error).name}: ${(error as Error).message}`;
  } finally {
    await mongo.close();
  }
  assert.fail(`expected ${uri} to fail server selection`);
}

/** A gateway in front of the set: one listener per node on 127.0.0.1:0, PROXY header with `vpceId`. */
async function gatewayFor(set: SimulatedReplicaSet, vpceId: string, cleanup: Cleanup): Promise<number[]> {
  const forwarder = new TcpForwarder();
  const listeners = new TcpListenerSet();
  cleanup.add(() => forwarder.closeAll());
  cleanup.add(() => listeners.closeAll());
  const ports: number[] = [];
  for (const [index, node] of set.bound.entries()) {
    const listener = await listeners.ensure(
      { address: '127.0.0.1', port: 0, name: `${vpceId}/${index}` },
      {
        onConnection: (socket) =>
          forwarder.forward(socket, {
            target: node,
            proxyHeader: proxyHeaderForSocket(socket, [awsVpceIdTlv(vpceId)]),
            labels: { endpointId: vpceId },
          }),
      },
    );
    ports.push(listener.bound.port);
  }
  return ports;
}

test('the driver discovers a 3-node simulated replica set, pings it, and reads hello from every member', async (t) => {
  const cleanup = new Cleanup();
  t.after(() => cleanup.run());
  const set = await startSimulatedReplicaSet({ setName: 'rs-driver', advertisedHosts: (bound) => bound.map((b) => `localhost:${b.port}`) });
  cleanup.add(() => set.stop());
  assert.deepEqual(
    set.defaultHosts,
    set.bound.map((b) => `localhost:${b.port}`),
  );

  const uri = `mongodb://${set.defaultHosts.join(',')}/?replicaSet=rs-driver`;
  const mongo = await client(uri, cleanup);
  assert.deepEqual(await mongo.db('admin').command({ ping: 1 }), { ok: 1 });
  const hello = await mongo.db('admin').command({ hello: 1 });
  assert.equal(hello.setName, 'rs-driver');
  assert.equal(hello.isWritablePrimary, true);
  assert.equal(hello.me, set.defaultHosts[0]);
  assert.deepEqual(hello.hosts, set.defaultHosts);
  assert.equal(hello.privlinkSimulated, true);
  const fromSecondary = await mongo.db('admin').command({ hello: 1 }, { readPreference: 'secondary' });
  assert.equal(fromSecondary.secondary, true);
  assert.ok(set.defaultHosts.slice(1).includes(fromSecondary.me));
  const servers = [...topologyOf(mongo).description.servers.values()].map((s) => `${s.address}=${s.type}`).sort();
  assert.deepEqual(servers, [`${set.defaultHosts[0]}=RSPrimary`, `${set.defaultHosts[1]}=RSSecondary`, `${set.defaultHosts[2]}=RSSecondary`].sort());

  for (const [index, host] of set.defaultHosts.entries()) {
    const direct = await client(`mongodb://${host}/?directConnection=true`, cleanup);
    assert.deepEqual(await direct.db('admin').command({ ping: 1 }), { ok: 1 });
    const own = await direct.db('admin').command({ hello: 1 });
    assert.equal(own.me, host);
    assert.equal(own.isWritablePrimary, index === 0);
    const buildInfo = await direct.db('admin').command({ buildInfo: 1 });
    assert.equal(buildInfo.privlinkSimulated, true);
    await assert.rejects(direct.db('shop').collection('orders').findOne({}), /stores nothing/);
  }
});

test('with the streaming protocol the driver keeps every member healthy across heartbeats', async (t) => {
  const cleanup = new Cleanup();
  t.after(() => cleanup.run());
  const set = await startSimulatedReplicaSet({ setName: 'rs-stream' });
  cleanup.add(() => set.stop());
  const mongo = new MongoClient(`mongodb://${set.defaultHosts.join(',')}/?replicaSet=rs-stream`, { heartbeatFrequencyMS: 500, serverMonitoringMode: 'stream' });
  cleanup.add(() => mongo.close());
  let failed = 0;
  let awaited = 0;
  mongo.on('serverHeartbeatFailed', () => failed++);
  mongo.on('serverHeartbeatSucceeded', (event) => {
    if (event.awaited) awaited++;
  });
  await mongo.connect();
  await new Promise((resolve) => setTimeout(resolve, 2200));
  assert.equal(failed, 0, 'no heartbeat failed (a streamed reply without moreToCome would fail and reset the pool)');
  assert.ok(awaited >= 6, `awaited heartbeats answered: ${awaited}`);
  assert.deepEqual(await mongo.db('admin').command({ ping: 1 }, { readPreference: 'secondary' }), { ok: 1 });
});

test('horizons decide: unreachable names fail selection; the PROXY vpce id selects names that work', async (t) => {
  const cleanup = new Cleanup();
  t.after(() => cleanup.run());
  let gatewayPorts: number[] = [];
  const horizonCalls: HorizonContext[] = [];
  const set = await startSimulatedReplicaSet({
    setName: 'rs-horizon',
    proxyProtocol: true,
    advertisedHosts: (bound) => bound.map((b) => `internal.invalid:${b.port}`),
    horizonFor: (context) => {
      horizonCalls.push(context);
      return context.vpceId === VPCE ? gatewayPorts.map((port) => `${PL_HOST}:${port}`) : undefined;
    },
  });
  cleanup.add(() => set.stop());

  // An endpoint the mapping does not know: the nodes answer with their default (internal) names.
  const unknownPorts = await gatewayFor(set, 'vpce-fffffffffffffffff', cleanup);
  const failure = await selectionFails(`mongodb://${unknownPorts.map((p) => `${PL_HOST}:${p}`).join(',')}/?replicaSet=rs-horizon`, { lookup } as MongoClientOptions);
  assert.match(failure, /MongoServerSelectionError/);
  assert.match(failure, /internal\.invalid/);

  // The registered endpoint: same nodes, names the client can reach.
  gatewayPorts = await gatewayFor(set, VPCE, cleanup);
  const hosts = gatewayPorts.map((p) => `${PL_HOST}:${p}`);
  const mongo = await client(`mongodb://${hosts.join(',')}/?replicaSet=rs-horizon`, cleanup, { lookup } as MongoClientOptions);
  assert.deepEqual(await mongo.db('admin').command({ ping: 1 }), { ok: 1 });
  const hello = await mongo.db('admin').command({ hello: 1 });
  assert.equal(hello.me, hosts[0]);
  assert.deepEqual(hello.hosts, hosts);
  const secondary = await mongo.db('admin').command({ hello: 1 }, { readPreference: 'secondary' });
  assert.ok(hosts.slice(1).includes(secondary.me));
  assert.ok(horizonCalls.some((c) => c.vpceId === VPCE && c.proxy?.source?.address === '127.0.0.1'));
});

test('TLS with a certificate from the local CA: the SNI name selects the horizon, directly and through the PROXY gateway', async (t) => {
  const cleanup = new Cleanup();
  t.after(() => cleanup.run());
  const dir = await mkdtemp(join(process.env.PRIVLINK_TEST_SCRATCH ?? tmpdir(), 'ca-'));
  cleanup.add(() => rm(dir, { recursive: true, force: true }));
  const ca = await LocalCertificateAuthority.loadOrCreate(dir);
  assert.ok(ca.caCertPath);

  let directPorts: number[] = [];
  const direct = await startSimulatedReplicaSet({
    setName: 'rs-tls',
    tls: { SNICallback: ca.sniCallback() },
    advertisedHosts: (bound) => bound.map((b) => `internal.invalid:${b.port}`),
    horizonFor: (context) => (context.sni === PL_HOST ? directPorts.map((p) => `${PL_HOST}:${p}`) : undefined),
  });
  cleanup.add(() => direct.stop());
  directPorts = direct.bound.map((b) => b.port);
  const hosts = directPorts.map((p) => `${PL_HOST}:${p}`);
  const uri = `mongodb://${hosts.join(',')}/?replicaSet=rs-tls&tls=true&tlsCAFile=${encodeURIComponent(ca.caCertPath)}`;
  const mongo = await client(uri, cleanup, { lookup } as MongoClientOptions);
  assert.deepEqual(await mongo.db('admin').command({ ping: 1 }), { ok: 1 });
  assert.equal((await mongo.db('admin').command({ hello: 1 })).me, hosts[0]);
  // Without trusting the CA the same connection fails: the certificate is really checked.
  const untrusted = await selectionFails(`mongodb://${hosts.join(',')}/?replicaSet=rs-tls&tls=true`, { lookup } as MongoClientOptions);
  assert.match(untrusted, /certificate/i);

  // PROXY header first, then TLS: the node reads the header, then hands the rest to TLS.
  let gatewayPorts: number[] = [];
  const behindGateway = await startSimulatedReplicaSet({
    setName: 'rs-tls-pp',
    proxyProtocol: true,
    tls: { SNICallback: ca.sniCallback() },
    advertisedHosts: (bound) => bound.map((b) => `internal.invalid:${b.port}`),
    horizonFor: (context) => (context.sni === PL_HOST && context.vpceId === VPCE ? gatewayPorts.map((p) => `${PL_HOST}:${p}`) : undefined),
  });
  cleanup.add(() => behindGateway.stop());
  gatewayPorts = await gatewayFor(behindGateway, VPCE, cleanup);
  const viaGateway = gatewayPorts.map((p) => `${PL_HOST}:${p}`);
  const mongo2 = await client(`mongodb://${viaGateway.join(',')}/?replicaSet=rs-tls-pp&tls=true&tlsCAFile=${encodeURIComponent(ca.caCertPath)}`, cleanup, {
    lookup,
  } as MongoClientOptions);
  assert.deepEqual(await mongo2.db('admin').command({ ping: 1 }), { ok: 1 });
  assert.deepEqual((await mongo2.db('admin').command({ hello: 1 })).hosts, viaGateway);
});

test('a simulated mongos serves a load-balanced driver on one host; a replica-set member refuses load-balanced mode', async (t) => {
  const cleanup = new Cleanup();
  t.after(() => cleanup.run());
  const mongos = await startSimulatedMongos();
  cleanup.add(() => mongos.stop());
  const port = mongos.bound[0]!.port;
  const balanced = await client(`mongodb://localhost:${port}/?loadBalanced=true`, cleanup);
  assert.deepEqual(await balanced.db('admin').command({ ping: 1 }), { ok: 1 });
  assert.equal(topologyOf(balanced).description.type, 'LoadBalanced');
  const hello = await balanced.db('admin').command({ hello: 1 });
  assert.equal(hello.msg, 'isdbgrid');

  const sharded = await client(`mongodb://localhost:${port}/`, cleanup);
  assert.deepEqual(await sharded.db('admin').command({ ping: 1 }), { ok: 1 });
  assert.equal(topologyOf(sharded).description.type, 'Sharded');

  const set = await startSimulatedReplicaSet({ setName: 'rs-not-lb', members: [{}] });
  cleanup.add(() => set.stop());
  const refused = new MongoClient(`mongodb://localhost:${set.bound[0]!.port}/?loadBalanced=true`, { serverSelectionTimeoutMS: 1500 });
  await assert.rejects(
    (async () => {
      try {
        await refused.connect();
        await refused.db('admin').command({ ping: 1 });
      } finally {
        await refused.close();
      }
    })(),
    /load balancing mode/,
  );
});
