import type { DataPlaneSnapshot } from '../common/data-plane-snapshot.js';
import type { LoopbackRange } from '../common/loopback.js';
import { SnapshotAssembly } from './snapshot.js';
import { PICTURE_TABLES, PictureRowsRepository, type PictureInputs, type PictureRows, type PictureTableName, type ReadRow } from './store/picture-rows.repository.js';
import type { LcExecutor } from './store/schema.js';
import { parseZonesDown, ZONES_DOWN } from './zone-outages.js';

/**
 * The AWS emulation's data-plane picture, followed change by change: the first read takes every
 * row of the picture's tables; each later one reads, in one statement, the changes noted since
 * (lc_dataplane_changes, numbered in commit order by a trigger on each table) and then only the
 * rows they name, and patches its copy. A read whose last change was pruned from the log reads
 * everything again. Rows keep the full read's order (a row read again with a new `seq` moves to
 * the end, as a new row would). The picture is assembled from the copy (snapshot.ts) by rebuilding
 * only the entities the changed rows feed, so it equals a whole read of the same committed state;
 * every other entity is the same object as in the last picture, which the data plane's differ skips.
 *
 * `read` takes the read-only executor of one consistent (repeatable-read) transaction; the copy
 * changes only once every query of the read succeeded. Reads are serialised.
 */
export class FollowedPicture {
  /** The last change applied; undefined until the first whole read. */
  private cursor: number | undefined;
  private readonly rows = new Map<PictureTableName, Map<string, ReadRow<unknown>> | Map<string, unknown[]>>();
  private queue: Promise<unknown> = Promise.resolve();
  /** The picture built from the copy, change by change; made at the first read. */
  private assembly: SnapshotAssembly | undefined;
  /** The impaired zones as last read, kept as the same object while the setting is the same. */
  private down: { raw: string | undefined; zones: ReadonlySet<string> } = { raw: undefined, zones: new Set() };

  /** Reads what changed (everything the first time) in `inTransaction`'s transaction and returns the picture at `now`. */
  read(inTransaction: <T>(work: (db: LcExecutor) => Promise<T>) => Promise<T>, now: () => Date, range: LoopbackRange): Promise<DataPlaneSnapshot>;
  /**
   * The same, unless the read's first query finds a lazy step due at `now`: then nothing more is
   * read, the copy is left as it was, and the answer is `'due'` (the caller applies the step and
   * reads again).
   */
  read(inTransaction: <T>(work: (db: LcExecutor) => Promise<T>) => Promise<T>, now: () => Date, range: LoopbackRange, unlessDue: true): Promise<DataPlaneSnapshot | 'due'>;
  read(inTransaction: <T>(work: (db: LcExecutor) => Promise<T>) => Promise<T>, now: () => Date, range: LoopbackRange, unlessDue = false): Promise<DataPlaneSnapshot | 'due'> {
    const run = this.queue.then(() => this.pass(inTransaction, now, range, unlessDue));
    this.queue = run.catch(() => undefined);
    return run;
  }

  /** Forgets the copy: the next read reads everything. */
  reset(): void {
    this.cursor = undefined;
    this.rows.clear();
    this.assembly = undefined;
  }

  private async pass(
    inTransaction: <T>(work: (db: LcExecutor) => Promise<T>) => Promise<T>,
    now: () => Date,
    range: LoopbackRange,
    unlessDue: boolean,
  ): Promise<DataPlaneSnapshot | 'due'> {
    const read = await inTransaction(async (db) => {
      const repo = new PictureRowsRepository(db);
      const inputs = await repo.inputs(this.cursor, [ZONES_DOWN]);
      if (unlessDue && inputs.firstDueAt && inputs.firstDueAt.getTime() <= now().getTime()) return 'due' as const;
      const whole = this.cursor === undefined || inputs.prunedThrough > this.cursor;
      const tables = new Map<PictureTableName, { keys: readonly string[] | undefined; rows: Array<ReadRow<unknown>> }>();
      if (whole) {
        for (const name of Object.keys(PICTURE_TABLES) as PictureTableName[]) tables.set(name, { keys: undefined, rows: await repo.rows(name) });
      } else {
        for (const [name, keys] of changedKeys(inputs)) tables.set(name, { keys, rows: await repo.rows(name, keys) });
      }
      return { inputs, whole, tables };
    });
    if (read === 'due') return read;
    if (read.whole) this.rows.clear();
    for (const [name, { keys, rows }] of read.tables) this.patch(name, keys, rows);
    this.cursor = read.inputs.newest;
    const raw = read.inputs.settings.get(ZONES_DOWN);
    if (raw !== this.down.raw) this.down = { raw, zones: parseZonesDown(raw) };
    // A whole read (`'all'`) starts the assembly over.
    this.assembly ??= new SnapshotAssembly(range);
    const changes = read.whole ? 'all' : new Map(Array.from(read.tables, ([name, { keys }]) => [name, keys ?? []]));
    return this.assembly.update(this.view(), changes, { down: this.down.zones, nextTransitionAt: read.inputs.firstDueAt }, now());
  }

  /** Replaces the rows of `keys` (every row when undefined) with `rows`. */
  private patch(name: PictureTableName, keys: readonly string[] | undefined, rows: Array<ReadRow<unknown>>): void {
    if (PICTURE_TABLES[name].grouped) {
      const groups = keys === undefined ? new Map<string, unknown[]>() : ((this.rows.get(name) as Map<string, unknown[]> | undefined) ?? new Map<string, unknown[]>());
      for (const key of keys ?? []) groups.delete(key);
      for (const row of rows) {
        const group = groups.get(row.key);
        if (group) group.push(row.value);
        else groups.set(row.key, [row.value]);
      }
      this.rows.set(name, groups);
      return;
    }
    const kept =
      keys === undefined ? new Map<string, ReadRow<unknown>>() : ((this.rows.get(name) as Map<string, ReadRow<unknown>> | undefined) ?? new Map<string, ReadRow<unknown>>());
    const found = new Set<string>();
    for (const row of rows) {
      found.add(row.key);
      const before = kept.get(row.key);
      // Same seq: the same row changed, it keeps its place. Else it is new (or made again): it goes last, as seq orders it.
      if (before && before.seq !== row.seq) kept.delete(row.key);
      kept.set(row.key, row);
    }
    for (const key of keys ?? []) if (!found.has(key)) kept.delete(key);
    this.rows.set(name, kept);
  }

  private view(): PictureRows {
    const empty = new Map<string, never>();
    const table = (name: PictureTableName) => this.rows.get(name) ?? empty;
    return Object.fromEntries((Object.keys(PICTURE_TABLES) as PictureTableName[]).map((name) => [name, table(name)])) as unknown as PictureRows;
  }
}

/** The keys each picture table's noted changes name, without repeats. */
function changedKeys(inputs: PictureInputs): Map<PictureTableName, string[]> {
  const nameOf = new Map(Object.entries(PICTURE_TABLES).map(([name, spec]) => [spec.table, name as PictureTableName]));
  const keys = new Map<PictureTableName, Set<string>>();
  for (const [table, key] of inputs.changes) {
    const name = nameOf.get(table);
    if (!name) continue;
    const set = keys.get(name);
    if (set) set.add(key);
    else keys.set(name, new Set([key]));
  }
  return new Map(Array.from(keys, ([name, set]) => [name, [...set]]));
}
