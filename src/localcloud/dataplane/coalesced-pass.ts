/**
 * Runs a pass one at a time, coalescing calls: a call while a pass runs asks for exactly one more
 * pass after it, however many calls came meanwhile. With `minGapMs`, a pass starts no sooner than
 * that after the previous one started (calls meanwhile still make one pass). A failed pass is
 * reported and does not stop later ones. After `stop()`, calls do nothing and no further pass
 * starts (a pass waiting for its gap does not run).
 */
export class CoalescedPass {
  private running: Promise<void> | undefined;
  private again = false;
  private stopped = false;
  private lastStart = Number.NEGATIVE_INFINITY;
  private gap: { timer: NodeJS.Timeout; resolve: () => void } | undefined;

  constructor(
    private readonly pass: () => Promise<void>,
    private readonly onError: (error: Error) => void,
    private readonly minGapMs = 0,
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
        const wait = this.lastStart + this.minGapMs - Date.now();
        if (wait > 0) {
          await this.waitForGap(wait);
          if (this.stopped) break;
        }
        this.again = false;
        this.lastStart = Date.now();
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
    if (this.gap) {
      clearTimeout(this.gap.timer);
      this.gap.resolve();
    }
    await this.running;
  }

  private waitForGap(wait: number): Promise<void> {
    return new Promise<void>((resolve) => {
      const timer = setTimeout(() => {
        this.gap = undefined;
        resolve();
      }, wait);
      this.gap = { timer, resolve };
    });
  }
}
