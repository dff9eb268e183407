import type { DataPlaneCounts, DataPlaneHeap } from '../../observability/metrics.js';
import { Worker } from 'node:worker_threads';
import type { EndpointAddressBook, PrivateDnsRecord } from '../../app/private-dns.js';
import type { PrivateDnsAnswer } from '../../app/private-dns-zone.js';
import type { Logger, LogLevel } from '../../logging/logger.js';
import type { ClusterRecord } from '../../domain/cluster.js';
import type { ServerlessFrontEnd } from '../simulated-nodes/simulated-cluster-runtime.js';
import { forwardingAddresses, forwardingEndpoint, postableSnapshot, type DataPlaneSnapshot, type SnapshotSource } from '../common/data-plane-snapshot.js';
import type { FrontEndAccess, FrontEndVia } from '../simulated-nodes/app-services-front-end.js';
import type { PublicAccessRule, PublicRouteUpdate } from '../gateway/public-gateway.js';
import {
  DEFAULT_LOOKUP_BOUNDS,
  type AppServicesFrontEndAddresses,
  type DataPlaneWorkerConfig,
  type EnsureResult,
  type FromWorker,
  type HorizonAnswer,
  type Lookup,
  type LookupBounds,
  type NodeAddress,
  type RuntimeCall,
  type SimulatedNodeState,
  type SimulatedNodeStatus,
  type ToWorker,
  type UserAnswer,
} from './data-plane-protocol.js';
import { PendingRequests } from './pending-requests.js';
import { SnapshotFeed } from './snapshot-feed.js';
import { WorkerWatchdog } from './worker-watchdog.js';
import { MainThreadTurns } from './main-thread-turns.js';

export interface DataPlaneHostOptions {
  readonly dns: { readonly address: string; readonly port: number; readonly ttl: number };
  /** With the local cloud: the gateway follows `source`, the CA lives in `dataDir`. Null: private DNS only. */
  readonly localCloud: {
    readonly source: SnapshotSource;
    readonly dataDir: string;
    readonly publicGatewayPollMs?: number;
    /** Run the kernel data plane too, with this tag on the host's names. */
    readonly kernel?: { readonly tag: string };
    /** How many open files the gateways and simulated nodes may hold at once; null: no budget. */
    readonly openFiles?: number | null;
  } | null;
  /** The store lookups the worker asks for, run on the main thread. */
  readonly lookups: {
    dnsRecords(name: string, type: string, addresses: EndpointAddressBook): Promise<PrivateDnsAnswer | PrivateDnsRecord[] | undefined>;
    horizon(clusterId: string, targetName: string, via: { endpointId?: string; sni?: string; public?: boolean }): Promise<HorizonAnswer | undefined>;
    /** The database user who may log in to a deployment's nodes. Absent: nobody can log in. */
    databaseUser?(deploymentId: string, username: string): Promise<UserAnswer | undefined>;
    /** Whether the App Services front end serves an app for a request (absent: it serves nothing). */
    appAccess?(clientAppId: string, via: FrontEndVia, channel: 'general' | 'sync'): Promise<FrontEndAccess>;
    /** The public gateway's listeners, every one or what changed since version `since` (absent: it has none). */
    publicRoutes?(since: number | undefined): Promise<PublicRouteUpdate>;
    /** A project's IP access list for the public gateway (absent: it admits nobody). */
    accessList?(projectId: string): Promise<readonly PublicAccessRule[]>;
  };
  /** The store's write counter: cached answers in the worker are dropped when it moves. */
  readonly writes: { readonly value: number };
  /**
   * A counter that moves when the tables the public routes are read from are written (absent:
   * `writes`): only then does the worker's public gateway ask for its whole list of routes again
   * (besides its own slow poll, which sees other replicas' writes).
   */
  readonly publicRouteWrites?: { readonly value: number };
  readonly log: Logger;
  /**
   * Called on the main thread with each local-cloud snapshot that differs from the last (the
   * cloud announced a change, or a lazy transition fell due). Must not throw.
   */
  readonly onSnapshot?: (snapshot: DataPlaneSnapshot) => void;
  readonly logLevel: LogLevel;
  readonly bounds?: LookupBounds;
  /** Called after the worker was restarted following a crash: its simulated nodes are gone and must be ensured again. */
  readonly onRestart?: () => Promise<void>;
  /** The worker's heap reports (every few seconds), for metrics. Must not throw. */
  readonly onHeap?: (heap: DataPlaneHeap) => void;
  /** The worker's counter deltas (gateway connections and bytes, DNS queries), for metrics. Must not throw. */
  readonly onCounts?: (counts: DataPlaneCounts) => void;
  /** A worker whose event loop is stuck this long (ms) is terminated and restarted. Default 5000. */
  readonly stallMs?: number;
}

const WORKER_URL = new URL('./data-plane.worker.js', import.meta.url);
const START_TIMEOUT_MS = 30_000;
const STOP_TIMEOUT_MS = 5_000;
const INVALIDATE_EVERY_MS = 100;
const HEARTBEAT_MS = 250;
/** Database-user lookups under way at once on the main thread (each two or three statements; about 1 ms on PostgreSQL). */
const USER_LOOKUPS_AT_ONCE = 1;

/**
 * The main thread's handle on the data plane, which runs in one worker thread
 * (data-plane.worker.ts). It feeds the worker the local cloud's snapshots, answers its store
 * lookups, and is the reconciler's simulated-node runtime (`ensure`/`remove` are calls into the
 * worker; `addressOf` is served from a mirror the call results keep). A worker that dies is
 * logged and restarted with the latest snapshot on the same DNS port; the control plane keeps
 * running meanwhile (calls wait for the new worker, or fail if they were in flight). So is a
 * worker whose event loop stays stuck longer than `stallMs` (one endless synchronous task).
 */
export class DataPlaneHost implements EndpointAddressBook {
  /** The live worker (from spawn to exit), and the same once it reported ready. */
  private worker: Worker | undefined;
  private readyWorker: Worker | undefined;
  private waiters: Array<{ resolve(worker: Worker): void; reject(error: Error): void }> = [];
  private readonly calls = new PendingRequests<EnsureResult | AppServicesFrontEndAddresses | SimulatedNodeStatus[] | null>();
  private readonly nodes = new Map<string, Readonly<Record<string, NodeAddress>>>();
  /** The App Services front end's public port, kept across worker restarts. */
  private appServicesPublicPort: number | undefined;
  private readonly feed: SnapshotFeed | undefined;
  private readonly bounds: LookupBounds;
  private dnsPortBound = 0;
  private caPathReported: string | null = null;
  private closing = false;
  private restartDelayMs = 200;
  private restartTimer: NodeJS.Timeout | undefined;
  private invalidator: NodeJS.Timeout | undefined;
  private seenWrites: number;
  private seenRouteWrites: number;
  private readonly watchdog: WorkerWatchdog;
  /** Database-user lookups, a few at a time (main-thread-turns.ts): a login flood must not stall the Admin API. */
  private readonly userLookups = new MainThreadTurns(USER_LOOKUPS_AT_ONCE);

  private constructor(private readonly options: DataPlaneHostOptions) {
    this.bounds = options.bounds ?? DEFAULT_LOOKUP_BOUNDS;
    this.seenWrites = options.writes.value;
    this.seenRouteWrites = (options.publicRouteWrites ?? options.writes).value;
    this.feed = options.localCloud
      ? new SnapshotFeed(
          options.localCloud.source,
          (snapshot, diff) => {
            // In order to the ready worker, whose picture is the last one published: a worker
            // that starts gets the whole latest picture when it is ready (see spawn).
            this.postToReady({ type: 'snapshot-diff', diff });
            options.onSnapshot?.(snapshot);
          },
          options.log.child({ component: 'gateway' }),
        )
      : undefined;
    this.watchdog = new WorkerWatchdog({
      intervalMs: HEARTBEAT_MS,
      stallMs: options.stallMs ?? 5000,
      ping: () => this.postToReady({ type: 'ping' }),
      onStall: (silentMs) => {
        const stuck = this.readyWorker;
        if (!stuck) return;
        this.options.log.error('data-plane worker unresponsive; terminating it', { silentMs });
        void stuck.terminate();
      },
    });
  }

  /** Starts the worker and resolves once the private DNS, the gateway and the CA are ready. */
  static async start(options: DataPlaneHostOptions): Promise<DataPlaneHost> {
    const host = new DataPlaneHost(options);
    try {
      await host.feed?.start();
      await host.spawn();
    } catch (error) {
      await host.close();
      throw error;
    }
    host.invalidator = setInterval(() => host.invalidateOnWrites(), INVALIDATE_EVERY_MS);
    host.invalidator.unref();
    return host;
  }

  /** Port of the private DNS server (UDP and TCP). */
  get dnsPort(): number {
    return this.dnsPortBound;
  }

  /** The local CA's certificate (`tlsCAFile=`); null without the local cloud. */
  get caPath(): string | null {
    return this.caPathReported;
  }

  /** An endpoint's addresses while it forwards, from the last snapshot posted to the gateway. */
  addressesOf(endpointId: string): string[] {
    return forwardingAddresses(this.feed?.latest, endpointId);
  }

  /** Whether the local cloud forwards this endpoint now (its addresses may still be none: every zone down). */
  carries(endpointId: string): boolean {
    return forwardingEndpoint(this.feed?.latest, endpointId);
  }

  /** Starts (or re-shapes) a cluster's simulated nodes in the worker; true when their addresses changed. */
  async ensure(cluster: ClusterRecord): Promise<boolean> {
    const result = await this.call({ method: 'ensure', cluster });
    this.nodes.set(cluster.id, result?.addresses ?? {});
    return result?.moved ?? false;
  }

  /** Starts a serverless instance's simulated front end in the worker; true when its address changed. */
  async ensureFrontEnd(instance: ServerlessFrontEnd): Promise<boolean> {
    const result = await this.call({ method: 'ensureFrontEnd', instance });
    this.nodes.set(instance.id, result?.addresses ?? {});
    return result?.moved ?? false;
  }

  /**
   * Starts the App Services front end in the worker (once; idempotent): where it listens behind
   * the endpoint services (PROXY v2) and on its public side. A restarted worker starts a new one,
   * on the same public port when it is free (the address `bootstrap.json` gives users).
   */
  async ensureAppServicesFrontEnd(): Promise<AppServicesFrontEndAddresses> {
    const addresses = (await this.request({
      method: 'ensureAppServicesFrontEnd',
      ...(this.appServicesPublicPort ? { publicPort: this.appServicesPublicPort } : {}),
    })) as AppServicesFrontEndAddresses;
    this.appServicesPublicPort ??= addresses.public.port;
    return addresses;
  }

  /** Stops a cluster's simulated nodes, or a serverless instance's front end (idempotent). */
  async remove(clusterId: string): Promise<void> {
    await this.call({ method: 'remove', clusterId });
    this.nodes.delete(clusterId);
  }

  /** The node fault switch: takes one simulated node of a cluster down or brings it back up (see SimulatedClusterRuntime.setNodeState). */
  async setNodeState(clusterId: string, targetName: string, state: SimulatedNodeState): Promise<SimulatedNodeStatus[]> {
    return (await this.request({ method: 'setNodeState', clusterId, targetName, state })) as SimulatedNodeStatus[];
  }

  /** Where every node of a cluster listens, by target name, as the worker last reported it (empty when none runs). */
  nodesOf(clusterId: string): Readonly<Record<string, { host: string; port: number }>> {
    return this.nodes.get(clusterId) ?? {};
  }

  /** Where a target's simulated node listens, as the worker last reported it. */
  addressOf(clusterId: string, targetName: string): { host: string; port: number } | undefined {
    return this.nodes.get(clusterId)?.[targetName];
  }

  /** Stops the worker (its sockets and nodes close first) and the snapshot feed. */
  async close(): Promise<void> {
    this.closing = true;
    clearInterval(this.invalidator);
    clearTimeout(this.restartTimer);
    this.watchdog.stop();
    for (const waiter of this.waiters.splice(0)) waiter.reject(new Error('the data plane is closed'));
    await this.feed?.stop();
    const worker = this.worker;
    if (worker) {
      const stopped = new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, STOP_TIMEOUT_MS);
        const done = () => {
          clearTimeout(timer);
          resolve();
        };
        worker.once('exit', done);
        worker.on('message', (message: FromWorker) => message.type === 'stopped' && done());
      });
      post(worker, { type: 'stop' });
      await stopped;
      await worker.terminate();
    }
    this.calls.rejectAll(new Error('the data plane is closed'));
  }

  private async call(call: RuntimeCall): Promise<EnsureResult | null> {
    return (await this.request(call)) as EnsureResult | null;
  }

  private async request(call: RuntimeCall): Promise<EnsureResult | AppServicesFrontEndAddresses | SimulatedNodeStatus[] | null> {
    const worker = await this.whenReady();
    return this.calls.request((id) => post(worker, { type: 'call', id, call }));
  }

  private whenReady(): Promise<Worker> {
    if (this.readyWorker) return Promise.resolve(this.readyWorker);
    if (this.closing) return Promise.reject(new Error('the data plane is closed'));
    // A call waits for a restarting worker, but not forever (the reconciler retries it later).
    return new Promise((resolve, reject) => {
      const waiter = {
        resolve: (worker: Worker) => {
          clearTimeout(timer);
          resolve(worker);
        },
        reject,
      };
      const timer = setTimeout(() => {
        this.waiters = this.waiters.filter((w) => w !== waiter);
        reject(new Error(`the data plane is not running (no worker ready in ${START_TIMEOUT_MS} ms)`));
      }, START_TIMEOUT_MS);
      timer.unref();
      this.waiters.push(waiter);
    });
  }

  /** Posts to the ready worker; dropped while there is none (a new worker starts from the latest state). */
  private postToReady(message: ToWorker): void {
    if (this.readyWorker) post(this.readyWorker, message);
  }

  /** Starts a worker; resolves when it reports ready, rejects when it fails or exits before. */
  private spawn(): Promise<Worker> {
    const config: DataPlaneWorkerConfig = {
      dns: { ...this.options.dns, port: this.dnsPortBound || this.options.dns.port },
      localCloud:
        this.options.localCloud && this.feed?.latest
          ? {
              dataDir: this.options.localCloud.dataDir,
              snapshot: postableSnapshot(this.feed.latest),
              publicGatewayPollMs: this.options.localCloud.publicGatewayPollMs,
              ...(this.options.localCloud.kernel ? { kernel: this.options.localCloud.kernel } : {}),
              openFiles: this.options.localCloud.openFiles ?? null,
            }
          : null,
      logLevel: this.options.logLevel,
      bounds: this.bounds,
    };
    const worker = new Worker(WORKER_URL, { workerData: config, name: 'privlink-data-plane' });
    this.worker = worker;
    const startedAt = Date.now();
    return new Promise<Worker>((resolve, reject) => {
      const timer = setTimeout(() => {
        reject(new Error(`the data plane did not start in ${START_TIMEOUT_MS} ms`));
        void worker.terminate();
      }, START_TIMEOUT_MS);
      worker.on('message', (message: FromWorker) => {
        if (this.readyWorker === worker) this.watchdog.alive();
        if (message.type === 'ready') {
          clearTimeout(timer);
          this.dnsPortBound = message.dnsPort;
          this.caPathReported = message.caPath;
          this.readyWorker = worker;
          this.watchdog.start();
          // A snapshot taken while the worker started is not lost: post the latest once more.
          if (this.feed?.latest) post(worker, { type: 'snapshot', snapshot: postableSnapshot(this.feed.latest) });
          for (const waiter of this.waiters.splice(0)) waiter.resolve(worker);
          resolve(worker);
        } else if (message.type === 'failed') {
          clearTimeout(timer);
          reject(new Error(`the data plane could not start: ${message.error}`));
          void worker.terminate();
        } else {
          this.receive(worker, message);
        }
      });
      worker.on('error', (error) => this.options.log.error('data-plane worker failed', { error: error.stack ?? error.message }));
      worker.on('exit', (code) => {
        clearTimeout(timer);
        const wasReady = this.readyWorker === worker;
        if (!wasReady) reject(new Error(`the data plane exited (code ${code}) before it was ready`));
        if (this.worker !== worker) return;
        this.worker = undefined;
        this.readyWorker = undefined;
        this.watchdog.stop();
        if (this.closing || this.dnsPortBound === 0) return; // closing, or the first start failed (reported by start())
        this.calls.rejectAll(new Error('the data-plane worker stopped; the call may not have run'));
        this.nodes.clear();
        if (wasReady && Date.now() - startedAt > 5_000) this.restartDelayMs = 200;
        this.options.log.error('data-plane worker exited; restarting it', { code, restartInMs: this.restartDelayMs });
        this.restartLater();
      });
    });
  }

  private restartLater(): void {
    const delay = this.restartDelayMs;
    this.restartDelayMs = Math.min(this.restartDelayMs * 2, 5_000);
    this.restartTimer = setTimeout(() => {
      if (this.closing) return;
      this.spawn()
        .then(
          async () => {
            this.options.log.info('data-plane worker restarted', { dnsPort: this.dnsPortBound });
            await this.options.onRestart?.();
          },
          (error: Error) => this.options.log.error('data-plane worker restart failed', { error: error.message }),
        )
        .catch((error: Error) => this.options.log.error('data-plane restart follow-up failed', { error: error.message }));
    }, delay);
  }

  private receive(worker: Worker, message: FromWorker): void {
    switch (message.type) {
      case 'log':
        this.options.log[message.level](message.msg, message.fields);
        break;
      case 'call-result':
        this.calls.settle(message.id, message);
        break;
      case 'lookup':
        void this.answer(worker, message.id, message.lookup);
        break;
      case 'counts':
        this.options.onCounts?.(message.counts);
        break;
      case 'heap':
        this.options.onHeap?.(message.heap);
        break;
      default:
        break;
    }
  }

  private async answer(worker: Worker, id: number, lookup: Lookup): Promise<void> {
    const before = this.options.writes.value;
    try {
      const value =
        lookup.kind === 'dns'
          ? await this.options.lookups.dnsRecords(lookup.name, lookup.type, this)
          : lookup.kind === 'user'
            ? await this.userLookups.run(async () => this.options.lookups.databaseUser?.(lookup.deploymentId, lookup.username))
            : lookup.kind === 'appAccess'
              ? await this.appAccess(lookup.clientAppId, { endpointId: lookup.endpointId, clientAddress: lookup.clientAddress }, lookup.channel)
              : lookup.kind === 'publicRoutes'
                ? ((await this.options.lookups.publicRoutes?.(lookup.since)) ?? { version: 0, whole: [] })
                : lookup.kind === 'accessList'
                  ? ((await this.options.lookups.accessList?.(lookup.projectId)) ?? [])
                  : await this.options.lookups.horizon(lookup.clusterId, lookup.targetName, lookup.via);
      post(worker, { type: 'lookup-result', id, ok: true, value, cacheable: this.options.writes.value === before });
    } catch (error) {
      post(worker, { type: 'lookup-result', id, ok: false, error: (error as Error).message });
    }
  }

  private appAccess(clientAppId: string, via: FrontEndVia, channel: 'general' | 'sync'): Promise<FrontEndAccess> {
    const decide = this.options.lookups.appAccess;
    return decide ? decide(clientAppId, via, channel) : Promise.resolve({ serve: false, status: 404, reason: 'app not found' });
  }

  private invalidateOnWrites(): void {
    const writes = this.options.writes.value;
    if (writes === this.seenWrites) return;
    this.seenWrites = writes;
    const routeWrites = (this.options.publicRouteWrites ?? this.options.writes).value;
    const publicRoutes = routeWrites !== this.seenRouteWrites;
    this.seenRouteWrites = routeWrites;
    this.postToReady({ type: 'invalidate', publicRoutes });
  }
}

/** Posts to a worker that may already be gone (a dead worker's messages are dropped). */
function post(worker: Worker, message: ToWorker): void {
  try {
    worker.postMessage(message);
  } catch {
    // The worker exited; its successor gets the latest state when it starts.
  }
}
