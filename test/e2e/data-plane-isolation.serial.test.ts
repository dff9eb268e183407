import assert from 'node:assert/strict';
import { randomBytes, randomInt } from 'node:crypto';
import { createSocket } from 'node:dgram';
import { get as httpGet } from 'node:http';
import { Resolver } from 'node:dns/promises';
import { once } from 'node:events';
import { readdirSync } from 'node:fs';
import { connect as tcpConnect, type Socket } from 'node:net';
import { after, before, test } from 'node:test';
import { setImmediate as nextLoop, setTimeout as sleep } from 'node:timers/promises';
import { DescribeVpcsCommand, EC2Client } from '@aws-sdk/client-ec2';
import { Binary } from 'bson';
import { MongoClient } from 'mongodb';
import { AtlasClient } from '../../src/client/atlas-client.js';
import { encodeOpMsgRequest, MessageFramer } from '../../src/localcloud/dataplane/mongo-wire.js';
import { customerEndpoint } from '../support/customer-vpc.js';
import { privateDns } from '../support/driver-dns.js';
import { until } from '../support/full-stack.js';
import { percentile, probeHealth } from '../support/health-probe.js';
import { scrape } from '../support/prometheus-scrape.js';
import { startServer, type ServerProcess } from '../support/server-process.js';

// The data plane (private DNS, gateway, simulated nodes) runs in its own worker thread: hostile
// traffic on it must not stall the Admin API. The server runs as a real child process; while the
// data plane is under attack, GET /healthz is polled back to back and its p99 must stay under
// 50 ms (a regression guard with a generous bound), and the data plane must serve again after.
const P99_BOUND_MS = 50;
/** The server's open-file limit (as `ulimit -n` sets many hosts'); the data plane may hold three quarters of it. */
const OPEN_FILE_LIMIT = 1024;
/** How many connections a flood opens: more than the server's whole limit. */
const FLOOD = OPEN_FILE_LIMIT + 100;
/** How long the test pushes the big message at most (a slow data plane must not make the test long). */
const PUSH_BOUND_MS = 20_000;
let server: ServerProcess;
let owner: AtlasClient;
let project: string;
let dns: ReturnType<typeof privateDns>;
let srvName: string;
let endpointAddress: string;
let clientAddress: string;

before(async () => {
  server = await startServer({ openFileLimit: OPEN_FILE_LIMIT });
  owner = new AtlasClient({ baseUrl: server.apiUrl, publicKey: server.bootstrap.publicKey, privateKey: server.bootstrap.privateKey });
  project = `/api/atlas/v2/groups/${server.bootstrap.projectId}`;
  dns = privateDns(server.dnsPort);
  const cluster = await owner.post(`${project}/clusters`, {
    name: 'Cluster0',
    clusterType: 'REPLICASET',
    replicationSpecs: [{ regionConfigs: [{ providerName: 'AWS', regionName: 'US_EAST_1', priority: 7, electableSpecs: { instanceSize: 'M10', nodeCount: 3 } }] }],
  });
  assert.equal(cluster.status, 201, cluster.text);
  const service = await owner.post(`${project}/privateEndpoint/endpointService`, { providerName: 'AWS', region: 'us-east-1' });
  const serviceId = (service.json as { id: string }).id;
  const ready = await until(
    () => owner.get(`${project}/privateEndpoint/AWS/endpointService/${serviceId}`),
    (r) => (r.json as { status: string }).status === 'AVAILABLE',
    30_000,
  );
  const serviceName = (ready.json as { endpointServiceName: string }).endpointServiceName;

  const ec2 = new EC2Client({ endpoint: server.localCloudUrl!, region: 'us-east-1', maxAttempts: 1, credentials: server.bootstrap.localCloud!.customer });
  try {
    const vpce = await customerEndpoint(ec2, serviceName, { openToVpc: true });
    assert.equal((await owner.post(`${project}/privateEndpoint/AWS/endpointService/${serviceId}/endpoint`, { id: vpce })).status, 201);
  } finally {
    ec2.destroy();
  }
  const withStrings = await until(
    () => owner.get(`${project}/clusters/Cluster0`),
    (r) => ((r.json as { connectionStrings?: { privateEndpoint?: unknown[] } }).connectionStrings?.privateEndpoint?.length ?? 0) > 0,
    30_000,
  );
  const entry = (withStrings.json as { connectionStrings: { privateEndpoint: Array<{ srvConnectionString: string; connectionString: string }> } }).connectionStrings
    .privateEndpoint[0]!;
  srvName = entry.srvConnectionString.replace('mongodb+srv://', '');
  const endpointHost = entry.connectionString.replace('mongodb://', '').split(':')[0]!;
  endpointAddress = (await resolver().resolve4(endpointHost))[0]!;
  // A client inside the customer VPC: another address of the endpoint's subnet.
  clientAddress = endpointAddress.replace(/\.\d+$/, '.250');
  await driverPing(30_000);
});

after(async () => {
  dns?.restore();
  owner?.close();
  await server?.destroy();
});

function resolver(): Resolver {
  const r = new Resolver({ timeout: 1000, tries: 1 });
  r.setServers([`127.0.0.1:${server.dnsPort}`]);
  return r;
}

/** A fresh driver connection through the endpoint pings; retried until `withinMs` (the data plane may be restarting). */
async function driverPing(withinMs: number): Promise<void> {
  const deadline = Date.now() + withinMs;
  for (;;) {
    const client = new MongoClient(`mongodb+srv://${srvName}/?tls=false`, {
      lookup: dns.lookup,
      localAddress: clientAddress,
      serverSelectionTimeoutMS: 5000,
      connectTimeoutMS: 3000,
    });
    try {
      assert.deepEqual(await client.db('admin').command({ ping: 1 }), { ok: 1 });
      return;
    } catch (error) {
      if (Date.now() > deadline) throw error;
      await sleep(250);
    } finally {
      await client.close();
    }
  }
}

/**
 * Opens `count` connections (kept in `sockets`), a hundred at a time, each sending `firstBytes` once
 * connected; `onClose` hears of each one closed. Resolves once every one is connected or closed.
 */
async function openFlood(sockets: Socket[], count: number, connect: () => Socket, firstBytes: string | Buffer, onClose: () => void): Promise<void> {
  for (let i = 0; i < count; i += 100) {
    await Promise.all(
      Array.from({ length: Math.min(100, count - i) }, async () => {
        const socket = connect();
        socket.on('error', () => undefined);
        socket.once('close', onClose);
        sockets.push(socket);
        await new Promise((resolve) => {
          socket.once('connect', () => resolve(socket.write(firstBytes)));
          socket.once('close', resolve);
        });
      }),
    );
  }
}

/**
 * Opens FLOOD connections to the HTTP server at `url` (kept in `sockets`), each
 * sending half a request (`requestLine` without the headers' end): a server holds such a connection
 * until its headers are due. Resolves to how many the server closed at once.
 */
async function halfRequestFlood(url: string, requestLine: string, sockets: Socket[]): Promise<number> {
  const { hostname, port } = new URL(url);
  let closedByServer = 0;
  await openFlood(
    sockets,
    FLOOD,
    () => tcpConnect({ host: hostname, port: Number(port) }),
    `${requestLine}\r\n`,
    () => (closedByServer += 1),
  );
  await sleep(200);
  return closedByServer;
}

/** Creates an endpoint service in `region` through the Admin API and waits until it is AVAILABLE (the store, the reconciler and cloud calls at work). */
async function newServiceAvailable(region: string): Promise<void> {
  const service = await owner.post(`${project}/privateEndpoint/endpointService`, { providerName: 'AWS', region });
  assert.equal(service.status, 201, service.text);
  const id = (service.json as { id: string }).id;
  await until(
    () => owner.get(`${project}/privateEndpoint/AWS/endpointService/${id}`),
    (r) => (r.json as { status: string }).status === 'AVAILABLE',
    30_000,
  );
}

/** Polls /healthz while `attack` runs and for `settleMs` after; asserts the p99 bound. */
async function assertApiResponsive(attack: () => Promise<void>, settleMs: number): Promise<void> {
  const probe = probeHealth(server.apiUrl);
  let latencies: number[];
  try {
    await attack();
    await sleep(settleMs);
  } finally {
    latencies = await probe.stop();
  }
  const p99 = percentile(latencies, 99);
  const max = latencies.reduce((a, b) => Math.max(a, b), 0);
  assert.ok(latencies.length >= 50, `only ${latencies.length} /healthz answers during the attack`);
  const problems = server
    .output()
    .split('\n')
    .filter((line) => /"level":"(warn|error)"/.test(line))
    .slice(-10);
  assert.ok(
    p99 < P99_BOUND_MS,
    `/healthz p99 ${p99.toFixed(1)} ms over ${latencies.length} requests (max ${max.toFixed(1)} ms); the server's last warnings:\n${problems.join('\n')}`,
  );
}

test('a flood of bad DNS datagrams does not stall the Admin API; DNS and the API still answer after', async () => {
  const poison = Buffer.from([0x12, 0x34, 0x01, 0x00, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff]);
  const socket = createSocket('udp4');
  try {
    await assertApiResponsive(async () => {
      const send = (datagram: Buffer) => new Promise<void>((resolve) => socket.send(datagram, server.dnsPort, '127.0.0.1', () => resolve()));
      for (let i = 0; i < 2000; i++) {
        void send(poison);
        if (i % 50 === 49) await nextLoop();
      }
      for (let i = 0; i < 2000; i++) {
        void send(randomBytes(randomInt(1, 513)));
        if (i % 50 === 49) await nextLoop();
      }
      await send(poison);
    }, 2000);
  } finally {
    socket.close();
  }
  // The data plane serves again (at once, or after its worker was restarted).
  const deadline = Date.now() + 20_000;
  let records: Array<{ name: string; port: number }> = [];
  while (records.length === 0) {
    records = await resolver()
      .resolveSrv(`_mongodb._tcp.${srvName}`)
      .catch((error: Error) => {
        if (Date.now() > deadline) throw error;
        return [];
      });
  }
  assert.deepEqual(records.map((r) => r.port).sort(), [1024, 1025, 1026]);
  const read = await owner.get(project);
  assert.equal(read.status, 200, read.text);
  assert.equal((read.json as { id: string }).id, server.bootstrap.projectId);
});

test('a 40 MB wire message through the gateway does not stall the Admin API; the endpoint still serves after', async () => {
  await driverPing(30_000);
  const total = 40_000_000;
  const socket = tcpConnect({ host: endpointAddress, port: 1024, localAddress: clientAddress });
  socket.on('error', () => undefined);
  await once(socket, 'connect');
  const closed = new Promise<void>((resolve) => socket.once('close', () => resolve()));
  try {
    await assertApiResponsive(async () => {
      const prefix = opMsgPrefix(total);
      await writeAll(socket, prefix);
      const chunk = Buffer.alloc(64 * 1024);
      let remaining = total - prefix.length - 1;
      const deadline = Date.now() + PUSH_BOUND_MS;
      while (remaining > 0 && !socket.destroyed && Date.now() < deadline) {
        const part = remaining >= chunk.length ? chunk : chunk.subarray(0, remaining);
        remaining -= part.length;
        await writeAll(socket, part);
      }
      if (remaining > 0) return; // the data plane took the bytes too slowly: the bound on the test's length, not a failure
      await writeAll(socket, Buffer.from([0])); // the document's terminator
      // The node answers the ping or closes the connection; either way within a bound.
      await Promise.race([settled(once(socket, 'data')), closed, sleep(10_000)]);
    }, 1000);
  } finally {
    socket.destroy();
  }
  await driverPing(15_000);
});

test('a flood of logins with unknown usernames does not stall the Admin API; a real user logs in after', async () => {
  const created = await owner.post(`${project}/databaseUsers`, {
    databaseName: 'admin',
    username: 'after-flood',
    password: 'after-flood-password',
    roles: [{ roleName: 'readAnyDatabase', databaseName: 'admin' }],
  });
  assert.equal(created.status, 201, created.text);
  const CONNECTIONS = 20;
  const ATTEMPTS = 100;
  const answered: number[] = [];
  await assertApiResponsive(async () => {
    await Promise.all(
      Array.from({ length: CONNECTIONS }, async (_, c) => {
        // Every saslStart names a user nobody has: each is a lookup the data plane must ask the store.
        const socket = tcpConnect({ host: endpointAddress, port: 1024, localAddress: clientAddress });
        socket.on('error', () => undefined);
        await once(socket, 'connect');
        const framer = new MessageFramer(48_000_000);
        let replies = 0;
        const done = new Promise<void>((resolve) => {
          socket.on('data', (chunk: Buffer) => {
            replies += framer.push(chunk).length;
            if (replies >= ATTEMPTS) resolve();
          });
          socket.once('close', () => resolve());
        });
        const start = (i: number) =>
          encodeOpMsgRequest(i + 1, {
            saslStart: 1,
            mechanism: 'SCRAM-SHA-256',
            payload: new Binary(Buffer.from(`n,,n=flood-${c}-${i},r=${randomBytes(18).toString('base64')}`)),
            $db: 'admin',
          });
        await writeAll(socket, Buffer.concat(Array.from({ length: ATTEMPTS }, (_, i) => start(i))));
        await Promise.race([done, sleep(20_000)]);
        answered.push(replies);
        socket.destroy();
      }),
    );
  }, 1000);
  // Every attempt was answered (AuthenticationFailed), none left hanging.
  assert.deepEqual(
    answered,
    Array.from({ length: CONNECTIONS }, () => ATTEMPTS),
  );
  const client = new MongoClient(`mongodb+srv://after-flood:after-flood-password@${srvName}/?tls=false`, {
    lookup: dns.lookup,
    localAddress: clientAddress,
    serverSelectionTimeoutMS: 8000,
  });
  try {
    const status = await client.db('admin').command({ connectionStatus: 1 });
    assert.deepEqual(status.authInfo.authenticatedUsers, [{ user: 'after-flood', db: 'admin' }]);
  } finally {
    await client.close();
  }
});

/** GET /healthz on a connection of its own (no keep-alive pool): the server must accept a new socket. */
function healthzOnNewConnection(apiUrl: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const request = httpGet(`${apiUrl}/healthz`, { agent: false, timeout: 5_000 }, (response) => {
      response.resume();
      resolve(response.statusCode ?? 0);
    });
    request.on('timeout', () => request.destroy(new Error('GET /healthz on a new connection timed out')));
    request.on('error', reject);
  });
}

/**
 * The first bytes of an OP_MSG of `total` bytes: header, flagBits, and a kind-0 section whose
 * document is `{ ping: 1, $db: 'admin', pad: <binary> }`; the pad's bytes and the document's
 * final 0 follow.
 */
function opMsgPrefix(total: number): Buffer {
  const docLength = total - 16 - 4 - 1;
  const padLength = docLength - 40;
  const out = Buffer.alloc(16 + 4 + 1 + 39);
  let at = 0;
  at = out.writeInt32LE(total, at);
  at = out.writeInt32LE(1, at); // requestID
  at = out.writeInt32LE(0, at); // responseTo
  at = out.writeInt32LE(2013, at); // OP_MSG
  at = out.writeUInt32LE(0, at); // flagBits
  at = out.writeUInt8(0, at); // section kind 0
  at = out.writeInt32LE(docLength, at);
  at = out.writeUInt8(0x10, at) + out.write('ping\0', at + 1, 'latin1');
  at = out.writeInt32LE(1, at);
  at = out.writeUInt8(0x02, at) + out.write('$db\0', at + 1, 'latin1');
  at = out.writeInt32LE(6, at);
  at += out.write('admin\0', at, 'latin1');
  at = out.writeUInt8(0x05, at) + out.write('pad\0', at + 1, 'latin1');
  at = out.writeInt32LE(padLength, at);
  out.writeUInt8(0, at); // binary subtype
  return out;
}

/** Writes with backpressure; resolves early when the peer closed the connection. */
async function writeAll(socket: Socket, data: Buffer): Promise<void> {
  if (socket.destroyed) return;
  if (socket.write(data)) return;
  await Promise.race([settled(once(socket, 'drain')), settled(once(socket, 'close'))]);
}

/** Waits for `promise` and ignores its failure (a peer that resets the connection is an allowed answer). */
function settled(promise: Promise<unknown>): Promise<void> {
  return promise.then(
    () => undefined,
    () => undefined,
  );
}

test('a flood of connections through the endpoint leaves the Admin API and the reconciler their open files; the endpoint serves again after', async () => {
  // Each connection through the gateway holds three of the server's files (the client's socket,
  // the gateway's to the node, the node's): FLOOD would spend the whole limit three times over.
  const before = (await scrape(server.apiUrl)).value('privlink_data_plane_open_files_refused_total');
  const sockets: Socket[] = [];
  let closedByServer = 0;
  let resetAtOnce = 0;
  try {
    await assertApiResponsive(async () => {
      // One byte of a wire message each: a node holds such a connection for its incomplete-message time (30 s).
      await openFlood(
        sockets,
        FLOOD,
        () => tcpConnect({ host: endpointAddress, port: 1024, localAddress: clientAddress }),
        Buffer.from([0x10]),
        () => (closedByServer += 1),
      );
      // Those the data plane had no room for are reset at once (not left hanging); the others stay
      // open (a node closes a connection that sends nothing for 10 s).
      await sleep(200);
      resetAtOnce = closedByServer;
      // While the flood holds what it got: new connections to the Admin API are accepted and answered…
      for (let i = 0; i < 5; i++) assert.equal(await healthzOnNewConnection(server.apiUrl), 200);
      // …and a write that needs the reconciler, the store and a new cloud client's calls gets done.
      await newServiceAvailable('us-west-2');
    }, 500);
    // The data plane refused what would have gone over its share, at once (a reset, not a hang).
    assert.ok(resetAtOnce > 0 && resetAtOnce < FLOOD, `${resetAtOnce} of ${FLOOD} connections reset at once by the server`);
    // Counted (the data plane ships its counts about once a second).
    const deadline = Date.now() + 5_000;
    let after = before;
    while (after <= before && Date.now() < deadline) {
      await sleep(250);
      after = (await scrape(server.apiUrl)).value('privlink_data_plane_open_files_refused_total');
    }
    assert.ok(after > before, `refusals counted: ${before} → ${after}`);
  } finally {
    for (const socket of sockets) socket.destroy();
  }
  await driverPing(15_000);
});

test('a flood of connections to the Admin API leaves the local cloud and the reconciler their open files; the Admin API serves again after', async () => {
  const before = (await scrape(server.apiUrl)).value('privlink_api_connections_dropped_total');
  const sockets: Socket[] = [];
  let closedAtOnce = 0;
  try {
    closedAtOnce = await halfRequestFlood(server.apiUrl, 'GET /healthz HTTP/1.1', sockets);
    // While the flood holds what it got, the local cloud's API answers twenty new connections at once.
    const clients = Array.from(
      { length: 20 },
      () => new EC2Client({ endpoint: server.localCloudUrl!, region: 'us-east-1', maxAttempts: 1, credentials: server.bootstrap.localCloud!.customer }),
    );
    try {
      const answers = await Promise.all(clients.map((client) => client.send(new DescribeVpcsCommand({}))));
      assert.ok(answers.every((answer) => (answer.Vpcs ?? []).length > 0));
    } finally {
      for (const client of clients) client.destroy();
    }
    const held = FLOOD - closedAtOnce;
    // The Admin API held its share of the process's files and closed the rest at once (not left hanging).
    assert.ok(closedAtOnce > 0 && held < OPEN_FILE_LIMIT / 4, `the Admin API held ${held} of ${FLOOD} connections`);
    const files = readdirSync(`/proc/${server.child.pid}/fd`).length;
    assert.ok(files < OPEN_FILE_LIMIT - 100, `the server holds ${files} files of its ${OPEN_FILE_LIMIT}`);
    // With a few of the flood's connections let go, a write that needs the reconciler, the
    // store and the cloud gets done through the Admin API.
    for (const socket of sockets.splice(0, 10)) socket.destroy();
    await sleep(100);
    await newServiceAvailable('eu-west-1');
  } finally {
    for (const socket of sockets) socket.destroy();
  }
  await sleep(200);
  for (let i = 0; i < 5; i++) assert.equal(await healthzOnNewConnection(server.apiUrl), 200);
  const after = (await scrape(server.apiUrl)).value('privlink_api_connections_dropped_total');
  assert.ok(after - before >= closedAtOnce, `closed connections counted: ${before} → ${after} (${closedAtOnce} closed at once)`);
  await driverPing(15_000);
});

test("a flood of connections to the local cloud's AWS API leaves the Admin API and the reconciler their open files; the cloud answers again after", async () => {
  const dropped = async () => (await scrape(server.apiUrl)).value('privlink_localcloud_api_connections_dropped_total', { cloud: 'AWS' });
  const before = await dropped();
  const sockets: Socket[] = [];
  let closedAtOnce = 0;
  try {
    closedAtOnce = await halfRequestFlood(server.localCloudUrl!, 'POST / HTTP/1.1', sockets);
    const held = FLOOD - closedAtOnce;
    // The cloud's API held its share of the process's files and closed the rest at once (not left hanging).
    assert.ok(closedAtOnce > 0 && held < OPEN_FILE_LIMIT / 4, `the local cloud's AWS API held ${held} of ${FLOOD} connections`);
    const files = readdirSync(`/proc/${server.child.pid}/fd`).length;
    assert.ok(files < OPEN_FILE_LIMIT - 100, `the server holds ${files} files of its ${OPEN_FILE_LIMIT}`);
    // While the flood holds what it got, the Admin API answers new connections.
    for (let i = 0; i < 5; i++) assert.equal(await healthzOnNewConnection(server.apiUrl), 200);
    // With a few of the flood's connections let go, a write that needs the reconciler, the store
    // and the cloud's API gets done.
    for (const socket of sockets.splice(0, 10)) socket.destroy();
    await sleep(100);
    await newServiceAvailable('ap-southeast-1');
  } finally {
    for (const socket of sockets) socket.destroy();
  }
  const after = await dropped();
  assert.ok(after - before >= closedAtOnce, `closed connections counted: ${before} → ${after} (${closedAtOnce} closed at once)`);
  await driverPing(15_000);
});
