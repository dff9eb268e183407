import type { DataPlaneSnapshot, SnapshotSource } from './data-plane-snapshot.js';
import { SnapshotMerger } from './snapshot-merger.js';

/**
 * One snapshot source over several emulators' (AWS, Azure, GCP), so the data plane follows every
 * running emulator at once: a snapshot concatenates theirs (their loopback octets and ids are
 * disjoint by contract, see data-plane-snapshot.ts), is taken when the latest of them was, and is
 * due again at the earliest of their pending transitions; a change in any source notifies.
 * `snapshot()` rejects when any source does (a partial picture would close live endpoints).
 *
 * While someone follows its changes, a source's last snapshot is reused until that source
 * notifies a change, one of its pending transitions falls due, or it is `maxAgeMs` old: a change
 * in one cloud re-reads that cloud's tables only, not every emulator's. Unfollowed, every call
 * reads every source. Their snapshots are merged by one `SnapshotMerger` (snapshot-merger.ts).
 */
export function mergedSnapshotSource(sources: readonly SnapshotSource[], options: { readonly maxAgeMs?: number; readonly now?: () => number } = {}): SnapshotSource {
  if (sources.length === 1) return sources[0]!;
  const maxAgeMs = options.maxAgeMs ?? 4000;
  const now = options.now ?? Date.now;
  const listeners = new Set<() => void>();
  const merger = new SnapshotMerger();
  /** Per source: its last snapshot, when it was asked for, and whether it changed since. */
  const kept = sources.map(() => ({ snapshot: undefined as DataPlaneSnapshot | undefined, askedAt: 0, changed: true }));
  let unsubscribes: Array<() => void> = [];
  const follow = (): void => {
    unsubscribes = sources.map((source, i) =>
      source.onChange(() => {
        kept[i]!.changed = true;
        for (const listener of [...listeners]) listener();
      }),
    );
  };
  const unfollow = (): void => {
    unsubscribes.forEach((unsubscribe) => unsubscribe());
    unsubscribes = [];
    for (const k of kept) k.changed = true;
  };
  const fresh = (i: number, at: number): boolean => {
    const k = kept[i]!;
    const due = k.snapshot?.nextTransitionAt;
    return listeners.size > 0 && !k.changed && k.snapshot !== undefined && at - k.askedAt < maxAgeMs && (!due || due.getTime() > at);
  };
  return {
    async snapshot() {
      const at = now();
      const taken = await Promise.all(
        sources.map(async (source, i) => {
          if (fresh(i, at)) return kept[i]!.snapshot!;
          const k = kept[i]!;
          // Cleared before the read: a change committed while it runs marks the source again.
          k.changed = false;
          try {
            k.snapshot = await source.snapshot();
            k.askedAt = at;
            return k.snapshot;
          } catch (error) {
            k.changed = true;
            throw error;
          }
        }),
      );
      return merger.merge(taken);
    },
    onChange(listener) {
      if (listeners.size === 0) follow();
      listeners.add(listener);
      return () => {
        if (listeners.delete(listener) && listeners.size === 0) unfollow();
      };
    },
  };
}
