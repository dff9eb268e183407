// A set of TCP listeners keyed by {address, port}, opened and closed idempotently, so a
// supervisor can reconcile "the listeners that should exist" against "the listeners that do"
// on every pass (level-based, like the reconciler).
import { createServer, type Server, type Socket } from 'node:net';
import { setImmediate as nextLoop } from 'node:timers/promises';
import { NO_BUDGET, OpenFileBudgetSpent, type OpenFileBudget } from './open-file-budget.js';

export interface ListenerAddress {
  /** Local address to bind, e.g. '127.0.0.1', '::1', '0.0.0.0'. */
  address: string;
  /** Port to bind; 0 asks the OS for a free one (see `BoundListener.bound`). */
  port: number;
  /**
   * The listener's key in the set; default `address:port`. Give one when asking for port 0 more
   * than once on an address, or the requests share the key `address:0` (and so one listener).
   */
  name?: string;
}

/** The remote end of an accepted connection. */
export interface PeerAddress {
  address: string;
  port: number;
  family: string;
}

export interface ListenerHandlers {
  /**
   * Decides whether to serve a connection, before any byte of it is read. Return false (or throw)
   * to refuse: the socket is reset and closed. Called synchronously for each connection with the
   * handlers current at that moment, so changes (security groups) apply to the next connection.
   */
  accept?: (peer: PeerAddress, listener: BoundListener) => boolean;
  /** Takes ownership of an accepted socket (e.g. `forwarder.forward(socket, …)`). Must not throw. */
  onConnection: (socket: Socket, listener: BoundListener) => void;
}

export interface BoundListener {
  /** The set's key: `name`, else `address:port` as requested, e.g. '127.0.0.1:1024' or '[::1]:0'. */
  readonly key: string;
  readonly requested: ListenerAddress;
  /** What the OS bound (differs from `requested` only when port 0 was asked). */
  readonly bound: ListenerAddress;
}

export interface TcpListenerSetOptions {
  /** Called when `accept` refused a connection. Must not throw. */
  onRefused?: (peer: PeerAddress, listener: BoundListener) => void;
  /** Called for a server error after it started listening (e.g. EMFILE on accept). Must not throw. */
  onError?: (error: Error, listener: BoundListener) => void;
  /** The data plane's open-file budget: a listener holds one file; one that does not fit is not opened (`OpenFileBudgetSpent`). Default: none. */
  budget?: OpenFileBudget;
}

export interface DesiredListener extends ListenerAddress {
  handlers: ListenerHandlers;
}

export interface ReconcileResult {
  opened: BoundListener[];
  /** Listeners that already existed; their handlers were replaced. */
  kept: BoundListener[];
  closed: string[];
  /** Listeners that could not be bound (e.g. EADDRINUSE); the others are unaffected. */
  failed: Array<{ key: string; error: Error }>;
}

interface Entry {
  listener: BoundListener;
  server: Server;
  handlers: ListenerHandlers;
}

/**
 * Opens/closes `net.Server`s by key. Operations on one key are serialised; operations on
 * different keys run concurrently. Closing a listener stops new connections at once; connections
 * already handed to `onConnection` are the owner's (drop them with `TcpForwarder.closeWhere`).
 */
export class TcpListenerSet {
  private readonly entries = new Map<string, Entry>();
  private readonly queues = new Map<string, Promise<unknown>>();

  constructor(private readonly options: TcpListenerSetOptions = {}) {}

  /** The set's key for a listener: its `name`, else `127.0.0.1:1024`, `[::1]:1024`. */
  static keyOf(address: ListenerAddress): string {
    if (address.name !== undefined) return address.name;
    return address.address.includes(':') ? `[${address.address}]:${address.port}` : `${address.address}:${address.port}`;
  }

  /**
   * Makes sure a listener exists for `address` with these handlers. Idempotent: when it is
   * already open, only the handlers are replaced. Rejects with the bind error (EADDRINUSE,
   * EADDRNOTAVAIL, EACCES) and leaves no entry behind.
   */
  ensure(address: ListenerAddress, handlers: ListenerHandlers): Promise<BoundListener> {
    const key = TcpListenerSet.keyOf(address);
    return this.serialise(key, async () => {
      const existing = this.entries.get(key);
      if (existing && sameAddress(existing.listener.requested, address)) {
        existing.handlers = handlers;
        return existing.listener;
      }
      // A named listener asked for at a new address moves there.
      if (existing) await this.closeKey(key);
      return this.open(key, address, handlers);
    });
  }

  /** Closes the listener (given by its address, or its key) if open; resolves true when it was open. Idempotent. */
  close(address: ListenerAddress | string): Promise<boolean> {
    const key = typeof address === 'string' ? address : TcpListenerSet.keyOf(address);
    return this.serialise(key, async () => this.closeKey(key));
  }

  /**
   * Converges the set onto `desired`: opens what is missing, replaces handlers of what exists,
   * closes the rest. One failing bind does not stop the others; see `failed`.
   */
  async reconcile(desired: DesiredListener[]): Promise<ReconcileResult> {
    const result: ReconcileResult = { opened: [], kept: [], closed: [], failed: [] };
    const wanted = new Map(desired.map((d) => [TcpListenerSet.keyOf(d), d]));
    const pending: Array<Promise<void>> = [];
    for (const key of this.entries.keys()) {
      if (wanted.has(key)) continue;
      pending.push(
        this.serialise(key, async () => {
          if (await this.closeKey(key)) result.closed.push(key);
        }),
      );
    }
    for (const [key, d] of wanted) {
      const current = this.entries.get(key);
      // The common case on a large gateway: open where it should be, nothing queued on its key.
      // Its handlers are replaced at once, with no promise per kept listener (a pass over
      // thousands of listeners made as many promise chains, which outlived the young generation).
      if (current && !this.queues.has(key) && sameAddress(current.listener.requested, d)) {
        current.handlers = d.handlers;
        result.kept.push(current.listener);
        continue;
      }
      pending.push(
        this.serialise(key, async () => {
          let existing = this.entries.get(key);
          if (existing && !sameAddress(existing.listener.requested, d)) {
            await this.closeKey(key);
            existing = undefined;
          }
          if (existing) {
            existing.handlers = d.handlers;
            result.kept.push(existing.listener);
            return;
          }
          try {
            result.opened.push(await this.open(key, { address: d.address, port: d.port, ...(d.name !== undefined ? { name: d.name } : {}) }, d.handlers));
          } catch (error) {
            result.failed.push({ key, error: error as Error });
          }
        }),
      );
    }
    await Promise.all(pending);
    return result;
  }

  /** The listener with this address (or key), if open. */
  get(address: ListenerAddress | string): BoundListener | undefined {
    return this.entries.get(typeof address === 'string' ? address : TcpListenerSet.keyOf(address))?.listener;
  }

  /** How many listeners are open. */
  get size(): number {
    return this.entries.size;
  }

  list(): BoundListener[] {
    return [...this.entries.values()].map((e) => e.listener);
  }

  /** Closes every listener. */
  async closeAll(): Promise<void> {
    await Promise.all([...this.entries.keys()].map((key) => this.serialise(key, async () => this.closeKey(key))));
  }

  private serialise<T>(key: string, operation: () => Promise<T>): Promise<T> {
    const previous = this.queues.get(key) ?? Promise.resolve();
    const next = previous.then(operation, operation);
    const settled = next.then(
      () => undefined,
      () => undefined,
    );
    this.queues.set(key, settled);
    void settled.then(() => {
      if (this.queues.get(key) === settled) this.queues.delete(key);
    });
    return next;
  }

  private open(key: string, requested: ListenerAddress, handlers: ListenerHandlers): Promise<BoundListener> {
    const budget = this.options.budget ?? NO_BUDGET;
    if (!budget.take(1)) return Promise.reject(new OpenFileBudgetSpent(budget.limit));
    const server = createServer({ allowHalfOpen: true, noDelay: true });
    return new Promise<BoundListener>((resolve, reject) => {
      const onListenError = (error: Error): void => {
        budget.give(1);
        reject(error);
      };
      server.once('error', onListenError);
      server.listen({ host: requested.address, port: requested.port, exclusive: true }, () => {
        server.off('error', onListenError);
        const info = server.address();
        const bound = typeof info === 'object' && info ? { address: info.address, port: info.port } : requested;
        const entry: Entry = { listener: { key, requested: { ...requested }, bound }, server, handlers };
        server.on('error', (error) => this.options.onError?.(error, entry.listener));
        server.on('connection', (socket) => this.onConnection(entry, socket));
        this.entries.set(key, entry);
        resolve(entry.listener);
      });
    });
  }

  private onConnection(entry: Entry, socket: Socket): void {
    const { accept, onConnection } = entry.handlers;
    if (accept) {
      const peer: PeerAddress = { address: socket.remoteAddress ?? '', port: socket.remotePort ?? 0, family: socket.remoteFamily ?? '' };
      let allowed = false;
      try {
        allowed = accept(peer, entry.listener) === true;
      } catch {
        allowed = false; // a broken rule must fail closed: an access check that throws refuses
      }
      if (!allowed) {
        socket.on('error', () => {});
        socket.resetAndDestroy();
        this.options.onRefused?.(peer, entry.listener);
        return;
      }
    }
    onConnection(socket, entry.listener);
  }

  private async closeKey(key: string): Promise<boolean> {
    const entry = this.entries.get(key);
    if (!entry) return false;
    this.entries.delete(key);
    // close() unbinds the port immediately; its callback would wait for every accepted
    // connection to end, which is not what "stop listening" means here.
    entry.server.close();
    (this.options.budget ?? NO_BUDGET).give(1);
    await nextLoop();
    return true;
  }
}

function sameAddress(a: ListenerAddress, b: ListenerAddress): boolean {
  return a.address === b.address && a.port === b.port;
}
