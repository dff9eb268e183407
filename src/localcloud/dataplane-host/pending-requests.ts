/**
 * The open requests of one side of a message channel: each gets a fresh numeric id, and is
 * settled by the answer carrying that id, by its timeout, or by `rejectAll` (the other side is
 * gone). An answer for an unknown id (late, after a timeout) is ignored.
 */
export class PendingRequests<T> {
  private readonly open = new Map<number, { resolve(value: T): void; reject(error: Error): void; timer: NodeJS.Timeout | undefined }>();
  private nextId = 1;

  /** Opens a request; `send(id)` posts it. Rejects after `timeoutMs` when given. */
  request(send: (id: number) => void, timeoutMs?: number): Promise<T> {
    const id = this.nextId++;
    return new Promise<T>((resolve, reject) => {
      const timer =
        timeoutMs === undefined
          ? undefined
          : setTimeout(() => {
              this.open.delete(id);
              reject(new Error(`no answer in ${timeoutMs} ms`));
            }, timeoutMs);
      timer?.unref();
      this.open.set(id, { resolve, reject, timer });
      try {
        send(id);
      } catch (error) {
        this.settle(id, { ok: false, error: (error as Error).message });
      }
    });
  }

  /** Settles request `id` with an answer (ignored when the request is no longer open). */
  settle(id: number, answer: { ok: true; value: T } | { ok: false; error: string }): void {
    const entry = this.open.get(id);
    if (!entry) return;
    this.open.delete(id);
    clearTimeout(entry.timer);
    if (answer.ok) entry.resolve(answer.value);
    else entry.reject(new Error(answer.error));
  }

  /** Rejects every open request with `error`. */
  rejectAll(error: Error): void {
    const entries = [...this.open.values()];
    this.open.clear();
    for (const entry of entries) {
      clearTimeout(entry.timer);
      entry.reject(error);
    }
  }

  get size(): number {
    return this.open.size;
  }
}
