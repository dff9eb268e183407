/**
 * Runs the data plane's store lookups on the main thread a few at a time (one, for database users), each started in a
 * macrotask of its own (`setImmediate`). On PGlite every statement runs on the main thread and
 * queued statements follow one another in microtasks: 64 lookups asked at once (a flood of
 * logins with unknown usernames) ran as one uninterrupted chain of about 200 statements, and the
 * Admin API waited for all of them. With at most `concurrency` lookups under way, the longest
 * chain is a few statements, and the event loop serves I/O between them.
 *
 * Contract: `run(task)` settles as `task()` does; at most `concurrency` tasks run at once; tasks
 * start in the order they were asked for.
 */
export class MainThreadTurns {
  private running = 0;
  private readonly waiting: Array<() => void> = [];

  constructor(private readonly concurrency: number) {}

  async run<T>(task: () => Promise<T>): Promise<T> {
    await new Promise<void>((start) => {
      if (this.running < this.concurrency) {
        this.running++;
        setImmediate(start);
      } else {
        this.waiting.push(start);
      }
    });
    try {
      return await task();
    } finally {
      const next = this.waiting.shift();
      if (next) setImmediate(next);
      else this.running--;
    }
  }
}
