import type { Socket } from 'node:net';
import { entryAdmits, type AccessListEntry } from '../../domain/access-list.js';
import type { Logger } from '../../logging/logger.js';
import { CoalescedPass } from '../dataplane/coalesced-pass.js';
import { proxyHeaderForSocket } from '../dataplane/proxy-protocol.js';
import { TcpForwarder, type ConnectionLabels, type ForwardTarget } from '../dataplane/tcp-forwarder.js';
import { TcpListenerSet, type DesiredListener } from '../dataplane/tcp-listener-set.js';
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

/** An access-list entry as the gateway checks it. */
export type PublicAccessRule = Pick<AccessListEntry, 'entryKey' | 'kind' | 'deleteAfterDate'>;

export interface PublicGatewayOptions {
  /** The listeners there should be now (asked on every pass). */
  readonly routes: () => Promise<readonly PublicGatewayRoute[]>;
  /** The project's IP access list (asked for every connection; the caller caches). */
  readonly accessList: (projectId: string) => Promise<readonly PublicAccessRule[]>;
  /** Where a deployment target's simulated node listens now; undefined when it does not run. */
  readonly target: (clusterId: string, targetName: string) => ForwardTarget | undefined;
  readonly log: Logger;
  readonly observer?: GatewayObserver;
  /** Passes also run this often (ms), besides `refresh()` (store writes call it). Default 5000. */
  readonly pollMs?: number;
  /**
   * A pass starts at least this long (ms) after the previous one started; calls meanwhile make one
   * pass then. Each pass reads every route, so a stream of writes must not read them back to back.
   * Default 1000.
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

  constructor(private readonly options: PublicGatewayOptions) {
    this.passes = new CoalescedPass(
      () => this.pass(),
      (error) => this.options.log.warn('public gateway pass failed', { error: error.message }),
      options.minPassGapMs ?? 1000,
    );
    const observer = options.observer;
    this.forwarder = new TcpForwarder(observer ? { onClose: (_connection, end) => observer.closed(end.bytesFromClient, end.bytesFromUpstream) } : {});
    this.listeners = new TcpListenerSet({
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
    const routes = await this.options.routes();
    const desired: DesiredListener[] = routes.map((route) => {
      // One labels object for every connection through this route's listener.
      const labels: ConnectionLabels = { listener: `${route.address}:${route.port}`, cluster: route.clusterId, project: route.projectId };
      return { address: route.address, port: route.port, handlers: { onConnection: (socket) => void this.admit(socket, route, labels) } };
    });
    const result = await this.listeners.reconcile(desired);
    for (const failure of result.failed) this.options.log.warn('public gateway could not listen', { listener: failure.key, error: failure.error.message });
    const live = new Set(routes.map((r) => `${r.address}:${r.port}|${r.clusterId}`));
    this.forwarder.closeWhere((connection) => !live.has(`${connection.labels.listener}|${connection.labels.cluster}`));
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
