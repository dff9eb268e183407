import type { Socket } from 'node:net';
import { entryAdmits, type AccessListEntry } from '../../domain/access-list.js';
import type { Logger } from '../../logging/logger.js';
import { CoalescedPass } from '../dataplane/coalesced-pass.js';
import { OpenFileBudgetSpent, type OpenFileBudget } from '../dataplane/open-file-budget.js';
import { proxyHeaderForSocket } from '../dataplane/proxy-protocol.js';
import { TcpForwarder, type ConnectionLabels, type ForwardTarget } from '../dataplane/tcp-forwarder.js';
import { TcpListenerSet, type DesiredListener, type ListenerHandlers } from '../dataplane/tcp-listener-set.js';
import type { GatewayObserver } from './private-link-gateway.js';

/**
 * One listener of the public gateway: `address:port` reaches the target `targetName` of the
 * deployment `clusterId` (a cluster, or a serverless instance and its front end).
 */
export interface PublicGatewayRoute {
  readonly address: string;
  readonly port: number;
  readonly projectId: string;
  readonly clusterId: string;
  readonly targetName: string;
}

/**
 * An answer to `routes(since)`: every route (`whole`), or the routes of each project changed
 * since version `since`, all of that project's (none: it has none now). `version` is what to ask
 * with next.
 */
export type PublicRouteUpdate =
  | { readonly version: number; readonly whole: readonly PublicGatewayRoute[] }
  | { readonly version: number; readonly projects: ReadonlyArray<readonly [projectId: string, routes: readonly PublicGatewayRoute[]]> };

/** An access-list entry as the gateway checks it. */
export type PublicAccessRule = Pick<AccessListEntry, 'entryKey' | 'kind' | 'deleteAfterDate'>;

export interface PublicGatewayOptions {
  /**
   * The listeners there should be now, asked on every pass with the version of the last answer
   * taken in (none on the first pass): every route, or the routes of each project changed since.
   */
  readonly routes: (since: number | undefined) => Promise<PublicRouteUpdate>;
  /** The project's IP access list (asked for every connection; the caller caches). */
  readonly accessList: (projectId: string) => Promise<readonly PublicAccessRule[]>;
  /** Where a deployment target's simulated node listens now; undefined when it does not run. */
  readonly target: (clusterId: string, targetName: string) => ForwardTarget | undefined;
  readonly log: Logger;
  readonly observer?: GatewayObserver;
  /** The data plane's open-file budget, shared with its other parts (listeners and connections beyond it are refused). */
  readonly budget?: OpenFileBudget;
  /** Passes also run this often (ms), besides `refresh()` (store writes call it). Default 5000. */
  readonly pollMs?: number;
  /**
   * A pass starts at least this long (ms) after the previous one started; calls meanwhile make one
   * pass then, so a stream of writes is taken in a second's worth at a time. Default 1000.
   */
  readonly minPassGapMs?: number;
}

/**
 * The public path to clusters and serverless instances, as Atlas offers it beside private
 * endpoints: one listener per cluster target on the public gateway address of the target's project
 * region (`127.<loopbackBase>.x.y`, see domain/public-topology.ts) and the target's port, and one
 * per serverless instance on its own address and port 27017 (its front end). A connection is
 * let in only when its source address matches a live entry of the project's IP access list
 * (`entryAdmits`: expired entries and `awsSecurityGroup` entries admit nobody); otherwise it is
 * reset before a byte of it is read. An admitted connection is forwarded to the target's simulated
 * node with a PROXY v2 header that carries the client's address and no endpoint TLV (a cluster's
 * node then answers in the public horizon; a serverless front end answers alike on every path). Access-list changes apply to the next connection; connections
 * already admitted are kept.
 */
export class PublicGateway {
  private readonly listeners: TcpListenerSet;
  private readonly forwarder: TcpForwarder;
  private poll: NodeJS.Timeout | undefined;
  private readonly passes: CoalescedPass;
  /** The version of the last answer taken in; undefined until a pass took every route. */
  private version: number | undefined;
  /** Each project's routes as last taken in. */
  private readonly byProject = new Map<string, readonly PublicGatewayRoute[]>();
  /** Listeners that could not be opened (by key), tried again on every pass. */
  private readonly failed = new Map<string, PublicGatewayRoute>();

  constructor(private readonly options: PublicGatewayOptions) {
    this.passes = new CoalescedPass(
      () => this.pass(),
      (error) => this.options.log.warn('public gateway pass failed', { error: error.message }),
      options.minPassGapMs ?? 1000,
    );
    const observer = options.observer;
    const budget = options.budget;
    this.forwarder = new TcpForwarder({
      ...(observer ? { onClose: (_connection, end) => observer.closed(end.bytesFromClient, end.bytesFromUpstream) } : {}),
      ...(budget ? { budget } : {}),
    });
    this.listeners = new TcpListenerSet({
      ...(budget ? { budget } : {}),
      onError: (error, listener) => options.log.warn('public gateway listener error', { listener: listener.key, error: error.message }),
    });
  }

  async start(): Promise<void> {
    this.poll = setInterval(() => void this.refresh(), this.options.pollMs ?? 5000);
    this.poll.unref();
    await this.refresh();
  }

  async stop(): Promise<void> {
    clearInterval(this.poll);
    await this.passes.stop();
    this.forwarder.closeAll();
    await this.listeners.closeAll();
  }

  /** Brings the listeners in line with the routes now (coalesces concurrent calls). */
  refresh(): Promise<void> {
    return this.passes.run();
  }

  private async pass(): Promise<void> {
    const update = await this.options.routes(this.version);
    if ('whole' in update) await this.wholePass(update.whole);
    else await this.projectsPass(update.projects);
    this.version = update.version;
  }

  /** Warns of a listener that could not be opened, but not of one the spent open-file budget held back (the budget's own warning speaks for those). */
  private couldNotListen(key: string, error: Error): void {
    if (!(error instanceof OpenFileBudgetSpent)) this.options.log.warn('public gateway could not listen', { listener: key, error: error.message });
  }

  /** Converges on every route: opens, keeps and closes listeners, and drops the connections of listeners that changed hands. */
  private async wholePass(routes: readonly PublicGatewayRoute[]): Promise<void> {
    const desired: DesiredListener[] = routes.map((route) => ({ address: route.address, port: route.port, handlers: this.handlers(route) }));
    const result = await this.listeners.reconcile(desired);
    const failedBefore = new Set(this.failed.keys());
    this.failed.clear();
    const byKey = new Map(routes.map((route) => [listenerKey(route), route]));
    for (const failure of result.failed) {
      if (!failedBefore.has(failure.key)) this.couldNotListen(failure.key, failure.error);
      const route = byKey.get(failure.key);
      if (route) this.failed.set(failure.key, route);
    }
    this.byProject.clear();
    for (const route of routes) {
      const held = this.byProject.get(route.projectId);
      if (held) (held as PublicGatewayRoute[]).push(route);
      else this.byProject.set(route.projectId, [route]);
    }
    const live = new Set(routes.map((r) => `${listenerKey(r)}|${r.clusterId}`));
    this.forwarder.closeWhere((connection) => !live.has(`${connection.labels.listener}|${connection.labels.cluster}`));
  }

  /**
   * Takes in the routes of the projects that changed: closes the listeners they no longer want
   * (unless another of them now wants that address), opens or re-points the ones they want,
   * tries again the ones that could not be opened before, and drops the connections of listeners
   * that closed or changed hands. Touches nothing of the other projects.
   */
  private async projectsPass(projects: ReadonlyArray<readonly [string, readonly PublicGatewayRoute[]]>): Promise<void> {
    const wanted = new Map<string, PublicGatewayRoute>();
    for (const [, routes] of projects) for (const route of routes) wanted.set(listenerKey(route), route);
    const gone = new Set<string>();
    const closing: string[] = [];
    for (const [projectId, routes] of projects) {
      for (const old of this.byProject.get(projectId) ?? []) {
        const key = listenerKey(old);
        const now = wanted.get(key);
        if (now?.clusterId !== old.clusterId) gone.add(`${key}|${old.clusterId}`);
        if (!now) closing.push(key);
      }
      if (routes.length > 0) this.byProject.set(projectId, routes);
      else this.byProject.delete(projectId);
    }
    for (const key of closing) this.failed.delete(key);
    await Promise.all(closing.map((key) => this.listeners.close(key)));
    // Listeners that could not be opened before are tried again while the open-file budget has room
    // (thousands refused again on every pass would keep this thread busy).
    const retries: Array<[string, PublicGatewayRoute]> = [];
    let room = this.options.budget?.room ?? Number.POSITIVE_INFINITY;
    for (const entry of this.failed) {
      if (room-- <= 0) break;
      retries.push(entry);
    }
    const opening = new Map([...retries, ...wanted]);
    await Promise.all([...opening].map(([key, route]) => this.open(key, route)));
    if (gone.size > 0) this.forwarder.closeWhere((connection) => gone.has(`${connection.labels.listener}|${connection.labels.cluster}`));
  }

  /** Opens (or re-points) one route's listener; one that cannot be opened is tried again next pass. */
  private async open(key: string, route: PublicGatewayRoute): Promise<void> {
    try {
      await this.listeners.ensure({ address: route.address, port: route.port }, this.handlers(route));
      this.failed.delete(key);
    } catch (error) {
      if (!this.failed.has(key)) this.couldNotListen(key, error as Error);
      this.failed.set(key, route);
    }
  }

  private handlers(route: PublicGatewayRoute): ListenerHandlers {
    // One labels object for every connection through this route's listener.
    const labels: ConnectionLabels = { listener: listenerKey(route), cluster: route.clusterId, project: route.projectId };
    return { onConnection: (socket) => void this.admit(socket, route, labels) };
  }

  private async admit(socket: Socket, route: PublicGatewayRoute, labels: ConnectionLabels): Promise<void> {
    socket.on('error', () => socket.destroy());
    const peer = socket.remoteAddress ?? '';
    let rules: readonly PublicAccessRule[] = [];
    try {
      rules = await this.options.accessList(route.projectId);
    } catch (error) {
      this.options.log.warn('public gateway could not read the access list; refusing', { projectId: route.projectId, error: (error as Error).message });
    }
    const now = new Date();
    if (socket.destroyed) return;
    if (!rules.some((rule) => entryAdmits(rule, peer, now))) {
      this.options.observer?.refusal();
      this.options.log.debug('public gateway refused a client not on the access list', { peer, listener: `${route.address}:${route.port}` });
      socket.resetAndDestroy();
      return;
    }
    const target = this.options.target(route.clusterId, route.targetName);
    if (!target) {
      socket.destroy();
      return;
    }
    this.options.observer?.connection();
    this.forwarder.forward(socket, {
      target,
      proxyHeader: proxyHeaderForSocket(socket, []),
      labels,
    });
  }
}

/** A route's listener key (`address:port`, as TcpListenerSet keys it and connections are labelled). */
function listenerKey(route: PublicGatewayRoute): string {
  return `${route.address}:${route.port}`;
}
