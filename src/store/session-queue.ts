import type { Answering } from '../observability/request-context.js';

/** Ranks, first served first: a GET's reads (0), other Admin API requests' writes (1), background work (2). */
const RANKS = 3;

/** The rank of work by how an Admin API caller waits for it (undefined: nobody does, it is background work). */
export function rankOf(how: Answering | undefined): number {
  return how === 'read' ? 0 : how === 'write' ? 1 : 2;
}

/** Hand-overs in a row that may pass over waiting work of a later rank before the longest-waiting holder goes. */
export const FAIRNESS = 8;

/**
 * One holder at a time of a single session (the embedded store's), handed over by rank, then in
 * arrival order within a rank: a caller reading waits for the one holder, not for a backlog of
 * background transactions. After `FAIRNESS` hand-overs in a row that passed over waiting work of
 * a later rank, the longest-waiting holder of any rank goes next, so background work keeps moving
 * under any stream of API calls.
 */
export class SessionQueue {
  private held = false;
  private readonly waiting: Array<Array<{ readonly arrived: number; readonly go: () => void }>> = Array.from({ length: RANKS }, () => []);
  private arrivals = 0;
  private passedOver = 0;

  /** Resolves when the caller holds the session; `rank` from `rankOf`. */
  acquire(rank: number): Promise<void> {
    if (!this.held) {
      this.held = true;
      return Promise.resolve();
    }
    // Handed over by `release`, which leaves `held` true.
    return new Promise<void>((go) => this.waiting[rank]!.push({ arrived: this.arrivals++, go }));
  }

  /** The holder is done: the next waiter holds the session, or it is free. */
  release(): void {
    let first = -1;
    let oldestLater = -1;
    for (let rank = 0; rank < RANKS; rank++) {
      const queue = this.waiting[rank]!;
      if (queue.length === 0) continue;
      if (first === -1) first = rank;
      else if (oldestLater === -1 || queue[0]!.arrived < this.waiting[oldestLater]![0]!.arrived) oldestLater = rank;
    }
    if (first === -1) {
      this.held = false;
      this.passedOver = 0;
      return;
    }
    let next = first;
    if (oldestLater === -1) this.passedOver = 0;
    else if (this.passedOver < FAIRNESS) this.passedOver += 1;
    else {
      this.passedOver = 0;
      if (this.waiting[oldestLater]![0]!.arrived < this.waiting[first]![0]!.arrived) next = oldestLater;
    }
    this.waiting[next]!.shift()!.go();
  }
}
