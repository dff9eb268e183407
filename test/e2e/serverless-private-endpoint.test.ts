import assert from 'node:assert/strict';
import { DescribeVpcEndpointsCommand } from '@aws-sdk/client-ec2';
import { MongoClient } from 'mongodb';
import { after, before, describe, test } from 'node:test';
import { expectContract } from '../support/atlas-contract.js';
import { customerEndpoint } from '../support/customer-vpc.js';
import { privateDns } from '../support/driver-dns.js';
import { startStack, until, type Stack } from '../support/full-stack.js';

// Seed 04 "Set Up a Private Endpoint for a Serverless Instance" (AWS PrivateLink, Admin API), end to
// end on the local cloud with the real AWS SDK and the official driver: create the instance, POST
// the endpoint, read the service name, create the VPC endpoint, PATCH its id, wait for AVAILABLE,
// connect with the instance's private SRV string (load-balanced through its TXT record), delete.
let stack: Stack;
let dns: ReturnType<typeof privateDns>;
let endpointId: string;
let vpce: string;
let srv: string;
let clientAddress: string;
const path = () => `${stack.project}/privateEndpoint/serverless/instance/Serverless0/endpoint`;

before(async () => {
  stack = await startStack();
  dns = privateDns(stack.running.dnsPort);
});
after(async () => {
  dns?.restore();
  await stack?.close();
});

describe('serverless instance with an AWS private endpoint', () => {
  test('the instance is created CREATING and becomes IDLE once its front end runs', async () => {
    const created = await stack.owner.post(`${stack.project}/serverless`, {
      name: 'Serverless0',
      providerSettings: { backingProviderName: 'AWS', providerName: 'SERVERLESS', regionName: 'US_EAST_1' },
    });
    assert.equal(created.status, 201, created.text);
    assert.equal((created.json as { stateName: string }).stateName, 'CREATING');
    const idle = await until(
      () => stack.owner.get(`${stack.project}/serverless/Serverless0`),
      (r) => (r.json as { stateName: string }).stateName === 'IDLE',
    );
    assert.deepEqual((idle.json as { connectionStrings: { privateEndpoint: unknown[] } }).connectionStrings.privateEndpoint, []);
  });

  test('POST the endpoint → RESERVATION_REQUESTED, then RESERVED with an AWS service name', async () => {
    const created = await stack.owner.post(path(), { comment: 'example comment' });
    expectContract(created, 'POST', '/serverless/instance/{instanceName}/endpoint', 201);
    const body = created.json as Record<string, unknown>;
    assert.deepEqual(body, {
      _id: body._id,
      cloudProviderEndpointId: null,
      comment: 'example comment',
      endpointServiceName: null,
      errorMessage: null,
      providerName: 'AWS',
      status: 'RESERVATION_REQUESTED',
    });
    endpointId = String(body._id);
    const reserved = await until(
      () => stack.owner.get(`${path()}/${endpointId}`),
      (r) => (r.json as { status: string }).status === 'RESERVED',
    );
    expectContract(reserved, 'GET', '/serverless/instance/{instanceName}/endpoint/{endpointId}', 200);
    assert.match(String((reserved.json as { endpointServiceName: string }).endpointServiceName), /^com\.amazonaws\.vpce\.us-east-1\.vpce-svc-[0-9a-f]{17}$/);
  });

  test('the customer creates the VPC endpoint and PATCHes its id → INITIATING → AVAILABLE', async () => {
    const reserved = (await stack.owner.get(`${path()}/${endpointId}`)).json as { endpointServiceName: string };
    vpce = await customerEndpoint(stack.customerEc2(), reserved.endpointServiceName, { openToVpc: true });
    const missing = await stack.owner.patch(`${path()}/${endpointId}`, { cloudProviderEndpointId: vpce });
    assert.equal(missing.status, 400);
    assert.equal((missing.json as { errorCode: string }).errorCode, 'MISSING_ATTRIBUTE');
    const patched = await stack.owner.patch(`${path()}/${endpointId}`, { cloudProviderEndpointId: vpce, providerName: 'AWS' });
    expectContract(patched, 'PATCH', '/serverless/instance/{instanceName}/endpoint/{endpointId}', 200);
    assert.equal((patched.json as { status: string }).status, 'INITIATING');
    assert.equal((patched.json as { cloudProviderEndpointId: string }).cloudProviderEndpointId, vpce);
    await until(
      () => stack.owner.get(`${path()}/${endpointId}`),
      (r) => (r.json as { status: string }).status === 'AVAILABLE',
    );
    const described = await stack.customerEc2().send(new DescribeVpcEndpointsCommand({ VpcEndpointIds: [vpce] }));
    assert.equal(described.VpcEndpoints![0]!.State, 'available');
  });

  test("the instance publishes the endpoint's private SRV string", async () => {
    const instance = (await stack.owner.get(`${stack.project}/serverless/Serverless0`)).json as {
      connectionStrings: { privateEndpoint: Array<{ srvConnectionString: string; type: string; endpoints: unknown[] }>; standardSrv: string };
    };
    const entry = instance.connectionStrings.privateEndpoint[0]!;
    assert.match(entry.srvConnectionString, /^mongodb\+srv:\/\/serverless0-pe-0\.[a-z0-9]{5}\.privlink\.test$/);
    assert.equal(entry.type, 'MONGOS');
    assert.deepEqual(entry.endpoints, [{ endpointId: vpce, providerName: 'AWS', region: 'US_EAST_1' }]);
    assert.match(instance.connectionStrings.standardSrv, /^mongodb\+srv:\/\/serverless0\.[a-z0-9]{5}\.privlink\.test$/);
    srv = entry.srvConnectionString;
    const snapshot = await stack.running.localCloud!.snapshot();
    const address = snapshot.endpoints.find((e) => e.endpointId === vpce)!.networkInterfaces[0]!.loopbackAddress;
    const [a, b, c] = address.split('.');
    clientAddress = `${a}.${b}.${c}.250`;
  });

  test('the official driver connects through the endpoint, load-balanced, and pings', async () => {
    const client = new MongoClient(`${srv}/?tls=false`, { lookup: dns.lookup, localAddress: clientAddress, serverSelectionTimeoutMS: 8000, connectTimeoutMS: 3000 });
    try {
      assert.deepEqual(await client.db('admin').command({ ping: 1 }), { ok: 1 });
      const hello = await client.db('admin').command({ hello: 1 });
      assert.equal(hello.msg, 'isdbgrid');
    } finally {
      await client.close();
    }
  });

  test('DELETE → DELETING → 404; the customer endpoint shows rejected and the driver is refused', async () => {
    const deleted = await stack.owner.delete(`${path()}/${endpointId}`);
    assert.equal(deleted.status, 204);
    const deleting = await stack.owner.get(`${path()}/${endpointId}`);
    assert.ok(deleting.status === 404 || (deleting.json as { status: string }).status === 'DELETING', deleting.text);
    await until(
      () => stack.owner.get(`${path()}/${endpointId}`),
      (r) => r.status === 404,
    );
    const described = await stack.customerEc2().send(new DescribeVpcEndpointsCommand({ VpcEndpointIds: [vpce] }));
    assert.match(String(described.VpcEndpoints![0]!.State), /rejected|deleted|failed/i);
    const client = new MongoClient(`${srv}/?tls=false`, { lookup: dns.lookup, localAddress: clientAddress, serverSelectionTimeoutMS: 2000 });
    await assert.rejects(client.connect());
    await client.close();
    const instance = (await stack.owner.get(`${stack.project}/serverless/Serverless0`)).json as { connectionStrings: { privateEndpoint: unknown[] } };
    assert.deepEqual(instance.connectionStrings.privateEndpoint, []);
  });

  test('deleting the instance: DELETING, then 404', async () => {
    const res = await stack.owner.delete(`${stack.project}/serverless/Serverless0`);
    assert.equal(res.status, 202, res.text);
    await until(
      () => stack.owner.get(`${stack.project}/serverless/Serverless0`),
      (r) => r.status === 404,
    );
  });
});
