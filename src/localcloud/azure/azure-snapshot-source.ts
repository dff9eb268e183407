import type { Store } from '../../store/database.js';
import type { SnapshotSource } from '../common/data-plane-snapshot.js';
import { loopbackRanges } from '../common/loopback.js';
import type { LocalCloudAzure } from './local-cloud-azure.js';
import { buildAzureSnapshot } from './snapshot.js';
import { syncLoopbackSlots } from './store/loopback-slots.repository.js';

export interface AzureSnapshotSourceOptions {
  /** Where a VNet left out for want of a loopback slot is reported (once per VNet). Default: `process.emitWarning`. */
  readonly warn?: (message: string) => void;
}

/**
 * The data plane's snapshot source for a started Azure emulation — what `main.ts` merges with the
 * other emulators' (common/merged-snapshot-source.ts). Each snapshot takes the emulator's view
 * (due transitions advanced), settles the VNets' loopback slots in the Azure loopback range of
 * `loopbackBase` (`loopbackRanges(loopbackBase).AZURE`, stable across restarts and shared by the
 * processes on one PostgreSQL) and maps both (snapshot.ts). Change notifications are the
 * emulator's `onChange` (committed ARM changes, in this process or another on the same
 * PostgreSQL). `snapshot()` rejects when the store cannot be read; throws RangeError at once
 * for a loopback base outside 0..254.
 *
 * @example mergedSnapshotSource([awsSource, azureSnapshotSource(azure, store, config.loopbackBase)])
 */
export function azureSnapshotSource(azure: LocalCloudAzure, store: Store, loopbackBase: number, options: AzureSnapshotSourceOptions = {}): SnapshotSource {
  const range = loopbackRanges(loopbackBase).AZURE;
  const warn = options.warn ?? ((message: string) => process.emitWarning(message));
  const warned = new Set<string>();
  return {
    async snapshot() {
      const view = await azure.view();
      const slots = await syncLoopbackSlots(store, range);
      for (const vnet of slots.unplaced) {
        if (warned.has(vnet)) continue;
        warned.add(vnet);
        warn(`local cloud Azure: virtual network ${vnet} has no loopback slot (all ${range.maxSlot} of the Azure range are taken); it carries no traffic`);
      }
      for (const vnet of warned) if (!slots.unplaced.includes(vnet)) warned.delete(vnet);
      return buildAzureSnapshot(view, slots.byVnetKey, range);
    },
    onChange: (listener) => azure.onChange(listener),
  };
}
