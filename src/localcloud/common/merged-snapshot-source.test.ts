import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { DataPlaneSnapshot, SnapshotEndpoint, SnapshotSource } from './data-plane-snapshot.js';
import { mergedSnapshotSource } from './merged-snapshot-source.js';

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
      ['vpce-2', 'pe-1'],
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
