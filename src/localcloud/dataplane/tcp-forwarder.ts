// The forwarding core of the gateway: one accepted client socket ⇄ one upstream socket.
//
// The hot path is one `SocketRelay` per direction (socket-relay.ts: reads into reused buffers,
// writes on, stops reading while the writer cannot take more), with Nagle off on both sides.
// Everything else — labels, the live-connection set, `closeWhere` — happens once per connection,
// not per chunk.
import { connect, type Socket } from 'node:net';
import { NO_BUDGET, type OpenFileBudget } from './open-file-budget.js';
import { encodeProxyV2, type ProxyHeader } from './proxy-protocol.js';
import { SocketRelay } from './socket-relay.js';

export interface ForwardTarget {
  host: string;
  port: number;
}

/** Free-form tags of a connection (e.g. `{ endpointId: 'vpce-…', listener: '127.0.0.1:1024' }`). Treated as immutable; may be shared between connections. */
export type ConnectionLabels = Readonly<Record<string, string>>;

export interface ForwardOptions {
  target: ForwardTarget;
  /** Written to the upstream before any client byte (a header, or its encoded bytes). */
  proxyHeader?: ProxyHeader | Buffer;
  labels?: ConnectionLabels;
  /** Overrides the forwarder's connect timeout for this connection. */
  connectTimeoutMs?: number;
}

/** Why a forwarded connection ended. */
export type ConnectionEndReason =
  /** both sides finished normally (FIN both ways) */
  | 'completed'
  /** the upstream could not be reached (refused, unreachable, timeout) */
  | 'connect-failed'
  /** the client side failed or vanished (reset, destroyed) */
  | 'client-error'
  /** the upstream side failed or vanished after connecting */
  | 'upstream-error'
  /** `closeWhere`/`closeAll` dropped it */
  | 'closed-by-gateway';

export interface ConnectionEnd {
  reason: ConnectionEndReason;
  error?: Error;
  /** Bytes read from the client (forwarded upstream) and from the upstream (forwarded to the client). */
  bytesFromClient: number;
  bytesFromUpstream: number;
}

/** A live forwarded connection. Read-only view; end it with `TcpForwarder.closeWhere`. */
export class ForwardedConnection {
  /** @internal set once, by the forwarder, when the first side ends abnormally or the gateway closes it */
  endReason: ConnectionEndReason | undefined;
  /** @internal */
  endError: Error | undefined;
  /** @internal number of sides (0–2) that have emitted 'close' */
  closedSides = 0;
  /** @internal true once the upstream TCP connect succeeded */
  upstreamConnected = false;
  /** @internal the connect timeout's timer, until the upstream connects (then dropped: an idle connection holds none) */
  connectTimer: NodeJS.Timeout | undefined;
  readonly openedAt = Date.now();

  constructor(
    /** @internal */
    readonly forwarder: TcpForwarder,
    readonly id: number,
    readonly client: Socket,
    readonly upstream: Socket,
    readonly target: ForwardTarget,
    readonly labels: ConnectionLabels,
  ) {}
}

/** The field of both sockets of a forwarded connection that names it, for the shared listeners below. */
const CONNECTION = Symbol('privlink.forwardedConnection');
type ForwardedSocket = Socket & { [CONNECTION]?: ForwardedConnection };

// The listeners of every forwarded connection are these same functions (an idle connection's
// memory counts): Node calls them as methods of the socket, which names its connection.
function onClientError(this: ForwardedSocket, error: Error): void {
  const connection = this[CONNECTION]!;
  connection.forwarder.fail(connection, 'client-error', error);
}
function onUpstreamError(this: ForwardedSocket, error: Error): void {
  const connection = this[CONNECTION]!;
  connection.forwarder.fail(connection, connection.upstreamConnected ? 'upstream-error' : 'connect-failed', error);
}
function onClientClose(this: ForwardedSocket): void {
  const connection = this[CONNECTION]!;
  connection.forwarder.sideClosed(connection, connection.client, connection.upstream, 'client-error');
}
function onUpstreamClose(this: ForwardedSocket): void {
  const connection = this[CONNECTION]!;
  stopConnectTimer(connection); // as a socket's own timeout goes with it
  connection.forwarder.sideClosed(connection, connection.upstream, connection.client, connection.upstreamConnected ? 'upstream-error' : 'connect-failed');
}
function onUpstreamConnect(this: ForwardedSocket): void {
  const connection = this[CONNECTION]!;
  connection.upstreamConnected = true;
  stopConnectTimer(connection);
}
/** A shed socket's late error (it is already being reset) matters to nobody. */
function ignoreError(): void {}
/** Clears and drops the connect timeout's timer, if it is still set. */
function stopConnectTimer(connection: ForwardedConnection): void {
  clearTimeout(connection.connectTimer);
  connection.connectTimer = undefined;
}
function onConnectTimeout(connection: ForwardedConnection, ms: number): void {
  const { host, port } = connection.target;
  connection.forwarder.fail(connection, 'connect-failed', new Error(`connect to ${host}:${port} timed out after ${ms} ms`));
}

export interface TcpForwarderOptions {
  /** Give up connecting to a target after this long (the client is then closed). Default 10000. */
  connectTimeoutMs?: number;
  /** Called once per connection after both sockets are closed, with why. Must not throw. */
  onClose?: (connection: ForwardedConnection, end: ConnectionEnd) => void;
  /**
   * The data plane's open-file budget: a connection holds two files (the client's socket and the
   * target's). One that does not fit is reset at once (the budget reports it). Default: none.
   */
  budget?: OpenFileBudget;
}

/** Files a forwarded connection holds: the client's socket and the target's. */
const FILES_PER_CONNECTION = 2;

const EMPTY_LABELS: ConnectionLabels = Object.freeze({});

/**
 * Forwards accepted sockets to targets and keeps the set of live connections.
 *
 * @example
 *   const forwarder = new TcpForwarder();
 *   server.on('connection', (socket) => forwarder.forward(socket, {
 *     target: { host: '127.0.0.1', port: 27017 },
 *     proxyHeader: proxyHeaderForSocket(socket, [awsVpceIdTlv('vpce-0123456789abcdef0')]),
 *     labels: { endpointId: 'vpce-0123456789abcdef0' },
 *   }));
 *   forwarder.closeWhere((c) => c.labels.endpointId === 'vpce-0123456789abcdef0'); // endpoint removed
 */
export class TcpForwarder {
  private readonly live = new Set<ForwardedConnection>();
  private nextId = 1;
  private readonly connectTimeoutMs: number;
  private readonly onClose: TcpForwarderOptions['onClose'];
  private readonly budget: OpenFileBudget;

  constructor(options: TcpForwarderOptions = {}) {
    this.connectTimeoutMs = options.connectTimeoutMs ?? 10_000;
    this.onClose = options.onClose;
    this.budget = options.budget ?? NO_BUDGET;
  }

  /** Number of live connections. */
  get size(): number {
    return this.live.size;
  }

  /** Snapshot of the live connections. */
  connections(): ForwardedConnection[] {
    return [...this.live];
  }

  /**
   * Takes ownership of `client` (an accepted socket): connects to `target`, writes the PROXY
   * header if given, then relays bytes both ways until both sides are done. Never throws for network
   * reasons; a failure closes both sides and is reported through `onClose`. The client socket
   * should come from a server with `allowHalfOpen: true` (TcpListenerSet's do); it is switched to
   * half-open here in any case, so a client's FIN is forwarded instead of closing the reply path.
   * Answers undefined, the client reset, when the open-file budget has no room for the connection.
   */
  forward(client: Socket, options: ForwardOptions): ForwardedConnection | undefined {
    if (!this.budget.take(FILES_PER_CONNECTION)) {
      client.on('error', ignoreError);
      client.resetAndDestroy();
      return undefined;
    }
    const toClient = new SocketRelay(client);
    const upstream = connect({ host: options.target.host, port: options.target.port, allowHalfOpen: true, noDelay: true, onread: toClient.onread });
    const connection = new ForwardedConnection(this, this.nextId++, client, upstream, options.target, options.labels ?? EMPTY_LABELS);
    this.live.add(connection);
    (client as ForwardedSocket)[CONNECTION] = connection;
    (upstream as ForwardedSocket)[CONNECTION] = connection;
    client.allowHalfOpen = true;
    client.setNoDelay(true);

    const connectTimeoutMs = options.connectTimeoutMs ?? this.connectTimeoutMs;
    connection.connectTimer = setTimeout(onConnectTimeout, connectTimeoutMs, connection, connectTimeoutMs).unref();
    upstream.once('connect', onUpstreamConnect);
    client.on('error', onClientError);
    upstream.on('error', onUpstreamError);
    upstream.on('close', onUpstreamClose);
    if (client.closed) {
      // Handed a socket that is already gone: account for its 'close', which will not come again.
      process.nextTick(() => this.sideClosed(connection, client, upstream, 'client-error'));
    } else {
      client.on('close', onClientClose);
    }

    if (options.proxyHeader) {
      // Written before relaying starts, so it is the first thing on the upstream wire even if the
      // client's bytes are already waiting.
      upstream.write(Buffer.isBuffer(options.proxyHeader) ? options.proxyHeader : encodeProxyV2(options.proxyHeader));
    }
    toClient.attach(upstream);
    new SocketRelay(upstream).adoptAcceptedSocket(client);
    return connection;
  }

  /**
   * Destroys (both sides of) every live connection the predicate selects and returns how many.
   * Synchronous: the sockets are closed when it returns, so a removed endpoint stops at once.
   * Idempotent. Use it when an endpoint is rejected/deleted or a listener is removed.
   */
  closeWhere(predicate: (connection: ForwardedConnection) => boolean): number {
    let closed = 0;
    for (const connection of [...this.live]) {
      if (!predicate(connection)) continue;
      connection.endReason ??= 'closed-by-gateway';
      connection.client.destroy();
      connection.upstream.destroy();
      closed++;
    }
    return closed;
  }

  /** Destroys every live connection; returns how many. */
  closeAll(): number {
    return this.closeWhere(() => true);
  }

  /** @internal a side failed (or the connect timed out): both sides go, with the first reason kept */
  fail(connection: ForwardedConnection, reason: ConnectionEndReason, error: Error): void {
    stopConnectTimer(connection);
    if (!connection.endReason) {
      connection.endReason = reason;
      connection.endError = error;
    }
    connection.client.destroy();
    connection.upstream.destroy();
  }

  /** @internal */
  sideClosed(connection: ForwardedConnection, side: Socket, other: Socket, abnormalReason: ConnectionEndReason): void {
    // A side that closed without finishing both directions (reset, destroy) takes the other side
    // down with it; a side that finished cleanly leaves the other to flush what it still holds.
    if (!(side.readableEnded && side.writableFinished)) {
      connection.endReason ??= abnormalReason;
      other.destroy();
    }
    connection.closedSides++;
    if (connection.closedSides < 2) return;
    this.live.delete(connection);
    this.budget.give(FILES_PER_CONNECTION);
    if (this.onClose) {
      this.onClose(connection, {
        reason: connection.endReason ?? 'completed',
        ...(connection.endError ? { error: connection.endError } : {}),
        bytesFromClient: connection.client.bytesRead,
        bytesFromUpstream: connection.upstream.bytesRead,
      });
    }
  }
}
