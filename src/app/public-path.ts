import type { AccessListEntry } from '../domain/access-list.js';
import type { ClusterRecord } from '../domain/cluster.js';
import { publicGatewayAddresses, publicRegionKey, publicTopology, type PublicTopology } from '../domain/public-topology.js';
import type { Repositories } from '../store/repositories.js';

/**
 * The public path of clusters from stored state (see domain/public-topology.ts): each cluster's
 * public names, the public gateway's address per project region, the gateway's routes, and the
 * access-list entries the gateway admits clients by.
 */

/** A cluster's public topology; undefined while it is being deleted, is a shared tier or has no ports yet. */
export async function clusterPublicTopology(repos: Repositories, cluster: ClusterRecord, domain: string): Promise<PublicTopology | undefined> {
  if (cluster.deleteRequested) return undefined;
  const project = await repos.identity.findProject(cluster.projectId);
  if (!project) return undefined;
  const ports = new Map((await repos.ports.listCluster(cluster.id)).map((a) => [a.targetName, a.port]));
  return publicTopology({ clusterId: cluster.id, spec: cluster.spec, hostSuffix: project.hostSuffix, domain, ports });
}

/** The public gateway's address of every project region that has allocated ports (by `publicRegionKey`). */
export async function publicAddresses(repos: Repositories, loopbackBase: number): Promise<Map<string, string>> {
  const keys = (await repos.ports.listAll()).map((a) => ({ projectId: a.projectId, provider: a.provider, regionName: a.regionName }));
  return publicGatewayAddresses(keys, loopbackBase);
}

/** One listener of the public gateway: `address:port` reaches the target `targetName` of a cluster. */
export interface PublicRoute {
  readonly address: string;
  readonly port: number;
  readonly projectId: string;
  readonly clusterId: string;
  readonly targetName: string;
}

/** Every listener the public gateway should have now (clusters being deleted have none). */
export async function publicRoutes(repos: Repositories, domain: string, loopbackBase: number): Promise<PublicRoute[]> {
  const allocations = await repos.ports.listAll();
  const addresses = publicGatewayAddresses(
    allocations.map((a) => ({ projectId: a.projectId, provider: a.provider, regionName: a.regionName })),
    loopbackBase,
  );
  const routes: PublicRoute[] = [];
  for (const clusterId of new Set(allocations.map((a) => a.clusterId))) {
    const cluster = await repos.clusters.findById(clusterId);
    if (!cluster) continue;
    const topology = await clusterPublicTopology(repos, cluster, domain);
    for (const host of topology?.hosts ?? []) {
      const address = addresses.get(publicRegionKey({ projectId: cluster.projectId, provider: host.provider, regionName: host.regionName }));
      if (address) routes.push({ address, port: host.port, projectId: cluster.projectId, clusterId, targetName: host.targetName });
    }
  }
  return routes;
}

/** An access-list entry as the public gateway checks it (`entryAdmits`). */
export type PublicAccessEntry = Pick<AccessListEntry, 'entryKey' | 'kind' | 'deleteAfterDate'>;

/** The project's access list as the public gateway needs it (expired entries are refused there, at connection time). */
export async function publicAccessList(repos: Repositories, projectId: string): Promise<PublicAccessEntry[]> {
  return (await repos.accessList.listByProject(projectId)).map((e) => ({ entryKey: e.entryKey, kind: e.kind, deleteAfterDate: e.deleteAfterDate }));
}
