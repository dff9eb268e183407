/**
 * One collection of a data-plane picture, read by iteration, `length`, `at()` and the array's
 * reading methods below (each answers a new array where an array's would). A plain array is one
 * (emulators with small pictures, tests); a `ChunkedList` is the other (sources that follow
 * changes), which makes the next list from the last one by copying only what a change touches.
 * Never changed once handed out: a reader may keep a list and find it as it was.
 */
export interface PictureList<T> extends Iterable<T> {
  readonly length: number;
  /** The item at `index` (negative: from the end), or undefined outside the list. */
  at(index: number): T | undefined;
  map<U>(fn: (item: T, index: number) => U): U[];
  flatMap<U>(fn: (item: T, index: number) => U | readonly U[]): U[];
  filter<S extends T>(fn: (item: T, index: number) => item is S): S[];
  filter(fn: (item: T, index: number) => unknown): T[];
  find<S extends T>(fn: (item: T, index: number) => item is S): S | undefined;
  find(fn: (item: T, index: number) => unknown): T | undefined;
  some(fn: (item: T, index: number) => unknown): boolean;
  every(fn: (item: T, index: number) => unknown): boolean;
}

/** Items per chunk: a change copies one chunk of this many and the list of chunks (length / this). */
const CHUNK_BITS = 7;
const CHUNK = 1 << CHUNK_BITS;
const OFFSET = CHUNK - 1;

/**
 * A list kept as chunks of 128 items that successive lists share: `with` makes the next list by
 * copying the chunks a change touches and the array of chunk references, so a change to one item
 * of 30,000 copies 128 items and 235 references instead of 30,000 (a copy that large is also
 * allocated outside V8's young generation, where only a full collection frees it). Immutable.
 * `toJSON` answers a plain array, so `JSON.stringify` reads it as one; the structured clone does
 * not keep its class: post `toArray()` to another thread.
 */
export class ChunkedList<T> implements PictureList<T> {
  private constructor(
    private readonly chunks: ReadonlyArray<readonly T[]>,
    readonly length: number,
  ) {}

  /** The items in order. */
  static from<T>(items: Iterable<T>): ChunkedList<T> {
    const chunks: T[][] = [];
    let chunk: T[] = [];
    let length = 0;
    for (const item of items) {
      if (chunk.length === CHUNK) {
        chunks.push(chunk);
        chunk = [];
      }
      chunk.push(item);
      length++;
    }
    if (chunk.length > 0) chunks.push(chunk);
    return new ChunkedList(chunks, length);
  }

  at(index: number): T | undefined {
    const at = index < 0 ? index + this.length : index;
    if (!(at >= 0 && at < this.length)) return undefined;
    return this.chunks[at >> CHUNK_BITS]![at & OFFSET];
  }

  *[Symbol.iterator](): Iterator<T> {
    for (const chunk of this.chunks) yield* chunk;
  }

  /**
   * This list with each `[index, item]` of `changed` in place of the item at that index (indexes
   * within the list) and `appended` after the rest. Shares every chunk neither touches.
   */
  with(changed: Iterable<readonly [number, T]>, appended: readonly T[] = []): ChunkedList<T> {
    const chunks = this.chunks.slice();
    const copied = new Set<number>();
    const writable = (c: number): T[] => {
      if (!copied.has(c)) {
        copied.add(c);
        chunks[c] = chunks[c]!.slice();
      }
      return chunks[c] as T[];
    };
    for (const [index, item] of changed) {
      if (!(Number.isInteger(index) && index >= 0 && index < this.length)) throw new RangeError(`index ${index} is outside the list (length ${this.length})`);
      writable(index >> CHUNK_BITS)[index & OFFSET] = item;
    }
    let length = this.length;
    for (const item of appended) {
      const c = length >> CHUNK_BITS;
      if (c === chunks.length) {
        chunks.push([]);
        copied.add(c);
      }
      writable(c).push(item);
      length++;
    }
    return new ChunkedList(chunks, length);
  }

  map<U>(fn: (item: T, index: number) => U): U[] {
    const out: U[] = [];
    let i = 0;
    for (const item of this) out.push(fn(item, i++));
    return out;
  }

  flatMap<U>(fn: (item: T, index: number) => U | readonly U[]): U[] {
    return this.toArray().flatMap(fn);
  }

  filter<S extends T>(fn: (item: T, index: number) => item is S): S[];
  filter(fn: (item: T, index: number) => unknown): T[];
  filter(fn: (item: T, index: number) => unknown): T[] {
    const out: T[] = [];
    let i = 0;
    for (const item of this) if (fn(item, i++)) out.push(item);
    return out;
  }

  find<S extends T>(fn: (item: T, index: number) => item is S): S | undefined;
  find(fn: (item: T, index: number) => unknown): T | undefined;
  find(fn: (item: T, index: number) => unknown): T | undefined {
    let i = 0;
    for (const item of this) if (fn(item, i++)) return item;
    return undefined;
  }

  some(fn: (item: T, index: number) => unknown): boolean {
    return this.findIndex(fn) >= 0;
  }

  every(fn: (item: T, index: number) => unknown): boolean {
    return this.findIndex((item, index) => !fn(item, index)) < 0;
  }

  /** The index of the first item `fn` accepts, or -1. */
  findIndex(fn: (item: T, index: number) => unknown): number {
    let i = 0;
    for (const item of this) {
      if (fn(item, i)) return i;
      i++;
    }
    return -1;
  }

  /** The items as a new array. */
  toArray(): T[] {
    return this.chunks.flat() as T[];
  }

  toJSON(): T[] {
    return this.toArray();
  }
}

/** The list as a plain array: itself when it is one (it is never changed), else a copy. */
export function asArray<T>(list: PictureList<T>): readonly T[] {
  return Array.isArray(list) ? (list as readonly T[]) : [...list];
}
