/**
 * A small read-through cache for hot reads (the endpoint-service GET clients poll). An entry is
 * used only while this process has written none of the tables the cache reads since it was read
 * (`writes`: a generation scoped to those tables, see store/write-generation.ts) and for at most `ttlMs`, which bounds how stale a read can be after
 * another replica's write on a shared PostgreSQL. On PGlite there is no other writer.
 */
export class ReadCache {
  private readonly entries = new Map<string, { generation: number; until: number; value: unknown }>();

  constructor(
    private readonly writes: { readonly value: number },
    private readonly ttlMs = 1000,
    private readonly maxEntries = 10_000,
  ) {}

  async get<T>(key: string, load: () => Promise<T>): Promise<T> {
    const now = Date.now();
    const generation = this.writes.value;
    const hit = this.entries.get(key);
    if (hit && hit.generation === generation && hit.until > now) return hit.value as T;
    const value = await load();
    // Keep it only if nothing was written while it was read.
    if (this.writes.value === generation) {
      if (this.entries.size >= this.maxEntries) this.entries.clear();
      this.entries.set(key, { generation, until: now + this.ttlMs, value });
    }
    return value;
  }
}
