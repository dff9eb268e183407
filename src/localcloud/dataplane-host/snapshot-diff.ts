import {
  listEditOf,
  SNAPSHOT_COLLECTIONS,
  SNAPSHOT_KEYS,
  type DataPlaneSnapshot,
  type PictureList,
  type SnapshotCollection,
  type SnapshotEntity,
} from '../common/data-plane-snapshot.js';
import { KeyedList } from '../common/keyed-list.js';

/**
 * What changed between two data-plane snapshots, so the main thread posts the data-plane worker
 * only that instead of the whole picture on every change. A large local cloud's picture is
 * megabytes; posting it whole on each of thousands of changes made the worker's heap grow to many
 * times what it holds (every copy lived long enough to be promoted before the next replaced it).
 *
 * Contract: `SnapshotDiffer.diff` compares each entity of each collection with the last snapshot
 * it saw (by key, then by its JSON) and returns the entities set (added or changed), the keys
 * removed and, only when the collection's order differs from "the old order without the removed,
 * then the new ones", the whole order. `SnapshotAssembler.apply` rebuilds from a base the very
 * snapshot the differ saw — same entities, same order — sharing every unchanged entity with the
 * previous picture. Entities are keyed by their ids (a repeated key gets a numbered suffix), so a
 * changed entity keeps its place. A differ's diffs apply only in order and only to an assembler
 * whose base is the differ's previous snapshot: after a gap (a worker restarted), reset the
 * assembler with the whole snapshot.
 */

export interface CollectionChange {
  readonly set: ReadonlyArray<readonly [string, unknown]>;
  readonly remove: readonly string[];
  /** Every key in the snapshot's order; present only when the order is not the one implied. */
  readonly order?: readonly string[];
}

export interface SnapshotDiff {
  readonly takenAt: Date;
  readonly nextTransitionAt: Date | null;
  readonly changes: { readonly [C in SnapshotCollection]?: CollectionChange };
}

/** The entities of one collection with their keys, in the snapshot's order. */
function keyed<C extends SnapshotCollection>(collection: C, snapshot: DataPlaneSnapshot): Array<[string, SnapshotEntity<C>]> {
  const items = (snapshot[collection] ?? []) as PictureList<SnapshotEntity<C>>;
  const keyOf = SNAPSHOT_KEYS[collection] as (entity: SnapshotEntity<C>) => string;
  const seen = new Set<string>();
  return items.map((item): [string, SnapshotEntity<C>] => {
    let key = keyOf(item);
    if (seen.has(key)) {
      let n = 1;
      while (seen.has(`${key}#${n}`)) n++;
      key = `${key}#${n}`;
    }
    seen.add(key);
    return [key, item];
  });
}

export class SnapshotDiffer {
  /**
   * Per collection: each key's JSON in the last snapshot, in its order (a Map keeps insertion
   * order). Updated in place: an unchanged entity keeps its old text, so a pass over a large,
   * mostly unchanged picture leaves its new texts to the young generation instead of promoting a
   * whole new map of them every time.
   */
  private readonly last = new Map<SnapshotCollection, Map<string, string>>();
  /**
   * Per collection: each key's entity object in the last snapshot. The same object again is
   * unchanged (snapshots are never mutated), so its JSON is not made again: a source that keeps
   * unchanged entities' identity (aws/snapshot.ts) costs the differ only what changed.
   */
  private readonly lastItems = new Map<SnapshotCollection, Map<string, unknown>>();
  /**
   * Per collection: the list last compared. The same list again is unchanged (snapshots are never
   * mutated), so a source that keeps an unchanged collection's list costs the differ nothing for it.
   */
  private readonly lastLists = new Map<SnapshotCollection, unknown>();
  private lastNextAt: number | null | undefined;

  /** The change from the last snapshot seen; undefined when nothing but `takenAt` differs. */
  diff(snapshot: DataPlaneSnapshot): SnapshotDiff | undefined {
    const nextAt = snapshot.nextTransitionAt?.getTime() ?? null;
    let changed = nextAt !== this.lastNextAt;
    this.lastNextAt = nextAt;
    const changes: { [C in SnapshotCollection]?: CollectionChange } = {};
    for (const collection of SNAPSHOT_COLLECTIONS) {
      const list = snapshot[collection];
      if (list !== undefined && this.lastLists.get(collection) === list) continue;
      const edit = list && listEditOf(list);
      const compared = this.lastLists.get(collection);
      this.lastLists.set(collection, list);
      let texts = this.last.get(collection);
      if (!texts) this.last.set(collection, (texts = new Map<string, string>()));
      let objects = this.lastItems.get(collection);
      if (!objects) this.lastItems.set(collection, (objects = new Map<string, unknown>()));
      if (edit && compared !== undefined && edit.from.deref() === compared) {
        // The source says how this list was made from the one compared last: look at those entities only.
        const keyOf = SNAPSHOT_KEYS[collection] as (entity: unknown) => string;
        const set: Array<readonly [string, unknown]> = [];
        const remove: string[] = [];
        for (const item of edit.removed ?? []) {
          const key = keyOf(item);
          if (!texts.delete(key)) continue;
          objects.delete(key);
          remove.push(key);
        }
        for (const item of [...edit.changed, ...edit.added]) {
          const key = keyOf(item);
          objects.set(key, item);
          const text = JSON.stringify(item);
          if (texts.get(key) === text) continue;
          set.push([key, item]);
          texts.set(key, text);
        }
        if (set.length > 0 || remove.length > 0) {
          changes[collection] = { set, remove };
          changed = true;
        }
        continue;
      }
      const items = keyed(collection, snapshot);
      const present = new Set<string>();
      const set: Array<readonly [string, unknown]> = [];
      for (const [key, item] of items) {
        present.add(key);
        if (objects.get(key) === item && texts.has(key)) continue;
        objects.set(key, item);
        const text = JSON.stringify(item);
        if (texts.get(key) === text) continue;
        set.push([key, item]);
        texts.set(key, text);
      }
      const remove: string[] = [];
      for (const key of texts.keys()) if (!present.has(key)) remove.push(key);
      for (const key of remove) {
        texts.delete(key);
        objects.delete(key);
      }
      // The map is now in the implied order: the kept keys where they were, the new ones after.
      let order: string[] | undefined;
      if (!inOrder(texts, items)) {
        order = items.map(([key]) => key);
        this.last.set(collection, new Map(order.map((key) => [key, texts!.get(key)!])));
      }
      if (set.length === 0 && remove.length === 0 && !order) continue;
      changes[collection] = { set, remove, ...(order ? { order } : {}) };
      changed = true;
    }
    return changed ? { takenAt: snapshot.takenAt, nextTransitionAt: snapshot.nextTransitionAt, changes } : undefined;
  }
}

/** Whether the map's keys are the items' keys in the items' order. */
function inOrder(texts: ReadonlyMap<string, string>, items: ReadonlyArray<readonly [string, unknown]>): boolean {
  if (texts.size !== items.length) return false;
  let index = 0;
  for (const key of texts.keys()) if (items[index++]![0] !== key) return false;
  return true;
}

/**
 * Rebuilds snapshots from a base and the diffs that follow it. A diff that changes entities in
 * place or adds them makes each list from the last one with those put in (common/keyed-list.ts),
 * so a change costs what it touches; one that removes or reorders makes that collection's list again.
 */
export class SnapshotAssembler {
  private readonly collections = new Map<SnapshotCollection, KeyedList<unknown>>();
  private current!: DataPlaneSnapshot;

  constructor(base: DataPlaneSnapshot) {
    this.reset(base);
  }

  get latest(): DataPlaneSnapshot {
    return this.current;
  }

  /** Starts over from a whole snapshot. */
  reset(snapshot: DataPlaneSnapshot): void {
    for (const collection of SNAPSHOT_COLLECTIONS) {
      const kept = new KeyedList<unknown>();
      kept.reset(keyed(collection, snapshot), snapshot[collection] ?? []);
      this.collections.set(collection, kept);
    }
    this.current = snapshot;
  }

  /** Applies the next diff; returns the snapshot it describes. */
  apply(diff: SnapshotDiff): DataPlaneSnapshot {
    const next: Record<string, unknown> = { ...this.current, takenAt: diff.takenAt, nextTransitionAt: diff.nextTransitionAt };
    for (const collection of SNAPSHOT_COLLECTIONS) {
      const change = diff.changes[collection];
      // Said beside the list (keyed-list.ts), so the gateway looks at what changed only (a reordered list is read whole).
      if (change) next[collection] = this.collections.get(collection)!.apply(change.set, change.remove, change.order);
    }
    this.current = next as unknown as DataPlaneSnapshot;
    return this.current;
  }
}
