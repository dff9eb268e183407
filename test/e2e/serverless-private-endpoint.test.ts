import assert from 'node:assert/strict';
import { DescribeVpcEndpointsCommand, DescribeVpcEndpointServiceConfigurationsCommand } from '@aws-sdk/client-ec2';
import { DescribeLoadBalancersCommand } from '@aws-sdk/client-elastic-load-balancing-v2';
import { Resolver } from 'node:dns/promises';
import { MongoClient } from 'mongodb';
import { after, before, describe, test } from 'node:test';
import { expectContract, expectServerlessContract, expectV1Contract, expectV1ServerlessContract } from '../support/atlas-contract.js';
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
const path = (instance = 'Serverless0') => `${stack.project}/privateEndpoint/serverless/instance/${instance}/endpoint`;
/** The same endpoints on v1.0. */
const v1Path = () => path().replace('/api/atlas/v2/', '/api/atlas/v1.0/');
type Json = Record<string, unknown>;

/** The provider calls the reconciler sent, by operation name. */
const providerCalls: string[] = [];

before(async () => {
  stack = await startStack({}, { onProviderCall: (_provider, operation) => providerCalls.push(operation) });
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
    const v1 = await stack.owner.get(`${v1Path()}/${endpointId}`);
    expectV1Contract(v1, 'GET', '/serverless/instance/{instanceName}/endpoint/{endpointId}', 200);
    assert.deepEqual(v1.json, reserved.json);
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
    const v1List = await stack.owner.get(v1Path());
    expectV1Contract(v1List, 'GET', '/serverless/instance/{instanceName}/endpoint', 200);
    assert.deepEqual(
      (v1List.json as Json[]).map((e) => [e._id, e.status, e.cloudProviderEndpointId]),
      [[endpointId, 'AVAILABLE', vpce]],
    );
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
    const v1 = await stack.owner.get(`${stack.project.replace('/api/atlas/v2/', '/api/atlas/v1.0/')}/serverless/Serverless0`);
    expectV1ServerlessContract(v1, 'GET', '/{name}', 200);
    assert.deepEqual((v1.json as { connectionStrings: unknown }).connectionStrings, instance.connectionStrings);
    const snapshot = await stack.running.localCloud!.snapshot();
    const address = snapshot.endpoints.find((e) => e.endpointId === vpce)!.networkInterfaces[0]!.loopbackAddress;
    const [a, b, c] = address.split('.');
    clientAddress = `${a}.${b}.${c}.250`;
  });

  test('private DNS: SRV to pe-0-<instance>:27017, TXT loadBalanced, A the endpoint address', async () => {
    const resolver = new Resolver();
    resolver.setServers([`127.0.0.1:${stack.running.dnsPort}`]);
    const name = srv.replace('mongodb+srv://', '');
    const records = await resolver.resolveSrv(`_mongodb._tcp.${name}`);
    assert.deepEqual(
      records.map((r) => [r.name, r.port]),
      [[name.replace(/^serverless0-pe-0\./, 'pe-0-serverless0.'), 27017]],
    );
    assert.deepEqual(await resolver.resolveTxt(name), [['authSource=admin&loadBalanced=true']]);
    const [address] = await resolver.resolve4(records[0]!.name);
    assert.equal(`${address!.split('.').slice(0, 3).join('.')}.250`, clientAddress);
  });

  test('the official driver connects through the endpoint, load-balanced, and pings', async () => {
    const client = new MongoClient(`${srv}/?tls=false`, { lookup: dns.lookup, localAddress: clientAddress, serverSelectionTimeoutMS: 8000, connectTimeoutMS: 3000 });
    try {
      assert.deepEqual(await client.db('admin').command({ ping: 1 }), { ok: 1 });
      const hello = await client.db('admin').command({ hello: 1 });
      assert.equal(hello.msg, 'isdbgrid');
      // The TXT record made it a load-balanced connection (the front end answered with a serviceId).
      const topology = (client as unknown as { topology?: { description: { type: string } } }).topology;
      assert.equal(topology?.description.type, 'LoadBalanced');
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

  test('FAILED paths: an unknown endpoint id after the grace, an endpoint of another service; a second id and an id in use are refused', async () => {
    const reserve = async () => {
      const created = await stack.owner.post(path(), {});
      const id = String((created.json as { _id: string })._id);
      const reserved = await until(
        () => stack.owner.get(`${path()}/${id}`),
        (r) => (r.json as { status: string }).status === 'RESERVED',
      );
      return { id, serviceName: (reserved.json as { endpointServiceName: string }).endpointServiceName };
    };
    const unknown = await reserve();
    const ghost = 'vpce-0123456789abcdef0';
    assert.equal((await stack.owner.patch(`${path()}/${unknown.id}`, { cloudProviderEndpointId: ghost, providerName: 'AWS' })).status, 200);
    const failed = await until(
      () => stack.owner.get(`${path()}/${unknown.id}`),
      (r) => (r.json as { status: string }).status === 'FAILED',
    );
    assert.match(String((failed.json as { errorMessage: string }).errorMessage), /was not found/);
    const twice = await stack.owner.patch(`${path()}/${unknown.id}`, { cloudProviderEndpointId: 'vpce-0123456789abcdef1', providerName: 'AWS' });
    assert.equal(twice.status, 400);
    assert.equal((twice.json as { errorCode: string }).errorCode, 'TENANT_PRIVATE_ENDPOINT_ALREADY_REGISTERED');

    const first = await reserve();
    const second = await reserve();
    const toFirst = await customerEndpoint(stack.customerEc2(), first.serviceName);
    const inUse = await stack.owner.patch(`${path()}/${second.id}`, { cloudProviderEndpointId: ghost, providerName: 'AWS' });
    assert.equal(inUse.status, 409);
    assert.equal((inUse.json as { errorCode: string }).errorCode, 'TENANT_PRIVATE_ENDPOINT_ID_IN_USE');
    assert.equal((await stack.owner.patch(`${path()}/${second.id}`, { cloudProviderEndpointId: toFirst, providerName: 'AWS' })).status, 200);
    const wrong = await until(
      () => stack.owner.get(`${path()}/${second.id}`),
      (r) => (r.json as { status: string }).status === 'FAILED',
    );
    assert.match(String((wrong.json as { errorMessage: string }).errorMessage), new RegExp(`connected to ${first.serviceName.replace(/\./g, '\\.')}`));
    for (const id of [unknown.id, first.id, second.id]) assert.equal((await stack.owner.delete(`${path()}/${id}`)).status, 204);
  });

  test('deleting the instance: DELETING, then 404', async () => {
    // The instance stays DELETING while it has private endpoints. The endpoints deleted above go
    // first; then the instance gets one more whose service deletion the local cloud holds (a
    // failing DeleteVpcEndpointServiceConfigurations) until the instance has been seen DELETING.
    await until(
      () => stack.owner.get(path()),
      (r) => (r.json as unknown[]).length === 0,
    );
    const id = String(((await stack.owner.post(path(), {})).json as { _id: string })._id);
    await until(
      () => stack.owner.get(`${path()}/${id}`),
      (r) => (r.json as { status: string }).status === 'RESERVED',
    );
    const cloud = stack.running.localCloud!;
    const deleteCalls = () => providerCalls.filter((operation) => operation === 'DeleteVpcEndpointServiceConfigurations').length;
    const before = deleteCalls();
    await cloud.setFault('DeleteVpcEndpointServiceConfigurations', { kind: 'error', code: 'InternalFailure', message: 'Held by the test.', status: 500 });
    try {
      const res = await stack.owner.delete(`${stack.project}/serverless/Serverless0`);
      assert.equal(res.status, 202, res.text);
      const deleting = await stack.owner.get(`${stack.project}/serverless/Serverless0`);
      expectServerlessContract(deleting, 'GET', '/{name}', 200);
      assert.equal((deleting.json as { stateName: string }).stateName, 'DELETING');
      const endpoint = await stack.owner.get(`${path()}/${id}`);
      assert.equal((endpoint.json as { status: string }).status, 'DELETING');
      // Still DELETING once the reconciler has tried (and failed) to delete the endpoint's service.
      const deadline = Date.now() + 20_000;
      while (deleteCalls() === before) {
        assert.ok(Date.now() < deadline, 'the reconciler tried to delete the endpoint service');
        await new Promise((r) => setTimeout(r, 50));
      }
      const still = await stack.owner.get(`${stack.project.replace('/api/atlas/v2/', '/api/atlas/v1.0/')}/serverless/Serverless0`);
      expectV1ServerlessContract(still, 'GET', '/{name}', 200);
      assert.equal((still.json as { stateName: string }).stateName, 'DELETING');
      assert.equal(((await stack.owner.get(`${path()}/${id}`)).json as { status: string }).status, 'DELETING');
    } finally {
      await cloud.setFault('DeleteVpcEndpointServiceConfigurations', null);
    }
    await until(
      () => stack.owner.get(`${stack.project}/serverless/Serverless0`),
      (r) => r.status === 404,
    );
  });

  test('deleting an instance with an AVAILABLE private endpoint removes the endpoint and its service first', async () => {
    const created = await stack.owner.post(`${stack.project}/serverless`, {
      name: 'Serverless1',
      providerSettings: { backingProviderName: 'AWS', providerName: 'SERVERLESS', regionName: 'US_EAST_1' },
    });
    assert.equal(created.status, 201, created.text);
    const instanceId = String((created.json as { id: string }).id);
    await until(
      () => stack.owner.get(`${stack.project}/serverless/Serverless1`),
      (r) => (r.json as { stateName: string }).stateName === 'IDLE',
    );
    const id = String(((await stack.owner.post(path('Serverless1'), {})).json as { _id: string })._id);
    const reserved = await until(
      () => stack.owner.get(`${path('Serverless1')}/${id}`),
      (r) => (r.json as { status: string }).status === 'RESERVED',
    );
    const serviceName = (reserved.json as { endpointServiceName: string }).endpointServiceName;
    const live = await customerEndpoint(stack.customerEc2(), serviceName);
    assert.equal((await stack.owner.patch(`${path('Serverless1')}/${id}`, { cloudProviderEndpointId: live, providerName: 'AWS' })).status, 200);
    await until(
      () => stack.owner.get(`${path('Serverless1')}/${id}`),
      (r) => (r.json as { status: string }).status === 'AVAILABLE',
    );
    const services = async () => (await stack.providerEc2().send(new DescribeVpcEndpointServiceConfigurationsCommand({}))).ServiceConfigurations ?? [];
    const service = (await services()).find((c) => c.ServiceName === serviceName);
    assert.ok(service, `${serviceName} exists at the provider`);
    assert.equal(service.ServiceState, 'Available');
    const loadBalancers = service.NetworkLoadBalancerArns ?? [];
    assert.equal(loadBalancers.length, 1);
    assert.equal((await stack.customerEc2().send(new DescribeVpcEndpointsCommand({ VpcEndpointIds: [live] }))).VpcEndpoints![0]!.State, 'available');

    const res = await stack.owner.delete(`${stack.project}/serverless/Serverless1`);
    assert.equal(res.status, 202, res.text);
    await until(
      () => stack.owner.get(`${stack.project}/serverless/Serverless1`),
      (r) => r.status === 404,
      30_000,
    );
    // The endpoint went before the instance, and nothing of it is left in privlink or the cloud.
    const feed = (await stack.owner.get(`${stack.project}/events?itemsPerPage=500`)).json as { results: Array<{ eventTypeName: string; targetId: string; created: string }> };
    assert.ok(
      feed.results.some((e) => e.eventTypeName === 'TENANT_ENDPOINT_DELETING' && e.targetId === id),
      'the endpoint’s DELETING is recorded',
    );
    const endpointDeleted = feed.results.find((e) => e.eventTypeName === 'TENANT_ENDPOINT_DELETED' && e.targetId === id);
    const instanceDeleted = feed.results.find((e) => e.eventTypeName === 'SERVERLESS_INSTANCE_DELETED' && e.targetId === instanceId);
    assert.ok(endpointDeleted && instanceDeleted, 'both deletions recorded');
    assert.ok(Date.parse(endpointDeleted.created) <= Date.parse(instanceDeleted.created), `${endpointDeleted.created} ≤ ${instanceDeleted.created}`);
    assert.equal((await stack.owner.get(`${path('Serverless1')}/${id}`)).status, 404);
    assert.equal((await services()).filter((c) => c.ServiceName === serviceName && c.ServiceState !== 'Deleted').length, 0, 'the reserved endpoint service is deleted');
    const lbs = (await stack.providerElb().send(new DescribeLoadBalancersCommand({}))).LoadBalancers ?? [];
    assert.ok(!lbs.some((lb) => loadBalancers.includes(lb.LoadBalancerArn!)), 'its load balancer is deleted');
    const customer = await stack.customerEc2().send(new DescribeVpcEndpointsCommand({ VpcEndpointIds: [live] }));
    assert.match(String(customer.VpcEndpoints![0]!.State), /rejected|deleted|failed/i);
  });

  test('every transition is in the activity feed', async () => {
    const feed = await until(
      () => stack.owner.get(`${stack.project}/events?itemsPerPage=500`),
      (r) => (r.json as { results: Array<{ eventTypeName: string }> }).results.some((e) => e.eventTypeName === 'SERVERLESS_INSTANCE_DELETED'),
    );
    const types = new Set((feed.json as { results: Array<{ eventTypeName: string }> }).results.map((e) => e.eventTypeName));
    for (const type of [
      'SERVERLESS_INSTANCE_CREATED',
      'SERVERLESS_INSTANCE_READY',
      'TENANT_ENDPOINT_CREATED',
      'TENANT_ENDPOINT_RESERVED',
      'TENANT_ENDPOINT_INITIATING',
      'TENANT_ENDPOINT_AVAILABLE',
      'TENANT_ENDPOINT_FAILED',
      'TENANT_ENDPOINT_DELETING',
      'TENANT_ENDPOINT_DELETED',
      'SERVERLESS_INSTANCE_DELETE_SUBMITTED',
      'SERVERLESS_INSTANCE_DELETED',
    ]) {
      assert.ok(types.has(type), `${type} recorded`);
    }
  });
});
