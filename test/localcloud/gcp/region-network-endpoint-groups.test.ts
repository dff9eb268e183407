import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { REGION, rejectsWith, startGcp, ZONE, type ComputeClients, type GcpHarness } from './harness.js';

describe('regional network endpoint groups (PSC port mapping) through RegionNetworkEndpointGroupsClient', () => {
  let h: GcpHarness;
  let p: ComputeClients;
  const group = (name: string, over: Record<string, unknown> = {}) =>
    p.regionNegs.insert({
      project: p.project,
      region: REGION,
      networkEndpointGroupResource: {
        name,
        networkEndpointType: 'GCE_VM_IP_PORTMAP',
        network: 'global/networks/net',
        subnetwork: `regions/${REGION}/subnetworks/nodes`,
        ...over,
      },
    });
  const attach = (name: string, networkEndpoints: Array<Record<string, unknown>>) =>
    p.regionNegs.attachNetworkEndpoints({
      project: p.project,
      region: REGION,
      networkEndpointGroup: name,
      regionNetworkEndpointGroupsAttachEndpointsRequestResource: { networkEndpoints },
    });

  before(async () => {
    h = await startGcp();
    p = h.clients(h.cloud.projects.producer);
    await p.done(p.networks.insert({ project: p.project, networkResource: { name: 'net', autoCreateSubnetworks: false } }));
    await p.done(p.subnetworks.insert({ project: p.project, region: REGION, subnetworkResource: { name: 'nodes', network: 'global/networks/net', ipCidrRange: '10.10.1.0/24' } }));
  });
  after(async () => h?.close());

  test('a GCE_VM_IP_PORTMAP group is regional: insert, get, list, attach, listNetworkEndpoints with client destination ports', async () => {
    await p.done(group('map'));
    const [g] = await p.regionNegs.get({ project: p.project, region: REGION, networkEndpointGroup: 'map' });
    assert.equal(g.networkEndpointType, 'GCE_VM_IP_PORTMAP');
    assert.equal(g.region, `${h.cloud.url}/compute/v1/projects/${p.project}/regions/${REGION}`);
    assert.equal(g.zone ?? undefined, undefined);
    assert.equal(g.subnetwork, `${h.cloud.url}/compute/v1/projects/${p.project}/regions/${REGION}/subnetworks/nodes`);
    assert.equal(g.selfLink, `${h.cloud.url}/compute/v1/projects/${p.project}/regions/${REGION}/networkEndpointGroups/map`);
    const op = await p.done(
      attach('map', [
        { ipAddress: '10.10.1.10', port: 27017, clientDestinationPort: 1024 },
        { ipAddress: '10.10.1.11', port: 27017, clientDestinationPort: 1025, instance: `zones/${ZONE}/instances/vm-1` },
      ]),
    );
    assert.equal(op.operationType, 'attachNetworkEndpoints');
    const [listed] = await p.regionNegs.list({ project: p.project, region: REGION });
    assert.deepEqual(
      listed.map((x) => [x.name, Number(x.size)]),
      [['map', 2]],
    );
    const [endpoints] = await p.regionNegs.listNetworkEndpoints({ project: p.project, region: REGION, networkEndpointGroup: 'map' }, { autoPaginate: false });
    assert.deepEqual(
      endpoints.map((e) => [e.networkEndpoint!.ipAddress, e.networkEndpoint!.port, e.networkEndpoint!.clientDestinationPort]),
      [
        ['10.10.1.10', 27017, 1024],
        ['10.10.1.11', 27017, 1025],
      ],
    );
    await p.done(
      p.regionNegs.detachNetworkEndpoints({
        project: p.project,
        region: REGION,
        networkEndpointGroup: 'map',
        regionNetworkEndpointGroupsDetachEndpointsRequestResource: { networkEndpoints: [{ ipAddress: '10.10.1.11', port: 27017, clientDestinationPort: 1025 }] },
      }),
    );
    const [afterDetach] = await p.regionNegs.get({ project: p.project, region: REGION, networkEndpointGroup: 'map' });
    assert.equal(Number(afterDetach.size), 1);
  });

  test('clientDestinationPort is required in a port-mapping group and unique in it; other groups refuse it', async () => {
    const missing = await rejectsWith(attach('map', [{ ipAddress: '10.10.1.12', port: 27017 }]), 400);
    assert.equal(missing.error.errors[0]!.reason, 'required');
    assert.match(missing.error.message, /clientDestinationPort/);
    const taken = await rejectsWith(attach('map', [{ ipAddress: '10.10.1.12', port: 27017, clientDestinationPort: 1024 }]), 400);
    assert.equal(taken.error.errors[0]!.reason, 'invalid');
    assert.match(taken.error.message, /already mapped to 10\.10\.1\.10:27017/);
    const twice = await rejectsWith(
      attach('map', [
        { ipAddress: '10.10.1.12', port: 1, clientDestinationPort: 2000 },
        { ipAddress: '10.10.1.13', port: 1, clientDestinationPort: 2000 },
      ]),
      400,
    );
    assert.equal(twice.error.errors[0]!.reason, 'invalid');
    await p.done(group('hybrid', { networkEndpointType: 'NON_GCP_PRIVATE_IP_PORT', subnetwork: undefined, defaultPort: 27017 }));
    const refused = await rejectsWith(attach('hybrid', [{ ipAddress: '10.10.1.12', clientDestinationPort: 1024 }]), 400);
    assert.match(refused.error.message, /GCE_VM_IP_PORTMAP/);
  });

  test('types are checked per scope: no port mapping in a zone, no VM-port groups in a region; port mapping needs a subnetwork', async () => {
    const zonal = await rejectsWith(
      p.negs.insert({ project: p.project, zone: ZONE, networkEndpointGroupResource: { name: 'z', networkEndpointType: 'GCE_VM_IP_PORTMAP', network: 'global/networks/net' } }),
      400,
    );
    assert.match(zonal.error.message, /networkEndpointType/);
    await rejectsWith(group('vm', { networkEndpointType: 'GCE_VM_IP_PORT' }), 400);
    const noSubnet = await rejectsWith(group('nosub', { subnetwork: undefined }), 400);
    assert.equal(noSubnet.error.errors[0]!.reason, 'required');
  });

  test('a backend service takes a regional group as a backend, which then cannot be deleted', async () => {
    await p.done(
      p.backendServices.insert({
        project: p.project,
        region: REGION,
        backendServiceResource: { name: 'bs', loadBalancingScheme: 'INTERNAL', protocol: 'TCP', backends: [{ group: `regions/${REGION}/networkEndpointGroups/map` }] },
      }),
    );
    const [bs] = await p.backendServices.get({ project: p.project, region: REGION, backendService: 'bs' });
    assert.equal(bs.backends![0]!.group, `${h.cloud.url}/compute/v1/projects/${p.project}/regions/${REGION}/networkEndpointGroups/map`);
    const inUse = await rejectsWith(p.regionNegs.delete({ project: p.project, region: REGION, networkEndpointGroup: 'map' }), 400);
    assert.equal(inUse.error.errors[0]!.reason, 'resourceInUseByAnotherResource');
    await p.done(p.backendServices.delete({ project: p.project, region: REGION, backendService: 'bs' }));
    await p.done(p.regionNegs.delete({ project: p.project, region: REGION, networkEndpointGroup: 'map' }));
    await rejectsWith(p.regionNegs.get({ project: p.project, region: REGION, networkEndpointGroup: 'map' }), 404);
  });

  test('faults and permissions name the regional method ids', async () => {
    await h.cloud.setFault('compute.regionNetworkEndpointGroups.insert', { kind: 'error', code: 'backendError', message: 'try again', status: 503, times: 1 });
    await rejectsWith(group('faulty'), 503);
    const c = h.clients(h.cloud.projects.consumer);
    const forbidden = await rejectsWith(c.regionNegs.list({ project: p.project, region: REGION }), 403);
    assert.match(forbidden.error.message, /compute\.regionNetworkEndpointGroups\.list/);
  });
});
