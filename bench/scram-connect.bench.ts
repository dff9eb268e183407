// Connection setup through a private endpoint with a database user: the official driver connects
// to the endpoint's address (the local cloud's gateway, then the simulated node) and runs one
// `ping`, logging in with SCRAM-SHA-256 (the default, speculative in the handshake) or SCRAM-SHA-1,
// beside the same connect without credentials in the same run (the reference). The three kinds
// alternate, so load on the machine weighs on all alike. Each sample is a fresh MongoClient:
// connect (monitor handshake) + ping (pool connection: handshake and, with a user, the login) +
// close, as a short-lived process or a serverless function connects. The driver caches the salted
// password after the first login (as every driver does), so the figures show the protocol's cost,
// not PBKDF2's. Targets: the login adds less than 5 ms (p50) to the driver's connection setup, and
// less than 2 ms (p50) on privlink's side (the wire-level table below).
//
//
// A second table isolates privlink's side: one connection from a minimal wire-protocol client with
// synchronous crypto (no driver), through the same gateway: hello + ping without a login, against
// hello carrying the speculative SCRAM-SHA-256 first step + saslContinue + ping (what the driver's
// default login sends). The driver's own share (its SCRAM math is asynchronous WebCrypto, each
// step a trip through libuv's thread pool) is the difference between the two tables.
//
// Processes: privlink runs in this process (its data plane in its worker thread); the driver runs
// on this process's main thread too, so the figures include the main thread's share of both.
// Run: npm run bench (or: npx tsc -p . && node scripts/run-bench.mjs scram). BENCH_RUNS=n per kind (default 200).
import {
  AuthorizeSecurityGroupIngressCommand,
  CreateVpcEndpointCommand,
  DescribeSecurityGroupsCommand,
  DescribeSubnetsCommand,
  DescribeVpcsCommand,
  EC2Client,
} from '@aws-sdk/client-ec2';
import { createHash, createHmac, pbkdf2Sync, randomBytes } from 'node:crypto';
import { connect, type Socket } from 'node:net';
import { availableParallelism, loadavg } from 'node:os';
import { Binary, type Document } from 'bson';
import { performance } from 'node:perf_hooks';
import { MongoClient } from 'mongodb';
import { AtlasClient } from '../src/client/atlas-client.js';
import { decodeReply, encodeOpMsgRequest, MessageFramer } from '../src/localcloud/dataplane/mongo-wire.js';
import { createService, pollUntil, registerEndpoint, waitEndpointAvailable, waitServiceAvailable } from './support/atlas-flow.js';
import { startBenchPrivlink } from './support/privlink-instance.js';
import { summarize, table, verdict } from './support/stats.js';

const RUNS = Math.max(1, Number(process.env.BENCH_RUNS ?? 200) || 200);
const WARMUP = 10;
const TARGET_ADDED_MS = 5;
const TARGET_WIRE_ADDED_MS = 2;
const POLL = { intervalMs: 25, timeoutMs: 30_000 };
const PASSWORD = 'bench-password-1';

/** The salted password of the bench user, computed once (as drivers cache it). */
let salted: { salt: string; iterations: number; value: Buffer } | undefined;

type Kind = 'no login (reference)' | 'SCRAM-SHA-256' | 'SCRAM-SHA-1';
const KINDS: readonly Kind[] = ['no login (reference)', 'SCRAM-SHA-256', 'SCRAM-SHA-1'];

const privlink = await startBenchPrivlink();
try {
  const { bootstrap, running } = privlink;
  const api = new AtlasClient({ baseUrl: running.apiUrl, publicKey: bootstrap.publicKey, privateKey: bootstrap.privateKey });
  const project = `/api/atlas/v2/groups/${bootstrap.projectId}`;
  const cluster = await api.post(`${project}/clusters`, {
    name: 'Bench0',
    clusterType: 'REPLICASET',
    replicationSpecs: [{ regionConfigs: [{ providerName: 'AWS', regionName: 'US_EAST_1', priority: 7, electableSpecs: { instanceSize: 'M10', nodeCount: 3 } }] }],
  });
  if (cluster.status !== 201) throw new Error(`POST cluster: ${cluster.status} ${cluster.text}`);
  const user = await api.post(`${project}/databaseUsers`, {
    databaseName: 'admin',
    username: 'bench',
    password: PASSWORD,
    roles: [{ roleName: 'readWriteAnyDatabase', databaseName: 'admin' }],
  });
  if (user.status !== 201) throw new Error(`POST databaseUsers: ${user.status} ${user.text}`);

  // The customer's endpoint, with a security group that admits this host (as the README does).
  const serviceId = await createService(api, bootstrap.projectId, 'AWS');
  const { target: serviceName } = await waitServiceAvailable(api, bootstrap.projectId, 'AWS', serviceId, POLL);
  const ec2 = new EC2Client({ endpoint: running.localCloudUrl!, region: 'us-east-1', credentials: bootstrap.localCloud.customer, maxAttempts: 1 });
  const vpcId = (await ec2.send(new DescribeVpcsCommand({ Filters: [{ Name: 'isDefault', Values: ['true'] }] }))).Vpcs![0]!.VpcId!;
  const subnetId = (
    await ec2.send(
      new DescribeSubnetsCommand({
        Filters: [
          { Name: 'vpc-id', Values: [vpcId] },
          { Name: 'availability-zone', Values: ['us-east-1a'] },
        ],
      }),
    )
  ).Subnets![0]!.SubnetId!;
  const groupId = (
    await ec2.send(
      new DescribeSecurityGroupsCommand({
        Filters: [
          { Name: 'vpc-id', Values: [vpcId] },
          { Name: 'group-name', Values: ['default'] },
        ],
      }),
    )
  ).SecurityGroups![0]!.GroupId!;
  await ec2.send(
    new AuthorizeSecurityGroupIngressCommand({ GroupId: groupId, IpPermissions: [{ IpProtocol: 'tcp', FromPort: 1024, ToPort: 65535, IpRanges: [{ CidrIp: '127.0.0.1/32' }] }] }),
  );
  const vpceId = (
    await ec2.send(new CreateVpcEndpointCommand({ VpcId: vpcId, ServiceName: serviceName, VpcEndpointType: 'Interface', SubnetIds: [subnetId], SecurityGroupIds: [groupId] }))
  ).VpcEndpoint!.VpcEndpointId!;
  await registerEndpoint(api, bootstrap.projectId, 'AWS', serviceId, { id: vpceId });
  await waitEndpointAvailable(api, bootstrap.projectId, 'AWS', serviceId, vpceId, POLL);
  await pollUntil(api, `${project}/clusters/Bench0`, (r) => r.text.includes('"srvConnectionString"'), POLL);
  const endpointAddress = (await running.localCloud!.snapshot()).endpoints.find((e) => e.endpointId === vpceId)!.networkInterfaces[0]!.loopbackAddress;
  ec2.destroy();

  const url = (kind: Kind) =>
    kind === 'no login (reference)'
      ? `mongodb://${endpointAddress}:1024/?directConnection=true&tls=false`
      : `mongodb://bench:${PASSWORD}@${endpointAddress}:1024/?directConnection=true&tls=false&authSource=admin&authMechanism=${kind}`;
  const once = async (kind: Kind): Promise<number> => {
    const started = performance.now();
    const client = new MongoClient(url(kind), { serverSelectionTimeoutMS: 5000, maxPoolSize: 1 });
    try {
      await client.connect();
      const reply = await client.db('admin').command({ ping: 1 });
      if (reply.ok !== 1) throw new Error(`ping answered ${JSON.stringify(reply)}`);
      return performance.now() - started;
    } finally {
      await client.close();
    }
  };

  for (let i = 0; i < WARMUP; i++) for (const kind of KINDS) await once(kind);
  const samples = new Map<Kind, number[]>(KINDS.map((k) => [k, []]));
  for (let i = 0; i < RUNS; i++) for (const kind of KINDS) samples.get(kind)!.push(await once(kind));

  const reference = summarize(samples.get('no login (reference)')!);
  const ms = (v: number) => v.toFixed(2);
  const rows = KINDS.map((kind) => {
    const s = summarize(samples.get(kind)!);
    return [kind, String(s.n), ms(s.p50), ms(s.p95), ms(s.p99), kind === 'no login (reference)' ? '—' : `+${ms(s.p50 - reference.p50)}`];
  });
  console.log(
    `backend: ${privlink.backend}; ${availableParallelism()} CPUs, load ${loadavg()
      .map((l) => l.toFixed(2))
      .join(' ')}`,
  );
  console.log(`connect + ping + close through the endpoint's gateway (${endpointAddress}:1024 → simulated primary), ${RUNS} runs per kind, alternating`);
  console.log(table(['kind', 'n', 'p50 ms', 'p95 ms', 'p99 ms', 'added p50 ms'], rows));
  let ok = true;
  for (const kind of KINDS.slice(1)) {
    const added = summarize(samples.get(kind)!).p50 - reference.p50;
    ok &&= added < TARGET_ADDED_MS;
    console.log(`target: ${kind} adds < ${TARGET_ADDED_MS} ms p50 to the unauthenticated setup: ${ms(added)} ms → ${verdict(added < TARGET_ADDED_MS)}`);
  }

  // Wire level: one connection, no driver.
  const wireKinds = ['hello + ping (reference)', 'hello with speculative SCRAM-SHA-256 + saslContinue + ping'] as const;
  const wire = new Map<string, number[]>(wireKinds.map((k) => [k, []]));
  for (let i = 0; i < WARMUP; i++) for (const kind of wireKinds) await wireOnce(endpointAddress, kind !== wireKinds[0]);
  for (let i = 0; i < RUNS; i++) for (const kind of wireKinds) wire.get(kind)!.push(await wireOnce(endpointAddress, kind !== wireKinds[0]));
  const wireReference = summarize(wire.get(wireKinds[0])!);
  console.log(`\none connection, minimal client with synchronous crypto (privlink's side alone), ${RUNS} runs per kind, alternating`);
  console.log(
    table(
      ['kind', 'n', 'p50 ms', 'p95 ms', 'p99 ms', 'added p50 ms'],
      wireKinds.map((kind) => {
        const s = summarize(wire.get(kind)!);
        return [kind, String(s.n), ms(s.p50), ms(s.p95), ms(s.p99), kind === wireKinds[0] ? '—' : `+${ms(s.p50 - wireReference.p50)}`];
      }),
    ),
  );
  const wireAdded = summarize(wire.get(wireKinds[1])!).p50 - wireReference.p50;
  ok &&= wireAdded < TARGET_WIRE_ADDED_MS;
  console.log(`target: privlink's side of the login adds < ${TARGET_WIRE_ADDED_MS} ms p50: ${ms(wireAdded)} ms → ${verdict(wireAdded < TARGET_WIRE_ADDED_MS)}`);
  api.close();
  process.exitCode = ok ? 0 : 1;
} finally {
  await privlink.close();
}

/** One connection: TCP connect, hello (with the speculative SCRAM-SHA-256 first step when `login`), saslContinue, ping, close. */
async function wireOnce(host: string, login: boolean): Promise<number> {
  const started = performance.now();
  const socket = await new Promise<Socket>((resolve, reject) => {
    const s = connect({ host, port: 1024, noDelay: true }, () => resolve(s));
    s.once('error', reject);
  });
  const framer = new MessageFramer(48_000_000);
  const pending: Buffer[] = [];
  let waiter: ((message: Buffer) => void) | undefined;
  socket.on('data', (chunk: Buffer) => {
    for (const message of framer.push(chunk)) {
      if (waiter) {
        const w = waiter;
        waiter = undefined;
        w(message);
      } else pending.push(message);
    }
  });
  let requestId = 1;
  const command = async (document: Document): Promise<Document> => {
    socket.write(encodeOpMsgRequest(requestId++, { ...document, $db: 'admin' }));
    const message = pending.shift() ?? (await new Promise<Buffer>((resolve) => (waiter = resolve)));
    const reply = decodeReply(message).document;
    if (reply.ok !== 1) throw new Error(`${Object.keys(document)[0]} answered ${JSON.stringify(reply)}`);
    return reply;
  };
  try {
    if (!login) {
      await command({ hello: 1 });
    } else {
      const clientNonce = randomBytes(24).toString('base64');
      const bare = `n=bench,r=${clientNonce}`;
      const hello = await command({
        hello: 1,
        speculativeAuthenticate: { saslStart: 1, mechanism: 'SCRAM-SHA-256', payload: new Binary(Buffer.from(`n,,${bare}`)), options: { skipEmptyExchange: true }, db: 'admin' },
      });
      const first = hello.speculativeAuthenticate as { conversationId: number; payload: Binary } | undefined;
      if (!first) throw new Error('hello answered no speculativeAuthenticate');
      const serverFirst = Buffer.from(first.payload.buffer).subarray(0, first.payload.position).toString();
      const fields = new Map(serverFirst.split(',').map((part) => [part[0]!, part.slice(2)]));
      const salt = fields.get('s')!;
      const iterations = Number(fields.get('i'));
      if (!salted || salted.salt !== salt || salted.iterations !== iterations) {
        salted = { salt, iterations, value: pbkdf2Sync(PASSWORD, Buffer.from(salt, 'base64'), iterations, 32, 'sha256') };
      }
      const clientKey = createHmac('sha256', salted.value).update('Client Key').digest();
      const storedKey = createHash('sha256').update(clientKey).digest();
      const withoutProof = `c=biws,r=${fields.get('r')}`;
      const signature = createHmac('sha256', storedKey).update(`${bare},${serverFirst},${withoutProof}`).digest();
      const proof = Buffer.from(clientKey.map((byte, i) => byte ^ signature[i]!)).toString('base64');
      const final = await command({ saslContinue: 1, conversationId: first.conversationId, payload: new Binary(Buffer.from(`${withoutProof},p=${proof}`)) });
      if (final.done !== true) throw new Error('saslContinue did not finish the login');
    }
    await command({ ping: 1 });
    return performance.now() - started;
  } finally {
    socket.destroy();
  }
}
