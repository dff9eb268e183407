// How many open files (sockets: listeners, accepted connections, connections to targets) the
// data plane may hold at once. The data plane shares its process's open-file limit with the Admin
// API, the store's connections and the reconciler's cloud calls; without a budget, a flood of
// connections to an endpoint (or enough listeners) would spend the limit and leave the Admin API
// unable to accept a request, the reconciler unable to call its cloud. With one, the data plane
// refuses what would go over: a new connection is reset at once, a listener is not opened (and is
// tried again on a later pass), and the rest of the process keeps its share.
import type { Socket } from 'node:net';

/** The error a listener that would go over the budget is refused with (`code` 'EMFILE', as the OS would say at the limit). */
export class OpenFileBudgetSpent extends Error {
  readonly code = 'EMFILE';
  constructor(limit: number) {
    super(`the data plane's open-file budget is spent (${limit} files; PRIVLINK_DATA_PLANE_OPEN_FILES)`);
  }
}

/**
 * A count of open files against a limit. Holders `take` before they open and `give` once closed;
 * one budget serves the whole data-plane thread (it is not shared between threads).
 */
export class OpenFileBudget {
  private heldNow = 0;
  private refusedSoFar = 0;

  /**
   * @param limit files the data plane may hold; `Infinity` for no budget.
   * @param onRefused called for each refusal (count it, warn now and then). Must not throw.
   */
  constructor(
    readonly limit: number,
    private readonly onRefused?: () => void,
  ) {}

  /** Takes `files` when they fit; false (reported to `onRefused`) when they would go over. */
  take(files: number): boolean {
    if (this.heldNow + files > this.limit) {
      this.refusedSoFar++;
      this.onRefused?.();
      return false;
    }
    this.heldNow += files;
    return true;
  }

  /**
   * Takes one file for a socket just accepted and gives it back when the socket closes; when there
   * is no room, resets the socket at once and answers false.
   */
  admit(socket: Socket): boolean {
    if (!this.take(1)) {
      socket.on('error', ignoreError);
      socket.resetAndDestroy();
      return false;
    }
    socket.once('close', () => this.give(1));
    return true;
  }

  /** Gives back `files` taken before. */
  give(files: number): void {
    this.heldNow = Math.max(0, this.heldNow - files);
  }

  /** Files held now. */
  get held(): number {
    return this.heldNow;
  }

  /** Files that may still be taken (`Infinity` for no budget). Retries of what was refused wait for room: each would be refused again. */
  get room(): number {
    return Math.max(0, this.limit - this.heldNow);
  }

  /** Times `take` refused since the start. */
  get refused(): number {
    return this.refusedSoFar;
  }
}

/** A reset socket's late error matters to nobody. */
function ignoreError(): void {}

/** No budget: every take fits (tests and tools that run a data-plane part alone). */
export const NO_BUDGET = new OpenFileBudget(Number.POSITIVE_INFINITY);
