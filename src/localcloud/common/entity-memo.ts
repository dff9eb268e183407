/**
 * Entities kept from the last build of a picture, reused while what each was built from is the
 * very same objects: `get(key, deps, build)` returns the entity kept under `key` when its `deps`
 * are, element by element, identical (`Object.is`) to those it was built from, else builds it anew.
 * A picture built change by change from rows that keep their identity while unchanged thus keeps
 * every unchanged entity's identity too, and whoever compares two pictures can skip those.
 *
 * Contract: `deps` must hold everything `build` reads that can change (rows, groups of rows,
 * settings); `sweep()` after each build drops the entries that build did not ask for. The result
 * of a build with a memo equals that of a build without one.
 */
export class EntityMemo {
  private readonly kept = new Map<string, { deps: readonly unknown[]; entity: unknown; build: number }>();
  private builds = 0;

  /** Starts a build (entries this build does not ask for are dropped by `sweep`). */
  begin(): void {
    this.builds++;
  }

  get<T>(key: string, deps: readonly unknown[], build: () => T): T {
    const kept = this.kept.get(key);
    if (kept && sameDeps(kept.deps, deps)) {
      kept.build = this.builds;
      return kept.entity as T;
    }
    const entity = build();
    this.kept.set(key, { deps, entity, build: this.builds });
    return entity;
  }

  /** Drops what the current build did not ask for. */
  sweep(): void {
    for (const [key, kept] of this.kept) if (kept.build !== this.builds) this.kept.delete(key);
  }
}

function sameDeps(a: readonly unknown[], b: readonly unknown[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (!Object.is(a[i], b[i])) return false;
  return true;
}
