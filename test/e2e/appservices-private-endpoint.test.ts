import assert from 'node:assert/strict';
import { DescribeVpcEndpointsCommand, DescribeVpcEndpointServiceConfigurationsCommand } from '@aws-sdk/client-ec2';
import { after, before, describe, test } from 'node:test';
import { AppServicesClient, type V3Response } from '../support/appservices-client.js';
import { customerEndpoint } from '../support/customer-vpc.js';
import { startStack, type Stack } from '../support/full-stack.js';
import { execFile } from 'node:child_process';
import { Resolver } from 'node:dns/promises';
import { promisify } from 'node:util';
import { Agent } from 'undici';
import { httpVia, websocketPingPong } from '../support/appservices-traffic.js';

// App Services private endpoints end to end on the local cloud, with the real AWS SDK: the service
// infos name real endpoint services made by the reconciler; the customer's interface endpoints are
// checked against that type's service and accepted, refused with a reason, rejected on delete, and
// invalidated (and rejected in the cloud) when the app moves to another region or to the GLOBAL
// deployment model. Client HTTP goes through the endpoint address with node:http and with fetch.
let stack: Stack;
let v3: AppServicesClient;
let sec: string;
let appPath: string;
let infos: Array<{ cloud_provider_region: string; service_name: string; endpoint_type: string }>;
let general: Record<string, string>;
let vpceGeneral: string;
let clientAppId: string;

/** The address of a VPC endpoint's network interface in the local cloud, and a client address of the same subnet. */
async function endpointAddress(vpce: string): Promise<{ address: string; client: string }> {
  const snapshot = await stack.running.localCloud!.snapshot();
  const address = snapshot.endpoints.find((e) => e.endpointId === vpce)!.networkInterfaces[0]!.loopbackAddress;
  return { address, client: `${address.split('.').slice(0, 3).join('.')}.250` };
}

/** curl from outside any VPC (from the loopback address `from`, if given) to the front end's public side: the HTTP status. */
async function curlOutside(path: string, from?: string): Promise<number> {
  const pub = (await stack.running.appServicesPublicAddress())!;
  const { stdout } = await promisify(execFile)('curl', [
    '-sS',
    '-o',
    '/dev/null',
    '-w',
    '%{http_code}',
    ...(from ? ['--interface', from] : []),
    `http://${pub.host}:${pub.port}${path}`,
  ]);
  return Number(stdout);
}

/**
 * One request with Node's global `fetch` to `url`; with `localAddress`, from that source address (a
 * client inside the customer's VPC), through an undici Agent as `fetch`'s dispatcher. The Agent's
 * own `localAddress` option, not `connect.localAddress`: undici's connector lets the client's
 * `localAddress` (null unless set) override the one in its connect options.
 */
async function fetchVia(url: string, init: { method?: string; body?: unknown; localAddress?: string } = {}): Promise<{ status: number; json: unknown; text: string }> {
  const dispatcher = init.localAddress ? new Agent({ localAddress: init.localAddress }) : undefined;
  try {
    const response = await fetch(url, {
      method: init.method ?? 'GET',
      ...(init.body !== undefined ? { body: JSON.stringify(init.body), headers: { 'content-type': 'application/json' } } : {}),
      ...(dispatcher ? { dispatcher } : {}),
      signal: AbortSignal.timeout(5000),
    });
    const text = await response.text();
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch {
      json = undefined;
    }
    return { status: response.status, json, text };
  } finally {
    await dispatcher?.close();
  }
}

/** Asks `probe` until its answer deep-equals `want` (DNS answers follow the store within a second), then its last answer. */
async function settleValue<T>(probe: () => Promise<T>, want: T): Promise<T> {
  let last = await probe();
  for (let i = 0; i < 50 && JSON.stringify(last) !== JSON.stringify(want); i++) {
    await new Promise((r) => setTimeout(r, 100));
    last = await probe();
  }
  return last;
}

/** Asks `probe` until it answers `want` (a change takes effect within a second), then its last answer. */
async function settle<T>(probe: () => Promise<T>, want: T): Promise<T> {
  let last = await probe();
  for (let i = 0; i < 50 && last !== want; i++) {
    await new Promise((r) => setTimeout(r, 100));
    last = await probe();
  }
  return last;
}

/** A real DNS query (A) to privlink's private DNS: the addresses, or the error code (ENOTFOUND for NXDOMAIN, ENODATA). */
async function resolve4(name: string): Promise<string[] | string> {
  const resolver = new Resolver({ timeout: 2000, tries: 1 });
  resolver.setServers([`127.0.0.1:${stack.running.dnsPort}`]);
  return resolver.resolve4(name).then(
    (addresses) => addresses.sort(),
    (error: NodeJS.ErrnoException) => error.code ?? 'error',
  );
}

before(async () => {
  stack = await startStack();
  v3 = new AppServicesClient(stack.running.apiUrl);
  assert.equal((await v3.login(stack.bootstrap.publicKey, stack.bootstrap.privateKey)).status, 200);
});
after(async () => stack?.close());

async function until(fetch: () => Promise<V3Response>, done: (r: V3Response) => boolean, timeoutMs = 30_000): Promise<V3Response> {
  const deadline = Date.now() + timeoutMs;
  let last = await fetch();
  while (!done(last)) {
    if (Date.now() > deadline) throw new Error(`timed out; last response ${last.status} ${last.text}`);
    await new Promise((r) => setTimeout(r, 100));
    last = await fetch();
  }
  return last;
}

const statusOf = (r: V3Response) => (r.json as { status?: string }).status;

async function vpceState(id: string, region?: string): Promise<string | undefined> {
  const found = await stack.customerEc2(region).send(new DescribeVpcEndpointsCommand({ VpcEndpointIds: [id] }));
  return found.VpcEndpoints?.[0]?.State?.toLowerCase();
}

async function register(vpce: string, type: 'general' | 'sync', region = 'aws-us-east-1'): Promise<Record<string, string>> {
  const res = await v3.post(`${sec}/private_endpoints`, { cloud_provider_region: region, cloud_provider_endpoint_id: vpce, endpoint_type: type });
  assert.equal(res.status, 201, res.text);
  return res.json as Record<string, string>;
}

describe('App Services private endpoints on the local cloud', () => {
  test('a LOCAL app in aws-us-east-1 gets real general and sync endpoint services', async () => {
    const created = await v3.post(`/groups/${stack.projectId}/apps`, { name: 'PrivateApp', deployment_model: 'LOCAL', provider_region: 'aws-us-east-1' });
    assert.equal(created.status, 201, created.text);
    assert.equal(await resolve4('services.privlink.test'), 'ENOTFOUND', 'no available general endpoint: no name');
    appPath = `/groups/${stack.projectId}/apps/${(created.json as { _id: string })._id}`;
    clientAppId = (created.json as { client_app_id: string }).client_app_id;
    sec = `${appPath}/security`;
    const ready = await until(
      () => v3.get(`${sec}/private_endpoint_service_infos`),
      (r) => Array.isArray(r.json) && (r.json as Array<{ service_name?: string }>).every((i) => typeof i.service_name === 'string'),
    );
    infos = ready.json as typeof infos;
    assert.deepEqual(
      infos.map((i) => [i.cloud_provider_region, i.endpoint_type]),
      [
        ['aws-us-east-1', 'general'],
        ['aws-us-east-1', 'sync'],
      ],
    );
    assert.notEqual(infos[0]!.service_name, infos[1]!.service_name);
    const inCloud = await stack.providerEc2().send(new DescribeVpcEndpointServiceConfigurationsCommand({}));
    const names = (inCloud.ServiceConfigurations ?? []).map((c) => c.ServiceName);
    for (const info of infos) {
      assert.match(info.service_name, /^com\.amazonaws\.vpce\.us-east-1\.vpce-svc-[0-9a-f]{17}$/);
      assert.ok(names.includes(info.service_name), `${info.service_name} exists in the local cloud`);
    }
  });

  test('a general endpoint to the general service is accepted: PENDING → AVAILABLE, available in the customer VPC', async () => {
    vpceGeneral = await customerEndpoint(stack.customerEc2(), infos[0]!.service_name, { openToVpc: true });
    assert.equal(await vpceState(vpceGeneral), 'pendingacceptance');
    general = await register(vpceGeneral, 'general');
    assert.equal(general.status, 'PENDING');
    await until(
      () => v3.get(`${sec}/private_endpoints/${general._id}`),
      (r) => statusOf(r) === 'AVAILABLE',
    );
    assert.equal(await vpceState(vpceGeneral), 'available');
  });

  test('private DNS: services.<domain> (the global name) and <region>.aws.services.<domain> resolve to the general endpoint; ws. to no general one', async () => {
    const { address, client } = await endpointAddress(vpceGeneral);
    assert.deepEqual(await settleValue(() => resolve4('services.privlink.test'), [address]), [address]);
    assert.deepEqual(await resolve4('SERVICES.privlink.test.'), [address], 'case-insensitive, trailing dot');
    assert.deepEqual(await resolve4('us-east-1.aws.services.privlink.test'), [address]);
    assert.equal(await resolve4('ws.us-east-1.aws.services.privlink.test'), 'ENOTFOUND', 'no sync endpoint yet');
    assert.equal(await resolve4('eu-west-1.aws.services.privlink.test'), 'ENOTFOUND');
    // The name is usable: a client in the VPC reaches the app through the address it resolves to.
    const [resolved] = (await resolve4('services.privlink.test')) as string[];
    const location = `/api/client/v2.0/app/${clientAppId}/location`;
    let inside = await httpVia(resolved!, 8080, location, { localAddress: client }).catch(() => undefined);
    for (let i = 0; i < 100 && inside?.status !== 200; i++) {
      await new Promise((r) => setTimeout(r, 100));
      inside = await httpVia(resolved!, 8080, location, { localAddress: client }).catch(() => undefined);
    }
    assert.equal(inside?.status, 200, inside?.text);
  });

  test('client HTTP through the general endpoint → 200 (location, functions/call echo); from outside → 404 until the toggle is on', async () => {
    const { address, client } = await endpointAddress(vpceGeneral);
    const location = `/api/client/v2.0/app/${clientAppId}/location`;
    let inside = await httpVia(address, 8080, location, { localAddress: client }).catch(() => undefined);
    for (let i = 0; i < 100 && inside?.status !== 200; i++) {
      await new Promise((r) => setTimeout(r, 100));
      inside = await httpVia(address, 8080, location, { localAddress: client }).catch(() => undefined);
    }
    assert.equal(inside?.status, 200, inside?.text);
    assert.deepEqual(inside!.json, { deployment_model: 'LOCAL', location: 'US-VA', hostname: 'http://services.privlink.test', ws_hostname: 'ws://services.privlink.test' });
    const echo = await httpVia(address, 8080, `/api/client/v2.0/app/${clientAppId}/functions/call`, {
      method: 'POST',
      body: { name: 'echo', arguments: [{ hello: 'through the private endpoint' }] },
      localAddress: client,
    });
    assert.deepEqual([echo.status, echo.json], [200, { hello: 'through the private endpoint' }]);
    const custom = await httpVia(address, 8080, `/api/client/v2.0/app/${clientAppId}/endpoint/data/v1/action/find`, { method: 'POST', body: {}, localAddress: client });
    assert.equal(custom.status, 404);
    assert.match(custom.text, /not supported through private endpoints/);

    assert.equal(await curlOutside(location), 404);
    assert.equal((await v3.post(`${sec}/allow_non_vpc_client_requests`, { allow_non_vpc_client_requests: true })).status, 204);
    let outside = await curlOutside(location);
    for (let i = 0; i < 50 && outside !== 200; i++) {
      await new Promise((r) => setTimeout(r, 100));
      outside = await curlOutside(location);
    }
    assert.equal(outside, 200);
    assert.equal((await v3.post(`${sec}/allow_non_vpc_client_requests`, { allow_non_vpc_client_requests: false })).status, 204);
    for (let i = 0; i < 50 && outside !== 404; i++) {
      await new Promise((r) => setTimeout(r, 100));
      outside = await curlOutside(location);
    }
    assert.equal(outside, 404);
  });

  test("Node's fetch through the general endpoint's address → 200 (location, echo); fetch from outside → 404, served once the toggle is on", async () => {
    const { address, client } = await endpointAddress(vpceGeneral);
    const location = `/api/client/v2.0/app/${clientAppId}/location`;
    const inside = await fetchVia(`http://${address}:8080${location}`, { localAddress: client });
    assert.equal(inside.status, 200, inside.text);
    assert.deepEqual(inside.json, { deployment_model: 'LOCAL', location: 'US-VA', hostname: `http://${address}:8080`, ws_hostname: `ws://${address}:8080` });
    const echo = await fetchVia(`http://${address}:8080/api/client/v2.0/app/${clientAppId}/functions/call`, {
      method: 'POST',
      body: { name: 'echo', arguments: ['fetched through the private endpoint'] },
      localAddress: client,
    });
    assert.deepEqual([echo.status, echo.json], [200, 'fetched through the private endpoint']);

    const pub = (await stack.running.appServicesPublicAddress())!;
    const outsideUrl = `http://${pub.host}:${pub.port}${location}`;
    const refused = await fetchVia(outsideUrl);
    assert.equal(refused.status, 404, refused.text);
    assert.equal((await v3.post(`${sec}/allow_non_vpc_client_requests`, { allow_non_vpc_client_requests: true })).status, 204);
    let outside = await fetchVia(outsideUrl);
    for (let i = 0; i < 50 && outside.status !== 200; i++) {
      await new Promise((r) => setTimeout(r, 100));
      outside = await fetchVia(outsideUrl);
    }
    assert.equal(outside.status, 200, outside.text);
    assert.equal((await fetchVia(`http://${address}:8080${location}`, { localAddress: client })).status, 200, 'still served through the endpoint');
    assert.equal((await v3.post(`${sec}/allow_non_vpc_client_requests`, { allow_non_vpc_client_requests: false })).status, 204);
    for (let i = 0; i < 50 && outside.status !== 404; i++) {
      await new Promise((r) => setTimeout(r, 100));
      outside = await fetchVia(outsideUrl);
    }
    assert.equal(outside.status, 404);
  });

  test('the IP access list: outside and unrestricted only listed clients are served (403 otherwise); through the endpoint it is ignored', async () => {
    const location = `/api/client/v2.0/app/${clientAppId}/location`;
    const list = `${sec}/access_list`;
    const before = (await v3.get(list)).json as { allowed_ips: Array<{ _id: string; address: string }> };
    assert.deepEqual(
      before.allowed_ips.map((e) => e.address),
      ['0.0.0.0/0'],
    );
    const listed = await v3.post(list, { address: '127.0.0.77', comment: 'the allowed client' });
    assert.equal(listed.status, 201, listed.text);
    assert.equal((await v3.delete(`${list}/${before.allowed_ips[0]!._id}`)).status, 204);
    assert.equal((await v3.post(`${sec}/allow_non_vpc_client_requests`, { allow_non_vpc_client_requests: true })).status, 204);

    assert.equal(await settle(() => curlOutside(location, '127.0.0.77'), 200), 200, 'a listed client from outside');
    assert.equal(await settle(() => curlOutside(location, '127.0.0.78'), 403), 403, 'an unlisted client from outside');
    const pub = (await stack.running.appServicesPublicAddress())!;
    const refused = await httpVia(pub.host, pub.port, location, { localAddress: '127.0.0.78' });
    assert.deepEqual(refused.json, { error: "IP address 127.0.0.78 is not in the app's IP access list", error_code: 'Forbidden' });
    const syncRefused = await websocketPingPong(pub.host, pub.port, `/api/client/v2.0/app/${clientAppId}/realm-sync`, 'x', '127.0.0.78');
    assert.equal(syncRefused.statusLine, 'HTTP/1.1 403 Forbidden');

    // Through the app's general endpoint, from a client the list does not name: served.
    const { address, client } = await endpointAddress(vpceGeneral);
    assert.notEqual(client, '127.0.0.77');
    assert.equal((await httpVia(address, 8080, location, { localAddress: client })).status, 200);

    // Restricted again: the listed client from outside is 404 (the access list does not open a restricted app).
    assert.equal((await v3.post(`${sec}/allow_non_vpc_client_requests`, { allow_non_vpc_client_requests: false })).status, 204);
    assert.equal(await settle(() => curlOutside(location, '127.0.0.77'), 404), 404);

    const restored = await v3.post(list, { address: '0.0.0.0/0' });
    assert.equal(restored.status, 201, restored.text);
    assert.equal((await v3.delete(`${list}/${(listed.json as { _id: string })._id}`)).status, 204);
  });

  test('an endpoint of another type or one that does not exist is REJECTED with the reason', async () => {
    const toSync = await customerEndpoint(stack.customerEc2(), infos[1]!.service_name);
    const wrong = await register(toSync, 'general');
    const rejected = await until(
      () => v3.get(`${sec}/private_endpoints/${wrong._id}`),
      (r) => statusOf(r) === 'REJECTED',
    );
    assert.match((rejected.json as { status_message: string }).status_message, new RegExp(`${toSync} .*not connected to the general endpoint service`));
    assert.equal(await vpceState(toSync), 'pendingacceptance');
    assert.equal((await v3.delete(`${sec}/private_endpoints/${wrong._id}`)).status, 204);

    const ghost = await register('vpce-0000000000000000a', 'general');
    await until(
      () => v3.get(`${sec}/private_endpoints/${ghost._id}`),
      (r) => statusOf(r) === 'REJECTED',
    );
    assert.equal((await v3.delete(`${sec}/private_endpoints/${ghost._id}`)).status, 204);

    const sync = await register(toSync, 'sync');
    await until(
      () => v3.get(`${sec}/private_endpoints/${sync._id}`),
      (r) => statusOf(r) === 'AVAILABLE',
    );
    assert.equal(await vpceState(toSync), 'available');
    // Sync: the WebSocket upgrade through the sync endpoint; not through the general one.
    const syncSide = await endpointAddress(toSync);
    const realmSync = `/api/client/v2.0/app/${clientAppId}/realm-sync`;
    let session = await websocketPingPong(syncSide.address, 8080, realmSync, 'are you there', syncSide.client).catch(() => undefined);
    for (let i = 0; i < 100 && !session?.statusLine.includes(' 101 '); i++) {
      await new Promise((r) => setTimeout(r, 100));
      session = await websocketPingPong(syncSide.address, 8080, realmSync, 'are you there', syncSide.client).catch(() => undefined);
    }
    assert.deepEqual(session, { statusLine: 'HTTP/1.1 101 Switching Protocols', pong: 'are you there', closeCode: 1000, ended: true });
    const generalSide = await endpointAddress(vpceGeneral);
    const wrongType = await websocketPingPong(generalSide.address, 8080, realmSync, 'x', generalSide.client);
    assert.equal(wrongType.statusLine, 'HTTP/1.1 404 Not Found');
    assert.equal((await httpVia(syncSide.address, 8080, `/api/client/v2.0/app/${clientAppId}/location`, { localAddress: syncSide.client })).status, 404);
    assert.equal((await v3.delete(`${sec}/private_endpoints/${sync._id}`)).status, 204);
    await until(
      async () => ({ status: 200, json: { status: await vpceState(toSync) }, text: '', headers: new Headers() }),
      (r) => statusOf(r) === 'rejected',
    );
  });

  test('moving the app to another region invalidates its endpoints, rejects them in the cloud and moves the services', async () => {
    assert.equal((await v3.put(`${appPath}/deployment_migration`, { deployment_model: 'LOCAL', provider_region: 'aws-us-west-2' })).status, 204);
    const invalid = (await v3.get(`${sec}/private_endpoints/${general._id}`)).json as { status: string; status_message: string };
    assert.equal(invalid.status, 'INVALIDATED');
    assert.equal(await settleValue(() => resolve4('services.privlink.test'), 'ENOTFOUND'), 'ENOTFOUND', 'an invalidated endpoint has no name');
    assert.match(invalid.status_message, /aws-us-west-2/);
    await until(
      async () => ({ status: 200, json: { status: await vpceState(vpceGeneral) }, text: '', headers: new Headers() }),
      (r) => statusOf(r) === 'rejected',
    );
    const moved = await until(
      () => v3.get(`${sec}/private_endpoint_service_infos`),
      (r) => (r.json as Array<{ service_name?: string }>).every((i) => i.service_name?.startsWith('com.amazonaws.vpce.us-west-2.')),
    );
    assert.equal((moved.json as unknown[]).length, 2);
    await until(
      async () => {
        const left = await stack.providerEc2().send(new DescribeVpcEndpointServiceConfigurationsCommand({}));
        const names = (left.ServiceConfigurations ?? []).map((c) => c.ServiceName);
        return { status: 200, json: { status: infos.some((i) => names.includes(i.service_name)) ? 'present' : 'gone' }, text: '', headers: new Headers() };
      },
      (r) => statusOf(r) === 'gone',
    );
  });

  test('changing the deployment model LOCAL → GLOBAL invalidates the endpoints, rejects them in the cloud and removes the services', async () => {
    // In eu-west-1: us-east-1's endpoint services may still be going from the region move above.
    const created = await v3.post(`/groups/${stack.projectId}/apps`, { name: 'GoingGlobal', deployment_model: 'LOCAL', provider_region: 'aws-eu-west-1' });
    assert.equal(created.status, 201, created.text);
    const base = `/groups/${stack.projectId}/apps/${(created.json as { _id: string })._id}`;
    const ready = await until(
      () => v3.get(`${base}/security/private_endpoint_service_infos`),
      (r) => Array.isArray(r.json) && (r.json as Array<{ service_name?: string }>).every((i) => typeof i.service_name === 'string'),
    );
    const localInfos = ready.json as typeof infos;
    const vpce = await customerEndpoint(stack.customerEc2('eu-west-1'), localInfos[0]!.service_name, { zone: 'eu-west-1a' });
    const res = await v3.post(`${base}/security/private_endpoints`, { cloud_provider_region: 'aws-eu-west-1', cloud_provider_endpoint_id: vpce, endpoint_type: 'general' });
    assert.equal(res.status, 201, res.text);
    const endpoint = `${base}/security/private_endpoints/${(res.json as { _id: string })._id}`;
    await until(
      () => v3.get(endpoint),
      (r) => statusOf(r) === 'AVAILABLE',
    );
    assert.equal(await vpceState(vpce, 'eu-west-1'), 'available');

    assert.equal((await v3.put(`${base}/deployment_migration`, { deployment_model: 'GLOBAL', provider_region: 'aws-eu-west-1' })).status, 204);
    const invalid = (await v3.get(endpoint)).json as { status: string; status_message: string };
    assert.equal(invalid.status, 'INVALIDATED');
    assert.match(invalid.status_message, /from LOCAL in aws-eu-west-1 to GLOBAL in aws-eu-west-1/);
    await until(
      async () => ({ status: 200, json: { status: await vpceState(vpce, 'eu-west-1') }, text: '', headers: new Headers() }),
      (r) => statusOf(r) === 'rejected',
    );
    const none = await v3.get(`${base}/security/private_endpoint_service_infos`);
    assert.equal(none.status, 400);
    assert.equal((none.json as { error_code: string }).error_code, 'PrivateEndpointsNotSupported');
    const again = await v3.post(`${base}/security/private_endpoints`, { cloud_provider_region: 'aws-eu-west-1', cloud_provider_endpoint_id: vpce, endpoint_type: 'general' });
    assert.equal(again.status, 400);
    assert.equal((again.json as { error_code: string }).error_code, 'PrivateEndpointsNotSupported');
    await until(
      async () => {
        const left = await stack.providerEc2('eu-west-1').send(new DescribeVpcEndpointServiceConfigurationsCommand({}));
        const names = (left.ServiceConfigurations ?? []).map((c) => c.ServiceName);
        return { status: 200, json: { status: localInfos.some((i) => names.includes(i.service_name)) ? 'present' : 'gone' }, text: '', headers: new Headers() };
      },
      (r) => statusOf(r) === 'gone',
    );
  });

  test('an app that comes to a region while its endpoint services are going gets new ones once they are gone', async () => {
    const region = 'eu-central-1';
    const apps = `/groups/${stack.projectId}/apps`;
    type Info = { service_name?: string; endpoint_type: string };
    const named = (r: V3Response) => Array.isArray(r.json) && (r.json as Info[]).length === 2 && (r.json as Info[]).every((i) => typeof i.service_name === 'string');
    const leaving = await v3.post(apps, { name: 'Leaving', deployment_model: 'LOCAL', provider_region: `aws-${region}` });
    assert.equal(leaving.status, 201, leaving.text);
    const leavingBase = `${apps}/${(leaving.json as { _id: string })._id}`;
    const old = ((await until(() => v3.get(`${leavingBase}/security/private_endpoint_service_infos`), named)).json as Info[]).map((i) => i.service_name!);

    // The cloud holds the deletion of the region's services while the only app leaves and another comes.
    const cloud = stack.running.localCloud!;
    await cloud.setFault('DeleteVpcEndpointServiceConfigurations', { kind: 'error', code: 'InternalFailure', message: 'Held by the test.', status: 500 });
    let arrivingBase: string;
    try {
      assert.equal((await v3.delete(leavingBase)).status, 204);
      const arriving = await v3.post(apps, { name: 'Arriving', deployment_model: 'LOCAL', provider_region: `aws-${region}` });
      assert.equal(arriving.status, 201, arriving.text);
      arrivingBase = `${apps}/${(arriving.json as { _id: string })._id}`;
      // The going services are not offered to the new app.
      const during = await v3.get(`${arrivingBase}/security/private_endpoint_service_infos`);
      assert.deepEqual([during.status, during.json], [200, []]);
    } finally {
      await cloud.setFault('DeleteVpcEndpointServiceConfigurations', null);
    }

    const fresh = ((await until(() => v3.get(`${arrivingBase}/security/private_endpoint_service_infos`), named)).json as Info[]).map((i) => i.service_name!);
    assert.ok(
      fresh.every((name) => !old.includes(name)),
      `new services: ${fresh.join(', ')} after ${old.join(', ')}`,
    );
    const configs = (await stack.providerEc2(region).send(new DescribeVpcEndpointServiceConfigurationsCommand({}))).ServiceConfigurations ?? [];
    for (const name of fresh) assert.equal(configs.find((c) => c.ServiceName === name)?.ServiceState, 'Available', `${name} is Available in the cloud`);
    const vpce = await customerEndpoint(stack.customerEc2(region), fresh[0]!, { zone: `${region}a` });
    const registered = await v3.post(`${arrivingBase}/security/private_endpoints`, {
      cloud_provider_region: `aws-${region}`,
      cloud_provider_endpoint_id: vpce,
      endpoint_type: 'general',
    });
    assert.equal(registered.status, 201, registered.text);
    await until(
      () => v3.get(`${arrivingBase}/security/private_endpoints/${(registered.json as { _id: string })._id}`),
      (r) => statusOf(r) === 'AVAILABLE',
    );
    assert.equal((await v3.delete(arrivingBase)).status, 204);
  });
});
