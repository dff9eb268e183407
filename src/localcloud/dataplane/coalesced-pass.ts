/**
 * Runs a pass one at a time, coalescing calls: a call while a pass runs asks for exactly one more
 * pass after it, however many calls came meanwhile. A failed pass is reported and does not stop
 * later ones. After `stop()`, calls do nothing and no further pass starts.
 */
export class CoalescedPass {
  private running: Promise<void> | undefined;
  private again = false;
  private stopped = false;

  constructor(
    private readonly pass: () => Promise<void>,
    private readonly onError: (error: Error) => void,
  ) {}

  /** Whether `stop()` was called. */
  get isStopped(): boolean {
    return this.stopped;
  }

  /** Runs the pass now, or once more after the one running; resolves when that has run. */
  run(): Promise<void> {
    if (this.stopped) return Promise.resolve();
    if (this.running) {
      this.again = true;
      return this.running;
    }
    this.running = (async () => {
      do {
        this.again = false;
        try {
          await this.pass();
        } catch (error) {
          this.onError(error as Error);
        }
      } while (this.again && !this.stopped);
    })().finally(() => {
      this.running = undefined;
    });
    return this.running;
  }

  /** Stops further passes and waits for the one running. */
  async stop(): Promise<void> {
    this.stopped = true;
    await this.running;
  }
}
