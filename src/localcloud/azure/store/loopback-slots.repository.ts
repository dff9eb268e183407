import type { Kysely, Transaction } from 'kysely';
import type { Store } from '../../../store/database.js';
import type { LoopbackRange } from '../../common/loopback.js';
import { VNET_TYPE } from '../kinds/subnets.kind.js';
import { azureRepositories, inAzureTransaction } from './repositories.js';
import type { AzureSchema } from './schema.js';

/** Row of `lc_azure_loopback_slots` (migration 0002-loopback-slots). */
export type LcAzureLoopbackSlotsTable = {
  vnet_key: string;
  slot: number;
};

/** The table migration 0002 adds, to widen an Azure executor with (`withTables`). */
export type LoopbackSlotsTables = {
  lc_azure_loopback_slots: LcAzureLoopbackSlotsTable;
};

/** An Azure executor that also knows the loopback slots table. */
export type AzureSlotsExecutor = Kysely<AzureSchema & LoopbackSlotsTables> | Transaction<AzureSchema & LoopbackSlotsTables>;

/** What `syncLoopbackSlots` settled. */
export interface LoopbackSlots {
  /** Slot per VNet, keyed by the lower-cased VNet resource id. */
  readonly byVnetKey: ReadonlyMap<string, number>;
  /** VNets (lower-cased ids) that got no slot because the range is full. */
  readonly unplaced: readonly string[];
}

/** Thin queries on `lc_azure_loopback_slots`. */
export class LoopbackSlotsRepository {
  constructor(private readonly db: AzureSlotsExecutor) {}

  async all(): Promise<Array<{ vnetKey: string; slot: number }>> {
    const rows = await this.db.selectFrom('lc_azure_loopback_slots').select(['vnet_key', 'slot']).orderBy('slot').execute();
    return rows.map((r) => ({ vnetKey: r.vnet_key, slot: r.slot }));
  }

  async insert(vnetKey: string, slot: number): Promise<void> {
    await this.db.insertInto('lc_azure_loopback_slots').values({ vnet_key: vnetKey, slot }).execute();
  }

  async delete(vnetKeys: readonly string[]): Promise<void> {
    if (vnetKeys.length === 0) return;
    await this.db.deleteFrom('lc_azure_loopback_slots').where('vnet_key', 'in', vnetKeys).execute();
  }
}

/**
 * Gives every virtual network the emulation holds now (any provisioning state, `Deleting`
 * included) a slot of `range`: existing slots are kept, new VNets take the lowest free slot (in
 * creation order), and the slots of VNets that no longer exist (or that lie beyond the range) are freed. Runs in one transaction
 * under the Azure emulation's advisory lock, so processes sharing one PostgreSQL agree; the VNets
 * are read in that transaction rather than taken from an earlier view, so a stale view never
 * frees a live VNet's slot. Idempotent. Rejects when the store cannot be read or written.
 */
export async function syncLoopbackSlots(store: Store, range: LoopbackRange): Promise<LoopbackSlots> {
  return inAzureTransaction(store, async (trx) => {
    const vnets = await azureRepositories(trx).resources.allOfType(VNET_TYPE);
    const slots = new LoopbackSlotsRepository(trx.withTables<LoopbackSlotsTables>());
    const live = new Set(vnets.map((v) => v.key));
    const held = await slots.all();
    // A slot beyond the range (the loopback base was lowered since) is given again like a new one.
    const kept = held.filter((h) => live.has(h.vnetKey) && h.slot <= range.maxSlot);
    await slots.delete(held.filter((h) => !kept.includes(h)).map((h) => h.vnetKey));
    const byVnetKey = new Map(kept.map((h) => [h.vnetKey, h.slot]));
    const used = new Set(byVnetKey.values());
    const unplaced: string[] = [];
    let candidate = 1;
    for (const vnet of vnets) {
      if (byVnetKey.has(vnet.key)) continue;
      while (used.has(candidate)) candidate++;
      if (candidate > range.maxSlot) {
        unplaced.push(vnet.key);
        continue;
      }
      await slots.insert(vnet.key, candidate);
      byVnetKey.set(vnet.key, candidate);
      used.add(candidate);
    }
    return { byVnetKey, unplaced };
  });
}
