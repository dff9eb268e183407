// The whole private-DNS path with the official driver: mongodb+srv:// → SRV + TXT from our DNS
// server → host lookups through our A records → the simulated replica set.
import assert from 'node:assert/strict';
import dns from 'node:dns';
import { test } from 'node:test';
import { MongoClient, type MongoClientOptions } from 'mongodb';
import { startDnsServer, staticRecords, type DnsRecord } from './dns-server.js';
import { startSimulatedReplicaSet } from './simulated-cluster.js';
import { Cleanup, mappedLookup } from './dataplane.test-support.js';

const HOST = 'pl-0-us-east-1.abcde.privlink.test';
const SRV_HOST = 'cluster0-pl-0.abcde.privlink.test';

test('mongodb+srv:// resolves SRV, TXT and A records from the private DNS and reaches the simulated nodes', async (t) => {
  const cleanup = new Cleanup();
  t.after(() => cleanup.run());
  const set = await startSimulatedReplicaSet({ setName: 'atlas-abcde-shard-0', advertisedHosts: (bound) => bound.map((b) => `${HOST}:${b.port}`) });
  cleanup.add(() => set.stop());

  const table: Record<string, DnsRecord[]> = {
    [HOST]: [{ type: 'A', address: '127.0.0.1' }],
    [`_mongodb._tcp.${SRV_HOST}`]: set.bound.map((b) => ({ type: 'SRV' as const, target: HOST, port: b.port })),
    [SRV_HOST]: [{ type: 'TXT', data: 'authSource=admin&replicaSet=atlas-abcde-shard-0' }],
  };
  const queries: string[] = [];
  const server = await startDnsServer({ resolve: staticRecords(table), onQuery: (q) => queries.push(`${q.type} ${q.name}`) });
  cleanup.add(() => server.stop());

  // The driver's SRV/TXT lookups use the process-wide resolver; point it at our server, then restore.
  const original = dns.getServers();
  dns.setServers([`${server.address}:${server.port}`]);
  cleanup.add(() => dns.setServers(original));
  // Host lookups use getaddrinfo, which ignores setServers: answer them from our A records.
  const resolver = new dns.promises.Resolver({ timeout: 1000, tries: 2 });
  resolver.setServers([`${server.address}:${server.port}`]);
  const lookup = mappedLookup(async (hostname) => (hostname.endsWith('.privlink.test') ? (await resolver.resolve4(hostname))[0] : undefined));

  const mongo = new MongoClient(`mongodb+srv://${SRV_HOST}/?tls=false`, { serverSelectionTimeoutMS: 5000, lookup } as MongoClientOptions);
  cleanup.add(() => mongo.close());
  await mongo.connect();
  assert.deepEqual(await mongo.db('admin').command({ ping: 1 }), { ok: 1 });
  const hello = await mongo.db('admin').command({ hello: 1 });
  assert.equal(hello.setName, 'atlas-abcde-shard-0');
  assert.equal(hello.me, `${HOST}:${set.bound[0]!.port}`);
  assert.equal(mongo.options.replicaSet, 'atlas-abcde-shard-0', 'replicaSet came from the TXT record');
  assert.deepEqual(mongo.options.hosts.map((h) => h.toString()).sort(), set.bound.map((b) => `${HOST}:${b.port}`).sort(), 'seed list came from the SRV record');
  assert.ok(queries.includes(`SRV _mongodb._tcp.${SRV_HOST}`));
  assert.ok(queries.includes(`TXT ${SRV_HOST}`));
  assert.ok(queries.includes(`A ${HOST}`));
  const secondary = await mongo.db('admin').command({ hello: 1 }, { readPreference: 'secondary' });
  assert.equal(secondary.secondary, true);
});
