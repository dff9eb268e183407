/**
 * A small read-through cache for hot reads (the endpoint-service GET clients poll). An entry is
 * used only while this process has written none of the tables the cache reads since it was read
 * (`writes`: a generation scoped to those tables, see store/write-generation.ts) and for at most `ttlMs`, which bounds how stale a read can be after
 * another replica's write on a shared PostgreSQL. On PGlite there is no other writer.
 */
export class ReadCache {
  /** Each entry holds its value as a settled promise, handed out as is on every hit. */
  private readonly entries = new Map<string, { generation: number; until: number; value: Promise<unknown> }>();

  constructor(
    private readonly writes: { readonly value: number },
    private readonly ttlMs = 1000,
    private readonly maxEntries = 10_000,
  ) {}

  /**
   * The cached value of `key`, else `load()`'s (kept when nothing was written while it ran; a
   * failed load is not kept). Not an async function: a hit returns the entry's settled promise
   * instead of making a new one on every request.
   */
  get<T>(key: string, load: () => Promise<T>): Promise<T> {
    const now = Date.now();
    const generation = this.writes.value;
    const hit = this.entries.get(key);
    if (hit && hit.generation === generation && hit.until > now) return hit.value as Promise<T>;
    return this.fill(key, load, now, generation);
  }

  private async fill<T>(key: string, load: () => Promise<T>, now: number, generation: number): Promise<T> {
    const value = await load();
    // Keep it only if nothing was written while it was read.
    if (this.writes.value === generation) {
      if (this.entries.size >= this.maxEntries) this.entries.clear();
      this.entries.set(key, { generation, until: now + this.ttlMs, value: Promise.resolve(value) });
    }
    return value;
  }
}
