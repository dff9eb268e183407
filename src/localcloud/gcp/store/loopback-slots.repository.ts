import { sql, type Kysely, type Transaction } from 'kysely';
import type { Store } from '../../../store/database.js';
import type { LoopbackRange } from '../../common/loopback.js';
import { networksAndSlotsOf, settleLoopbackSlots, type HeldSlot, type LoopbackSlotsStore, type NetworkSlotRow } from '../../common/loopback-slots.js';
import { inGcpTransaction } from './repositories.js';
import { gcpDb, type GcpSchema } from './schema.js';

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

/**
 * Thin queries on `lc_gcp_loopback_slots`; the networks are the `PRIVATE` subnetworks live at
 * `liveAt` (paths; Private Service Connect NAT subnetworks left out).
 */
export class GcpLoopbackSlotsRepository implements LoopbackSlotsStore {
  constructor(
    private readonly db: GcpSlotsExecutor,
    private readonly liveAt: Date,
  ) {}

  async networksAndSlots(): Promise<{ live: string[]; held: HeldSlot[] }> {
    // The path is the one links.ts `pathOf` writes (`projects/{project}/{scope}/{collection}/{name}`).
    const { rows } =
      await sql<NetworkSlotRow>`select r.path as network, s.subnet_key as held_key, s.slot from (select 'projects/' || project || '/' || scope || '/' || collection || '/' || name as path, seq from lc_gcp_resources where collection = 'subnetworks' and (gone_at is null or gone_at > ${this.liveAt}) and (body->>'purpose') is distinct from 'PRIVATE_SERVICE_CONNECT') r full join lc_gcp_loopback_slots s on s.subnet_key = r.path order by r.seq`.execute(
        this.db,
      );
    return networksAndSlotsOf(rows);
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
  const settled = await settleLoopbackSlots<GcpSlotsExecutor>(
    {
      read: (work) => work(gcpDb(store).withTables<LoopbackSlotsTables>()),
      locked: (work) => inGcpTransaction(store, (trx) => work(trx.withTables<LoopbackSlotsTables>())),
    },
    (db) => new GcpLoopbackSlotsRepository(db, now),
    range,
  );
  return { bySubnet: settled.byKey, unplaced: settled.unplaced };
}
