import type { Store } from '../../store/database.js';
import type { SnapshotSource } from '../common/data-plane-snapshot.js';
import { loopbackRanges } from '../common/loopback.js';
import type { LocalCloudGcp } from './local-cloud-gcp.js';
import { buildGcpSnapshot } from './snapshot.js';
import { syncGcpLoopbackSlots } from './store/loopback-slots.repository.js';

export interface GcpSnapshotSourceOptions {
  /** Where a subnetwork left out for want of a loopback slot is reported (once per subnetwork). Default: `process.emitWarning`. */
  readonly warn?: (message: string) => void;
}

/**
 * The data plane's snapshot source for a started Compute Engine emulation — what `main.ts` merges
 * with the other emulators' (common/merged-snapshot-source.ts). Each snapshot takes the
 * emulator's view, settles the subnetworks' loopback slots in the GCP loopback range of
 * `loopbackBase` (`loopbackRanges(loopbackBase).GCP`, stable across restarts and shared by the
 * processes on one PostgreSQL) and maps both (snapshot.ts). Change notifications are the
 * emulator's `onChange` (committed Compute changes, in this process or another on the same
 * PostgreSQL). `snapshot()` rejects when the store cannot be read; throws RangeError at once for
 * a loopback base outside 0..254.
 *
 * @example mergedSnapshotSource([awsSource, gcpSnapshotSource(gcp, store, config.loopbackBase)])
 */
export function gcpSnapshotSource(gcp: LocalCloudGcp, store: Store, loopbackBase: number, options: GcpSnapshotSourceOptions = {}): SnapshotSource {
  const range = loopbackRanges(loopbackBase).GCP;
  const warn = options.warn ?? ((message: string) => process.emitWarning(message));
  const warned = new Set<string>();
  return {
    async snapshot() {
      const view = await gcp.view();
      const slots = await syncGcpLoopbackSlots(store, range, view.takenAt);
      for (const subnet of slots.unplaced) {
        if (warned.has(subnet)) continue;
        warned.add(subnet);
        warn(`local cloud GCP: subnetwork ${subnet} has no loopback slot (all ${range.maxSlot} of the GCP range are taken); it carries no traffic`);
      }
      for (const subnet of warned) if (!slots.unplaced.includes(subnet)) warned.delete(subnet);
      return buildGcpSnapshot(view, slots.bySubnet, range);
    },
    onChange: (listener) => gcp.onChange(listener),
  };
}
