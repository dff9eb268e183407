// What one change costs the data plane's picture of a large AWS local cloud: the picture is built
// from the emulator's rows and handed to the data-plane differ after every change the emulator
// commits. With N projects' rows (each a customer VPC and security group, a load balancer with
// three interfaces, three target groups and listeners, an endpoint service and three VPC
// endpoints), one VPC endpoint's state changes and the picture is brought up to date: the
// assembly (snapshot.ts) and the differ (snapshot-diff.ts), as the main thread runs them.
// Reference in the same run: building the picture from every row, which is what each pass cost
// before the picture followed changes. Target: a pass costs the same at N=10,000 as at N=100
// (no walk over every row; at most 3× for the larger maps' cache misses). Then the data-plane
// worker's side, with real listeners (nine per project, up to BENCH_PICTURE_GATEWAY_MAX projects):
// the diff applied to its picture and the gateway's pass that follows, against the same target
// (the gateway opens and closes only the listeners of the endpoints a change touches). And the
// first lookup of an endpoint's addresses in each new picture (what the private DNS answers from,
// and the gateway's per-connection checks alike), against the same target: its index is carried
// over from the picture before, not made again from every endpoint. And the diff applied to the
// worker's picture alone (no listeners, so at every size), against the same target. And the same
// change while another local cloud (Azure) holds a network and an endpoint too: the pictures
// merged (snapshot-merger.ts) and the differ's pass over the merged picture.
// Run: npm run bench (or: npx tsc -p . && node scripts/run-bench.mjs picture). BENCH_PICTURE_N=100,1000 sets the sizes.
import { SnapshotAssembly } from '../src/localcloud/aws/snapshot.js';
import { PICTURE_TABLES, type PictureRows, type PictureTableName, type ReadRow } from '../src/localcloud/aws/store/picture-rows.repository.js';
import { forwardingAddresses, postableSnapshot, type DataPlaneSnapshot } from '../src/localcloud/common/data-plane-snapshot.js';
import { SnapshotMerger } from '../src/localcloud/common/snapshot-merger.js';
import { loopbackRanges } from '../src/localcloud/common/loopback.js';
import { PostedSnapshots } from '../src/localcloud/dataplane-host/posted-snapshots.js';
import { SnapshotAssembler, SnapshotDiffer } from '../src/localcloud/dataplane-host/snapshot-diff.js';
import { PrivateLinkGateway } from '../src/localcloud/gateway/private-link-gateway.js';
import { createLogger } from '../src/logging/logger.js';
import { percentile, table, verdict } from './support/stats.js';

const SIZES = (process.env.BENCH_PICTURE_N ?? '100,1000,10000').split(',').map(Number);
// The worker's side opens every endpoint's real listeners (nine per project): sizes above this are
// left out of it, as the file-descriptor limit allows (20,000 here).
const GATEWAY_MAX = Number(process.env.BENCH_PICTURE_GATEWAY_MAX ?? 1000);
const PASSES = 1000;
const FLAT_RATIO = 3;
const ZONES = ['us-east-1a', 'us-east-1b', 'us-east-1c'];
const range = loopbackRanges(100).AWS;

/** N projects' rows, shaped as the AWS local cloud keeps them after a scale run. */
function rowsFor(n: number): { rows: PictureRows; endpointIds: string[]; count: number } {
  const tables = new Map<PictureTableName, Map<string, unknown>>((Object.keys(PICTURE_TABLES) as PictureTableName[]).map((name) => [name, new Map()]));
  let seq = 0;
  let count = 0;
  const add = (name: PictureTableName, key: string, value: unknown) => {
    count++;
    tables.get(name)!.set(key, { key, seq: ++seq, value } satisfies ReadRow<unknown>);
  };
  const group = (name: PictureTableName, key: string, values: unknown[]) => {
    count += values.length;
    tables.get(name)!.set(key, values);
  };
  const owned = () => ({ accountId: '111122223333', region: 'us-east-1', seq, createdAt: new Date(0) });
  const vpc = (vpcId: string, slot: number, cidrBlock: string) =>
    add('vpcs', vpcId, { ...owned(), vpcId, cidrBlock, isDefault: false, slot, mainRouteTableId: `rtb-${vpcId}`, dhcpOptionsId: 'dopt-1', tags: [] });
  const eni = (id: string, vpcId: string, ownerId: string, zone: number, ip: string) =>
    add('interfaces', id, {
      ...owned(),
      networkInterfaceId: id,
      vpcId,
      subnetId: `subnet-${vpcId}-${zone}`,
      availabilityZone: ZONES[zone],
      privateIp: ip,
      ownerKind: ownerId.startsWith('arn:') ? 'network_load_balancer' : 'vpc_endpoint',
      ownerId,
      description: '',
    });
  vpc('vpc-provider', 1, '10.0.0.0/8');
  const endpointIds: string[] = [];
  for (let p = 0; p < n; p++) {
    const ip = (i: number) => `10.${(p >> 8) & 255}.${p & 255}.${10 + i}`;
    const lb = `arn:aws:elasticloadbalancing:us-east-1:111122223333:loadbalancer/net/p${p}/${p}`;
    const customer = `vpc-c${p}`;
    vpc(customer, 2 + (p % 150), '192.168.0.0/16');
    add('securityGroups', `sg-c${p}`, { ...owned(), groupId: `sg-c${p}`, vpcId: customer, groupName: 'default', description: '', tags: [] });
    group('rules', `sg-c${p}`, [
      {
        ruleId: `sgr-i${p}`,
        seq,
        groupId: `sg-c${p}`,
        isEgress: false,
        ipProtocol: 'tcp',
        fromPort: 1024,
        toPort: 1026,
        cidrIpv4: '192.168.0.0/16',
        referencedGroupId: null,
        description: null,
      },
      {
        ruleId: `sgr-e${p}`,
        seq,
        groupId: `sg-c${p}`,
        isEgress: true,
        ipProtocol: '-1',
        fromPort: null,
        toPort: null,
        cidrIpv4: '0.0.0.0/0',
        referencedGroupId: null,
        description: null,
      },
    ]);
    add('loadBalancers', lb, {
      ...owned(),
      state: 'active',
      nextState: null,
      nextStateAt: null,
      arn: lb,
      name: `p${p}`,
      type: 'network',
      scheme: 'internal',
      ipAddressType: 'ipv4',
      vpcId: 'vpc-provider',
      dnsName: `p${p}.elb.us-east-1.amazonaws.com`,
      subnets: ZONES.map((zoneName) => ({ subnetId: `subnet-${zoneName}`, zoneName, zoneId: zoneName })),
      securityGroups: [],
      tags: [],
    });
    for (let z = 0; z < 3; z++) eni(`eni-lb${p}-${z}`, 'vpc-provider', lb, z, ip(z));
    const listeners: unknown[] = [];
    for (let node = 0; node < 3; node++) {
      const tg = `arn:aws:elasticloadbalancing:us-east-1:111122223333:targetgroup/p${p}-${node}/${p}`;
      add('targetGroups', tg, {
        ...owned(),
        arn: tg,
        name: `p${p}-${node}`,
        protocol: 'TCP',
        port: 27017,
        vpcId: 'vpc-provider',
        targetType: 'ip',
        ipAddressType: 'ipv4',
        healthCheck: {},
        attributes: { 'proxy_protocol_v2.enabled': 'true' },
        tags: [],
      });
      group('targets', tg, [{ targetGroupArn: tg, seq, targetId: ip(3 + node), port: 27017, availabilityZone: ZONES[node], registeredAt: new Date(0) }]);
      listeners.push({ ...owned(), arn: `${lb}/listener-${node}`, loadBalancerArn: lb, port: 1024 + node, protocol: 'TCP', targetGroupArn: tg, tags: [] });
    }
    group('listeners', lb, listeners);
    const serviceId = `vpce-svc-${p.toString(16).padStart(17, '0')}`;
    add('services', serviceId, {
      ...owned(),
      state: 'Available',
      nextState: null,
      nextStateAt: null,
      serviceId,
      serviceName: `com.amazonaws.vpce.us-east-1.${serviceId}`,
      availableAt: new Date(0),
      acceptanceRequired: true,
      loadBalancerArns: [lb],
      privateDnsName: null,
      supportedIpAddressTypes: ['ipv4'],
      tags: [],
    });
    group('permissions', serviceId, [{ serviceId, principal: 'arn:aws:iam::444455556666:root', permissionId: `perm-${p}`, createdAt: new Date(0) }]);
    for (let e = 0; e < 3; e++) {
      const id = `vpce-${(p * 3 + e).toString(16).padStart(17, '0')}`;
      endpointIds.push(id);
      add('endpoints', id, {
        ...owned(),
        state: 'available',
        nextState: null,
        nextStateAt: null,
        vpcEndpointId: id,
        vpcId: customer,
        serviceId,
        serviceName: `com.amazonaws.vpce.us-east-1.${serviceId}`,
        endpointType: 'Interface',
        subnetIds: [`subnet-${customer}-${e}`],
        securityGroupIds: [`sg-c${p}`],
        dnsSuffix: `e${p}x${e}`,
        privateDnsEnabled: false,
        ipAddressType: 'ipv4',
        tags: [],
      });
      // A distinct address for every endpoint interface: the VPCs share 150 slots.
      eni(`eni-e${p}-${e}`, customer, id, e, `192.168.${e}.${10 + Math.floor(p / 150)}`);
    }
  }
  return { rows: Object.fromEntries(tables) as unknown as PictureRows, endpointIds, count };
}

const down: ReadonlySet<string> = new Set();
/** What the Azure local cloud's picture holds beside: one network and one private endpoint in it. */
const azureNetworkId = '/subscriptions/s/resourceGroups/rg/providers/Microsoft.Network/virtualNetworks/vnet';
const azurePicture: DataPlaneSnapshot = {
  takenAt: new Date(0),
  nextTransitionAt: null,
  networks: [{ cloud: 'AZURE', networkId: azureNetworkId, accountId: 's', region: 'eastus2', cidrBlock: '10.1.0.0/16', isDefault: false, loopbackOctet: 90 }],
  securityGroups: [],
  loadBalancers: [],
  services: [],
  endpoints: [
    {
      cloud: 'AZURE',
      endpointId: '/subscriptions/s/resourceGroups/rg/providers/Microsoft.Network/privateEndpoints/pe',
      accountId: 's',
      region: 'eastus2',
      networkId: azureNetworkId,
      serviceId: 'pls',
      serviceName: 'pls',
      state: 'Approved',
      forwarding: false,
      securityGroupIds: [],
      networkInterfaces: [],
      dnsNames: [],
      proxyTlv: { kind: 'azure-link-id', linkId: 1 },
    },
  ],
};
const results: Array<{
  n: number;
  rows: number;
  wholeMs: number;
  passP50: number;
  passP95: number;
  lookupP50: number;
  applyP50: number;
  mergedP50: number;
  entities: number;
  worker?: { p50: number; p95: number; listeners: number };
}> = [];
for (const n of SIZES) {
  const { rows, endpointIds, count } = rowsFor(n);
  const wholes: number[] = [];
  let assembly = new SnapshotAssembly(range);
  const differ = new SnapshotDiffer();
  for (let round = 0; round < 5; round++) {
    assembly = new SnapshotAssembly(range);
    const started = process.hrtime.bigint();
    const snapshot = assembly.update(rows, 'all', { down, nextTransitionAt: null }, new Date());
    wholes.push(Number(process.hrtime.bigint() - started) / 1e6);
    if (round === 4) differ.diff(snapshot);
  }
  const endpoints = rows.endpoints as unknown as Map<string, ReadRow<{ state: string }>>;
  const passes: number[] = [];
  const lookups: number[] = [];
  const applies: number[] = [];
  const mergedPasses: number[] = [];
  const merger = new SnapshotMerger();
  const mergedDiffer = new SnapshotDiffer();
  mergedDiffer.diff(merger.merge([assembly.update(rows, new Map(), { down, nextTransitionAt: null }, new Date()), azurePicture]));
  const workerPasses: number[] = [];
  let entities = 0;
  // The data-plane worker's side: the diff applied to its picture and the gateway's pass that follows it, real listeners.
  // The worker's picture alone, posted whole once as the worker is.
  const workerPicture = new SnapshotAssembler(structuredClone(postableSnapshot(assembly.update(rows, new Map(), { down, nextTransitionAt: null }, new Date()))));
  const posted = n <= GATEWAY_MAX ? new PostedSnapshots(assembly.update(rows, new Map(), { down, nextTransitionAt: null }, new Date())) : undefined;
  const gateway = posted && new PrivateLinkGateway(posted, createLogger('error'), 3_600_000);
  await gateway?.reconcile();
  const listeners = gateway ? gateway.listenerCount : 0;
  for (let pass = 0; pass < PASSES; pass++) {
    // One endpoint's state changes in place (an accept, a reject), as the emulator commits it.
    const id = endpointIds[(pass * 7919) % endpointIds.length]!;
    const row = endpoints.get(id)!;
    endpoints.set(id, { ...row, value: { ...row.value, state: row.value.state === 'available' ? 'rejected' : 'available' } });
    const started = process.hrtime.bigint();
    const snapshot = assembly.update(rows, new Map([['endpoints', [id]]]), { down, nextTransitionAt: null }, new Date());
    const diff = differ.diff(snapshot);
    passes.push(Number(process.hrtime.bigint() - started) / 1e3);
    if (diff?.changes.endpoints?.set.length !== 1) throw new Error(`a pass should send the one changed endpoint, sent ${diff?.changes.endpoints?.set.length ?? 0}`);
    const merging = process.hrtime.bigint();
    const mergedDiff = mergedDiffer.diff(merger.merge([snapshot, azurePicture]));
    mergedPasses.push(Number(process.hrtime.bigint() - merging) / 1e3);
    if (mergedDiff?.changes.endpoints?.set.length !== 1) throw new Error('the merged picture should send the one changed endpoint');
    const applying = process.hrtime.bigint();
    workerPicture.apply(diff);
    applies.push(Number(process.hrtime.bigint() - applying) / 1e3);
    // Another endpoint's addresses, asked of the new picture (the first question after the change).
    const asked = endpointIds[(pass * 104_729 + 1) % endpointIds.length]!;
    const lookedUp = process.hrtime.bigint();
    const addresses = forwardingAddresses(snapshot, asked);
    lookups.push(Number(process.hrtime.bigint() - lookedUp) / 1e3);
    if (addresses.length === 0 && snapshot.endpoints.find((e) => e.endpointId === asked)?.forwarding) throw new Error(`${asked} forwards but its addresses were not found`);
    if (posted && gateway) {
      const applied = process.hrtime.bigint();
      posted.apply(diff);
      await gateway.reconcile();
      workerPasses.push(Number(process.hrtime.bigint() - applied) / 1e3);
    }
    entities = snapshot.endpoints.length + snapshot.loadBalancers.length + snapshot.services.length + snapshot.networks.length + snapshot.securityGroups.length;
  }
  await gateway?.stop();
  results.push({
    n,
    rows: count,
    wholeMs: percentile(wholes, 0.5),
    passP50: percentile(passes, 0.5),
    passP95: percentile(passes, 0.95),
    lookupP50: percentile(lookups, 0.5),
    applyP50: percentile(applies, 0.5),
    mergedP50: percentile(mergedPasses, 0.5),
    entities,
    ...(gateway ? { worker: { p50: percentile(workerPasses, 0.5), p95: percentile(workerPasses, 0.95), listeners } } : {}),
  });
}

console.log(
  table(
    [
      'projects',
      'rows',
      'entities',
      'build from every row, ms (reference)',
      'pass after one change, p50 µs',
      'p95 µs',
      'first lookup after it, p50 µs',
      "diff applied to the worker's picture, p50 µs",
      'with an Azure picture too: merge + differ, p50 µs',
      'gateway listeners',
      "worker's pass, p50 µs",
      'p95 µs',
    ],
    results.map((r) => [
      String(r.n),
      String(r.rows),
      String(r.entities),
      r.wholeMs.toFixed(1),
      r.passP50.toFixed(0),
      r.passP95.toFixed(0),
      r.lookupP50.toFixed(1),
      r.applyP50.toFixed(1),
      r.mergedP50.toFixed(1),
      r.worker ? String(r.worker.listeners) : '-',
      r.worker ? r.worker.p50.toFixed(0) : '-',
      r.worker ? r.worker.p95.toFixed(0) : '-',
    ]),
  ),
);
const first = results[0]!;
const last = results[results.length - 1]!;
const ratio = last.passP50 / first.passP50;
console.log(
  `pass p50 at N=${last.n} against N=${first.n}: ${ratio.toFixed(2)}× (target ≤ ${FLAT_RATIO}×, flat in N): ${verdict(ratio <= FLAT_RATIO)}; ` +
    `a pass at N=${last.n} is ${((last.wholeMs * 1000) / last.passP50).toFixed(0)}× cheaper than building from every row`,
);
const lookupRatio = last.lookupP50 / first.lookupP50;
console.log(
  `first lookup after a change, p50 at N=${last.n} against N=${first.n}: ${lookupRatio.toFixed(2)}× (target ≤ ${FLAT_RATIO}×, flat in N): ${verdict(lookupRatio <= FLAT_RATIO)}`,
);
const applyRatio = last.applyP50 / first.applyP50;
console.log(
  `diff applied to the worker's picture, p50 at N=${last.n} against N=${first.n}: ${applyRatio.toFixed(2)}× (target ≤ ${FLAT_RATIO}×, flat in N): ${verdict(applyRatio <= FLAT_RATIO)}`,
);
const mergedRatio = last.mergedP50 / first.mergedP50;
console.log(
  `with an Azure picture too, merge + differ p50 at N=${last.n} against N=${first.n}: ${mergedRatio.toFixed(2)}× (target ≤ ${FLAT_RATIO}×, flat in N): ${verdict(mergedRatio <= FLAT_RATIO)}`,
);
const gatewayed = results.filter((r) => r.worker);
if (gatewayed.length > 1) {
  const small = gatewayed[0]!;
  const large = gatewayed[gatewayed.length - 1]!;
  const workerRatio = large.worker!.p50 / small.worker!.p50;
  console.log(`worker's pass p50 at N=${large.n} against N=${small.n}: ${workerRatio.toFixed(2)}× (target ≤ ${FLAT_RATIO}×, flat in N): ${verdict(workerRatio <= FLAT_RATIO)}`);
}
