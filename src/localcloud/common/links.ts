/**
 * Links from keys to keys, readable both ways: `set(from, to)` replaces what `from` links to,
 * `to(from)` and `from(to)` answer in constant time. Used to find, when one row changes, the
 * entities built from it without walking every row.
 */
export class Links {
  private readonly forward = new Map<string, readonly string[]>();
  private readonly backward = new Map<string, Set<string>>();

  /** Makes `from` link to `to` (nothing when empty), replacing what it linked to before. */
  set(from: string, to: readonly string[]): void {
    for (const old of this.forward.get(from) ?? []) {
      const back = this.backward.get(old);
      back?.delete(from);
      if (back?.size === 0) this.backward.delete(old);
    }
    if (to.length === 0) {
      this.forward.delete(from);
      return;
    }
    this.forward.set(from, to);
    for (const target of to) {
      const back = this.backward.get(target);
      if (back) back.add(from);
      else this.backward.set(target, new Set([from]));
    }
  }

  /** What `from` links to. */
  to(from: string): readonly string[] {
    return this.forward.get(from) ?? [];
  }

  /** What links to `to`. */
  from(to: string): ReadonlySet<string> {
    return this.backward.get(to) ?? EMPTY;
  }

  clear(): void {
    this.forward.clear();
    this.backward.clear();
  }
}

const EMPTY: ReadonlySet<string> = new Set();
