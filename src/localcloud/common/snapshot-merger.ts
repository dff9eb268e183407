import { listEditsSince, SNAPSHOT_COLLECTIONS, SNAPSHOT_KEYS, type DataPlaneSnapshot, type PictureList, type SnapshotCollection } from './data-plane-snapshot.js';
import { KeyedList } from './keyed-list.js';

/**
 * The union of several emulators' snapshots (see merged-snapshot-source.ts), each collection their
 * lists concatenated in the sources' order. Pure.
 */
export function mergeSnapshots(snapshots: readonly DataPlaneSnapshot[]): DataPlaneSnapshot {
  return new SnapshotMerger().merge(snapshots);
}

/** One collection merged from several sources: each source's list seen last and its entities by key, and the merged list. */
interface MergedCollection {
  readonly seen: Array<PictureList<unknown>>;
  readonly bySource: Array<Map<string, unknown>>;
  readonly merged: KeyedList<unknown>;
}

/**
 * The union of several emulators' snapshots, merge after merge. A collection only one snapshot
 * has entries in is that snapshot's very list, so a differ can tell it unchanged and use the edit
 * noted beside it. A collection several have entries in starts as their lists concatenated in the
 * sources' order; after that, what a source changed is put in (an entity in its place, a new one
 * after every other), so the merged list shares its unchanged parts with the one before and notes
 * the edit (keyed-list.ts): a change in one cloud costs what it touches, not a copy of every
 * cloud's entities. What a source changed is read from the edits noted beside its list, or by
 * comparing its list with the one seen last (entities by identity) when it notes none. A key found
 * in two sources (never, by the snapshots' contract) leaves that collection concatenated whole.
 */
export class SnapshotMerger {
  private readonly kept = new Map<SnapshotCollection, MergedCollection>();

  merge(snapshots: readonly DataPlaneSnapshot[]): DataPlaneSnapshot {
    const dues = snapshots.map((s) => s.nextTransitionAt).filter((d): d is Date => d !== null);
    const merged: Record<string, unknown> = {
      takenAt: new Date(Math.max(0, ...snapshots.map((s) => s.takenAt.getTime()))),
      nextTransitionAt: dues.length === 0 ? null : new Date(Math.min(...dues.map((d) => d.getTime()))),
    };
    for (const collection of SNAPSHOT_COLLECTIONS)
      merged[collection] = this.collection(
        collection,
        snapshots.map((s) => (s[collection] ?? []) as PictureList<unknown>),
      );
    return merged as unknown as DataPlaneSnapshot;
  }

  private collection(collection: SnapshotCollection, lists: ReadonlyArray<PictureList<unknown>>): PictureList<unknown> {
    const filled = lists.filter((list) => list.length > 0);
    if (filled.length <= 1) {
      this.kept.delete(collection);
      return filled[0] ?? lists[0] ?? [];
    }
    const keyOf = SNAPSHOT_KEYS[collection] as (entity: unknown) => string;
    const kept = this.kept.get(collection);
    const next = kept && kept.seen.length === lists.length ? this.bringUp(kept, lists, keyOf) : undefined;
    if (next) return next;
    const started = start(lists, keyOf);
    if (!started) {
      this.kept.delete(collection);
      return lists.flatMap((list) => [...list]);
    }
    this.kept.set(collection, started);
    return started.merged.list;
  }

  /** The merged list with what each source changed since it was seen put in; undefined when a key turns up in two sources. */
  private bringUp(kept: MergedCollection, lists: ReadonlyArray<PictureList<unknown>>, keyOf: (entity: unknown) => string): PictureList<unknown> | undefined {
    const set = new Map<string, unknown>();
    const remove = new Set<string>();
    const elsewhere = (key: string, source: number) => kept.bySource.some((entities, i) => i !== source && entities.has(key) && !remove.has(key));
    const put = (key: string, entity: unknown, source: number): boolean => {
      if (elsewhere(key, source)) return false;
      kept.bySource[source]!.set(key, entity);
      set.set(key, entity);
      remove.delete(key);
      return true;
    };
    const take = (key: string, source: number): void => {
      kept.bySource[source]!.delete(key);
      set.delete(key);
      remove.add(key);
    };
    for (let source = 0; source < lists.length; source++) {
      const list = lists[source]!;
      if (list === kept.seen[source]) continue;
      const mine = kept.bySource[source]!;
      const edits = listEditsSince(list, kept.seen[source]);
      if (edits) {
        for (const edit of edits) {
          for (const entity of edit.removed ?? []) take(keyOf(entity), source);
          for (const entity of [...edit.changed, ...edit.added]) if (!put(keyOf(entity), entity, source)) return undefined;
        }
      } else {
        const present = new Set<string>();
        for (const entity of list) {
          const key = keyOf(entity);
          if (present.has(key)) return undefined;
          present.add(key);
          if (mine.get(key) !== entity && !put(key, entity, source)) return undefined;
        }
        for (const key of [...mine.keys()]) if (!present.has(key)) take(key, source);
      }
      kept.seen[source] = list;
    }
    return kept.merged.apply(set, remove);
  }
}

/** A merged collection made from the lists concatenated; undefined when a key repeats. */
function start(lists: ReadonlyArray<PictureList<unknown>>, keyOf: (entity: unknown) => string): MergedCollection | undefined {
  const all = new Map<string, unknown>();
  const bySource = lists.map((list) => {
    const entities = new Map<string, unknown>();
    for (const entity of list) entities.set(keyOf(entity), entity);
    return entities;
  });
  for (const entities of bySource) for (const [key, entity] of entities) all.set(key, entity);
  if (all.size !== lists.reduce((n, list) => n + list.length, 0)) return undefined;
  const merged = new KeyedList<unknown>();
  merged.reset(all);
  return { seen: [...lists], bySource, merged };
}
