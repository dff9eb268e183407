import { KeyedList } from './keyed-list.js';
import type { PictureList } from './picture-list.js';

/**
 * One collection of a data-plane picture as a list in its rows' order (`seq`), brought up to date
 * after some of its entities were built again: when those only changed in place or are new rows
 * after every other (the common case: a state changed, a resource was made), the new list is the
 * old one with them put in (keyed-list.ts: it shares every chunk they do not touch and notes the
 * edit beside it, so the differ looks at those alone). A removed entity, a row made again (a new
 * `seq`) or a row out of order rebuilds the list from the rows. Lists are never changed once handed out.
 */
export class EntityList<T> {
  private readonly keyed = new KeyedList<T>();
  private readonly seqs = new Map<string, number | null>();
  private lastSeq = -Infinity;

  get list(): PictureList<T> {
    return this.keyed.list;
  }

  /**
   * Takes in the entities of `keys` as they are now in `entities` (absent: removed); `rows` are the
   * collection's rows in order, each with an entity. Returns whether the list changed.
   */
  update(rows: ReadonlyMap<string, { readonly seq: number | null }>, entities: ReadonlyMap<string, T>, keys: Iterable<string>): boolean {
    const set: Array<readonly [string, T]> = [];
    const added: Array<{ key: string; seq: number; entity: T }> = [];
    for (const key of keys) {
      const listed = this.keyed.get(key);
      const entity = entities.get(key);
      const seq = rows.get(key)?.seq ?? null;
      if (listed === undefined) {
        // Not listed and not a row here: an entity of another list, or one removed before it was listed.
        if (entity === undefined || !rows.has(key)) continue;
        if (seq === null || seq <= this.lastSeq) return this.rebuild(rows, entities);
        added.push({ key, seq, entity });
      } else if (entity === undefined || seq !== this.seqs.get(key)) {
        return this.rebuild(rows, entities);
      } else if (listed !== entity) {
        set.push([key, entity]);
      }
    }
    if (set.length === 0 && added.length === 0) return false;
    added.sort((a, b) => a.seq - b.seq);
    for (const { key, seq, entity } of added) {
      this.seqs.set(key, seq);
      set.push([key, entity]);
    }
    if (added.length > 0) this.lastSeq = added[added.length - 1]!.seq;
    this.keyed.apply(set, []);
    return true;
  }

  /** The list made again from every row. */
  rebuild(rows: ReadonlyMap<string, { readonly seq: number | null }>, entities: ReadonlyMap<string, T>): true {
    const listed: Array<readonly [string, T]> = [];
    this.seqs.clear();
    this.lastSeq = -Infinity;
    for (const [key, row] of rows) {
      const entity = entities.get(key);
      if (entity === undefined) continue;
      this.seqs.set(key, row.seq);
      if (row.seq !== null && row.seq > this.lastSeq) this.lastSeq = row.seq;
      listed.push([key, entity]);
    }
    this.keyed.reset(listed);
    return true;
  }
}
