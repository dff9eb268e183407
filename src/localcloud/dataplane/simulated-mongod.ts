// A simulated MongoDB node: one TCP (optionally TLS) listener that speaks enough of the wire
// protocol for the official drivers to discover, select and ping it — and nothing more. It exists
// so the local cloud carries real driver traffic end to end without a real mongod. Everything it
// says is labelled simulated (`privlinkSimulated: true` in hello and buildInfo; "simulated" in logs).
//
// Per connection: [PROXY v2 header] → [TLS handshake] → wire-protocol session. The horizon (the
// names the node reports) is chosen per connection from the TLS SNI or the PROXY header's endpoint
// TLV (AWS VPC-endpoint id, Azure LinkID), like mongod's split horizons, through a function the
// caller supplies and may change at any time.
import { createServer, type AddressInfo, type Server, type Socket } from 'node:net';
import { ObjectId } from 'bson';
import { createSecureContext, TLSSocket, type SecureContext, type TlsOptions } from 'node:tls';
import { NO_BUDGET, OpenFileBudgetSpent, type OpenFileBudget } from './open-file-budget.js';
import { awsVpceIdOf, azureLinkIdOf, readProxyHeader, type ProxyHeader } from './proxy-protocol.js';
import { newNodeIdentity, type Horizon, type NodeIdentity, type SimulatedNodeKind } from './simulated-commands.js';
import { ConnectionAuth, type SimulatedUser } from './simulated-auth.js';
import { WireSession } from './simulated-wire-session.js';

export type { Horizon, SimulatedNodeKind } from './simulated-commands.js';
export type { SimulatedUser } from './simulated-auth.js';

/** What is known about a connection when its horizon is chosen. */
export interface HorizonContext {
  /** The TLS server name the client asked for (SNI), lower-case; absent without TLS or SNI. */
  sni?: string;
  /** The AWS VPC endpoint id from the PROXY v2 header (TLV 0xEA/0x01); absent without one. */
  vpceId?: string;
  /** The Azure private endpoint connection's LinkID from the PROXY v2 header (TLV 0xEE/0x01); absent without one. */
  azureLinkId?: number;
  /** The whole PROXY header, when the node reads one. */
  proxy?: ProxyHeader;
  /** The port this node listens on. */
  nodePort: number;
}

/**
 * Chooses the horizon of one connection. Called on every hello (so mapping changes apply to the
 * next hello); return undefined to use the node's default horizon. Must be fast and must not throw
 * (a throw is logged and the default horizon used).
 */
export type HorizonSelector = (context: HorizonContext) => Horizon | undefined;

/** One structured log event; `msg` always says "simulated". */
export type SimulatedNodeLog = (entry: { level: 'info' | 'warn'; msg: string; component: 'simulated-mongod'; port: number; [key: string]: unknown }) => void;

export interface SimulatedMongodOptions {
  kind: SimulatedNodeKind;
  /** Address to listen on. Default '127.0.0.1'. */
  host?: string;
  /** Port to listen on; 0 (default) lets the OS choose (read it from `port` after start). */
  port?: number;
  /** Replica-set name; required for 'primary' and 'secondary'. */
  setName?: string;
  setVersion?: number;
  /** Names reported when `horizonFor` gives none. Default: `{host}:{port}` as bound. A function is re-evaluated on every hello. */
  defaultHorizon?: Horizon | (() => Horizon);
  horizonFor?: HorizonSelector;
  /**
   * Chooses a connection's horizon once, when it is accepted (after PROXY header and TLS), and may
   * look things up asynchronously; its answer wins over `horizonFor` for that connection. A throw
   * or undefined falls back to `horizonFor` / the default horizon.
   */
  horizonForConnection?: (context: HorizonContext) => Promise<Horizon | undefined>;
  /**
   * Turns access control on (as on every Atlas cluster): the user of this name who may log in
   * through this connection (its project's database user, within the user's scopes), or
   * undefined. Connections then authenticate with SCRAM-SHA-1 / SCRAM-SHA-256 against `admin`
   * before anything but the handshake, `ping` and authentication itself. Without it the node has
   * no users and no access control (like mongod without `--auth`). May be slow; may reject.
   */
  users?: (username: string, context: HorizonContext) => Promise<SimulatedUser | undefined>;
  /**
   * The target name of the set's current primary (undefined: none), for a set that can fail over:
   * a horizon that names its members' targets (`Horizon.targets`) then reports that member as
   * `primary`, whatever the horizon said when it was looked up.
   */
  primaryTarget?: () => string | undefined;
  /** Require a PROXY v2 header before anything else (the gateway sends one). Default false. */
  proxyProtocol?: boolean;
  /** A PROXY header not complete this long after the connection opened closes it. Default 5000. */
  proxyHeaderTimeoutMs?: number;
  /**
   * A wire message whose first bytes have arrived must be complete within this long, or the
   * connection is closed (idle connections between messages are kept, as mongod keeps them).
   * Default 30000.
   */
  incompleteMessageTimeoutMs?: number;
  /** Largest message accepted; a header claiming more (or less than 16 bytes) closes the connection. Default 48,000,000 (mongod's maxMessageSizeBytes). */
  maxMessageSize?: number;
  /**
   * Serve TLS: Node TLS server options (`key`/`cert`, `secureContext`, `SNICallback`, …). The
   * SNI server name selects the horizon; `SNICallback` may pick a certificate per name.
   */
  tls?: TlsOptions;
  /** With `tls`: also accept plaintext clients on the same port (chosen per connection by its first byte). */
  tlsOptional?: boolean;
  /** Default 10000. */
  tlsHandshakeTimeoutMs?: number;
  /** '6.0.x', '7.0.x' (default '7.0.0', maxWireVersion 21) or '8.0.x'. */
  serverVersion?: string;
  log?: SimulatedNodeLog;
  /**
   * The data plane's open-file budget: the listener and each connection hold one file. A listener
   * that does not fit is not bound (`start` rejects); a connection that does not fit is reset at
   * once. Default: none.
   */
  budget?: OpenFileBudget;
}

/**
 * A running simulated node. Create with `startSimulatedMongod`; stop with `stop()` (idempotent;
 * closes the listener and every connection).
 */
export class SimulatedMongod {
  readonly identity: NodeIdentity;
  private readonly server: Server;
  private readonly sockets = new Set<Socket>();
  private readonly sessions = new Set<WireSession>();
  private readonly secureContext: SecureContext | undefined;
  private horizonSelector: HorizonSelector | undefined;
  private nextConnectionId = 1;
  private boundPort = 0;
  private stopped = false;
  private down = false;
  private readonly budget: OpenFileBudget;

  constructor(private readonly options: SimulatedMongodOptions) {
    this.budget = options.budget ?? NO_BUDGET;
    if (options.kind !== 'mongos' && !options.setName) throw new Error(`a simulated ${options.kind} needs a setName`);
    this.identity = newNodeIdentity(options.kind, {
      ...(options.setName !== undefined ? { setName: options.setName } : {}),
      ...(options.setVersion !== undefined ? { setVersion: options.setVersion } : {}),
      ...(options.serverVersion !== undefined ? { serverVersion: options.serverVersion } : {}),
    });
    this.horizonSelector = options.horizonFor;
    if (options.tls && !options.tls.secureContext && (options.tls.key || options.tls.pfx)) {
      this.secureContext = createSecureContext(options.tls);
    } else {
      this.secureContext = options.tls?.secureContext;
    }
    this.server = createServer({ noDelay: true });
    this.server.on('connection', (socket) => void this.accept(socket));
  }

  /** The bound port (after `start`). */
  get port(): number {
    return this.boundPort;
  }

  get host(): string {
    return this.options.host ?? '127.0.0.1';
  }

  /** Open connections. */
  get connectionCount(): number {
    return this.sockets.size;
  }

  /** Replaces the horizon selector; applies from the next hello on every connection. */
  setHorizonFor(selector: HorizonSelector | undefined): void {
    this.horizonSelector = selector;
  }

  /** Whether the node is down (the fault switch): it keeps its port but resets every connection. */
  get isDown(): boolean {
    return this.down;
  }

  /**
   * A replica-set member changes role (its set elected a new primary): from the next hello on
   * every connection, and at once for monitors waiting in an awaitable hello (the topologyVersion
   * counter moves). `electionId` is the new primary's; secondaries report none.
   */
  setRole(kind: 'primary' | 'secondary', electionId?: ObjectId): void {
    if (this.options.kind === 'mongos') throw new Error('a simulated mongos has no replica-set role');
    if (this.identity.kind === kind && (!electionId || this.identity.electionId.equals(electionId))) return;
    this.identity.kind = kind;
    if (electionId) this.identity.electionId = electionId;
    this.identity.topologyCounter++;
    this.log('info', `simulated node is now ${kind}`, { electionId: this.identity.electionId.toHexString() });
    for (const session of this.sessions) session.topologyChanged();
  }

  /**
   * The fault switch: takes the node down (every open connection is reset, and every new one is
   * reset as soon as it is accepted: never a hang) or brings it back up as a restarted mongod
   * (a new topologyVersion processId, counter 0) in role `kind`. The port stays bound, so the
   * load balancer's target does not move.
   */
  setDown(down: boolean, kind?: 'primary' | 'secondary'): void {
    if (down === this.down) return;
    this.down = down;
    if (down) {
      for (const session of this.sessions) session.dispose();
      for (const socket of this.sockets) socket.resetAndDestroy();
      this.log('info', 'simulated node down (connections reset)', {});
      return;
    }
    this.identity.processId = new ObjectId();
    this.identity.topologyCounter = 0;
    if (kind) this.identity.kind = kind;
    this.log('info', `simulated node up again as ${this.identity.kind}`, {});
  }

  /** Binds the listener. Rejects with the bind error (e.g. EADDRINUSE), or `OpenFileBudgetSpent`. */
  async start(): Promise<{ host: string; port: number }> {
    if (!this.budget.take(1)) throw new OpenFileBudgetSpent(this.budget.limit);
    await new Promise<void>((resolve, reject) => {
      const failed = (error: Error): void => {
        this.budget.give(1);
        reject(error);
      };
      this.server.once('error', failed);
      this.server.listen({ host: this.host, port: this.options.port ?? 0 }, () => {
        this.server.off('error', failed);
        resolve();
      });
    });
    this.server.on('error', (error) => this.log('warn', 'simulated mongod listener error', { error: error.message }));
    this.boundPort = (this.server.address() as AddressInfo).port;
    this.log('info', `simulated ${this.options.kind} listening (stores nothing)`, {
      host: this.host,
      tls: Boolean(this.options.tls),
      proxyProtocol: Boolean(this.options.proxyProtocol),
    });
    return { host: this.host, port: this.boundPort };
  }

  /** Closes the listener and every connection. Idempotent. */
  async stop(): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    for (const session of this.sessions) session.dispose();
    for (const socket of this.sockets) socket.destroy();
    if (!this.server.listening) return;
    const closed = new Promise<void>((resolve) => this.server.close(() => resolve()));
    this.budget.give(1);
    await closed;
    this.log('info', 'simulated mongod stopped', {});
  }

  /** The horizon for a connection with this context. */
  horizonOf(context: HorizonContext): Horizon {
    if (this.horizonSelector) {
      try {
        const chosen = this.horizonSelector(context);
        if (chosen) return chosen;
      } catch (error) {
        this.log('warn', 'simulated mongod horizon selector threw; using the default horizon', { error: (error as Error).message });
      }
    }
    const fallback = this.options.defaultHorizon;
    if (typeof fallback === 'function') return fallback();
    if (fallback) return fallback;
    const me = `${this.host.includes(':') ? `[${this.host}]` : this.host}:${this.boundPort}`;
    return { hosts: [me], me, ...(this.options.kind === 'primary' ? { primary: me } : {}) };
  }

  private async accept(raw: Socket): Promise<void> {
    raw.on('error', () => raw.destroy());
    if (!this.budget.admit(raw)) return; // reset; the budget's owner reports its refusals
    this.sockets.add(raw);
    raw.on('close', () => this.sockets.delete(raw));
    if (this.stopped) {
      raw.destroy();
      return;
    }
    if (this.down) {
      raw.resetAndDestroy();
      return;
    }
    let proxy: ProxyHeader | undefined;
    let early: Buffer = Buffer.alloc(0);
    if (this.options.proxyProtocol) {
      try {
        ({ header: proxy, rest: early } = await readProxyHeader(raw, { timeoutMs: this.options.proxyHeaderTimeoutMs ?? 5000 }));
      } catch (error) {
        this.log('warn', 'simulated mongod refused a connection without a valid PROXY header', { error: (error as Error).message, remote: raw.remoteAddress });
        raw.destroy();
        return;
      }
    }
    let stream: Socket = raw;
    let sni: string | undefined;
    let useTls = Boolean(this.options.tls);
    if (useTls && this.options.tlsOptional) {
      // One port for both: a TLS client starts with a handshake record (0x16), a plain one with a wire message.
      if (early.length === 0) early = await firstChunk(raw, this.options.tlsHandshakeTimeoutMs ?? 10_000).catch(() => Buffer.alloc(0));
      if (early.length === 0) {
        raw.destroy();
        return;
      }
      useTls = early[0] === 0x16;
    }
    if (useTls) {
      if (early.length > 0) raw.unshift(early);
      early = Buffer.alloc(0);
      try {
        const secure = await this.handshake(raw);
        stream = secure;
        // `servername` (the SNI the client sent) is set on server-side TLS sockets; @types/node omits it.
        const servername = (secure as TLSSocket & { servername?: string | false }).servername;
        sni = typeof servername === 'string' && servername ? servername.toLowerCase() : undefined;
      } catch (error) {
        this.log('warn', 'simulated mongod TLS handshake failed', { error: (error as Error).message, remote: raw.remoteAddress });
        raw.destroy();
        return;
      }
    }
    const vpceId = proxy ? awsVpceIdOf(proxy) : undefined;
    const azureLinkId = proxy ? azureLinkIdOf(proxy) : undefined;
    const context: HorizonContext = {
      ...(sni !== undefined ? { sni } : {}),
      ...(vpceId !== undefined ? { vpceId } : {}),
      ...(azureLinkId !== undefined ? { azureLinkId } : {}),
      ...(proxy !== undefined ? { proxy } : {}),
      nodePort: this.boundPort,
    };
    const source = proxy?.command === 'PROXY' && proxy.source ? proxy.source : { address: raw.remoteAddress ?? '', port: raw.remotePort ?? 0 };
    const connectionId = this.nextConnectionId++;
    const clientAddress = `${source.address}:${source.port}`;
    let pinned: Horizon | undefined;
    if (this.options.horizonForConnection) {
      pinned = await this.options.horizonForConnection(context).catch((error: Error) => {
        this.log('warn', 'simulated mongod connection horizon lookup failed; using the default horizon', { error: error.message });
        return undefined;
      });
    }
    if (this.down) {
      raw.resetAndDestroy();
      return;
    }
    const users = this.options.users;
    const session = new WireSession(
      stream,
      this.identity,
      () => ({ connectionId, horizon: this.withPrimary(pinned ?? this.horizonOf(context)), clientAddress }),
      (error) => this.log('warn', 'simulated mongod closed a connection after a malformed or incomplete message', { error: error.message, connectionId }),
      {
        ...(users
          ? {
              auth: new ConnectionAuth(
                (username) => users(username, context),
                (entry) => this.log('info', 'simulated mongod refused an authentication attempt', { ...entry, connectionId, client: clientAddress }),
              ),
            }
          : {}),
        ...(this.options.incompleteMessageTimeoutMs !== undefined ? { incompleteMessageTimeoutMs: this.options.incompleteMessageTimeoutMs } : {}),
        ...(this.options.maxMessageSize !== undefined ? { maxMessageSize: this.options.maxMessageSize } : {}),
      },
    );
    this.sessions.add(session);
    stream.on('close', () => {
      session.dispose();
      this.sessions.delete(session);
    });
    if (early.length > 0) session.receive(early);
    stream.on('data', (chunk: Buffer) => session.receive(chunk));
    stream.resume(); // readProxyHeader left the socket paused; a 'data' listener alone would not resume it
  }

  /** The horizon with its `primary` naming the set's current primary, when the caller tracks it (`primaryTarget`). */
  private withPrimary(horizon: Horizon): Horizon {
    const current = this.options.primaryTarget;
    if (!current || !horizon.targets) return horizon;
    const primary = current();
    const index = primary === undefined ? -1 : horizon.targets.indexOf(primary);
    const { primary: _stale, ...rest } = horizon;
    return index >= 0 ? { ...rest, primary: horizon.hosts[index]! } : rest;
  }

  private handshake(raw: Socket): Promise<TLSSocket> {
    const tlsOptions = this.options.tls ?? {};
    return new Promise((resolve, reject) => {
      const secure = new TLSSocket(raw, {
        isServer: true,
        ...tlsOptions,
        ...(this.secureContext ? { secureContext: this.secureContext } : {}),
      });
      const timer = setTimeout(() => fail(new Error(`no TLS handshake within ${this.options.tlsHandshakeTimeoutMs ?? 10_000} ms`)), this.options.tlsHandshakeTimeoutMs ?? 10_000);
      const fail = (error: Error): void => {
        clearTimeout(timer);
        secure.destroy();
        reject(error);
      };
      secure.once('secure', () => {
        clearTimeout(timer);
        secure.off('error', fail);
        secure.on('error', () => secure.destroy());
        resolve(secure);
      });
      secure.once('error', fail);
    });
  }

  private log(level: 'info' | 'warn', msg: string, fields: Record<string, unknown>): void {
    this.options.log?.({ level, msg, component: 'simulated-mongod', port: this.boundPort, kind: this.options.kind, simulated: true, ...fields });
  }
}

/** Starts a simulated node; resolves once it listens. */
export async function startSimulatedMongod(options: SimulatedMongodOptions): Promise<SimulatedMongod> {
  const node = new SimulatedMongod(options);
  await node.start();
  return node;
}

/** Resolves with the first bytes a paused socket receives (leaves it paused). */
function firstChunk(socket: Socket, timeoutMs: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => done(new Error('no data')), timeoutMs);
    const onData = (chunk: Buffer) => {
      socket.pause();
      done(undefined, chunk);
    };
    const onClose = () => done(new Error('closed'));
    const done = (error?: Error, chunk?: Buffer) => {
      clearTimeout(timer);
      socket.off('data', onData);
      socket.off('close', onClose);
      if (error) reject(error);
      else resolve(chunk!);
    };
    socket.on('data', onData);
    socket.once('close', onClose);
    socket.resume();
  });
}
