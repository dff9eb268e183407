import assert from 'node:assert/strict';
import { test } from 'node:test';
import { loopbackRanges } from '../common/loopback.js';
import { postableSnapshot, type DataPlaneSnapshot } from '../common/data-plane-snapshot.js';
import { SnapshotAssembler, SnapshotDiffer } from '../dataplane-host/snapshot-diff.js';
import { seededRandom } from '../dataplane/dataplane.test-support.js';
import { SnapshotAssembly } from './snapshot.js';
import { PICTURE_TABLES, type PictureRows, type PictureTableName, type ReadRow } from './store/picture-rows.repository.js';

// The picture is rebuilt change by change: only the entities a changed row feeds are built again.
// A link missed (a VPC's interfaces, a service's endpoints, a target group's load balancers …)
// leaves a stale entity. Random changes over a small world, where links collide often, are each
// checked against a build from all the rows at once.

const range = loopbackRanges(100).AWS;
const ZONES = ['us-east-1a', 'us-east-1b', 'us-east-1c'];
const owned = (seq: number) => ({ accountId: '111122223333', region: 'us-east-1', seq, createdAt: new Date(0) });

/** A small AWS emulation's rows, changed at random the way the emulator's tables change. */
class World {
  readonly tables = new Map<PictureTableName, Map<string, unknown>>();
  private seq = 0;
  down: ReadonlySet<string> = new Set();
  constructor(private readonly rand: () => number) {
    for (const name of Object.keys(PICTURE_TABLES) as PictureTableName[]) this.tables.set(name, new Map());
  }

  pick<T>(items: readonly T[]): T {
    return items[Math.floor(this.rand() * items.length)]!;
  }
  private ids(prefix: string, n: number): string[] {
    return Array.from({ length: n }, (_, i) => `${prefix}-${i}`);
  }
  private readonly vpcs = this.ids('vpc', 4);
  private readonly enis = this.ids('eni', 8);
  private readonly lbs = this.ids('arn:lb', 3);
  private readonly tgs = this.ids('arn:tg', 3);
  private readonly services = this.ids('vpce-svc', 3);
  private readonly endpoints = this.ids('vpce', 4);
  private readonly groups = this.ids('sg', 2);
  private readonly gateways = this.ids('vgw', 2);
  private readonly peerings = this.ids('pcx', 2);

  view(): PictureRows {
    return Object.fromEntries(this.tables) as unknown as PictureRows;
  }

  /** One random change; returns the table and the key its change is noted by. */
  change(): [PictureTableName, string] {
    const tables: PictureTableName[] = Object.keys(PICTURE_TABLES) as PictureTableName[];
    const name = this.pick(tables);
    const grouped = PICTURE_TABLES[name].grouped;
    const key = this.keyFor(name);
    const table = this.tables.get(name)!;
    if (grouped) {
      const rows = this.rand() < 0.2 ? [] : Array.from({ length: 1 + Math.floor(this.rand() * 3) }, (_, i) => this.groupRow(name, key, i));
      if (rows.length === 0) table.delete(key);
      else table.set(key, rows);
      return [name, key];
    }
    const before = table.get(key) as ReadRow<unknown> | undefined;
    const roll = this.rand();
    if (before && roll < 0.2) table.delete(key);
    else if (before && roll < 0.7) table.set(key, { key, seq: before.seq, value: this.row(name, key, before.seq!) });
    else {
      // Made (again): a new seq, so it goes last, as a read in seq order has it.
      table.delete(key);
      const seq = ++this.seq;
      table.set(key, { key, seq, value: this.row(name, key, seq) });
    }
    return [name, key];
  }

  /** The impaired zones change: a new set. */
  changeDown(): void {
    this.down = new Set(ZONES.filter(() => this.rand() < 0.3));
  }

  private keyFor(name: PictureTableName): string {
    switch (name) {
      case 'vpcs':
        return this.pick(this.vpcs);
      case 'onPremises':
        return this.pick(this.gateways);
      case 'securityGroups':
      case 'rules':
        return this.pick(this.groups);
      case 'interfaces':
        return this.pick(this.enis);
      case 'loadBalancers':
      case 'listeners':
        return this.pick(this.lbs);
      case 'targetGroups':
      case 'targets':
        return this.pick(this.tgs);
      case 'services':
      case 'permissions':
        return this.pick(this.services);
      case 'endpoints':
        return this.pick(this.endpoints);
      case 'peerings':
        return this.pick(this.peerings);
      case 'routes':
        return `rtb-${this.pick(this.vpcs)}`;
    }
  }

  private row(name: PictureTableName, key: string, seq: number): unknown {
    const state = <T>(states: readonly T[]) => ({ state: this.pick(states), nextState: null, nextStateAt: null });
    switch (name) {
      case 'vpcs':
        return {
          ...owned(seq),
          vpcId: key,
          cidrBlock: '10.0.0.0/16',
          isDefault: false,
          slot: 1 + Math.floor(this.rand() * 5),
          mainRouteTableId: `rtb-${key}`,
          dhcpOptionsId: 'dopt-1',
          tags: [],
        };
      case 'onPremises':
        return { ...owned(seq), gatewayId: key, vpcId: this.pick(this.vpcs), cidrBlock: '192.168.0.0/24', slot: 9, amazonSideAsn: 64512, tags: [] };
      case 'securityGroups':
        return { ...owned(seq), groupId: key, vpcId: this.pick(this.vpcs), groupName: `g${seq}`, description: '', tags: [] };
      case 'interfaces': {
        const ownerId = this.pick([...this.lbs, ...this.endpoints]);
        return {
          ...owned(seq),
          networkInterfaceId: key,
          vpcId: this.pick(this.vpcs),
          subnetId: 'subnet-1',
          availabilityZone: this.pick(ZONES),
          privateIp: `10.0.${Math.floor(this.rand() * 4)}.${seq % 250}`,
          ownerKind: ownerId.startsWith('arn:') ? 'network_load_balancer' : 'vpc_endpoint',
          ownerId,
          description: '',
        };
      }
      case 'loadBalancers':
        return {
          ...owned(seq),
          ...state(['provisioning', 'active']),
          arn: key,
          name: `lb${seq}`,
          type: 'network',
          scheme: 'internal',
          ipAddressType: 'ipv4',
          vpcId: this.pick(this.vpcs),
          dnsName: `lb${seq}.elb.amazonaws.com`,
          subnets: ZONES.filter(() => this.rand() < 0.6).map((zoneName) => ({ subnetId: 'subnet-1', zoneName, zoneId: zoneName })),
          securityGroups: [this.pick(this.groups)],
          tags: [],
        };
      case 'targetGroups':
        return {
          ...owned(seq),
          arn: key,
          name: `tg${seq}`,
          protocol: 'TCP',
          port: 27017,
          vpcId: this.pick(this.vpcs),
          targetType: 'ip',
          ipAddressType: 'ipv4',
          healthCheck: {},
          attributes: { 'proxy_protocol_v2.enabled': this.pick(['true', 'false']) },
          tags: [],
        };
      case 'services':
        return {
          ...owned(seq),
          ...state(['Pending', 'Available', 'Deleting', 'Failed']),
          serviceId: key,
          serviceName: `com.amazonaws.vpce.us-east-1.${key}`,
          availableAt: null,
          acceptanceRequired: true,
          loadBalancerArns: this.lbs.filter(() => this.rand() < 0.5),
          privateDnsName: null,
          supportedIpAddressTypes: ['ipv4'],
          tags: [],
        };
      case 'endpoints': {
        const serviceId = this.pick(this.services);
        return {
          ...owned(seq),
          ...state(['pendingAcceptance', 'available', 'rejected']),
          vpcEndpointId: key,
          vpcId: this.pick(this.vpcs),
          serviceId,
          serviceName: `com.amazonaws.vpce.us-east-1.${serviceId}`,
          endpointType: 'Interface',
          subnetIds: [],
          securityGroupIds: [this.pick(this.groups)],
          dnsSuffix: `s${seq}`,
          privateDnsEnabled: false,
          ipAddressType: 'ipv4',
          tags: [],
        };
      }
      case 'peerings':
        return {
          peeringId: key,
          seq,
          requesterAccountId: '111122223333',
          requesterRegion: 'us-east-1',
          requesterVpcId: this.pick(this.vpcs),
          accepterAccountId: '111122223333',
          accepterRegion: 'us-east-1',
          accepterVpcId: this.pick(this.vpcs),
          status: this.pick(['active', 'pending-acceptance', 'deleted']),
          message: '',
          tags: [],
          createdAt: new Date(0),
          expiresAt: new Date(8.64e15),
          changedAt: new Date(0),
        };
      default:
        throw new Error(`${name} is read by group`);
    }
  }

  private groupRow(name: PictureTableName, key: string, i: number): unknown {
    const seq = ++this.seq;
    switch (name) {
      case 'rules':
        return {
          ruleId: `sgr-${seq}`,
          seq,
          groupId: key,
          isEgress: this.rand() < 0.5,
          ipProtocol: 'tcp',
          fromPort: 1024,
          toPort: 1024 + i,
          cidrIpv4: '10.0.0.0/16',
          referencedGroupId: null,
          description: null,
        };
      case 'targets':
        return {
          targetGroupArn: key,
          seq,
          targetId: this.pick(['10.0.1.5', '10.0.2.6', '192.168.7.7']),
          port: 27017 + i,
          availabilityZone: this.pick([...ZONES, null]),
          registeredAt: new Date(0),
        };
      case 'listeners':
        return { ...owned(seq), arn: `${key}/listener-${i}`, loadBalancerArn: key, port: 1024 + i, protocol: 'TCP', targetGroupArn: this.pick(this.tgs), tags: [] };
      case 'permissions':
        return { serviceId: key, principal: `arn:aws:iam::${seq}:root`, permissionId: `perm-${seq}`, createdAt: new Date(0) };
      case 'routes':
        return { routeTableId: key, destinationCidr: `10.${i}.0.0/16`, vpcPeeringConnectionId: this.pick(this.peerings), createdAt: new Date(0) };
      default:
        throw new Error(`${name} is read by row`);
    }
  }
}

/** The snapshot but its time, with its lists as arrays (a list followed change by change is chunked). */
const comparable = (snapshot: DataPlaneSnapshot) => {
  const { takenAt: _takenAt, ...rest } = postableSnapshot(snapshot);
  return rest;
};

for (const seed of [1, 2, 3, 4, 5]) {
  test(`seed ${seed}: a picture rebuilt change by change equals one built from every row`, () => {
    const world = new World(seededRandom(seed));
    const now = new Date(1_000_000);
    const assembly = new SnapshotAssembly(range);
    const first = assembly.update(world.view(), 'all', { down: world.down, nextTransitionAt: null }, now);
    // The data plane's side: the differ sends what changed, the worker's assembler rebuilds the picture from it.
    const differ = new SnapshotDiffer();
    differ.diff(first);
    const worker = new SnapshotAssembler(first);
    for (let step = 0; step < 600; step++) {
      const changes = new Map<PictureTableName, string[]>();
      // One to three changes a pass, as a pass gathers what was committed since the last one.
      for (let n = 1 + Math.floor(world.pick([0, 1, 2])); n > 0; n--) {
        const [name, key] = world.change();
        changes.set(name, [...(changes.get(name) ?? []), key]);
      }
      if (world.pick([false, false, false, false, false, false, false, false, false, true])) world.changeDown();
      const followed = assembly.update(world.view(), changes, { down: world.down, nextTransitionAt: null }, now);
      const whole = new SnapshotAssembly(range).update(world.view(), 'all', { down: world.down, nextTransitionAt: null }, now);
      const what = `after step ${step} (${[...changes].map(([name, keys]) => `${name} ${keys.join(',')}`).join('; ')})`;
      assert.deepEqual(comparable(followed), comparable(whole), what);
      const diff = differ.diff(followed);
      if (diff) worker.apply(diff);
      assert.deepEqual(comparable(worker.latest), comparable(followed), `the data-plane worker's picture ${what}`);
    }
  });
}

test('a collection with nothing rebuilt is the very list of the last picture; a changed one is new', () => {
  const world = new World(seededRandom(7));
  const now = new Date(1_000_000);
  for (let i = 0; i < 300; i++) world.change();
  const assembly = new SnapshotAssembly(range);
  const first = assembly.update(world.view(), 'all', { down: world.down, nextTransitionAt: null }, now);
  assert.ok(first.endpoints.length > 0 && first.loadBalancers.length > 0, 'the world has endpoints and load balancers');
  const same = assembly.update(world.view(), new Map(), { down: world.down, nextTransitionAt: null }, now);
  for (const collection of ['networks', 'securityGroups', 'loadBalancers', 'services', 'endpoints', 'reach'] as const) {
    assert.equal(same[collection], first[collection], `${collection} unchanged`);
  }
  // An endpoint's state changes in place: only the endpoints are new, and only that endpoint in them.
  const table = world.tables.get('endpoints') as Map<string, ReadRow<{ state: string }>>;
  const [key, row] = table.entries().next().value as [string, ReadRow<{ state: string }>];
  table.set(key, { ...row, value: { ...row.value, state: row.value.state === 'available' ? 'rejected' : 'available' } });
  const next = assembly.update(world.view(), new Map([['endpoints', [key]]]), { down: world.down, nextTransitionAt: null }, now);
  assert.notEqual(next.endpoints, same.endpoints);
  assert.equal(next.loadBalancers, same.loadBalancers);
  assert.equal(next.services, same.services);
  const changed = next.endpoints.filter((e, i) => e !== same.endpoints.at(i));
  assert.deepEqual(
    changed.map((e) => e.endpointId),
    [key],
  );
});
