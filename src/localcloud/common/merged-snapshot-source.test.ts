import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { DataPlaneSnapshot, SnapshotEndpoint, SnapshotSource } from './data-plane-snapshot.js';
import { mergedSnapshotSource } from './merged-snapshot-source.js';

/** A real in-memory source: `set` replaces its snapshot and notifies, as an emulator does after a commit. */
class FixedSource implements SnapshotSource {
  private readonly listeners = new Set<() => void>();
  constructor(public current: DataPlaneSnapshot) {}
  set(next: Partial<DataPlaneSnapshot>): void {
    this.current = { ...this.current, ...next };
    for (const listener of [...this.listeners]) listener();
  }
  async snapshot(): Promise<DataPlaneSnapshot> {
    return this.current;
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
});
