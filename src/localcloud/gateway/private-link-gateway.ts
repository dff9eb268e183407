import type { Logger } from '../../logging/logger.js';
import {
  forwardingAddresses,
  type DataPlaneSnapshot,
  type SnapshotEndpoint,
  type SnapshotNetworkInterface,
  type SnapshotPort,
  type SnapshotService,
  type SnapshotSource,
} from '../common/data-plane-snapshot.js';
import { CoalescedPass } from '../dataplane/coalesced-pass.js';
import { NO_BUDGET, OpenFileBudgetSpent, type OpenFileBudget } from '../dataplane/open-file-budget.js';
import { proxyHeaderForSocket } from '../dataplane/proxy-protocol.js';
import { TcpForwarder, type ConnectionLabels, type ForwardTarget } from '../dataplane/tcp-forwarder.js';
import { TcpListenerSet, type DesiredListener, type PeerAddress } from '../dataplane/tcp-listener-set.js';
import { endpointTlv } from './endpoint-tlv.js';
import { ForwardingIndex } from './forwarding-index.js';
import { routed } from './routed.js';
import { securityGroupsAllow, securityGroupsNamed, sourceOf } from './security-groups.js';

/**
 * The local cloud's private links, carrying real TCP (the gateway), for every emulated cloud
 * alike. Like AWS PrivateLink, Azure Private Link and GCP Private Service Connect, each
 * **forwarding** endpoint presents its service's load-balancer ports on the addresses of its own
 * network interfaces in the customer's subnets (loopback addresses here, see
 * common/loopback.ts): a connection to `<endpoint address>:<port>` is forwarded, in one hop, to a
 * target of that port (round robin), with a PROXY v2 header carrying the endpoint's TLV (AWS
 * 0xEA/0x01 VPC endpoint id, Azure 0xEE/0x01 LinkID, GCP 0xE0 PSC connection id, see
 * endpoint-tlv.ts) when the port or the service asks for it.
 *
 * One way: the load balancers have no listening address of their own, and nothing is ever opened
 * towards the customer side. A connection is refused before a byte is read when it comes from
 * another network with no routed path to the endpoint's address (snapshot `reach`: an active VPC
 * peering with routes both ways, an on-premises link), or when the endpoint's security groups have no inbound rule for its
 * source and port. When an endpoint stops forwarding (rejected, deleted, its service gone) its
 * listeners close and its open connections are dropped: the gateway follows its snapshot source's
 * change notifications (the local cloud, or snapshots posted to the data-plane worker), the next
 * scheduled transition, and a poll every `pollMs`.
 */
/** Told of the gateway's traffic (metrics). Must not throw. */
export interface GatewayObserver {
  /** A connection was accepted and is being forwarded. */
  connection(): void;
  /** A connection was refused before a byte was read (security group rules, another network). */
  refusal(): void;
  /** A forwarded connection ended, having carried these bytes. */
  closed(bytesFromClient: number, bytesFromUpstream: number): void;
}

/** One listener of the gateway and the snapshot objects its handlers were made from. */
interface ListenerBinding {
  readonly endpoint: SnapshotEndpoint;
  readonly eni: SnapshotNetworkInterface;
  readonly port: SnapshotPort;
  readonly proxyProtocol: boolean;
  readonly listener: DesiredListener;
  /** The pass that last wanted it. */
  stamp: number;
}

export class PrivateLinkGateway {
  private readonly listeners: TcpListenerSet;
  private readonly forwarder: TcpForwarder;
  private snapshot: DataPlaneSnapshot | undefined;
  private unsubscribe: (() => void) | undefined;
  private poll: NodeJS.Timeout | undefined;
  private transition: NodeJS.Timeout | undefined;
  private readonly passes = new CoalescedPass(
    () => this.pass(),
    (error) => this.log.warn('gateway pass failed', { error: error.message }),
  );
  private readonly roundRobin = new Map<string, number>();
  /** The listeners of the last pass, by `address:port`, with what they were made from. */
  private readonly bindings = new Map<string, ListenerBinding>();
  /** Each forwarding endpoint's listener keys, as the last passes wanted them. */
  private readonly wants = new Map<string, string[]>();
  /** Keys whose listener could not be opened (tried again on every pass). */
  private readonly unbound = new Set<string>();
  /** The last whole pass found two claims on one address and port: only whole passes decide then. */
  private overlapping = false;
  private readonly index = new ForwardingIndex();
  private passNumber = 0;

  constructor(
    private readonly cloud: SnapshotSource,
    private readonly log: Logger,
    private readonly pollMs = 500,
    private readonly observer?: GatewayObserver,
    /**
     * Whether a connection comes from a namespace of the kernel data plane, whose own rules admitted
     * it (the endpoint's security groups on its real source, reach) before its source was translated.
     */
    private readonly fromNamespace?: (address: string) => boolean,
    /** The data plane's open-file budget, shared with its other parts (listeners and connections beyond it are refused). */
    private readonly budget: OpenFileBudget = NO_BUDGET,
  ) {
    this.forwarder = new TcpForwarder({
      ...(observer ? { onClose: (_connection, end) => observer.closed(end.bytesFromClient, end.bytesFromUpstream) } : {}),
      budget,
    });
    this.listeners = new TcpListenerSet({
      budget,
      onRefused: (peer, listener) => {
        this.observer?.refusal();
        this.log.debug('gateway refused a connection', { peer: `${peer.address}:${peer.port}`, listener: listener.key });
      },
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
  addressesOf(endpointId: string): string[] {
    return forwardingAddresses(this.snapshot, endpointId);
  }

  /** Open listeners (benchmarks). */
  get listenerCount(): number {
    return this.listeners.size;
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
    const touched = this.index.follow(snapshot);
    if (touched === 'all' || this.overlapping || !(await this.passOver(touched))) await this.passWhole(snapshot);
    clearTimeout(this.transition);
    if (snapshot.nextTransitionAt && !this.passes.isStopped) {
      const wait = Math.max(0, snapshot.nextTransitionAt.getTime() - Date.now()) + 5;
      if (wait < this.pollMs) {
        this.transition = setTimeout(() => void this.reconcile(), wait);
        this.transition.unref();
      }
    }
  }

  /**
   * Every listener the picture wants, read whole: the first pass, and whenever the source cannot
   * say what changed. Where two endpoints want one address and port, the later in the picture wins.
   */
  private async passWhole(snapshot: DataPlaneSnapshot): Promise<void> {
    const desired: DesiredListener[] = [];
    // The bindings are updated in place, stamped with this pass: a pass over thousands of
    // unchanged listeners then leaves no per-listener garbage behind (strings, map entries) that
    // would outlive the young generation while the listeners open.
    const stamp = ++this.passNumber;
    this.wants.clear();
    this.overlapping = false;
    const claimed = new Set<string>();
    // Looked up by id: a pass stays linear in the size of the picture.
    const services = new Map<string, SnapshotService>();
    for (const service of snapshot.services) if (!services.has(service.serviceId)) services.set(service.serviceId, service);
    const balancerAt = new Map(snapshot.loadBalancers.map((lb, index) => [lb.loadBalancerId, index]));
    for (const endpoint of snapshot.endpoints) {
      if (!endpoint.forwarding) continue;
      const service = services.get(endpoint.serviceId);
      if (!service) continue;
      // The service's active load balancers, in the picture's order.
      const balancers = [...new Set(service.loadBalancerIds)]
        .map((id) => balancerAt.get(id))
        .filter((index): index is number => index !== undefined)
        .sort((a, b) => a - b)
        .map((index) => snapshot.loadBalancers.at(index)!)
        .filter((lb) => lb.active);
      const keys = this.wantedBy(endpoint.endpointId);
      for (const eni of endpoint.networkInterfaces) {
        for (const lb of balancers) {
          for (const port of lb.ports) {
            const binding = this.bindingFor(endpoint, eni, port, service.proxyProtocol);
            const key = binding.listener.name!;
            // Two claims on one address and port (the later binding replaced the earlier one).
            if (claimed.has(key)) this.overlapping = true;
            claimed.add(key);
            keys.push(key);
            // Already wanted by this pass (the very same binding): once is enough.
            if (binding.stamp === stamp) continue;
            binding.stamp = stamp;
            desired.push(binding.listener);
          }
        }
      }
    }
    for (const [key, binding] of this.bindings) if (binding.stamp !== stamp) this.bindings.delete(key);
    const result = await this.listeners.reconcile(desired);
    const failed = new Set(result.failed.map((failure) => failure.key));
    for (const key of this.unbound) if (!failed.has(key)) this.unbound.delete(key);
    for (const failure of result.failed) this.couldNotListen(failure.key, failure.error);
    // Connections of endpoints (or listeners) that no longer forward are dropped at once.
    this.forwarder.closeWhere((connection) => this.bindings.get(connection.labels.listener!)?.endpoint.endpointId !== connection.labels.endpoint);
  }

  /**
   * The listeners of the endpoints `touched` alone, the others left as they are. Answers false,
   * having changed nothing, when an address and port it would listen on is another endpoint's:
   * the whole picture decides that.
   */
  private async passOver(touched: ReadonlySet<string>): Promise<boolean> {
    // First what each touched endpoint wants (nothing changes yet), then the changes.
    const planned = new Map<string, Array<{ key: string; make: () => ListenerBinding }>>();
    const claimed = new Set<string>();
    for (const endpointId of touched) {
      const wanted: Array<{ key: string; make: () => ListenerBinding }> = [];
      const endpoint = this.index.endpoint(endpointId);
      const service = endpoint?.forwarding ? this.index.service(endpoint.serviceId) : undefined;
      if (endpoint && service) {
        for (const eni of endpoint.networkInterfaces) {
          for (const lb of this.index.activeBalancersOf(service)) {
            for (const port of lb.ports) {
              const key = listenerKey(eni, port);
              const holder = this.bindings.get(key)?.endpoint.endpointId;
              if (claimed.has(key) || (holder !== undefined && holder !== endpointId && !touched.has(holder))) return false;
              claimed.add(key);
              wanted.push({ key, make: () => this.bindingFor(endpoint, eni, port, service.proxyProtocol) });
            }
          }
        }
      }
      planned.set(endpointId, wanted);
    }
    let dropped = false;
    const opening: Array<Promise<void>> = [];
    for (const [endpointId, wanted] of planned) {
      for (const key of this.wants.get(endpointId) ?? []) {
        if (claimed.has(key) || this.bindings.get(key)?.endpoint.endpointId !== endpointId) continue;
        this.bindings.delete(key);
        this.unbound.delete(key);
        dropped = true;
        opening.push(this.listeners.close(key).then(() => undefined));
      }
      if (wanted.length === 0) this.wants.delete(endpointId);
      else
        this.wants.set(
          endpointId,
          wanted.map((w) => w.key),
        );
      for (const { key, make } of wanted) {
        const before = this.bindings.get(key);
        const binding = make();
        if (before && before !== binding) dropped = true;
        if (before === binding && !this.unbound.has(key)) continue;
        opening.push(this.open(binding.listener));
      }
    }
    // Listeners that could not be opened before are tried again, as a whole pass would, as long as
    // the open-file budget has room (thousands refused again on every pass would keep this thread busy).
    let room = this.budget.room;
    for (const key of this.unbound) {
      if (room-- <= 0) break;
      const binding = this.bindings.get(key);
      if (binding && !claimed.has(key)) opening.push(this.open(binding.listener));
    }
    await Promise.all(opening);
    if (dropped) {
      this.forwarder.closeWhere(
        (connection) => touched.has(connection.labels.endpoint!) && this.bindings.get(connection.labels.listener!)?.endpoint.endpointId !== connection.labels.endpoint,
      );
    }
    return true;
  }

  /** Opens (or keeps, with these handlers) one listener; a failure is logged and tried again next pass. */
  private async open(listener: DesiredListener): Promise<void> {
    const key = listener.name!;
    try {
      await this.listeners.ensure({ address: listener.address, port: listener.port, name: key }, listener.handlers);
      this.unbound.delete(key);
    } catch (error) {
      this.couldNotListen(key, error as Error);
    }
  }

  /**
   * Notes a listener to try again; warns the first time it fails. A spent open-file budget can hold
   * thousands back at once: the budget's own warning (every 10 s at most) speaks for those.
   */
  private couldNotListen(key: string, error: Error): void {
    if (!this.unbound.has(key) && !(error instanceof OpenFileBudgetSpent)) this.log.warn('gateway could not listen', { listener: key, error: error.message });
    this.unbound.add(key);
  }

  /** The keys an endpoint wants in the pass being made (the list is filled by the caller). */
  private wantedBy(endpointId: string): string[] {
    let keys = this.wants.get(endpointId);
    if (!keys) this.wants.set(endpointId, (keys = []));
    return keys;
  }

  /** The binding of one interface and port: the one made before while it is made from the same objects, else a new one (which replaces it). */
  private bindingFor(endpoint: SnapshotEndpoint, eni: SnapshotNetworkInterface, port: SnapshotPort, serviceProxyProtocol: boolean): ListenerBinding {
    const key = listenerKey(eni, port);
    const proxyProtocol = port.proxyProtocol || serviceProxyProtocol;
    let binding = this.bindings.get(key);
    if (!binding || binding.endpoint !== endpoint || binding.eni !== eni || binding.port !== port || binding.proxyProtocol !== proxyProtocol) {
      binding = this.bind(key, endpoint, eni, port, proxyProtocol);
      this.bindings.set(key, binding);
    }
    return binding;
  }

  /**
   * The listener of one endpoint interface and load-balancer port. Its handlers read the networks,
   * routes and security groups of the gateway's latest snapshot when a connection comes, so a
   * pass keeps them (no new closures for thousands of unchanged listeners) while the endpoint,
   * interface and port objects are the same: a posted snapshot shares the unchanged ones.
   */
  private bind(key: string, endpoint: SnapshotEndpoint, eni: SnapshotNetworkInterface, port: SnapshotPort, proxyProtocol: boolean): ListenerBinding {
    // The labels of every connection through this listener: one object for all of them (the key is the address and port the client dialled).
    const labels: ConnectionLabels = { endpoint: endpoint.endpointId, listener: key };
    return {
      endpoint,
      eni,
      port,
      proxyProtocol,
      stamp: 0,
      listener: {
        // Named by its key: the listener set reads the name instead of building the key again on every pass.
        name: key,
        address: eni.loopbackAddress,
        port: port.port,
        handlers: {
          accept: (peer) => this.snapshot !== undefined && this.admits(this.snapshot, endpoint, eni, port, peer),
          onConnection: (socket) => this.forward(socket, endpoint, port, proxyProtocol, labels),
        },
      },
    };
  }

  private admits(snapshot: DataPlaneSnapshot, endpoint: SnapshotEndpoint, eni: SnapshotNetworkInterface, port: SnapshotPort, peer: PeerAddress): boolean {
    if (this.fromNamespace?.(peer.address)) return true;
    const source = sourceOf(snapshot, peer.address);
    // Another network reaches the endpoint only along a routed path (peering, on-premises link); else no route to this address.
    if (source.networkId !== undefined && source.networkId !== endpoint.networkId && !routed(snapshot, source.networkId, source.ip, endpoint.networkId, eni.privateIp))
      return false;
    return securityGroupsAllow(securityGroupsNamed(snapshot, endpoint.securityGroupIds), source.ip, 'tcp', port.port) && eni.loopbackAddress.length > 0;
  }

  private forward(socket: import('node:net').Socket, endpoint: SnapshotEndpoint, port: SnapshotPort, proxyProtocol: boolean, labels: ConnectionLabels): void {
    const targets = port.targets;
    if (targets.length === 0) {
      socket.destroy();
      return;
    }
    const next = this.roundRobin.get(port.id) ?? 0;
    this.roundRobin.set(port.id, next + 1);
    const target = targets[next % targets.length]!;
    this.observer?.connection();
    this.forwarder.forward(socket, {
      target: forwardTarget(target),
      ...(proxyProtocol ? { proxyHeader: proxyHeaderForSocket(socket, [endpointTlv(endpoint.proxyTlv)]) } : {}),
      labels,
    });
  }
}

/** A listener's key: the address and port a client dials. */
function listenerKey(eni: SnapshotNetworkInterface, port: SnapshotPort): string {
  return `${eni.loopbackAddress}:${port.port}`;
}

/** Where a load balancer's target is dialled: one object per target of the picture, shared by its connections (a connection keeps its target for its life). */
const forwardTargets = new WeakMap<SnapshotPort['targets'][number], ForwardTarget>();
function forwardTarget(target: SnapshotPort['targets'][number]): ForwardTarget {
  let known = forwardTargets.get(target);
  if (!known) forwardTargets.set(target, (known = { host: target.loopbackAddress ?? target.id, port: target.port }));
  return known;
}
