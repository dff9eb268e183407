import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { MongoClient } from 'mongodb';
import { after, before, describe, test } from 'node:test';
import { connectionStringsErrors } from '../support/atlas-contract.js';
import { privateDns } from '../support/driver-dns.js';
import { azureAvailableEndpoint, startStack, until, type Stack } from '../support/full-stack.js';

// Connecting through an Azure private endpoint, as Atlas documents it: a 3-node replica set on
// Azure, the endpoint service, the customer's private endpoint (official SDK), registered with its
// IP; the cluster's private-endpoint-aware strings name the endpoint with providerName AZURE,
// privlink's DNS answers with the private endpoint's address, and the official driver talks to the
// simulated nodes through the private link service. Rejecting the connection drops it.
const run = promisify(execFile);
let stack: Stack;
let dns: ReturnType<typeof privateDns>;
let serviceId: string;
let registered: { id: string; privateEndpointIPAddress: string };
let srv: string;

before(async () => {
  stack = await startStack();
  dns = privateDns(stack.running.dnsPort);
  ({ serviceId, registered } = await azureAvailableEndpoint(stack));
});

after(async () => {
  dns?.restore();
  await stack?.close();
});

describe('connection strings and DNS', () => {
  test('the cluster publishes strings whose endpoints name the Azure private endpoint', async () => {
    const cluster = await until(
      () => stack.owner.get(`${stack.project}/clusters/Cluster0`),
      (r) => (r.json as { connectionStrings: { privateEndpoint: unknown[] } }).connectionStrings.privateEndpoint.length > 0,
    );
    const strings = (cluster.json as { connectionStrings: { privateEndpoint: Array<Record<string, unknown>> } }).connectionStrings;
    const entry = strings.privateEndpoint[0]!;
    assert.deepEqual(entry.endpoints, [{ endpointId: registered.id, providerName: 'AZURE', region: 'US_EAST_2' }]);
    assert.match(String(entry.srvConnectionString), /^mongodb\+srv:\/\/cluster0-pl-0\.[a-z0-9]{5}\.privlink\.test$/);
    assert.deepEqual(connectionStringsErrors(strings), []);
    srv = String(entry.srvConnectionString);
  });

  test("the endpoint's hostname resolves to the private endpoint's address, checked with dig", async () => {
    const name = srv.replace('mongodb+srv://', '');
    const port = String(stack.running.dnsPort);
    const records = (await run('dig', ['@127.0.0.1', '-p', port, '+short', 'SRV', `_mongodb._tcp.${name}`])).stdout.trim().split('\n');
    assert.equal(records.length, 3);
    const host = records[0]!.split(' ')[3]!.replace(/\.$/, '');
    const [a] = (await run('dig', ['@127.0.0.1', '-p', port, '+short', 'A', host])).stdout.trim().split('\n');
    // The local cloud carries the private endpoint's IP 10.1.0.x on a loopback address 127.<network>.0.x.
    const last = registered.privateEndpointIPAddress.split('.').slice(2).join('.');
    assert.match(a!, new RegExp(`^127\\.\\d+\\.${last.replace('.', '\\.')}$`));
  });
});

describe('the official driver through the Azure private endpoint', () => {
  test('SRV string, tls=false: ping and hello, every node under the endpoint names', async () => {
    const client = new MongoClient(`${srv}/?tls=false`, { lookup: dns.lookup, serverSelectionTimeoutMS: 8000, connectTimeoutMS: 3000 });
    try {
      assert.deepEqual(await client.db('admin').command({ ping: 1 }), { ok: 1 });
      const hello = await client.db('admin').command({ hello: 1 });
      assert.equal(hello.hosts.length, 3);
      for (const h of hello.hosts as string[]) assert.match(h, /^pl-0-/);
      assert.match(hello.me, /^pl-0-/);
    } finally {
      await client.close();
    }
  });

  test('deleting the registration rejects the connection: open connections drop within a second, the string fails fast', async () => {
    const client = new MongoClient(`${srv}/?tls=false`, { lookup: dns.lookup, serverSelectionTimeoutMS: 2000 });
    try {
      await client.db('admin').command({ ping: 1 });
      const path = `${stack.project}/privateEndpoint/AZURE/endpointService/${serviceId}/endpoint/${encodeURIComponent(registered.id)}`;
      assert.equal((await stack.owner.delete(path)).status, 204);
      await until(
        () => stack.owner.get(path),
        (r) => r.status === 404,
      );
      const goneAt = Date.now();
      await assert.rejects(client.db('admin').command({ ping: 1 }));
      assert.ok(Date.now() - goneAt < 3000, `the ping failed ${Date.now() - goneAt} ms after the endpoint was gone`);
    } finally {
      await client.close();
    }
  });
});
