import { gatewaySlot } from './public-topology.js';

/** x.y values of one loopback block; `.0.0`, `.0.1` and `.255.255` are never given. */
const SIZE = 65_536;
const RESERVED: ReadonlySet<number> = new Set([0, 1, SIZE - 1]);

/**
 * The public gateway's address of every key (`publicGatewayAddresses`: keys taken in sorted order,
 * each at its hash slot or the next free one), kept as keys come and go instead of decided again
 * over every key. Contract: after any sequence of `reset`, `add` and `remove`, `addresses` equals
 * `addressesInOrder` of the keys held, sorted. Pure (no I/O); not safe to share between callers.
 *
 * Why most changes touch one key: keys before a new key in the order keep their slots. The new key
 * takes the first slot from its hash that no earlier key holds; if that slot is free, no later
 * key's search ever reached it (a search stops at the first free slot), so no later key moves. A
 * removed key's slot frees without moving anyone unless a later key's search passed over it (only
 * a key not at its hash slot has such a search). Otherwise, a later key holding the slot a new key
 * takes or one whose search passed a freed slot, every address is decided again and the keys whose
 * address moved are answered.
 */
export class GatewayAddresses {
  /** The keys held, sorted. */
  private ordered: string[] = [];
  /** Each key's slot. */
  private readonly slots = new Map<string, number>();
  /** Each slot's key. */
  private readonly holders: Array<string | undefined> = new Array<string | undefined>(SIZE);
  /** Each key's hash slot (where its search starts), kept while the key is held. */
  private readonly firstSlots = new Map<string, number>();
  /** The keys not at their hash slot. */
  private readonly displaced = new Set<string>();
  private readonly out = new Map<string, string>();

  constructor(
    private readonly loopbackBase: number,
    private readonly slotOf: (key: string) => number = gatewaySlot,
  ) {}

  /** Every key's address (`127.<loopbackBase>.x.y`), by key. The same map throughout, changed in place. */
  get addresses(): ReadonlyMap<string, string> {
    return this.out;
  }

  /** Holds exactly `keys` (distinct or not), every address decided again. Throws RangeError when there are more keys than addresses. */
  reset(keys: Iterable<string>): void {
    const ordered = [...new Set(keys)].sort();
    if (ordered.length > SIZE - RESERVED.size) throw new RangeError('too many public regions for one loopback block');
    const held = new Set(ordered);
    for (const key of this.firstSlots.keys()) if (!held.has(key)) this.firstSlots.delete(key);
    this.ordered = ordered;
    this.assignAll();
  }

  /** Holds `key` too; returns the keys whose address is new or moved (none when it was held). */
  add(key: string): string[] {
    if (this.slots.has(key)) return [];
    if (this.ordered.length + 1 > SIZE - RESERVED.size) throw new RangeError('too many public regions for one loopback block');
    insertSorted(this.ordered, key);
    const first = this.firstSlot(key);
    let slot = first;
    for (;;) {
      const holder = this.holders[slot];
      if (!RESERVED.has(slot) && holder === undefined) break;
      // A later key holds the slot this one takes: it (and maybe more) moves.
      if (holder !== undefined && holder > key) return this.reassign([key]);
      slot = (slot + 1) % SIZE;
    }
    this.place(key, slot);
    return [key];
  }

  /** Stops holding `key`; returns the other keys whose address moved. */
  remove(key: string): string[] {
    const slot = this.slots.get(key);
    if (slot === undefined) return [];
    removeSorted(this.ordered, key);
    this.slots.delete(key);
    this.holders[slot] = undefined;
    this.displaced.delete(key);
    this.firstSlots.delete(key);
    this.out.delete(key);
    for (const other of this.displaced) {
      // Its search went from its hash slot up to (not including) its slot: over this one?
      if (passes(this.firstSlots.get(other)!, this.slots.get(other)!, slot)) return this.reassign([]);
    }
    return [];
  }

  private firstSlot(key: string): number {
    let first = this.firstSlots.get(key);
    if (first === undefined) this.firstSlots.set(key, (first = this.slotOf(key)));
    return first;
  }

  private place(key: string, slot: number): void {
    this.slots.set(key, slot);
    this.holders[slot] = key;
    if (slot !== this.firstSlot(key)) this.displaced.add(key);
    else this.displaced.delete(key);
    this.out.set(key, `127.${this.loopbackBase}.${slot >>> 8}.${slot & 255}`);
  }

  /** Decides every address again; returns `also` and every other key whose address moved. */
  private reassign(also: readonly string[]): string[] {
    const before = new Map(this.slots);
    this.assignAll();
    const moved = new Set(also);
    for (const [key, slot] of this.slots) if (before.get(key) !== slot) moved.add(key);
    return [...moved];
  }

  private assignAll(): void {
    this.slots.clear();
    this.holders.fill(undefined);
    this.displaced.clear();
    this.out.clear();
    for (const key of this.ordered) {
      let slot = this.firstSlot(key);
      while (RESERVED.has(slot) || this.holders[slot] !== undefined) slot = (slot + 1) % SIZE;
      this.place(key, slot);
    }
  }
}

/** Whether a search from `from` that stopped at `to` (cyclic) went over `slot`. */
function passes(from: number, to: number, slot: number): boolean {
  return from <= to ? slot >= from && slot < to : slot >= from || slot < to;
}

/** Inserts `key` into the sorted `keys` (no-op when there). */
function insertSorted(keys: string[], key: string): void {
  const at = lowerBound(keys, key);
  if (keys[at] !== key) keys.splice(at, 0, key);
}

/** Removes `key` from the sorted `keys` (no-op when absent). */
function removeSorted(keys: string[], key: string): void {
  const at = lowerBound(keys, key);
  if (keys[at] === key) keys.splice(at, 1);
}

/** The first index whose key is not below `key` (string order, as `Array.prototype.sort` sorts). */
function lowerBound(keys: readonly string[], key: string): number {
  let low = 0;
  let high = keys.length;
  while (low < high) {
    const mid = (low + high) >>> 1;
    if (keys[mid]! < key) low = mid + 1;
    else high = mid;
  }
  return low;
}
