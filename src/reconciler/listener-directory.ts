import { lookup } from 'node:dns/promises';
import { isIP } from 'node:net';
import { mongosLbTargetName } from '../app/port-allocations.js';
import { addressableTargets } from '../domain/cluster.js';
import { APP_SERVICES_PORT } from '../domain/appservices-traffic.js';
import { FRONT_END_TARGET, SERVERLESS_PORT } from '../domain/serverless-topology.js';
import type { ListenerSpec, ListenerTarget } from '../providers/cloud-provider.js';
import type { ClusterRecord } from '../domain/cluster.js';
import type { Store } from '../store/database.js';
import type { EndpointServiceRecord } from '../store/private-endpoints.repository.js';
import { repositories } from '../store/repositories.js';
import type { ListenerDirectory } from './reconcile-context.js';

/** Where the simulated node of a target listens (local cloud), if it runs. */
export interface SimulatedNodeAddresses {
  addressOf(clusterId: string, targetName: string): { host: string; port: number } | undefined;
  /** Starts (once) the App Services front end and says where it listens behind the load balancers. */
  ensureAppServicesFrontEnd?(): Promise<{ readonly private: { readonly host: string; readonly port: number } }>;
}

/**
 * The port-per-node listeners an endpoint service needs: for every allocated port of its project
 * region, the target behind it — a simulated node (which wants the PROXY v2 header), or the
 * cluster's real `host:port` target (`privlinkTargets`, no PROXY header). The `-lb` port of a
 * sharded cluster forwards to all its mongos of the region. Targets whose node does not run yet
 * are left out; the service is reconciled again when they start. Without `nodes` (the local cloud
 * runs in another process) `published` says where that process runs them.
 */
export function listenerDirectory(
  store: Store,
  nodes: SimulatedNodeAddresses | undefined,
  published?: { nodesOf(clusterId: string): Promise<Record<string, { host: string; port: number }>> },
): ListenerDirectory {
  return {
    async listenersFor(service: EndpointServiceRecord): Promise<ListenerSpec[]> {
      const repos = repositories(store.db);
      const allocations = await repos.ports.listRegion(service.projectId, service.provider, service.regionName);
      const clusters = new Map<string, ClusterRecord | undefined>();
      // Nodes that run in another process: where it published them, read once per cluster.
      const elsewhere = new Map<string, SimulatedNodeAddresses>();
      const out: ListenerSpec[] = [];
      for (const allocation of allocations) {
        if (!clusters.has(allocation.clusterId)) {
          clusters.set(allocation.clusterId, await repos.clusters.findById(allocation.clusterId));
          if (!nodes && published) {
            const addresses = await published.nodesOf(allocation.clusterId);
            elsewhere.set(allocation.clusterId, { addressOf: (_clusterId, name) => addresses[name] });
          }
        }
        const cluster = clusters.get(allocation.clusterId);
        if (!cluster || cluster.deleteRequested) continue;
        const names =
          allocation.targetName === mongosLbTargetName(service.regionName)
            ? addressableTargets(cluster.spec)
                .filter((t) => t.kind === 'mongos' && t.regionName === service.regionName)
                .map((t) => t.name)
            : [allocation.targetName];
        const targets: ListenerTarget[] = [];
        for (const name of names) {
          const target = await targetOf(cluster, name, nodes ?? elsewhere.get(cluster.id));
          if (target) targets.push(target);
        }
        if (targets.length > 0) out.push({ port: allocation.port, targets, proxyProtocol: !cluster.spec.targets });
      }
      return out;
    },
    async listenersNeeded(service: EndpointServiceRecord): Promise<number> {
      const repos = repositories(store.db);
      const allocations = await repos.ports.listRegion(service.projectId, service.provider, service.regionName);
      const live = new Map<string, boolean>();
      let count = 0;
      for (const allocation of allocations) {
        if (!live.has(allocation.clusterId)) {
          const cluster = await repos.clusters.findById(allocation.clusterId);
          live.set(allocation.clusterId, cluster !== undefined && !cluster.deleteRequested);
        }
        if (live.get(allocation.clusterId)) count++;
      }
      return count;
    },
    async frontEndListeners(instanceId: string): Promise<ListenerSpec[]> {
      const address = nodes ? nodes.addressOf(instanceId, FRONT_END_TARGET) : (await published?.nodesOf(instanceId))?.[FRONT_END_TARGET];
      if (!address || !isIP(address.host)) return [];
      const target: ListenerTarget = { host: address.host, port: address.port, ...(address.host.startsWith('127.') ? { outsideProviderNetwork: true } : {}) };
      return [{ port: SERVERLESS_PORT, targets: [target], proxyProtocol: true }];
    },
    async appServicesListeners(): Promise<ListenerSpec[]> {
      if (!nodes?.ensureAppServicesFrontEnd) return [];
      const address = (await nodes.ensureAppServicesFrontEnd()).private;
      if (!isIP(address.host)) return [];
      const target: ListenerTarget = { host: address.host, port: address.port, ...(address.host.startsWith('127.') ? { outsideProviderNetwork: true } : {}) };
      return [{ port: APP_SERVICES_PORT, targets: [target], proxyProtocol: true }];
    },
  };
}

async function targetOf(cluster: ClusterRecord, name: string, nodes: SimulatedNodeAddresses | undefined): Promise<ListenerTarget | undefined> {
  let address: { host: string; port: number } | undefined;
  if (cluster.spec.targets) {
    const index = addressableTargets(cluster.spec).findIndex((t) => t.name === name);
    const spec = cluster.spec.targets[index];
    if (!spec) return undefined;
    const colon = spec.lastIndexOf(':');
    const host = spec.slice(0, colon);
    address = { host: isIP(host) ? host : ((await lookup(host, { family: 4 }).catch(() => undefined))?.address ?? host), port: Number(spec.slice(colon + 1)) };
  } else {
    address = nodes?.addressOf(cluster.id, name);
  }
  if (!address || !isIP(address.host)) return undefined;
  // Targets on this machine (loopback) are outside any VPC: AWS's rule wants AvailabilityZone=all.
  return { host: address.host, port: address.port, ...(address.host.startsWith('127.') ? { outsideProviderNetwork: true } : {}) };
}
