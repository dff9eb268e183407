import assert from 'node:assert/strict';
import {
  CreateVpcEndpointCommand,
  DescribeVpcEndpointServiceConfigurationsCommand,
  DescribeSubnetsCommand,
  DescribeVpcEndpointsCommand,
  DescribeVpcsCommand,
} from '@aws-sdk/client-ec2';
import { DescribeLoadBalancersCommand } from '@aws-sdk/client-elastic-load-balancing-v2';
import { after, before, describe, test } from 'node:test';
import type { AtlasResponse } from '../../src/client/atlas-client.js';
import { insertApiKey } from '../../src/app/api-keys.service.js';
import { insertProject } from '../../src/app/projects.service.js';
import { newObjectId } from '../../src/domain/object-id.js';
import { repositories } from '../../src/store/repositories.js';
import { expectContract } from '../support/atlas-contract.js';
import { startStack, until, type Stack } from '../support/full-stack.js';

let stack: Stack;
before(async () => {
  stack = await startStack();
});
after(async () => stack?.close());

function code(res: AtlasResponse): string {
  return (res.json as { errorCode?: string }).errorCode ?? `(no error: ${res.status})`;
}

/** Creates a VPC endpoint in the customer's default VPC, in a subnet of a zone the service supports. */
async function customerEndpoint(serviceName: string, region = 'us-east-1'): Promise<string> {
  const ec2 = stack.customerEc2(region);
  const vpc = (await ec2.send(new DescribeVpcsCommand({ Filters: [{ Name: 'isDefault', Values: ['true'] }] }))).Vpcs![0]!;
  const subnets = (await ec2.send(new DescribeSubnetsCommand({ Filters: [{ Name: 'vpc-id', Values: [vpc.VpcId!] }] }))).Subnets!;
  const subnet = subnets.find((s) => s.AvailabilityZone!.endsWith('a'))!;
  const created = await ec2.send(new CreateVpcEndpointCommand({ VpcId: vpc.VpcId, ServiceName: serviceName, VpcEndpointType: 'Interface', SubnetIds: [subnet.SubnetId!] }));
  return created.VpcEndpoint!.VpcEndpointId!;
}

async function availableService(region: string): Promise<{ id: string; name: string }> {
  const created = await stack.owner.post(`${stack.project}/privateEndpoint/endpointService`, { providerName: 'AWS', region });
  expectContract(created, 'POST', '/endpointService', 201);
  const id = (created.json as { id: string }).id;
  const ready = await until(
    () => stack.owner.get(`${stack.project}/privateEndpoint/AWS/endpointService/${id}`),
    (r) => (r.json as { status: string }).status === 'AVAILABLE',
  );
  expectContract(ready, 'GET', '/{cloudProvider}/endpointService/{endpointServiceId}', 200);
  return { id, name: (ready.json as { endpointServiceName: string }).endpointServiceName };
}

describe('endpoint services', () => {
  let serviceId: string;

  test('create answers 201 INITIATING with no service name, then AVAILABLE with an AWS service name', async () => {
    const res = await stack.owner.post(`${stack.project}/privateEndpoint/endpointService`, { providerName: 'AWS', region: 'us-east-1' });
    expectContract(res, 'POST', '/endpointService', 201);
    const body = res.json as Record<string, unknown>;
    assert.deepEqual(Object.keys(body), ['cloudProvider', 'endpointServiceName', 'errorMessage', 'id', 'interfaceEndpoints', 'regionName', 'status', 'supportedRemoteRegions']);
    assert.equal(body.status, 'INITIATING');
    assert.equal(body.endpointServiceName, null);
    assert.equal(body.regionName, 'US_EAST_1');
    assert.deepEqual(body.interfaceEndpoints, []);
    assert.equal(res.headers['content-type'], 'application/vnd.atlas.2023-01-01+json;charset=utf-8');
    serviceId = body.id as string;
    const ready = await until(
      () => stack.owner.get(`${stack.project}/privateEndpoint/AWS/endpointService/${serviceId}`),
      (r) => (r.json as { status: string }).status === 'AVAILABLE',
    );
    expectContract(ready, 'GET', '/{cloudProvider}/endpointService/{endpointServiceId}', 200);
    assert.match((ready.json as { endpointServiceName: string }).endpointServiceName, /^com\.amazonaws\.vpce\.us-east-1\.vpce-svc-[0-9a-f]{17}$/);
    const list = await stack.owner.get(`${stack.project}/privateEndpoint/AWS/endpointService`);
    expectContract(list, 'GET', '/{cloudProvider}/endpointService', 200);
    assert.ok(Array.isArray(list.json) && (list.json as Array<{ id: string }>).some((s) => s.id === serviceId));
  });

  test('a second service in the same region is 409 PRIVATE_ENDPOINT_SERVICE_ALREADY_EXISTS_FOR_REGION', async () => {
    const res = await stack.owner.post(`${stack.project}/privateEndpoint/endpointService`, { providerName: 'AWS', region: 'US_EAST_1' });
    expectContract(res, 'POST', '/endpointService', 409);
    assert.deepEqual(res.json, {
      detail: 'A private endpoint service already exists for AWS region US_EAST_1.',
      error: 409,
      errorCode: 'PRIVATE_ENDPOINT_SERVICE_ALREADY_EXISTS_FOR_REGION',
      parameters: ['AWS', 'US_EAST_1'],
      reason: 'Conflict',
    });
  });

  test('bad bodies: missing provider, bad provider, bad region (GCP, served by default, too)', async () => {
    const post = (body: unknown) => stack.owner.post(`${stack.project}/privateEndpoint/endpointService`, body);
    assert.equal(code(await post({ region: 'us-east-1' })), 'MISSING_ATTRIBUTE');
    assert.equal(code(await post({ providerName: 'IBM', region: 'us-east-1' })), 'INVALID_ENUM_VALUE');
    assert.equal(code(await post({ providerName: 'AWS' })), 'MISSING_ATTRIBUTE');
    assert.equal(code(await post({ providerName: 'AWS', region: 'mars-1' })), 'INVALID_REGION');
    const gcp = await post({ providerName: 'GCP', region: 'mars-1' });
    expectContract(gcp, 'POST', '/endpointService', 400);
    assert.equal(code(gcp), 'INVALID_REGION');
    assert.equal((await stack.owner.get(`${stack.project}/privateEndpoint/AZURE/endpointService`)).status, 200);
    assert.equal(code(await stack.owner.get(`${stack.project}/privateEndpoint/IBM/endpointService`)), 'INVALID_ENUM_VALUE');
  });

  test('malformed and unknown ids', async () => {
    const bad = await stack.owner.get(`${stack.project}/privateEndpoint/AWS/endpointService/foo-privatelink`);
    expectContract(bad, 'GET', '/{cloudProvider}/endpointService/{endpointServiceId}', 400);
    assert.equal(code(bad), 'PATH_PARAM_PARSE_ERROR');
    const missing = await stack.owner.get(`${stack.project}/privateEndpoint/AWS/endpointService/${newObjectId()}`);
    expectContract(missing, 'GET', '/{cloudProvider}/endpointService/{endpointServiceId}', 404);
    assert.equal(code(missing), 'RESOURCE_NOT_FOUND');
    const wrongProvider = await stack.owner.get(`${stack.project}/privateEndpoint/GCP/endpointService/${serviceId}`);
    assert.equal(wrongProvider.status, 404);
  });

  test('402 when the organization has no payment information', async () => {
    const repos = repositories(stack.running.store.db);
    const orgId = newObjectId();
    await repos.identity.insertOrganization({ id: orgId, name: 'No Card Org', paymentOnFile: false, createdAt: new Date() });
    const project = await insertProject(repos, orgId, 'unpaid', new Date());
    const key = await insertApiKey(repos, { orgId, description: 'owner', orgRoles: ['ORG_OWNER'], now: new Date() });
    await repos.identity.setProjectRoles(key.apiKey.id, project.id, ['GROUP_OWNER']);
    const owner = stack.client(key.apiKey.publicKey, key.privateKey);
    const res = await owner.post(`/api/atlas/v2/groups/${project.id}/privateEndpoint/endpointService`, { providerName: 'AWS', region: 'us-east-1' });
    assert.equal(res.status, 402);
    assert.equal(code(res), 'NO_PAYMENT_INFORMATION_FOUND');
    // Recording payment information (privlink extension field) lifts it.
    assert.equal((await owner.patch(`/api/atlas/v2/orgs/${orgId}`, { paymentInformationOnFile: true })).status, 200);
    assert.equal((await owner.post(`/api/atlas/v2/groups/${project.id}/privateEndpoint/endpointService`, { providerName: 'AWS', region: 'us-east-1' })).status, 201);
  });
});

describe('interface endpoints', () => {
  let service: { id: string; name: string };
  let vpce: string;

  before(async () => {
    const existing = (
      (await stack.owner.get(`${stack.project}/privateEndpoint/AWS/endpointService`)).json as Array<{ id: string; regionName: string; endpointServiceName: string }>
    ).find((s) => s.regionName === 'US_EAST_1');
    service = existing ? { id: existing.id, name: existing.endpointServiceName } : await availableService('us-east-1');
  });

  test('a registered endpoint goes PENDING_ACCEPTANCE → AVAILABLE as privlink accepts it; the customer sees available', async () => {
    vpce = await customerEndpoint(service.name);
    const path = `${stack.project}/privateEndpoint/AWS/endpointService/${service.id}/endpoint`;
    const res = await stack.owner.post(path, { id: vpce });
    expectContract(res, 'POST', '/{cloudProvider}/endpointService/{endpointServiceId}/endpoint', 201);
    assert.deepEqual(res.json, { cloudProvider: 'AWS', connectionStatus: 'PENDING_ACCEPTANCE', deleteRequested: false, errorMessage: null, interfaceEndpointId: vpce });
    const ready = await until(
      () => stack.owner.get(`${path}/${vpce}`),
      (r) => (r.json as { connectionStatus: string }).connectionStatus === 'AVAILABLE',
    );
    expectContract(ready, 'GET', '/{cloudProvider}/endpointService/{endpointServiceId}/endpoint/{endpointId}', 200);
    const seen = await stack.customerEc2().send(new DescribeVpcEndpointsCommand({ VpcEndpointIds: [vpce] }));
    assert.equal(seen.VpcEndpoints![0]!.State, 'available');
    const withEndpoint = await stack.owner.get(`${stack.project}/privateEndpoint/AWS/endpointService/${service.id}`);
    assert.deepEqual((withEndpoint.json as { interfaceEndpoints: string[] }).interfaceEndpoints, [vpce]);
  });

  test('registering the same id again is 409; a malformed id is 400; an unknown service 404', async () => {
    const path = `${stack.project}/privateEndpoint/AWS/endpointService/${service.id}/endpoint`;
    assert.equal(code(await stack.owner.post(path, { id: vpce })), 'PRIVATE_ENDPOINT_ALREADY_EXISTS');
    assert.equal(code(await stack.owner.post(path, { id: 'vpce-123' })), 'INVALID_ATTRIBUTE');
    assert.equal(code(await stack.owner.post(path, {})), 'MISSING_ATTRIBUTE');
    assert.equal((await stack.owner.post(`${stack.project}/privateEndpoint/AWS/endpointService/${newObjectId()}/endpoint`, { id: 'vpce-0123456789abcdef0' })).status, 404);
  });

  test('an id AWS never saw ends REJECTED, saying it was not found', async () => {
    const path = `${stack.project}/privateEndpoint/AWS/endpointService/${service.id}/endpoint`;
    const ghost = 'vpce-0123456789abcdef0';
    assert.equal((await stack.owner.post(path, { id: ghost })).status, 201);
    const rejected = await until(
      () => stack.owner.get(`${path}/${ghost}`),
      (r) => (r.json as { connectionStatus: string }).connectionStatus === 'REJECTED',
    );
    assert.match((rejected.json as { errorMessage: string }).errorMessage, /was not found/);
    assert.equal((await stack.owner.delete(`${path}/${ghost}`)).status, 204);
    await until(
      () => stack.owner.get(`${path}/${ghost}`),
      (r) => r.status === 404,
    );
  });

  test("an endpoint made for another project's service ends REJECTED, naming that service", async () => {
    const otherProject = (await stack.owner.post('/api/atlas/v2/groups', { name: 'other-team', orgId: stack.bootstrap.orgId })).json as { id: string };
    const created = await stack.owner.post(`/api/atlas/v2/groups/${otherProject.id}/privateEndpoint/endpointService`, { providerName: 'AWS', region: 'us-east-1' });
    const otherId = (created.json as { id: string }).id;
    const other = await until(
      () => stack.owner.get(`/api/atlas/v2/groups/${otherProject.id}/privateEndpoint/AWS/endpointService/${otherId}`),
      (r) => (r.json as { status: string }).status === 'AVAILABLE',
    );
    const otherName = (other.json as { endpointServiceName: string }).endpointServiceName;
    const misdirected = await customerEndpoint(otherName);
    const path = `${stack.project}/privateEndpoint/AWS/endpointService/${service.id}/endpoint`;
    assert.equal((await stack.owner.post(path, { id: misdirected })).status, 201);
    const rejected = await until(
      () => stack.owner.get(`${path}/${misdirected}`),
      (r) => (r.json as { connectionStatus: string }).connectionStatus === 'REJECTED',
    );
    assert.match((rejected.json as { errorMessage: string }).errorMessage, new RegExp(`connected to ${otherName.replace(/\./g, '\\.')}`));
    assert.equal((await stack.owner.delete(`${path}/${misdirected}`)).status, 204);
    await until(
      () => stack.owner.get(`${path}/${misdirected}`),
      (r) => r.status === 404,
    );
    // The same endpoint may then be registered with its own service, and is accepted there.
    const own = `/api/atlas/v2/groups/${otherProject.id}/privateEndpoint/AWS/endpointService/${otherId}/endpoint`;
    assert.equal((await stack.owner.post(own, { id: misdirected })).status, 201);
    await until(
      () => stack.owner.get(`${own}/${misdirected}`),
      (r) => (r.json as { connectionStatus: string }).connectionStatus === 'AVAILABLE',
    );
  });

  test("an endpoint in another region is not visible to this region's service: REJECTED as not found", async () => {
    const west = await availableService('us-west-2');
    const westEndpoint = await customerEndpoint(west.name, 'us-west-2');
    const path = `${stack.project}/privateEndpoint/AWS/endpointService/${service.id}/endpoint`;
    assert.equal((await stack.owner.post(path, { id: westEndpoint })).status, 201);
    const rejected = await until(
      () => stack.owner.get(`${path}/${westEndpoint}`),
      (r) => (r.json as { connectionStatus: string }).connectionStatus === 'REJECTED',
    );
    assert.match((rejected.json as { errorMessage: string }).errorMessage, /was not found/);
    assert.equal((await stack.owner.delete(`${path}/${westEndpoint}`)).status, 204);
    await until(
      () => stack.owner.get(`${path}/${westEndpoint}`),
      (r) => r.status === 404,
    );
    const own = `${stack.project}/privateEndpoint/AWS/endpointService/${west.id}/endpoint`;
    assert.equal((await stack.owner.post(own, { id: westEndpoint })).status, 201);
    await until(
      () => stack.owner.get(`${own}/${westEndpoint}`),
      (r) => (r.json as { connectionStatus: string }).connectionStatus === 'AVAILABLE',
    );
  });

  test('region rules: one endpoint per region across regions; several in one region only', async () => {
    // Now: us-east-1 has one, us-west-2 has one. A second in us-east-1 is refused.
    const second = await customerEndpoint(service.name);
    const res = await stack.owner.post(`${stack.project}/privateEndpoint/AWS/endpointService/${service.id}/endpoint`, { id: second });
    assert.equal(res.status, 409);
    assert.equal(code(res), 'PRIVATE_ENDPOINT_MULTI_REGION_LIMIT');
    // Regionalized mode lifts it (no replica sets in the project).
    const on = await stack.owner.patch(`${stack.project}/privateEndpoint/regionalMode`, { enabled: true });
    expectContract(on, 'PATCH', '/regionalMode', 202);
    assert.deepEqual(on.json, { enabled: true });
    const allowed = await stack.owner.post(`${stack.project}/privateEndpoint/AWS/endpointService/${service.id}/endpoint`, { id: second });
    assert.equal(allowed.status, 201);
    // …and cannot be turned off while two regions hold endpoints and one holds several.
    const off = await stack.owner.patch(`${stack.project}/privateEndpoint/regionalMode`, { enabled: false });
    assert.equal(off.status, 409);
    assert.equal(code(off), 'REGIONALIZED_MODE_CANNOT_DISABLE');
    const get = await stack.owner.get(`${stack.project}/privateEndpoint/regionalMode`);
    expectContract(get, 'GET', '/regionalMode', 200);
    assert.deepEqual(get.json, { enabled: true });
    assert.equal((await stack.owner.delete(`${stack.project}/privateEndpoint/AWS/endpointService/${service.id}/endpoint/${second}`)).status, 204);
    await until(
      () => stack.owner.get(`${stack.project}/privateEndpoint/AWS/endpointService/${service.id}/endpoint/${second}`),
      (r) => r.status === 404,
    );
    assert.deepEqual((await stack.owner.patch(`${stack.project}/privateEndpoint/regionalMode`, { enabled: false })).json, { enabled: false });
  });
});

describe('clusters and addressable targets', () => {
  const cluster = (name: string, regions: Array<[string, number]>) => ({
    name,
    clusterType: 'REPLICASET',
    replicationSpecs: [
      {
        regionConfigs: regions.map(([regionName, nodeCount], i) => ({
          providerName: 'AWS',
          regionName,
          priority: 7 - i,
          electableSpecs: { instanceSize: 'M10', nodeCount: Math.min(nodeCount, 7) },
          readOnlySpecs: { instanceSize: 'M10', nodeCount: Math.max(0, nodeCount - 7) },
        })),
      },
    ],
  });

  test('a region with an endpoint service holds at most 30 addressable targets', async () => {
    const tooMany = await stack.owner.post(`${stack.project}/clusters`, cluster('big', [['US_EAST_1', 31]]));
    assert.equal(tooMany.status, 400);
    assert.equal(code(tooMany), 'MAX_NODES_PER_PRIVATELINK_REGION_EXCEEDED');
    const fits = await stack.owner.post(`${stack.project}/clusters`, cluster('fits', [['US_EAST_1', 30]]));
    assert.equal(fits.status, 201, fits.text);
    const grow = await stack.owner.patch(`${stack.project}/clusters/fits`, cluster('fits', [['US_EAST_1', 31]]));
    assert.equal(code(grow), 'MAX_NODES_PER_PRIVATELINK_REGION_EXCEEDED');
    await until(
      () => stack.owner.get(`${stack.project}/clusters/fits`),
      (r) => (r.json as { stateName: string }).stateName === 'IDLE',
    );
    assert.equal((await stack.owner.delete(`${stack.project}/clusters/fits`)).status, 202);
    await until(
      () => stack.owner.get(`${stack.project}/clusters/fits`),
      (r) => r.status === 404,
    );
  });

  test('a multi-region cluster needs PrivateLink in all of its regions or none', async () => {
    const partial = await stack.owner.post(
      `${stack.project}/clusters`,
      cluster('multi', [
        ['US_EAST_1', 3],
        ['EU_WEST_1', 2],
      ]),
    );
    assert.equal(partial.status, 400);
    assert.equal(code(partial), 'PRIVATE_LINK_NOT_ACTIVE_IN_ALL_REGIONS');
    const covered = await stack.owner.post(
      `${stack.project}/clusters`,
      cluster('multi', [
        ['US_EAST_1', 3],
        ['US_WEST_2', 2],
      ]),
    );
    assert.equal(covered.status, 201, covered.text);
    assert.equal((await stack.owner.delete(`${stack.project}/clusters/multi`)).status, 202);
  });
});

describe('roles on private endpoint routes', () => {
  test('Read Only reads but cannot write; an Org Owner outside the project is told to add itself; another org sees 404', async () => {
    const repos = repositories(stack.running.store.db);
    const readOnly = await insertApiKey(repos, { orgId: stack.bootstrap.orgId, description: 'ro', orgRoles: ['ORG_MEMBER'], now: new Date() });
    await repos.identity.setProjectRoles(readOnly.apiKey.id, stack.projectId, ['GROUP_READ_ONLY']);
    const ro = stack.client(readOnly.apiKey.publicKey, readOnly.privateKey);
    const list = await ro.get(`${stack.project}/privateEndpoint/AWS/endpointService`);
    assert.equal(list.status, 200);
    const services = list.json as Array<{ id: string }>;
    const denied = await ro.delete(`${stack.project}/privateEndpoint/AWS/endpointService/${services[0]!.id}`);
    expectContract(denied, 'DELETE', '/{cloudProvider}/endpointService/{endpointServiceId}', 403);
    assert.equal(code(await ro.post(`${stack.project}/privateEndpoint/endpointService`, { providerName: 'AWS', region: 'eu-west-1' })), 'USER_UNAUTHORIZED');
    assert.equal(code(await ro.patch(`${stack.project}/privateEndpoint/regionalMode`, { enabled: true })), 'USER_UNAUTHORIZED');

    const orgOwner = await insertApiKey(repos, { orgId: stack.bootstrap.orgId, description: 'oo', orgRoles: ['ORG_OWNER'], now: new Date() });
    const oo = stack.client(orgOwner.apiKey.publicKey, orgOwner.privateKey);
    assert.equal(code(await oo.get(`${stack.project}/privateEndpoint/AWS/endpointService`)), 'NOT_IN_GROUP');

    const otherOrg = newObjectId();
    await repos.identity.insertOrganization({ id: otherOrg, name: 'Elsewhere', paymentOnFile: true, createdAt: new Date() });
    const stranger = await insertApiKey(repos, { orgId: otherOrg, description: 'x', orgRoles: ['ORG_OWNER'], now: new Date() });
    const st = stack.client(stranger.apiKey.publicKey, stranger.privateKey);
    const hidden = await st.get(`${stack.project}/privateEndpoint/AWS/endpointService/${services[0]!.id}`);
    assert.equal(hidden.status, 404);
    assert.equal(code(hidden), 'GROUP_NOT_FOUND');
    assert.ok(!hidden.text.includes('vpce-svc'), 'no data leaks');
  });
});

describe('deletion', () => {
  test('deleting a service answers 202 {}, shows DELETING, then 404; the customer endpoint is rejected and stays', async () => {
    const services = (await stack.owner.get(`${stack.project}/privateEndpoint/AWS/endpointService`)).json as Array<{
      id: string;
      regionName: string;
      interfaceEndpoints: string[];
    }>;
    const east = services.find((s) => s.regionName === 'US_EAST_1')!;
    assert.ok(east.interfaceEndpoints.length > 0);
    const res = await stack.owner.delete(`${stack.project}/privateEndpoint/AWS/endpointService/${east.id}`);
    expectContract(res, 'DELETE', '/{cloudProvider}/endpointService/{endpointServiceId}', 202);
    assert.deepEqual(res.json, {});
    const after = await stack.owner.get(`${stack.project}/privateEndpoint/AWS/endpointService/${east.id}`);
    if (after.status === 200) assert.equal((after.json as { status: string }).status, 'DELETING');
    await until(
      () => stack.owner.get(`${stack.project}/privateEndpoint/AWS/endpointService/${east.id}`),
      (r) => r.status === 404,
      60_000,
    );
    const seen = await stack.customerEc2().send(new DescribeVpcEndpointsCommand({ VpcEndpointIds: east.interfaceEndpoints }));
    assert.deepEqual(
      seen.VpcEndpoints!.map((e) => e.State),
      east.interfaceEndpoints.map(() => 'rejected'),
    );
    // Nothing is left on the provider side for it: no load balancer, no endpoint service.
    const lbs = await stack.providerElb().send(new DescribeLoadBalancersCommand({}));
    assert.ok(!(lbs.LoadBalancers ?? []).some((lb) => lb.LoadBalancerName === `pl-${east.id}`));
    const configs = await stack.providerEc2().send(new DescribeVpcEndpointServiceConfigurationsCommand({}));
    assert.ok(!(configs.ServiceConfigurations ?? []).some((c) => c.Tags?.some((t) => t.Value === east.id) && c.ServiceState !== 'Deleted'));
  });
});
