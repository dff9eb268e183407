import type { LoopbackRange } from './loopback.js';

/** A network's slot as stored. */
export interface HeldSlot {
  readonly key: string;
  readonly slot: number;
}

/** What settling the slots comes to: the slots after it, and the writes that get there. */
export interface LoopbackSlotPlan {
  /** Slot per live network after the plan. */
  readonly byKey: ReadonlyMap<string, number>;
  /** Live networks that get no slot because the range is full. */
  readonly unplaced: readonly string[];
  /** Networks whose slot is freed: gone, or beyond the range. */
  readonly freed: readonly string[];
  /** Slots given to networks that had none. */
  readonly given: readonly HeldSlot[];
}

/**
 * Settles the networks' loopback slots. Pure: `live` are the networks that exist now, in creation
 * order; `held` the slots stored. Held slots of live networks inside `range` are kept; the others
 * are freed (a slot beyond the range — the loopback base was lowered since — is given again like
 * a new one); each live network without a slot takes the lowest free one, in creation order,
 * until the range is full.
 *
 * @example planLoopbackSlots(['a', 'b'], [{ key: 'b', slot: 1 }], { base: 0, maxSlot: 4 }).given // [{ key: 'a', slot: 2 }]
 */
export function planLoopbackSlots(live: readonly string[], held: readonly HeldSlot[], range: LoopbackRange): LoopbackSlotPlan {
  const alive = new Set(live);
  const byKey = new Map<string, number>();
  const freed: string[] = [];
  for (const h of held) {
    if (alive.has(h.key) && h.slot <= range.maxSlot) byKey.set(h.key, h.slot);
    else freed.push(h.key);
  }
  const used = new Set(byKey.values());
  const unplaced: string[] = [];
  const given: HeldSlot[] = [];
  let candidate = 1;
  for (const key of live) {
    if (byKey.has(key)) continue;
    while (used.has(candidate)) candidate++;
    if (candidate > range.maxSlot) {
      unplaced.push(key);
      continue;
    }
    given.push({ key, slot: candidate });
    byKey.set(key, candidate);
    used.add(candidate);
  }
  return { byKey, unplaced, freed, given };
}

/** Whether the plan writes anything. */
export function planWrites(plan: LoopbackSlotPlan): boolean {
  return plan.freed.length > 0 || plan.given.length > 0;
}

/** How settling reaches an emulator's store: a consistent read without its lock, and a transaction under it. */
export interface SlotStoreAccess<D> {
  read<T>(work: (db: D) => Promise<T>): Promise<T>;
  locked<T>(work: (db: D) => Promise<T>): Promise<T>;
}

/** One row of a full join of the networks (in creation order) and the held slots: either side may be missing. */
export interface NetworkSlotRow {
  readonly network: string | null;
  readonly held_key: string | null;
  readonly slot: number | null;
}

/** The live networks and the held slots of `networksAndSlots`' full join. */
export function networksAndSlotsOf(rows: readonly NetworkSlotRow[]): { live: string[]; held: HeldSlot[] } {
  return {
    live: rows.flatMap((r) => (r.network === null ? [] : [r.network])),
    held: rows.flatMap((r) => (r.held_key === null || r.slot === null ? [] : [{ key: r.held_key, slot: r.slot }])),
  };
}

/** An emulator's slots table, bound to an executor. */
export interface LoopbackSlotsStore {
  /** The networks that exist (in creation order) and every held slot, in one statement: one consistent read, in a transaction or not. */
  networksAndSlots(): Promise<{ live: string[]; held: HeldSlot[] }>;
  insert(key: string, slot: number): Promise<void>;
  delete(keys: readonly string[]): Promise<void>;
}

/**
 * Settles the slots of `range` (planLoopbackSlots): planned first on a read without the lock; when
 * that writes nothing (every time but when a network comes or goes) it is the answer. Otherwise it
 * is planned again under the emulator's lock, networks read anew there (a stale read never frees a
 * live network's slot), and written. Rejects when the store cannot be read or written.
 */
export async function settleLoopbackSlots<D>(access: SlotStoreAccess<D>, slotsOf: (db: D) => LoopbackSlotsStore, range: LoopbackRange): Promise<LoopbackSlotPlan> {
  const plan = async (slots: LoopbackSlotsStore) => {
    const { live, held } = await slots.networksAndSlots();
    return planLoopbackSlots(live, held, range);
  };
  const seen = await access.read((db) => plan(slotsOf(db)));
  if (!planWrites(seen)) return seen;
  return access.locked(async (db) => {
    const slots = slotsOf(db);
    const planned = await plan(slots);
    await slots.delete(planned.freed);
    for (const g of planned.given) await slots.insert(g.key, g.slot);
    return planned;
  });
}
