import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { DataPlaneSnapshot, SnapshotEndpoint, SnapshotSource } from './data-plane-snapshot.js';
import { listEditOf, type PictureList } from './data-plane-snapshot.js';
import { KeyedList } from './keyed-list.js';
import { mergedSnapshotSource } from './merged-snapshot-source.js';
import { mergeSnapshots, SnapshotMerger } from './snapshot-merger.js';
import { seededRandom } from '../dataplane/dataplane.test-support.js';

/** A real in-memory source: `set` replaces its snapshot and notifies, as an emulator does after a commit. */
class FixedSource implements SnapshotSource {
  private readonly listeners = new Set<() => void>();
  /** How many times its snapshot was taken. */
  reads = 0;
  /** Runs inside the next snapshot(), before it returns (e.g. a change committed meanwhile). */
  duringRead: (() => void) | undefined;
  constructor(public current: DataPlaneSnapshot) {}
  set(next: Partial<DataPlaneSnapshot>): void {
    this.current = { ...this.current, ...next };
    for (const listener of [...this.listeners]) listener();
  }
  async snapshot(): Promise<DataPlaneSnapshot> {
    this.reads++;
    const taken = this.current;
    const during = this.duringRead;
    this.duringRead = undefined;
    during?.();
    return taken;
  }
  onChange(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => void this.listeners.delete(listener);
  }
}

const endpoint = (cloud: SnapshotEndpoint['cloud'], endpointId: string, proxyTlv: SnapshotEndpoint['proxyTlv']): SnapshotEndpoint => ({
  cloud,
  endpointId,
  accountId: 'acct',
  region: 'r',
  networkId: `${endpointId}-net`,
  serviceId: `${endpointId}-svc`,
  serviceName: `${endpointId}-svc`,
  state: 'available',
  forwarding: true,
  securityGroupIds: [],
  networkInterfaces: [],
  dnsNames: [],
  proxyTlv,
});

const snapshot = (takenAt: number, nextTransitionAt: number | null, endpoints: SnapshotEndpoint[]): DataPlaneSnapshot => ({
  takenAt: new Date(takenAt),
  nextTransitionAt: nextTransitionAt === null ? null : new Date(nextTransitionAt),
  networks: [],
  securityGroups: [],
  loadBalancers: [],
  services: [],
  endpoints,
});

describe('merged snapshot source', () => {
  test('concatenates both clouds and is due again at the earliest pending transition', async () => {
    const aws = new FixedSource(snapshot(1000, 5000, [endpoint('AWS', 'vpce-1', { kind: 'aws-vpce-id', vpceId: 'vpce-1' })]));
    const azure = new FixedSource(snapshot(2000, 3000, [endpoint('AZURE', 'pe-1', { kind: 'azure-link-id', linkId: 7 })]));
    const merged = mergedSnapshotSource([aws, azure]);
    const first = await merged.snapshot();
    assert.deepEqual(
      first.endpoints.map((e) => [e.cloud, e.endpointId]),
      [
        ['AWS', 'vpce-1'],
        ['AZURE', 'pe-1'],
      ],
    );
    assert.equal(first.nextTransitionAt?.getTime(), 3000);
    assert.equal(first.takenAt.getTime(), 2000);
    azure.set({ nextTransitionAt: null });
    assert.equal((await merged.snapshot()).nextTransitionAt?.getTime(), 5000, 'one source with nothing pending leaves the other one');
    aws.set({ nextTransitionAt: null });
    assert.equal((await merged.snapshot()).nextTransitionAt, null);
  });

  test("a collection only one source has entries in is that source's own list, so a differ can tell it unchanged", async () => {
    const aws = new FixedSource(snapshot(1000, null, [endpoint('AWS', 'vpce-1', { kind: 'aws-vpce-id', vpceId: 'vpce-1' })]));
    const azure = new FixedSource(snapshot(2000, null, []));
    const merged = mergedSnapshotSource([aws, azure]);
    assert.equal((await merged.snapshot()).endpoints, aws.current.endpoints);
    azure.set({ endpoints: [endpoint('AZURE', 'pe-1', { kind: 'azure-link-id', linkId: 7 })] });
    assert.deepEqual(
      (await merged.snapshot()).endpoints.map((e) => e.endpointId),
      ['vpce-1', 'pe-1'],
      'with entries in both, both are listed',
    );
  });

  test('a change in either source notifies; unsubscribing stops both', async () => {
    const aws = new FixedSource(snapshot(0, null, []));
    const azure = new FixedSource(snapshot(0, null, []));
    const merged = mergedSnapshotSource([aws, azure]);
    let calls = 0;
    const unsubscribe = merged.onChange(() => calls++);
    aws.set({});
    azure.set({});
    assert.equal(calls, 2);
    unsubscribe();
    aws.set({});
    azure.set({});
    assert.equal(calls, 2);
  });

  test('rejects when one source cannot take its snapshot (never a partial picture)', async () => {
    const aws = new FixedSource(snapshot(0, null, []));
    const broken: SnapshotSource = { snapshot: () => Promise.reject(new Error('store closed')), onChange: () => () => undefined };
    await assert.rejects(mergedSnapshotSource([aws, broken]).snapshot(), /store closed/);
  });

  test('while followed, a change in one source re-reads that source only', async () => {
    const aws = new FixedSource(snapshot(0, null, [endpoint('AWS', 'vpce-1', { kind: 'aws-vpce-id', vpceId: 'vpce-1' })]));
    const azure = new FixedSource(snapshot(0, null, [endpoint('AZURE', 'pe-1', { kind: 'azure-link-id', linkId: 7 })]));
    const merged = mergedSnapshotSource([aws, azure], { now: () => 10_000 });
    const unsubscribe = merged.onChange(() => undefined);
    await merged.snapshot();
    assert.deepEqual([aws.reads, azure.reads], [1, 1]);
    await merged.snapshot();
    assert.deepEqual([aws.reads, azure.reads], [1, 1], 'nothing changed: both kept');
    aws.set({ endpoints: [endpoint('AWS', 'vpce-2', { kind: 'aws-vpce-id', vpceId: 'vpce-2' })] });
    const after = await merged.snapshot();
    assert.deepEqual([aws.reads, azure.reads], [2, 1]);
    assert.deepEqual(
      after.endpoints.map((e) => e.endpointId),
      ['pe-1', 'vpce-2'],
      'a new entity goes after every other, whichever cloud it is in',
    );
    unsubscribe();
    await merged.snapshot();
    assert.deepEqual([aws.reads, azure.reads], [3, 2], 'unfollowed: every call reads every source');
  });

  test('a kept snapshot is read again once its pending transition is due or it is maxAgeMs old', async () => {
    let clock = 10_000;
    const aws = new FixedSource(snapshot(0, 12_000, []));
    const azure = new FixedSource(snapshot(0, null, []));
    const merged = mergedSnapshotSource([aws, azure], { now: () => clock, maxAgeMs: 4000 });
    merged.onChange(() => undefined);
    await merged.snapshot();
    clock = 11_999;
    await merged.snapshot();
    assert.deepEqual([aws.reads, azure.reads], [1, 1]);
    clock = 12_000;
    aws.current = { ...aws.current, nextTransitionAt: null };
    await merged.snapshot();
    assert.deepEqual([aws.reads, azure.reads], [2, 1], 'the due transition re-reads its source');
    clock = 14_000;
    await merged.snapshot();
    assert.deepEqual([aws.reads, azure.reads], [2, 2], 'four seconds old: read again (the safety net for a lost notification)');
  });

  test('a change committed while its source is read is not lost', async () => {
    const aws = new FixedSource(snapshot(0, null, []));
    const azure = new FixedSource(snapshot(0, null, []));
    const merged = mergedSnapshotSource([aws, azure], { now: () => 10_000 });
    merged.onChange(() => undefined);
    aws.duringRead = () => aws.set({ endpoints: [endpoint('AWS', 'vpce-3', { kind: 'aws-vpce-id', vpceId: 'vpce-3' })] });
    const first = await merged.snapshot();
    assert.deepEqual(first.endpoints, [], 'read before the change');
    const second = await merged.snapshot();
    assert.deepEqual(
      second.endpoints.map((e) => e.endpointId),
      ['vpce-3'],
    );
  });

  test('a source whose read failed after a change is read again, never served from before the change', async () => {
    const aws = new FixedSource(snapshot(0, null, []));
    const azure = new FixedSource(snapshot(0, null, []));
    const merged = mergedSnapshotSource([aws, azure], { now: () => 10_000 });
    merged.onChange(() => undefined);
    await merged.snapshot();
    azure.set({ endpoints: [endpoint('AZURE', 'pe-2', { kind: 'azure-link-id', linkId: 8 })] });
    const working = azure.snapshot.bind(azure);
    azure.snapshot = () => Promise.reject(new Error('busy'));
    await assert.rejects(merged.snapshot(), /busy/);
    azure.snapshot = working;
    const after = await merged.snapshot();
    assert.deepEqual(
      after.endpoints.map((e) => e.endpointId),
      ['pe-2'],
    );
  });
});

const ids = (list: PictureList<SnapshotEndpoint>) => list.map((e) => e.endpointId);

describe('snapshot merger', () => {
  for (const seed of [1, 2, 3]) {
    test(`seed ${seed}: each merge holds every source's entities once, keeps the order it had, puts new ones last, and says what it changed`, () => {
      const random = seededRandom(seed);
      // AWS follows changes (a list with edits noted, as the local cloud's is); Azure and GCP make a new array on every read.
      const aws = new KeyedList<SnapshotEndpoint>();
      let azure: SnapshotEndpoint[] = [];
      let gcp: SnapshotEndpoint[] = [];
      let made = 0;
      const fresh = (cloud: SnapshotEndpoint['cloud']) => endpoint(cloud, `${cloud.toLowerCase()}-${made++}`, { kind: 'aws-vpce-id', vpceId: `v${made}` });
      const merger = new SnapshotMerger();
      let previous: PictureList<SnapshotEndpoint> | undefined;
      let severalBefore = false;
      let edited = 0;
      for (let step = 0; step < 300; step++) {
        const which = Math.floor(random() * 3);
        const roll = random();
        if (which === 0) {
          const keys = [...aws.list].map((e) => e.endpointId);
          if (roll < 0.5 || keys.length === 0) {
            const added = fresh('AWS');
            aws.apply([[added.endpointId, added]], []);
          } else if (roll < 0.85) {
            const key = keys[Math.floor(random() * keys.length)]!;
            aws.apply([[key, { ...aws.get(key)!, state: `s${step}` }]], []);
          } else aws.apply([], [keys[Math.floor(random() * keys.length)]!]);
        } else {
          const list = which === 1 ? azure : gcp;
          const cloud = which === 1 ? 'AZURE' : 'GCP';
          // A new read: new objects for every entity, as those emulators make them.
          let next = list.map((e) => ({ ...e }));
          if (roll < 0.5 || next.length === 0) next.push(fresh(cloud));
          else if (roll < 0.8) next = next.filter((_, i) => i !== Math.floor(random() * next.length));
          else {
            const at = Math.floor(random() * next.length);
            next[at] = { ...next[at]!, state: `s${step}` };
          }
          if (which === 1) azure = next;
          else gcp = next;
        }
        const merged = merger.merge([snapshot(step, null, aws.list as SnapshotEndpoint[]), snapshot(step, null, azure), snapshot(step, null, gcp)]).endpoints;
        const expected = [...aws.list, ...azure, ...gcp];
        // Every entity of every source, once, the very objects.
        assert.equal(merged.length, expected.length, `step ${step}`);
        const byId = new Map(expected.map((e) => [e.endpointId, e]));
        for (const e of merged) assert.equal(byId.get(e.endpointId), e, `step ${step}: ${e.endpointId}`);
        // Several clouds hold entities, as they did at the merge before (the first such merge concatenates).
        const several = [aws.list.length, azure.length, gcp.length].filter((n) => n > 0).length > 1;
        if (previous && several && severalBefore) {
          // The order it had, without the removed, then the new ones.
          const now = new Set(ids(merged));
          const kept = ids(previous).filter((id) => now.has(id));
          const seenBefore = new Set(ids(previous));
          assert.deepEqual(ids(merged), [...kept, ...ids(merged).filter((id) => !seenBefore.has(id))], `step ${step}: order`);
          const edit = listEditOf(merged);
          if (edit && edit.from.deref() === previous) {
            edited++;
            // The edit says exactly what differs from the list before.
            const before = new Map([...previous].map((e) => [e.endpointId, e]));
            const changedIds = [...merged].filter((e) => before.has(e.endpointId) && before.get(e.endpointId) !== e).map((e) => e.endpointId);
            assert.deepEqual(new Set((edit.changed as SnapshotEndpoint[]).map((e) => e.endpointId)), new Set(changedIds), `step ${step}: changed`);
            assert.deepEqual(new Set((edit.added as SnapshotEndpoint[]).map((e) => e.endpointId)), new Set(ids(merged).filter((id) => !before.has(id))), `step ${step}: added`);
            assert.deepEqual(
              new Set(((edit.removed ?? []) as SnapshotEndpoint[]).map((e) => e.endpointId)),
              new Set(ids(previous).filter((id) => !now.has(id))),
              `step ${step}: removed`,
            );
          }
        }
        previous = merged;
        severalBefore = several;
      }
      assert.ok(edited > 100, `merges noted as edits: ${edited}`);
    });
  }

  test('a change in one cloud while another holds entities is an edit of the merged list, not a new concatenation', () => {
    const aws = new KeyedList<SnapshotEndpoint>();
    aws.reset(Array.from({ length: 500 }, (_, i) => [`vpce-${i}`, endpoint('AWS', `vpce-${i}`, { kind: 'aws-vpce-id', vpceId: `vpce-${i}` })] as const));
    const azure = [endpoint('AZURE', 'pe-1', { kind: 'azure-link-id', linkId: 1 })];
    const merger = new SnapshotMerger();
    const first = merger.merge([snapshot(1, null, aws.list as SnapshotEndpoint[]), snapshot(1, null, azure)]).endpoints;
    const changed = { ...aws.get('vpce-7')!, state: 'rejected' };
    aws.apply([['vpce-7', changed]], []);
    const second = merger.merge([snapshot(2, null, aws.list as SnapshotEndpoint[]), snapshot(2, null, azure)]).endpoints;
    const edit = listEditOf(second);
    assert.equal(edit?.from.deref(), first);
    assert.deepEqual(edit?.changed, [changed]);
    assert.deepEqual(edit?.added, []);
    assert.equal(second.at(7), changed);
    assert.deepEqual(ids(second), ids(mergeSnapshots([snapshot(2, null, aws.list as SnapshotEndpoint[]), snapshot(2, null, azure)]).endpoints));
    const third = merger.merge([snapshot(3, null, aws.list as SnapshotEndpoint[]), snapshot(3, null, azure)]).endpoints;
    assert.equal(third, second, 'nothing changed: the very list');
  });
});
