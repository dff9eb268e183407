import type { Logger } from '../../logging/logger.js';
import {
  forwardingAddresses,
  type DataPlaneSnapshot,
  type SnapshotListener,
  type SnapshotNetworkInterface,
  type SnapshotSource,
  type SnapshotVpcEndpoint,
} from '../aws/data-plane-snapshot.js';
import { CoalescedPass } from '../dataplane/coalesced-pass.js';
import { awsVpceIdTlv, proxyHeaderForSocket } from '../dataplane/proxy-protocol.js';
import { TcpForwarder } from '../dataplane/tcp-forwarder.js';
import { TcpListenerSet, type DesiredListener, type PeerAddress } from '../dataplane/tcp-listener-set.js';
import { securityGroupsAllow, sourceOf } from './security-groups.js';

/**
 * The local cloud's network load balancers, carrying real TCP (the gateway). Like AWS
 * PrivateLink, each **available** VPC endpoint presents its service's load-balancer listeners on
 * the addresses of its own network interfaces in the customer's subnets (loopback addresses here,
 * see loopback.ts): a connection to `<endpoint address>:<listener port>` is forwarded, in one hop,
 * to a target of that listener's target group (round robin), with a PROXY v2 header carrying the
 * VPC endpoint id (TLV 0xEA/0x01) when the target group asks for it.
 *
 * One way: the load balancers have no listening address of their own, and nothing is ever opened
 * towards the customer side. A connection is refused before a byte is read when it comes from
 * another VPC (no route), or when the endpoint's security groups have no inbound rule for its
 * source and port. When an endpoint stops forwarding (rejected, deleted, its service gone) its
 * listeners close and its open connections are dropped: the gateway follows its snapshot source's
 * change notifications (the local cloud, or snapshots posted to the data-plane worker), the next
 * scheduled transition, and a poll every `pollMs`.
 */
export class NlbGateway {
  private readonly listeners: TcpListenerSet;
  private readonly forwarder = new TcpForwarder();
  private snapshot: DataPlaneSnapshot | undefined;
  private unsubscribe: (() => void) | undefined;
  private poll: NodeJS.Timeout | undefined;
  private transition: NodeJS.Timeout | undefined;
  private readonly passes = new CoalescedPass(
    () => this.pass(),
    (error) => this.log.warn('gateway pass failed', { error: error.message }),
  );
  private readonly roundRobin = new Map<string, number>();

  constructor(
    private readonly cloud: SnapshotSource,
    private readonly log: Logger,
    private readonly pollMs = 500,
  ) {
    this.listeners = new TcpListenerSet({
      onRefused: (peer, listener) => this.log.debug('gateway refused a connection', { peer: `${peer.address}:${peer.port}`, listener: listener.key }),
      onError: (error, listener) => this.log.warn('gateway listener error', { listener: listener.key, error: error.message }),
    });
  }

  async start(): Promise<void> {
    this.unsubscribe = this.cloud.onChange(() => void this.reconcile());
    this.poll = setInterval(() => void this.reconcile(), this.pollMs);
    this.poll.unref();
    await this.reconcile();
  }

  async stop(): Promise<void> {
    this.unsubscribe?.();
    clearInterval(this.poll);
    clearTimeout(this.transition);
    await this.passes.stop();
    this.forwarder.closeAll();
    await this.listeners.closeAll();
  }

  /** The addresses of an endpoint's network interfaces while it forwards (for private DNS A records). */
  addressesOf(vpcEndpointId: string): string[] {
    return forwardingAddresses(this.snapshot, vpcEndpointId);
  }

  /** Live forwarded connections (tests, metrics). */
  get connectionCount(): number {
    return this.forwarder.size;
  }

  /** Brings the listeners in line with the local cloud now (coalesces concurrent calls). */
  reconcile(): Promise<void> {
    return this.passes.run();
  }

  private async pass(): Promise<void> {
    const snapshot = await this.cloud.snapshot();
    this.snapshot = snapshot;
    const desired: DesiredListener[] = [];
    const live = new Set<string>();
    for (const endpoint of snapshot.vpcEndpoints) {
      if (!endpoint.forwarding) continue;
      const service = snapshot.endpointServices.find((s) => s.serviceId === endpoint.serviceId);
      const balancers = snapshot.loadBalancers.filter((lb) => service?.loadBalancerArns.includes(lb.arn) && lb.state === 'active');
      for (const eni of endpoint.networkInterfaces) {
        for (const lb of balancers) {
          for (const listener of lb.listeners) {
            const key = `${eni.loopbackAddress}:${listener.port}`;
            live.add(`${endpoint.vpcEndpointId}|${key}`);
            desired.push({
              address: eni.loopbackAddress,
              port: listener.port,
              handlers: {
                accept: (peer) => this.admits(snapshot, endpoint, eni, listener, peer),
                onConnection: (socket) => this.forward(socket, endpoint, listener),
              },
            });
          }
        }
      }
    }
    const result = await this.listeners.reconcile(desired);
    for (const failure of result.failed) this.log.warn('gateway could not listen', { listener: failure.key, error: failure.error.message });
    // Connections of endpoints (or listeners) that no longer forward are dropped at once.
    this.forwarder.closeWhere((connection) => !live.has(`${connection.labels.endpoint}|${connection.labels.listener}`));
    clearTimeout(this.transition);
    if (snapshot.nextTransitionAt && !this.passes.isStopped) {
      const wait = Math.max(0, snapshot.nextTransitionAt.getTime() - Date.now()) + 5;
      if (wait < this.pollMs) {
        this.transition = setTimeout(() => void this.reconcile(), wait);
        this.transition.unref();
      }
    }
  }

  private admits(snapshot: DataPlaneSnapshot, endpoint: SnapshotVpcEndpoint, eni: SnapshotNetworkInterface, listener: SnapshotListener, peer: PeerAddress): boolean {
    const source = sourceOf(snapshot, peer.address);
    if (source.vpcId !== undefined && source.vpcId !== endpoint.vpcId) return false; // another VPC: no route to this address
    const groups = snapshot.securityGroups.filter((g) => endpoint.securityGroupIds.includes(g.groupId));
    return securityGroupsAllow(groups, source.ip, 'tcp', listener.port) && eni.loopbackAddress.length > 0;
  }

  private forward(socket: import('node:net').Socket, endpoint: SnapshotVpcEndpoint, listener: SnapshotListener): void {
    const targets = listener.targetGroup.targets;
    if (targets.length === 0) {
      socket.destroy();
      return;
    }
    const next = this.roundRobin.get(listener.arn) ?? 0;
    this.roundRobin.set(listener.arn, next + 1);
    const target = targets[next % targets.length]!;
    this.forwarder.forward(socket, {
      target: { host: target.loopbackAddress ?? target.id, port: target.port },
      ...(listener.targetGroup.proxyProtocolV2 ? { proxyHeader: proxyHeaderForSocket(socket, [awsVpceIdTlv(endpoint.vpcEndpointId)]) } : {}),
      labels: { endpoint: endpoint.vpcEndpointId, listener: `${socket.localAddress}:${listener.port}` },
    });
  }
}
