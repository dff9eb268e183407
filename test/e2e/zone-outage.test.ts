import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { connect as tcpConnect } from 'node:net';
import { promisify } from 'node:util';
import { CreateVpcEndpointCommand, DescribeAvailabilityZonesCommand, DescribeSubnetsCommand } from '@aws-sdk/client-ec2';
import { defaultVpc, openDefaultGroupToVpc } from '../support/customer-vpc.js';
import { MongoClient } from 'mongodb';
import { after, before, describe, test } from 'node:test';
import { runCliProcess, tempHome } from '../cli/support/cli-runner.js';
import { privateDns } from '../support/driver-dns.js';
import { clusterWithAvailableService, startStack, until, type Stack } from '../support/full-stack.js';

// An availability-zone outage, as seed 01's advice to deploy subnets in several zones is about:
// the local cloud's fault switch takes a zone down; an endpoint with subnets in two zones keeps
// serving through the other (private DNS answers only the healthy address, the official driver
// reconnects), an endpoint in that zone only goes dark and comes back with the zone.
const run = promisify(execFile);
let stack: Stack;
let dns: ReturnType<typeof privateDns>;
let cliHome: { home: string; cleanup(): void };
/** Endpoint in us-east-1a and us-east-1b, and one in us-east-1c only. */
const twoZones = { vpce: '', host: '', srv: '', addresses: new Map<string, string>() };
const oneZone = { vpce: '', host: '', srv: '', address: '' };
let clientAddress: string;

before(async () => {
  stack = await startStack({ PRIVLINK_RECONCILER_RESYNC_MS: '600000' });
  dns = privateDns(stack.running.dnsPort);
  cliHome = tempHome();
  const { serviceId, serviceName } = await clusterWithAvailableService(stack);

  const ec2 = stack.customerEc2();
  const vpc = await defaultVpc(ec2);
  const subnets = (await ec2.send(new DescribeSubnetsCommand({ Filters: [{ Name: 'vpc-id', Values: [vpc.VpcId!] }] }))).Subnets!;
  const subnet = (zone: string) => subnets.find((s) => s.AvailabilityZone === zone)!.SubnetId!;
  const groupId = await openDefaultGroupToVpc(ec2, vpc);
  const endpoint = async (zones: string[]) =>
    (
      await ec2.send(
        new CreateVpcEndpointCommand({
          VpcId: vpc.VpcId,
          ServiceName: serviceName,
          VpcEndpointType: 'Interface',
          SubnetIds: zones.map(subnet),
          SecurityGroupIds: [groupId],
        }),
      )
    ).VpcEndpoint!.VpcEndpointId!;
  twoZones.vpce = await endpoint(['us-east-1a', 'us-east-1b']);
  oneZone.vpce = await endpoint(['us-east-1c']);
  for (const vpce of [twoZones.vpce, oneZone.vpce]) {
    assert.equal((await stack.owner.post(`${stack.project}/privateEndpoint/AWS/endpointService/${serviceId}/endpoint`, { id: vpce })).status, 201);
    await until(
      () => stack.owner.get(`${stack.project}/privateEndpoint/AWS/endpointService/${serviceId}/endpoint/${vpce}`),
      (r) => (r.json as { connectionStatus: string }).connectionStatus === 'AVAILABLE',
    );
  }
  type Strings = { connectionStrings: { privateEndpoint: Array<{ srvConnectionString: string; connectionString: string; endpoints: Array<{ endpointId: string }> }> } };
  const clusterNow = await until(
    () => stack.owner.get(`${stack.project}/clusters/Cluster0`),
    (r) => (r.json as Strings).connectionStrings.privateEndpoint.length === 2,
  );
  for (const [target, vpce] of [
    [twoZones, twoZones.vpce],
    [oneZone, oneZone.vpce],
  ] as const) {
    const entry = (clusterNow.json as Strings).connectionStrings.privateEndpoint.find((e) => e.endpoints[0]!.endpointId === vpce)!;
    target.srv = entry.srvConnectionString;
    target.host = entry.connectionString.replace('mongodb://', '').split(':')[0]!;
  }
  const snapshot = await stack.running.localCloud!.snapshot();
  for (const eni of snapshot.endpoints.find((e) => e.endpointId === twoZones.vpce)!.networkInterfaces) twoZones.addresses.set(eni.availabilityZone!, eni.loopbackAddress);
  oneZone.address = snapshot.endpoints.find((e) => e.endpointId === oneZone.vpce)!.networkInterfaces[0]!.loopbackAddress;
  // A client in subnet us-east-1b of the same VPC.
  const [a, b, c] = twoZones.addresses.get('us-east-1b')!.split('.');
  clientAddress = `${a}.${b}.${c}.250`;
});

after(async () => {
  dns?.restore();
  cliHome?.cleanup();
  await stack?.close();
});

const digA = async (name: string) =>
  (await run('dig', ['@127.0.0.1', '-p', String(stack.running.dnsPort), '+time=2', '+tries=2', '+short', 'A', name])).stdout.trim().split('\n').filter(Boolean).sort();

/** Polls dig until the A answer of `name` is `expected` (sorted); returns how long it took. */
async function untilAnswer(name: string, expected: string[], timeoutMs = 3000): Promise<number> {
  const started = Date.now();
  let last: string[] = [];
  while (Date.now() - started < timeoutMs) {
    last = await digA(name);
    if (JSON.stringify(last) === JSON.stringify([...expected].sort())) return Date.now() - started;
    await new Promise((r) => setTimeout(r, 50));
  }
  assert.fail(`A ${name}: still ${JSON.stringify(last)} after ${timeoutMs} ms, expected ${JSON.stringify(expected)}`);
}

/** The zone switch as a user flips it: the CLI against the local cloud's EC2 endpoint. */
async function setZone(zone: string, state: 'impaired' | 'available'): Promise<void> {
  const result = await runCliProcess(['localcloud', 'aws', 'set-availability-zone-state', '--zone-name', zone, '--state', state, '--data-dir', stack.dataDir], {
    home: cliHome.home,
  });
  assert.equal(result.code, 0, result.stderr);
  assert.match(result.stdout, new RegExp(`^ZONE NAME\\s+ZONE ID\\s+STATE\\n${zone}\\s+\\S+\\s+${state}\\n$`));
}

function refuses(address: string, port: number): Promise<string> {
  return new Promise((resolve) => {
    const socket = tcpConnect({ host: address, port, localAddress: clientAddress });
    socket.once('connect', () => {
      socket.destroy();
      resolve('connected');
    });
    socket.once('error', (error: NodeJS.ErrnoException) => resolve(error.code ?? error.message));
  });
}

const driverOptions = (timeoutMs: number) => ({ lookup: dns.lookup, localAddress: clientAddress, serverSelectionTimeoutMS: timeoutMs, connectTimeoutMS: 2000 });

describe('an availability-zone outage', () => {
  test('before: the two-zone endpoint answers both addresses, the one-zone endpoint its one', async () => {
    assert.deepEqual(await digA(twoZones.host), [...twoZones.addresses.values()].sort());
    assert.deepEqual(await digA(oneZone.host), [oneZone.address]);
  });

  test('us-east-1a down: private DNS answers only the us-east-1b address, 1a refuses, and the connected driver carries on through 1b', async () => {
    const client = new MongoClient(`${twoZones.srv}/?tls=false`, driverOptions(10_000));
    try {
      assert.deepEqual(await client.db('admin').command({ ping: 1 }), { ok: 1 });
      await setZone('us-east-1a', 'impaired');
      const zones = (await stack.customerEc2().send(new DescribeAvailabilityZonesCommand({ ZoneNames: ['us-east-1a', 'us-east-1b'] }))).AvailabilityZones!;
      assert.deepEqual(
        zones.map((z) => [z.ZoneName, z.State]),
        [
          ['us-east-1a', 'impaired'],
          ['us-east-1b', 'available'],
        ],
      );
      const took = await untilAnswer(twoZones.host, [twoZones.addresses.get('us-east-1b')!]);
      assert.ok(took < 3000);
      assert.equal(await refuses(twoZones.addresses.get('us-east-1a')!, 1024), 'ECONNREFUSED');
      assert.equal(await refuses(twoZones.addresses.get('us-east-1b')!, 1024), 'connected');
      // The driver's connections through 1a (if any) are gone; it reconnects by name within its server-selection timeout.
      const started = Date.now();
      assert.deepEqual(await client.db('admin').command({ ping: 1 }), { ok: 1 });
      const hello = await client.db('admin').command({ hello: 1 });
      assert.equal(hello.hosts.length, 3);
      assert.ok(Date.now() - started < 10_000);
      // A fresh client connects too.
      const fresh = new MongoClient(`${twoZones.srv}/?tls=false`, driverOptions(5000));
      try {
        assert.deepEqual(await fresh.db('admin').command({ ping: 1 }), { ok: 1 });
      } finally {
        await fresh.close();
      }
    } finally {
      await client.close();
    }
  });

  test('us-east-1c down: the endpoint in that zone only goes dark (no address, connections refused), and comes back with the zone', async () => {
    await setZone('us-east-1c', 'impaired');
    await untilAnswer(oneZone.host, []);
    const out = (await run('dig', ['@127.0.0.1', '-p', String(stack.running.dnsPort), 'A', oneZone.host])).stdout;
    assert.match(out, /status: NOERROR[\s\S]*ANSWER: 0, AUTHORITY: 1/, 'the name still exists: NODATA, not NXDOMAIN');
    assert.equal(await refuses(oneZone.address, 1024), 'ECONNREFUSED');
    const dark = new MongoClient(`${oneZone.srv}/?tls=false`, driverOptions(1500));
    try {
      await assert.rejects(dark.db('admin').command({ ping: 1 }), { name: 'MongoServerSelectionError' });
    } finally {
      await dark.close();
    }

    await setZone('us-east-1c', 'available');
    await untilAnswer(oneZone.host, [oneZone.address]);
    const back = new MongoClient(`${oneZone.srv}/?tls=false`, driverOptions(5000));
    try {
      assert.deepEqual(await back.db('admin').command({ ping: 1 }), { ok: 1 });
    } finally {
      await back.close();
    }
  });

  test('us-east-1a back: both addresses again, and the registrations never left AVAILABLE', async () => {
    await setZone('us-east-1a', 'available');
    await untilAnswer(twoZones.host, [...twoZones.addresses.values()]);
    assert.equal(await refuses(twoZones.addresses.get('us-east-1a')!, 1024), 'connected');
    const endpoints = await stack.owner.get(`${stack.project}/clusters/Cluster0`);
    assert.equal((endpoints.json as { connectionStrings: { privateEndpoint: unknown[] } }).connectionStrings.privateEndpoint.length, 2);
  });
});
