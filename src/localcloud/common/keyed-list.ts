import { noteListEdit } from './data-plane-snapshot.js';
import { ChunkedList, type PictureList } from './picture-list.js';

/**
 * A picture collection kept by key in its list's order, brought up to date by what changed: an
 * entity set under a listed key takes that key's place, one under a new key goes after the rest,
 * and the new list shares every chunk the change does not touch (picture-list.ts); a removal
 * makes the list again without the removed, the others in their order. Each new list has its edit
 * noted beside it (data-plane-snapshot.ts `ListEdit`, with what each change replaced) unless the
 * change reorders, so readers that saw the list before look at what changed only. Keys are unique;
 * lists are never changed once handed out.
 */
export class KeyedList<T> {
  private entities = new Map<string, T>();
  private position = new Map<string, number>();
  private current: PictureList<T> = [];

  /** The list now. */
  get list(): PictureList<T> {
    return this.current;
  }

  /** The entity under `key` now. */
  get(key: string): T | undefined {
    return this.entities.get(key);
  }

  /** Starts over from `items` in their order; `list`, when given, is the very list they are (kept as the list now). */
  reset(items: Iterable<readonly [string, T]>, list?: PictureList<T>): void {
    this.entities = new Map(items);
    this.position = positions(this.entities);
    this.current = list ?? ChunkedList.from(this.entities.values());
  }

  /**
   * Removes the keys of `remove` (those not listed are ignored), then sets each `[key, entity]` of
   * `set`, then, when `order` is given (every key, in the order wanted), puts the list in that
   * order. Returns the new list, or the same list when nothing was removed or set.
   */
  apply(set: Iterable<readonly [string, T]>, remove: Iterable<string>, order?: readonly string[]): PictureList<T> {
    const before = this.current;
    const removed: T[] = [];
    const changed: T[] = [];
    const replaced: T[] = [];
    const added: T[] = [];
    const at: Array<readonly [number, T]> = [];
    for (const key of remove) {
      const entity = this.entities.get(key);
      if (entity === undefined) continue;
      this.entities.delete(key);
      removed.push(entity);
    }
    for (const [key, entity] of set) {
      const old = this.entities.get(key);
      if (old === undefined) {
        this.position.set(key, before.length + added.length);
        added.push(entity);
      } else {
        changed.push(entity);
        replaced.push(old);
        at.push([this.position.get(key)!, entity]);
      }
      this.entities.set(key, entity);
    }
    if (order) {
      const reordered = new Map<string, T>();
      for (const key of order) reordered.set(key, this.entities.get(key)!);
      this.entities = reordered;
    }
    if (!order && removed.length === 0 && changed.length === 0 && added.length === 0) return before;
    if (order || removed.length > 0) {
      this.current = ChunkedList.from(this.entities.values());
      this.position = positions(this.entities);
    } else {
      this.current = (before instanceof ChunkedList ? before : ChunkedList.from(before)).with(at, added);
    }
    if (!order) noteListEdit(this.current, { from: new WeakRef(before), changed, replaced, added, removed });
    return this.current;
  }
}

/** Each key's place in the map's order. */
function positions(entities: ReadonlyMap<string, unknown>): Map<string, number> {
  const position = new Map<string, number>();
  for (const key of entities.keys()) position.set(key, position.size);
  return position;
}
