import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseClusterSpec } from './cluster.js';
import { allocatePorts, lowestFreeIndex } from './port-allocation.js';
import { endpointHostname, privateEndpointTopology, replicaSetName, type TopologyInput } from './private-endpoint-topology.js';

const rs = (regions: Array<[string, number]>, name = 'Cluster0') =>
  parseClusterSpec({
    name,
    replicationSpecs: [
      { regionConfigs: regions.map(([regionName, nodeCount], i) => ({ providerName: 'AWS', regionName, priority: 7 - i, electableSpecs: { instanceSize: 'M10', nodeCount } })) },
    ],
  });
const input = (overrides: Partial<TopologyInput>): TopologyInput => ({
  clusterId: '6a793f68c0eb9e7a17715835',
  spec: rs([['US_EAST_1', 3]]),
  hostSuffix: 'ab123',
  domain: 'privlink.test',
  regionalized: false,
  endpoints: [{ endpointId: 'vpce-00000000000000001', provider: 'AWS', regionName: 'US_EAST_1', plIndex: 0 }],
  ports: new Map([
    ['node-0', 1024],
    ['node-1', 1025],
    ['node-2', 1026],
  ]),
  ...overrides,
});

test("a single-region replica set: one entry per endpoint, Atlas's hostnames and ports", () => {
  const [entry, ...rest] = privateEndpointTopology(input({}));
  assert.equal(rest.length, 0);
  assert.equal(entry!.srvConnectionString, 'mongodb+srv://cluster0-pl-0.ab123.privlink.test');
  const rsName = replicaSetName('6a793f68c0eb9e7a17715835');
  assert.match(rsName, /^atlas-[a-z0-9]{1,6}-shard-0$/);
  assert.equal(
    entry!.connectionString,
    `mongodb://pl-0-us-east-1.ab123.privlink.test:1024,pl-0-us-east-1.ab123.privlink.test:1025,pl-0-us-east-1.ab123.privlink.test:1026/?ssl=true&authSource=admin&replicaSet=${rsName}`,
  );
  assert.equal(entry!.txt, `authSource=admin&replicaSet=${rsName}`);
  assert.equal(entry!.type, 'MONGOD');
  assert.equal(entry!.srvShardOptimizedConnectionString, null);
  assert.deepEqual(entry!.endpoints, [{ endpointId: 'vpce-00000000000000001', providerName: 'AWS', region: 'US_EAST_1' }]);
});

test('two endpoints in one region: pl-0 and pl-1 entries', () => {
  const entries = privateEndpointTopology(
    input({
      endpoints: [
        { endpointId: 'vpce-00000000000000001', provider: 'AWS', regionName: 'US_EAST_1', plIndex: 0 },
        { endpointId: 'vpce-00000000000000002', provider: 'AWS', regionName: 'US_EAST_1', plIndex: 1 },
      ],
    }),
  );
  assert.deepEqual(
    entries.map((e) => e.srvName),
    ['cluster0-pl-0.ab123.privlink.test', 'cluster0-pl-1.ab123.privlink.test'],
  );
  assert.equal(entries[1]!.hosts[0]!.host, 'pl-1-us-east-1.ab123.privlink.test');
});

test('strings exist only when every region of the cluster has an available endpoint', () => {
  const spec = rs([
    ['US_EAST_1', 3],
    ['US_WEST_2', 2],
  ]);
  const ports = new Map([
    ['node-0', 1024],
    ['node-1', 1025],
    ['node-2', 1026],
    ['node-3', 1024],
    ['node-4', 1025],
  ]);
  assert.deepEqual(privateEndpointTopology(input({ spec, ports })), []);
  const both = privateEndpointTopology(
    input({
      spec,
      ports,
      endpoints: [
        { endpointId: 'vpce-00000000000000001', provider: 'AWS', regionName: 'US_EAST_1', plIndex: 0 },
        { endpointId: 'vpce-00000000000000002', provider: 'AWS', regionName: 'US_WEST_2', plIndex: 0 },
      ],
    }),
  );
  assert.equal(both.length, 1);
  assert.equal(both[0]!.srvName, 'cluster0-pl-0.ab123.privlink.test');
  assert.deepEqual(
    both[0]!.hosts.map((h) => `${h.host}:${h.port}`),
    [
      'pl-0-us-east-1.ab123.privlink.test:1024',
      'pl-0-us-east-1.ab123.privlink.test:1025',
      'pl-0-us-east-1.ab123.privlink.test:1026',
      'pl-0-us-west-2.ab123.privlink.test:1024',
      'pl-0-us-west-2.ab123.privlink.test:1025',
    ],
  );
  assert.equal(both[0]!.endpoints.length, 2);
});

test('sharded clusters: mongos targets, type MONGOS, and the load-balanced -lb string with loadBalanced=true', () => {
  const spec = parseClusterSpec({
    name: 'Shard0',
    clusterType: 'SHARDED',
    replicationSpecs: [{ numShards: 2, regionConfigs: [{ providerName: 'AWS', regionName: 'US_EAST_1', electableSpecs: { instanceSize: 'M30', nodeCount: 3 } }] }],
  });
  const ports = new Map([
    ['mongos-0', 1030],
    ['mongos-1', 1031],
    ['mongos-2', 1032],
    ['mongos-lb-US_EAST_1', 1033],
  ]);
  const [entry] = privateEndpointTopology(input({ spec, ports }));
  assert.equal(entry!.type, 'MONGOS');
  assert.equal(entry!.hosts.length, 3);
  assert.equal(entry!.txt, 'authSource=admin');
  assert.equal(entry!.srvShardOptimizedConnectionString, 'mongodb+srv://shard0-pl-0-lb.ab123.privlink.test');
  assert.deepEqual(entry!.loadBalanced, {
    srvName: 'shard0-pl-0-lb.ab123.privlink.test',
    host: {
      host: 'pl-0-us-east-1.ab123.privlink.test',
      port: 1033,
      targetName: 'mongos-lb-US_EAST_1',
      endpointId: 'vpce-00000000000000001',
      connectionId: 'vpce-00000000000000001',
      registeredIp: null,
    },
    txt: 'authSource=admin&loadBalanced=true',
  });
  assert.doesNotMatch(entry!.connectionString, /replicaSet/);
});

test("regionalized mode: one entry per region, named with the region, listing that region's mongos", () => {
  const spec = parseClusterSpec({
    name: 'Global',
    clusterType: 'SHARDED',
    replicationSpecs: [
      {
        regionConfigs: [
          { providerName: 'AWS', regionName: 'US_EAST_1', priority: 7, electableSpecs: { instanceSize: 'M30', nodeCount: 2 } },
          { providerName: 'AWS', regionName: 'US_WEST_1', priority: 6, electableSpecs: { instanceSize: 'M30', nodeCount: 1 } },
        ],
      },
    ],
  });
  const ports = new Map([
    ['mongos-0', 1024],
    ['mongos-1', 1025],
    ['mongos-2', 1024],
  ]);
  const endpoints = [
    { endpointId: 'vpce-00000000000000001', provider: 'AWS' as const, regionName: 'US_EAST_1', plIndex: 0 },
    { endpointId: 'vpce-00000000000000002', provider: 'AWS' as const, regionName: 'US_WEST_1', plIndex: 0 },
  ];
  const plain = privateEndpointTopology(input({ spec, ports, endpoints }));
  assert.deepEqual(
    plain.map((e) => e.srvName),
    ['global-pl-0.ab123.privlink.test'],
  );
  const regional = privateEndpointTopology(input({ spec, ports, endpoints, regionalized: true }));
  assert.deepEqual(
    regional.map((e) => e.srvConnectionString),
    ['mongodb+srv://global-pl-0-us-east-1.ab123.privlink.test', 'mongodb+srv://global-pl-0-us-west-1.ab123.privlink.test'],
  );
  assert.deepEqual(
    regional[1]!.hosts.map((h) => ({ host: h.host, port: h.port })),
    [{ host: 'pl-0-us-west-1.ab123.privlink.test', port: 1024 }],
  );
});

const gcpSpec = (nodeCount: number) =>
  parseClusterSpec({
    name: 'Cluster0',
    replicationSpecs: [{ regionConfigs: [{ providerName: 'GCP', regionName: 'CENTRAL_US', priority: 7, electableSpecs: { instanceSize: 'M10', nodeCount } }] }],
  });
const gcpGroup = (rules: number, portMappingEnabled: boolean) => ({
  endpointId: 'group-1',
  provider: 'GCP' as const,
  regionName: 'CENTRAL_US',
  plIndex: 0,
  detail: {
    cloud: 'GCP' as const,
    gcpProjectId: 'customer-project',
    portMappingEnabled,
    endpoints: Array.from({ length: rules }, (_, i) => ({ endpointName: `endpoint-${i}`, ipAddress: `10.128.0.${10 + i}`, status: 'AVAILABLE' as const })),
  },
});

test('GCP with port mapping: psc names, one forwarding rule carries every port', () => {
  const [entry] = privateEndpointTopology(input({ spec: gcpSpec(3), endpoints: [gcpGroup(1, true)] }));
  assert.equal(entry!.srvName, 'cluster0-psc-0.ab123.privlink.test');
  assert.deepEqual(
    entry!.hosts.map((h) => `${h.host}:${h.port}`),
    ['psc-0-us-central1.ab123.privlink.test:1024', 'psc-0-us-central1.ab123.privlink.test:1025', 'psc-0-us-central1.ab123.privlink.test:1026'],
  );
  assert.ok(entry!.hosts.every((h) => h.connectionId === 'projects/customer-project/regions/us-central1/forwardingRules/endpoint-0' && h.registeredIp === '10.128.0.10'));
});

test('GCP legacy: one hostname per attachment, targets spread over the six attachments on 27017, then 27016', () => {
  const ports = new Map(Array.from({ length: 7 }, (_, i) => [`node-${i}`, 1024 + i] as [string, number]));
  const [entry] = privateEndpointTopology(input({ spec: gcpSpec(7), ports, endpoints: [gcpGroup(6, false)] }));
  assert.equal(entry!.srvName, 'cluster0-pl-0.ab123.privlink.test');
  assert.deepEqual(
    entry!.hosts.map((h) => `${h.host}:${h.port} via ${h.connectionId.split('/').pop()}`),
    [...Array.from({ length: 6 }, (_, i) => `pl-0-${i}-us-central1.ab123.privlink.test:27017 via endpoint-${i}`), 'pl-0-0-us-central1.ab123.privlink.test:27016 via endpoint-0'],
  );
});

test('shared tiers never get strings', () => {
  const spec = parseClusterSpec({
    name: 'free',
    replicationSpecs: [{ regionConfigs: [{ providerName: 'TENANT', backingProviderName: 'AWS', regionName: 'US_EAST_1', electableSpecs: { instanceSize: 'M0' } }] }],
  });
  assert.deepEqual(privateEndpointTopology(input({ spec, ports: new Map() })), []);
});

test('hostnames use the AWS region name; ports are allocated lowest-free from 1024; pl indexes lowest-free from 0', () => {
  assert.equal(endpointHostname(2, 'AWS', 'EU_WEST_1', 'xy789', 'example.com'), 'pl-2-eu-west-1.xy789.example.com');
  assert.deepEqual(allocatePorts(new Set([1024, 1026]), 3), [1025, 1027, 1028]);
  assert.deepEqual(allocatePorts(new Set(), 0), []);
  assert.throws(() => allocatePorts(new Set(Array.from({ length: 64512 }, (_, i) => 1024 + i)), 1), RangeError);
  assert.equal(lowestFreeIndex(new Set([0, 1, 3])), 2);
});
