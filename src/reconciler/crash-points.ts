/** Test-only: holds a pass at a named point until the promise settles (see CrashPoints.hold). */
export type HoldPoint = (point: string, key: string) => Promise<void>;

/**
 * Test-only crash injection: `PRIVLINK_TEST_CRASH_AT=name[:n]` makes the process SIGKILL itself
 * the n-th time (default first) it reaches crash point `name` — e.g. right after a provider call
 * and before its result is committed — so the crash tests can prove nothing leaks or doubles.
 * An in-process test may also hold a pass at a point (`hold`), to interleave two passes exactly.
 */
export class CrashPoints {
  private readonly name: string | undefined;
  private remaining: number;

  constructor(
    spec: string | null,
    private readonly holdAt?: HoldPoint,
  ) {
    const [name, count] = (spec ?? '').split(':');
    this.name = name || undefined;
    this.remaining = count ? Number(count) : 1;
  }

  /** Call at a named point of the pass of `key`; resolves at once unless a test holds the pass there. */
  async hold(point: string, key: string): Promise<void> {
    if (this.holdAt) await this.holdAt(point, key);
  }

  /** Call at a named point; kills the process when configured to. */
  reach(name: string): void {
    if (this.name !== name) return;
    this.remaining -= 1;
    if (this.remaining <= 0) {
      process.stderr.write(`privlink: crash point ${name} reached, SIGKILL (test injection)\n`);
      process.kill(process.pid, 'SIGKILL');
    }
  }
}
