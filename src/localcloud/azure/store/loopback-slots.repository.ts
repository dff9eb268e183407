import { sql, type Kysely, type Transaction } from 'kysely';
import type { Store } from '../../../store/database.js';
import type { LoopbackRange } from '../../common/loopback.js';
import { VNET_TYPE } from '../kinds/subnets.kind.js';
import { networksAndSlotsOf, settleLoopbackSlots, type HeldSlot, type LoopbackSlotsStore, type NetworkSlotRow } from '../../common/loopback-slots.js';
import { inAzureTransaction } from './repositories.js';
import { azureDb, type AzureSchema } from './schema.js';

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

/** Thin queries on `lc_azure_loopback_slots`; the networks are the VNets, keyed by lower-cased id. */
export class LoopbackSlotsRepository implements LoopbackSlotsStore {
  constructor(private readonly db: AzureSlotsExecutor) {}

  async networksAndSlots(): Promise<{ live: string[]; held: HeldSlot[] }> {
    const { rows } =
      await sql<NetworkSlotRow>`select r.id_key as network, s.vnet_key as held_key, s.slot from (select id_key, seq from lc_azure_resources where type = ${VNET_TYPE}) r full join lc_azure_loopback_slots s on s.vnet_key = r.id_key order by r.seq`.execute(
        this.db,
      );
    return networksAndSlotsOf(rows);
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
 * included) a slot of `range` (common/loopback-slots.ts: existing slots kept, new VNets the lowest
 * free slot in creation order, the slots of VNets gone or beyond the range freed). Reads the VNets
 * and slots as settleLoopbackSlots does: without the lock unless a slot is to be given or freed,
 * then in one transaction under the Azure emulation's advisory lock, so processes sharing one
 * PostgreSQL agree. Idempotent. Rejects when the store cannot be read or written.
 */
export async function syncLoopbackSlots(store: Store, range: LoopbackRange): Promise<LoopbackSlots> {
  const settled = await settleLoopbackSlots<AzureSlotsExecutor>(
    {
      read: (work) => work(azureDb(store).withTables<LoopbackSlotsTables>()),
      locked: (work) => inAzureTransaction(store, (trx) => work(trx.withTables<LoopbackSlotsTables>())),
    },
    (db) => new LoopbackSlotsRepository(db),
    range,
  );
  return { byVnetKey: settled.byKey, unplaced: settled.unplaced };
}
