import type { DataPlaneSnapshot, SnapshotSource } from './data-plane-snapshot.js';

/**
 * One snapshot source over several emulators' (AWS, Azure, GCP), so the data plane follows every
 * running emulator at once: a snapshot concatenates theirs (their loopback octets and ids are
 * disjoint by contract, see data-plane-snapshot.ts), is taken when the latest of them was, and is
 * due again at the earliest of their pending transitions; a change in any source notifies.
 * `snapshot()` rejects when any source does (a partial picture would close live endpoints).
 */
export function mergedSnapshotSource(sources: readonly SnapshotSource[]): SnapshotSource {
  if (sources.length === 1) return sources[0]!;
  return {
    async snapshot() {
      return mergeSnapshots(await Promise.all(sources.map((s) => s.snapshot())));
    },
    onChange(listener) {
      const unsubscribes = sources.map((s) => s.onChange(listener));
      return () => unsubscribes.forEach((unsubscribe) => unsubscribe());
    },
  };
}

/** The union of several emulators' snapshots (see mergedSnapshotSource). Pure. */
export function mergeSnapshots(snapshots: readonly DataPlaneSnapshot[]): DataPlaneSnapshot {
  const dues = snapshots.map((s) => s.nextTransitionAt).filter((d): d is Date => d !== null);
  return {
    takenAt: new Date(Math.max(0, ...snapshots.map((s) => s.takenAt.getTime()))),
    nextTransitionAt: dues.length === 0 ? null : new Date(Math.min(...dues.map((d) => d.getTime()))),
    networks: snapshots.flatMap((s) => s.networks),
    securityGroups: snapshots.flatMap((s) => s.securityGroups),
    loadBalancers: snapshots.flatMap((s) => s.loadBalancers),
    services: snapshots.flatMap((s) => s.services),
    endpoints: snapshots.flatMap((s) => s.endpoints),
    reach: snapshots.flatMap((s) => s.reach ?? []),
  };
}
