/**
 * Notices a worker thread whose event loop is stuck (one long synchronous task). Every
 * `intervalMs` it calls `ping()` (the worker answers when its loop turns, and the answer calls
 * `alive()`); when nothing was heard for `stallMs`, it calls `onStall` once and stops. A tick that
 * comes late because this thread was itself busy is not held against the worker.
 */
export class WorkerWatchdog {
  private timer: NodeJS.Timeout | undefined;
  private heardAt = 0;
  private tickAt = 0;

  constructor(
    private readonly options: {
      readonly intervalMs: number;
      readonly stallMs: number;
      ping(): void;
      onStall(silentMs: number): void;
    },
  ) {}

  start(): void {
    this.stop();
    this.heardAt = this.tickAt = Date.now();
    this.timer = setInterval(() => this.tick(), this.options.intervalMs);
    this.timer.unref();
  }

  /** The worker answered (or posted anything). */
  alive(): void {
    this.heardAt = Date.now();
  }

  stop(): void {
    clearInterval(this.timer);
    this.timer = undefined;
  }

  private tick(): void {
    const now = Date.now();
    if (now - this.tickAt > 2 * this.options.intervalMs) this.heardAt = now; // this thread was busy: start over
    this.tickAt = now;
    const silent = now - this.heardAt;
    if (silent > this.options.stallMs) {
      this.stop();
      this.options.onStall(silent);
      return;
    }
    this.options.ping();
  }
}
