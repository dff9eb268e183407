// The messages between the main thread (control plane) and the data-plane worker thread. Every
// message is plain data (structured clone: objects, arrays, strings, numbers, Dates); nothing is
// shared. Requests carry an `id` the answer repeats; ids are per direction and per worker life.
import type { NodeUser } from '../../app/node-users.js';
import type { PrivateDnsRecord } from '../../app/private-dns.js';
import type { PrivateDnsAnswer } from '../../app/private-dns-zone.js';
import type { LogLevel } from '../../logging/logger.js';
import type { DataPlaneCounts, DataPlaneHeap } from '../../observability/metrics.js';
import type { ClusterRecord } from '../../domain/cluster.js';
import type { DataPlaneSnapshot } from '../common/data-plane-snapshot.js';
import type { SnapshotDiff } from './snapshot-diff.js';
import type { ServerlessFrontEnd } from '../simulated-nodes/simulated-cluster-runtime.js';
import type { FrontEndAccess } from '../simulated-nodes/app-services-front-end.js';
import type { PublicAccessRule, PublicRouteUpdate } from '../gateway/public-gateway.js';

/** What the worker is started with (`workerData`). */
export interface DataPlaneWorkerConfig {
  readonly dns: {
    readonly address: string;
    /** 0 asks for a free port (UDP and TCP); a restarted worker gets the port its predecessor bound. */
    readonly port: number;
    readonly ttl: number;
  };
  /** The gateway and the simulated nodes run only with the local cloud; null runs the private DNS alone. */
  readonly localCloud: {
    /** Directory of the local CA (`ca.pem`, `ca-key.pem`), loaded or created by the worker. */
    readonly dataDir: string;
    /** The local cloud's state when the worker starts; later ones come as `snapshot` messages. */
    readonly snapshot: DataPlaneSnapshot;
    /** How often the public gateway asks for its routes besides the writes that may change them (ms; default 5000). */
    readonly publicGatewayPollMs?: number;
    /** Run the kernel data plane too (namespaces and nftables, kernel/kernel-data-plane.ts), marking the host's names with `tag`. */
    readonly kernel?: { readonly tag: string };
    /** How many open files the gateways and simulated nodes may hold at once (dataplane/open-file-budget.ts); null: no budget. */
    readonly openFiles: number | null;
  } | null;
  /** The worker drops log records below this level before posting them. */
  readonly logLevel: LogLevel;
  readonly bounds: LookupBounds;
}

/** How much of the main thread's time the worker may ask for (see docs/dataplane.md). */
export interface LookupBounds {
  /** Distinct lookups waiting for the main thread at once, per kind (DNS, horizon, user). */
  readonly maxInFlight: number;
  /** Horizon and user lookups over `maxInFlight` wait in a queue this long at most; more fail. */
  readonly maxQueued: number;
  /** How long an answer is reused for the same question (ms); 0 disables the cache. */
  readonly cacheMs: number;
  /** Entries kept in each cache at most (the oldest go first). */
  readonly cacheEntries: number;
  /** A lookup the main thread has not answered in this time fails (ms). */
  readonly timeoutMs: number;
}

/** A simulated node as the fault switch reports it. */
export interface SimulatedNodeStatus {
  /** The target name (`node-0`, …, `mongos-0`). */
  readonly name: string;
  readonly state: SimulatedNodeState;
  /** PRIMARY (the member that is primary now) or SECONDARY (every other member, up or down), MONGOS for a router. */
  readonly role: 'PRIMARY' | 'SECONDARY' | 'MONGOS';
}

/** `UP`, or `DOWN` (taken down with the fault switch: its port resets every connection). */
export type SimulatedNodeState = 'UP' | 'DOWN';

/** Where a target's simulated node listens. */
export interface NodeAddress {
  readonly host: string;
  readonly port: number;
}

/** Answer of `ensure`: whether node addresses changed, and where every node of the cluster listens now. */
export interface EnsureResult {
  readonly moved: boolean;
  readonly addresses: Readonly<Record<string, NodeAddress>>;
}

/** A call the main thread makes into the worker's simulated-node runtime. */
export type RuntimeCall =
  | { readonly method: 'ensure'; readonly cluster: ClusterRecord }
  | { readonly method: 'ensureFrontEnd'; readonly instance: ServerlessFrontEnd }
  | { readonly method: 'remove'; readonly clusterId: string }
  /** The node fault switch: takes one simulated node of a cluster down or brings it back; answered with the cluster's nodes. */
  | { readonly method: 'setNodeState'; readonly clusterId: string; readonly targetName: string; readonly state: SimulatedNodeState }
  /** Starts the App Services front end once (idempotent); answered with its private and public addresses. */
  | { readonly method: 'ensureAppServicesFrontEnd'; readonly publicPort?: number };

/** A question the worker asks the main thread (store lookups). */
export type Lookup =
  | { readonly kind: 'dns'; readonly name: string; readonly type: string }
  | {
      readonly kind: 'horizon';
      readonly clusterId: string;
      readonly targetName: string;
      readonly via: { readonly endpointId?: string; readonly sni?: string; readonly public?: boolean };
    }
  /** The database user `username` who may log in to the cluster (or serverless instance) `deploymentId`. */
  | { readonly kind: 'user'; readonly deploymentId: string; readonly username: string }
  /** May the App Services front end serve `clientAppId` for a request from `clientAddress` through `endpointId` (or none) on `channel`? */
  | { readonly kind: 'appAccess'; readonly clientAppId: string; readonly endpointId?: string; readonly clientAddress?: string; readonly channel: 'general' | 'sync' }
  /** The public gateway's listeners (app/public-route-book.ts): every one, or what changed since the version `since` the gateway holds. */
  | { readonly kind: 'publicRoutes'; readonly since?: number }
  /** A project's IP access list, as the public gateway checks it. */
  | { readonly kind: 'accessList'; readonly projectId: string };

/** A node horizon as the main thread computes it (app/node-horizons.ts). */
export interface HorizonAnswer {
  readonly hosts: string[];
  readonly me: string;
  readonly primary?: string;
  /** Target names index-aligned with `hosts` (replica sets). */
  readonly targets?: string[];
}

/** A database user as a node needs it (app/node-users.ts): SCRAM credentials and roles, never a password. */
export type UserAnswer = NodeUser;

/** The answer to a lookup: a DNS answer (or records; undefined = NXDOMAIN), a horizon (undefined = default), or a user (undefined = none may log in). */
export type LookupValue = PrivateDnsAnswer | PrivateDnsRecord[] | HorizonAnswer | UserAnswer | FrontEndAccess | PublicRouteUpdate | readonly PublicAccessRule[] | undefined;

/** Where the App Services front end listens (answer of `ensureAppServicesFrontEnd`). */
export interface AppServicesFrontEndAddresses {
  readonly private: NodeAddress;
  readonly public: NodeAddress;
}

/** Main thread → worker. */
export type ToWorker =
  /** The whole picture (after the worker starts): the gateway converges on this snapshot. */
  | { readonly type: 'snapshot'; readonly snapshot: DataPlaneSnapshot }
  /** The local cloud changed: what changed since the last `snapshot` or `snapshot-diff` posted. */
  | { readonly type: 'snapshot-diff'; readonly diff: SnapshotDiff }
  /**
   * Stored state changed: cached lookup answers are dropped (a posted snapshot drops them too);
   * with `publicRoutes`, a table the public gateway's routes are read from was written, and the
   * gateway asks for them again at once.
   */
  | { readonly type: 'invalidate'; readonly publicRoutes: boolean }
  /** Run a runtime call; answered by `call-result` with the same id. */
  | { readonly type: 'call'; readonly id: number; readonly call: RuntimeCall }
  /**
   * The answer to the worker's `lookup` with this id; `cacheable` is false when the store was
   * written while the answer was computed (it may already be stale).
   */
  | { readonly type: 'lookup-result'; readonly id: number; readonly ok: true; readonly value: LookupValue; readonly cacheable: boolean }
  | { readonly type: 'lookup-result'; readonly id: number; readonly ok: false; readonly error: string }
  /** Liveness check: answered by `pong` as soon as the worker's event loop turns. */
  | { readonly type: 'ping' }
  /** Close every socket and node, then answer `stopped`. */
  | { readonly type: 'stop' };

/** Worker → main thread. */
export type FromWorker =
  /** Every socket is bound: the DNS port, and the CA certificate's path (null without the local cloud). */
  | { readonly type: 'ready'; readonly dnsPort: number; readonly caPath: string | null }
  /** Start-up failed (e.g. the DNS port is taken); the worker exits after it. */
  | { readonly type: 'failed'; readonly error: string }
  | { readonly type: 'log'; readonly level: Exclude<LogLevel, 'silent'>; readonly msg: string; readonly fields: Record<string, unknown> }
  /** Ask the main thread; answered by `lookup-result` with the same id. */
  | { readonly type: 'lookup'; readonly id: number; readonly lookup: Lookup }
  | { readonly type: 'call-result'; readonly id: number; readonly ok: true; readonly value: EnsureResult | AppServicesFrontEndAddresses | SimulatedNodeStatus[] | null }
  | { readonly type: 'call-result'; readonly id: number; readonly ok: false; readonly error: string }
  | { readonly type: 'pong' }
  /** Counter deltas since the last such message (gateway, DNS), at most once a second, none when idle. */
  | { readonly type: 'counts'; readonly counts: DataPlaneCounts }
  /** The worker's own V8 heap (its isolate's, not counted in the main thread's), every few seconds. */
  | { readonly type: 'heap'; readonly heap: DataPlaneHeap }
  | { readonly type: 'stopped' };

/** The bounds privlink uses unless told otherwise. */
export const DEFAULT_LOOKUP_BOUNDS: LookupBounds = { maxInFlight: 64, maxQueued: 1024, cacheMs: 1000, cacheEntries: 10_000, timeoutMs: 5000 };
