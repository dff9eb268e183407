/**
 * When an emulator's first lazy transition falls due, as far as it knows, so that most requests
 * skip even the query that asks. Contract: read and written only under the emulator's lock;
 * `forget()` before the lock is released by anything that may have made a transition due sooner
 * than the time remembered (a request that changes the cloud, transitions advanced, another
 * process's committed change as soon as its notification arrives). A request asks the store again
 * once the time remembered has come or after a `forget()`.
 */
export class DueMemory {
  private firstDueAt: number | undefined;

  /** Whether this emulator knows that nothing is due at `now`, without asking the store. */
  knowsNothingDue(now: Date): boolean {
    return this.firstDueAt !== undefined && now.getTime() < this.firstDueAt;
  }

  /**
   * Takes the store's answer (when the first transition falls due; null or undefined: none) and
   * says whether something is due at `now`. When it is, the caller advances, which may schedule
   * follow-up transitions: the store is asked again next time.
   */
  heard(first: Date | null | undefined, now: Date): boolean {
    if (!first || first.getTime() > now.getTime()) {
      this.firstDueAt = first?.getTime() ?? Number.POSITIVE_INFINITY;
      return false;
    }
    this.firstDueAt = undefined;
    return true;
  }

  forget(): void {
    this.firstDueAt = undefined;
  }
}
