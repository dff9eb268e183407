import type { Kysely, Transaction } from 'kysely';
import type { Store } from '../../../store/database.js';
import type { LoopbackRange } from '../../common/loopback.js';
import { pathOf } from '../links.js';
import { planLoopbackSlots, settleLoopbackSlots } from '../../common/loopback-slots.js';
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
 * included) a slot of `range` (common/loopback-slots.ts: existing slots kept, new subnetworks the
 * lowest free slot in creation order, the slots of subnetworks gone or beyond the range freed).
 * Private Service Connect NAT subnetworks get none: nothing listens or is dialled there. Reads the
 * subnetworks and slots as settleLoopbackSlots does: without the lock unless a slot is to be
 * given or freed, then in one transaction under the GCP emulation's advisory lock, so processes
 * sharing one PostgreSQL agree. Idempotent. Rejects when the store cannot be read or written.
 */
export async function syncGcpLoopbackSlots(store: Store, range: LoopbackRange, now: Date): Promise<GcpLoopbackSlots> {
  const plan = async (db: Transaction<GcpSchema>) => {
    const subnets = (await gcpRepositories(db).resources.live({ collection: 'subnetworks' }, now)).filter((s) => s.body.purpose !== 'PRIVATE_SERVICE_CONNECT');
    const held = await new GcpLoopbackSlotsRepository(db.withTables<LoopbackSlotsTables>()).all();
    return planLoopbackSlots(
      subnets.map(pathOf),
      held.map((h) => ({ key: h.subnetKey, slot: h.slot })),
      range,
    );
  };
  const settled = await settleLoopbackSlots<Transaction<GcpSchema>>(
    { read: (work) => store.readConsistent((trx) => work(trx as unknown as Transaction<GcpSchema>)), locked: (work) => inGcpTransaction(store, work) },
    plan,
    async (db, planned) => {
      const slots = new GcpLoopbackSlotsRepository(db.withTables<LoopbackSlotsTables>());
      await slots.delete(planned.freed);
      for (const g of planned.given) await slots.insert(g.key, g.slot);
    },
  );
  return { bySubnet: settled.byKey, unplaced: settled.unplaced };
}
