import assert from 'node:assert/strict';
import { test } from 'node:test';
import { listEditOf, postableSnapshot, type DataPlaneSnapshot, type SnapshotEndpoint, type SnapshotNetwork, type SnapshotService } from '../common/data-plane-snapshot.js';
import { seededRandom } from '../dataplane/dataplane.test-support.js';
import { SnapshotAssembler, SnapshotDiffer } from './snapshot-diff.js';

const network = (id: string, cidr: string, octet: number): SnapshotNetwork => ({
  cloud: 'AWS',
  networkId: id,
  accountId: '111111111111',
  region: 'us-east-1',
  cidrBlock: cidr,
  isDefault: false,
  loopbackOctet: octet,
});

const service = (id: string, state: string): SnapshotService => ({
  cloud: 'AWS',
  serviceId: id,
  serviceName: `com.amazonaws.vpce.us-east-1.${id}`,
  accountId: '111111111111',
  region: 'us-east-1',
  state,
  acceptanceRequired: true,
  loadBalancerIds: [],
  availabilityZones: ['us-east-1a'],
  allowedPrincipals: [],
  proxyProtocol: false,
});

const endpoint = (id: string, serviceId: string, forwarding: boolean): SnapshotEndpoint => ({
  cloud: 'AWS',
  endpointId: id,
  accountId: '222222222222',
  region: 'us-east-1',
  networkId: 'vpc-1',
  serviceId,
  serviceName: `com.amazonaws.vpce.us-east-1.${serviceId}`,
  state: forwarding ? 'available' : 'pendingAcceptance',
  forwarding,
  securityGroupIds: [],
  networkInterfaces: [],
  dnsNames: [],
  proxyTlv: { kind: 'aws-vpce-id', vpceId: id },
});

function snapshotOf(parts: Partial<DataPlaneSnapshot>, at = 0): DataPlaneSnapshot {
  return { takenAt: new Date(at), nextTransitionAt: null, networks: [], securityGroups: [], loadBalancers: [], services: [], endpoints: [], ...parts };
}

/** A random picture: entities from small id pools (so they come, change and go), in a random order now and then, repeats included. */
function randomSnapshot(next: () => number, at: number): DataPlaneSnapshot {
  const pick = <T>(count: number, make: (i: number) => T) => Array.from({ length: count }, (_, i) => make(i)).filter(() => next() < 0.7);
  const services = pick(8, (i) => service(`vpce-svc-${i}`, next() < 0.5 ? 'Available' : 'Pending'));
  const endpoints = pick(12, (i) => endpoint(`vpce-${i}`, `vpce-svc-${i % 8}`, next() < 0.5));
  if (next() < 0.3) endpoints.reverse();
  if (next() < 0.2 && endpoints.length > 0) endpoints.push({ ...endpoints[0]!, state: 'rejected' }); // the same id twice
  // GCP-like: several entries under one network id, told apart by their blocks.
  const networks = pick(4, (i) => network(i < 2 ? 'net-a' : `vpc-${i}`, `10.${i}.0.0/16`, i + 1));
  const parts: Partial<DataPlaneSnapshot> = { services, endpoints, networks };
  const reach = next() < 0.5 ? undefined : pick(2, (i) => ({ fromNetworkId: 'vpc-2', fromCidr: '10.2.0.0/16', toNetworkId: 'vpc-3', toCidr: '10.3.0.0/16', via: `pcx-${i}` }));
  return snapshotOf({ ...parts, ...(reach ? { reach } : {}), nextTransitionAt: next() < 0.2 ? new Date(at + 1000) : null }, at);
}

/** The snapshot as the data plane reads it: an absent `reach` is none. */
const normalised = (snapshot: DataPlaneSnapshot) => postableSnapshot({ ...snapshot, reach: snapshot.reach ?? [] });

test('the assembler rebuilds every snapshot the differ saw, in order, from the first and the diffs', () => {
  const next = seededRandom(7);
  const differ = new SnapshotDiffer();
  const first = randomSnapshot(next, 0);
  assert.ok(differ.diff(first), 'the first snapshot is a change');
  const assembler = new SnapshotAssembler(structuredClone(first));
  let posted = 0;
  for (let i = 1; i <= 400; i++) {
    const snapshot = randomSnapshot(next, i);
    const diff = differ.diff(snapshot);
    if (!diff) continue;
    posted++;
    // As a worker receives it: a structured clone.
    const rebuilt = assembler.apply(structuredClone(diff));
    assert.deepEqual(normalised(rebuilt), normalised(snapshot), `snapshot ${i}`);
  }
  assert.ok(posted > 300, `${posted} of 400 random pictures differed`);
});

test('an unchanged picture is no diff; a changed entity is sent alone and keeps its place', () => {
  const differ = new SnapshotDiffer();
  const services = Array.from({ length: 100 }, (_, i) => service(`vpce-svc-${i}`, 'Available'));
  const first = snapshotOf({ services }, 1);
  differ.diff(first);
  assert.equal(differ.diff(snapshotOf({ services: services.map((s) => ({ ...s })) }, 2)), undefined, 'only takenAt differs');

  const changed = services.map((s, i) => (i === 50 ? { ...s, state: 'Deleting' } : s));
  const diff = differ.diff(snapshotOf({ services: changed }, 3))!;
  assert.deepEqual(Object.keys(diff.changes), ['services']);
  assert.deepEqual(
    diff.changes.services!.set.map(([key]) => key),
    ['vpce-svc-50'],
  );
  assert.deepEqual(diff.changes.services!.remove, []);
  assert.equal(diff.changes.services!.order, undefined, 'the order is the implied one');

  const assembler = new SnapshotAssembler(first);
  const rebuilt = assembler.apply(diff);
  assert.equal(rebuilt.services.at(50)!.state, 'Deleting');
  assert.equal(rebuilt.services.at(49), first.services.at(49), 'unchanged entities are shared, not copied');

  // A removal and an addition: the new one comes last, and no order is sent.
  const moved = [...changed.slice(0, 10), ...changed.slice(11), service('vpce-svc-new', 'Pending')];
  const diff2 = differ.diff(snapshotOf({ services: moved }, 4))!;
  assert.deepEqual(diff2.changes.services!.remove, ['vpce-svc-10']);
  assert.equal(diff2.changes.services!.order, undefined);
  assert.deepEqual([...assembler.apply(diff2).services], moved);
});

test('a move within a collection sends the order; a new transition time alone is a change', () => {
  const differ = new SnapshotDiffer();
  const services = [service('a', 'Available'), service('b', 'Available'), service('c', 'Available')];
  const first = snapshotOf({ services });
  differ.diff(first);
  const assembler = new SnapshotAssembler(first);
  const swapped = [services[2]!, services[0]!, services[1]!];
  const diff = differ.diff(snapshotOf({ services: swapped }))!;
  assert.deepEqual(diff.changes.services, { set: [], remove: [], order: ['c', 'a', 'b'] });
  assert.deepEqual([...assembler.apply(diff).services], swapped);

  const due = differ.diff(snapshotOf({ services: swapped, nextTransitionAt: new Date(5000) }))!;
  assert.deepEqual(due.changes, {});
  assert.equal(assembler.apply(due).nextTransitionAt?.getTime(), 5000);
  assert.equal(differ.diff(snapshotOf({ services: swapped, nextTransitionAt: new Date(5000) })), undefined);
});

test('an entity object seen in the last snapshot is not turned into JSON again; a new object with the same content is no change', () => {
  let serialised = 0;
  const counted = <T extends object>(entity: T): T => ({ ...entity, toJSON: () => (serialised++, entity) }) as T;
  const kept = counted(service('vpce-svc-kept', 'Available'));
  const differ = new SnapshotDiffer();
  differ.diff(snapshotOf({ services: [kept, counted(service('vpce-svc-other', 'Pending'))] }));
  assert.equal(serialised, 2);
  serialised = 0;
  const again = counted(service('vpce-svc-other', 'Pending'));
  const diff = differ.diff(snapshotOf({ services: [kept, again] }, 1));
  assert.equal(serialised, 1, 'only the new object is serialised');
  assert.equal(diff, undefined, 'the same content in a new object is no change');
  const changed = differ.diff(snapshotOf({ services: [kept, counted(service('vpce-svc-other', 'Available'))] }, 2));
  assert.deepEqual(
    changed?.changes.services?.set.map(([key]) => key),
    ['vpce-svc-other'],
  );
});

test('a collection whose list is the very list of the last snapshot is not looked at again', () => {
  let serialised = 0;
  const counted = <T extends object>(entity: T): T => ({ ...entity, toJSON: () => (serialised++, entity) }) as T;
  const services = [counted(service('vpce-svc-a', 'Available'))];
  const differ = new SnapshotDiffer();
  differ.diff(snapshotOf({ services }));
  serialised = 0;
  const networks = [network('vpc-1', '10.0.0.0/16', 1)];
  const diff = differ.diff(snapshotOf({ services, networks }, 1));
  assert.deepEqual(Object.keys(diff?.changes ?? {}), ['networks'], 'only the new list is compared');
  assert.equal(serialised, 0);
  const copy = [...services];
  assert.equal(differ.diff(snapshotOf({ services: copy, networks }, 2)), undefined, 'a new list with the same entities is no change');
});

test('the assembler says how each list was made from the one before, removals included: a reader of those edits alone keeps up', () => {
  const next = seededRandom(11);
  // Ids once each (a repeated id is read whole by every reader of edits).
  const unique = (snapshot: DataPlaneSnapshot): DataPlaneSnapshot => ({
    ...snapshot,
    endpoints: [...new Map(snapshot.endpoints.map((e) => [e.endpointId, e])).values()],
  });
  const differ = new SnapshotDiffer();
  const first = unique(randomSnapshot(next, 0));
  differ.diff(first);
  const assembler = new SnapshotAssembler(first);
  // A second differ fed the assembler's pictures: it follows their edits, and its own assembler must rebuild them.
  const follower = new SnapshotDiffer();
  follower.diff(first);
  const copy = new SnapshotAssembler(first);
  let edited = 0;
  let removals = 0;
  for (let i = 1; i <= 300; i++) {
    const diff = differ.diff(unique(randomSnapshot(next, i)));
    if (!diff) continue;
    const before = assembler.latest;
    const picture = assembler.apply(diff);
    const change = diff.changes.endpoints;
    if (change && !change.order && picture.endpoints !== before.endpoints) {
      const edit = listEditOf(picture.endpoints);
      assert.ok(edit, `picture ${i}: the endpoints' edit is noted`);
      assert.equal(edit.from.deref(), before.endpoints);
      assert.deepEqual(
        (edit.removed ?? []).map((e) => (e as { endpointId: string }).endpointId),
        change.remove,
      );
      edited++;
      removals += change.remove.length;
    }
    const followed = follower.diff(picture);
    if (followed) assert.deepEqual(normalised(copy.apply(followed)), normalised(picture), `picture ${i}`);
  }
  assert.ok(edited > 10 && removals > 20, `${edited} edits, ${removals} removals`);
});
