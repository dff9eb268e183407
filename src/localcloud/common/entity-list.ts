import { noteListEdit } from './data-plane-snapshot.js';
import { ChunkedList } from './picture-list.js';

/**
 * One collection of a data-plane picture as a list in its rows' order (`seq`), brought up to date
 * after some of its entities were built again: when those only changed in place or are new rows
 * after every other (the common case: a state changed, a resource was made), the new list is the
 * old one with them put in, sharing every chunk they do not touch (picture-list.ts), and the edit
 * is noted beside it (`noteListEdit`) so the differ looks at those alone. A removed entity, a row made again (a new `seq`) or a row out of order
 * rebuilds the list from the rows. Lists are never changed once handed out.
 */
export class EntityList<T> {
  private current = ChunkedList.from<T>([]);
  private readonly position = new Map<string, number>();
  private readonly seqs = new Map<string, number | null>();
  private lastSeq = -Infinity;

  get list(): ChunkedList<T> {
    return this.current;
  }

  /**
   * Takes in the entities of `keys` as they are now in `entities` (absent: removed); `rows` are the
   * collection's rows in order, each with an entity. Returns whether the list changed.
   */
  update(rows: ReadonlyMap<string, { readonly seq: number | null }>, entities: ReadonlyMap<string, T>, keys: Iterable<string>): boolean {
    const changed: Array<readonly [number, T]> = [];
    const added: Array<{ key: string; seq: number; entity: T }> = [];
    for (const key of keys) {
      const at = this.position.get(key);
      const entity = entities.get(key);
      const seq = rows.get(key)?.seq ?? null;
      if (at === undefined) {
        // Not listed and not a row here: an entity of another list, or one removed before it was listed.
        if (entity === undefined || !rows.has(key)) continue;
        if (seq === null || seq <= this.lastSeq) return this.rebuild(rows, entities);
        added.push({ key, seq, entity });
      } else if (entity === undefined || seq !== this.seqs.get(key)) {
        return this.rebuild(rows, entities);
      } else if (this.current.at(at) !== entity) {
        changed.push([at, entity]);
      }
    }
    if (changed.length === 0 && added.length === 0) return false;
    added.sort((a, b) => a.seq - b.seq);
    added.forEach(({ key, seq }, i) => {
      this.position.set(key, this.current.length + i);
      this.seqs.set(key, seq);
    });
    const next = this.current.with(
      changed,
      added.map((a) => a.entity),
    );
    if (added.length > 0) this.lastSeq = added[added.length - 1]!.seq;
    noteListEdit(next, {
      from: new WeakRef(this.current),
      changed: changed.map(([, entity]) => entity),
      replaced: changed.map(([at]) => this.current.at(at)),
      added: added.map((a) => a.entity),
    });
    this.current = next;
    return true;
  }

  /** The list made again from every row. */
  rebuild(rows: ReadonlyMap<string, { readonly seq: number | null }>, entities: ReadonlyMap<string, T>): true {
    const next: T[] = [];
    this.position.clear();
    this.seqs.clear();
    this.lastSeq = -Infinity;
    for (const [key, row] of rows) {
      const entity = entities.get(key);
      if (entity === undefined) continue;
      this.position.set(key, next.length);
      this.seqs.set(key, row.seq);
      if (row.seq !== null && row.seq > this.lastSeq) this.lastSeq = row.seq;
      next.push(entity);
    }
    this.current = ChunkedList.from(next);
    return true;
  }
}
