import type { Kysely, Transaction } from 'kysely';
import type { Store } from '../../../store/database.js';
import type { LoopbackRange } from '../../common/loopback.js';
import { pathOf } from '../links.js';
import { gcpRepositories, inGcpTransaction } from './repositories.js';
import type { GcpSchema } from './schema.js';

/** Row of `lc_gcp_loopback_slots` (migration 0002-loopback-slots). */
export interface LcGcpLoopbackSlotsTable {
  subnet_key: string;
  slot: number;
}

/** The table migration 0002 adds, to widen a GCP executor with (`withTables`). */
export type LoopbackSlotsTables = {
  lc_gcp_loopback_slots: LcGcpLoopbackSlotsTable;
};

/** A GCP executor that also knows the loopback slots table. */
export type GcpSlotsExecutor = Kysely<GcpSchema & LoopbackSlotsTables> | Transaction<GcpSchema & LoopbackSlotsTables>;

/** What `syncGcpLoopbackSlots` settled. */
export interface GcpLoopbackSlots {
  /** Slot per subnetwork, keyed by its resource path (`projects/p/regions/r/subnetworks/s`). */
  readonly bySubnet: ReadonlyMap<string, number>;
  /** Subnetworks (paths) that got no slot because the range is full. */
  readonly unplaced: readonly string[];
}

/** Thin queries on `lc_gcp_loopback_slots`. */
export class GcpLoopbackSlotsRepository {
  constructor(private readonly db: GcpSlotsExecutor) {}

  async all(): Promise<Array<{ subnetKey: string; slot: number }>> {
    const rows = await this.db.selectFrom('lc_gcp_loopback_slots').select(['subnet_key', 'slot']).orderBy('slot').execute();
    return rows.map((r) => ({ subnetKey: r.subnet_key, slot: r.slot }));
  }

  async insert(subnetKey: string, slot: number): Promise<void> {
    await this.db.insertInto('lc_gcp_loopback_slots').values({ subnet_key: subnetKey, slot }).execute();
  }

  async delete(subnetKeys: readonly string[]): Promise<void> {
    if (subnetKeys.length === 0) return;
    await this.db.deleteFrom('lc_gcp_loopback_slots').where('subnet_key', 'in', subnetKeys).execute();
  }
}

/**
 * Gives every `PRIVATE` subnetwork the emulation holds at `now` (being created or being deleted
 * included) a slot of `range`: existing slots are kept, new subnetworks take the lowest free slot
 * (in creation order), and the slots of subnetworks that no longer exist (or that lie beyond the
 * range) are freed. Private Service Connect NAT subnetworks get none: nothing listens or is
 * dialled there. Runs in one transaction under the GCP emulation's advisory lock, so processes
 * sharing one PostgreSQL agree; the subnetworks are read in that transaction rather than taken
 * from an earlier view, so a stale view never frees a live subnetwork's slot. Idempotent. Rejects
 * when the store cannot be read or written.
 */
export async function syncGcpLoopbackSlots(store: Store, range: LoopbackRange, now: Date): Promise<GcpLoopbackSlots> {
  return inGcpTransaction(store, async (trx) => {
    const subnets = (await gcpRepositories(trx).resources.live({ collection: 'subnetworks' }, now)).filter((s) => s.body.purpose !== 'PRIVATE_SERVICE_CONNECT');
    const slots = new GcpLoopbackSlotsRepository(trx.withTables<LoopbackSlotsTables>());
    const live = new Set(subnets.map(pathOf));
    const held = await slots.all();
    // A slot beyond the range (the loopback base was lowered since) is given again like a new one.
    const kept = held.filter((h) => live.has(h.subnetKey) && h.slot <= range.maxSlot);
    await slots.delete(held.filter((h) => !kept.includes(h)).map((h) => h.subnetKey));
    const bySubnet = new Map(kept.map((h) => [h.subnetKey, h.slot]));
    const used = new Set(bySubnet.values());
    const unplaced: string[] = [];
    let candidate = 1;
    for (const subnet of subnets) {
      const key = pathOf(subnet);
      if (bySubnet.has(key)) continue;
      while (used.has(candidate)) candidate++;
      if (candidate > range.maxSlot) {
        unplaced.push(key);
        continue;
      }
      await slots.insert(key, candidate);
      bySubnet.set(key, candidate);
      used.add(candidate);
    }
    return { bySubnet, unplaced };
  });
}
