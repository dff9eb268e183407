import type { AccessListEntry } from '../domain/access-list.js';
import type { ClusterRecord } from '../domain/cluster.js';
import { publicGatewayAddresses, publicRegionKey, publicTopology, serverlessGatewayKey, type PublicRegionKey, type PublicTopology } from '../domain/public-topology.js';
import type { ServerlessInstanceRecord } from '../domain/serverless-instance.js';
import { serverlessPublicTopology } from '../domain/serverless-topology.js';
import type { Repositories } from '../store/repositories.js';

/**
 * The public path of clusters and serverless instances from stored state (see
 * domain/public-topology.ts and domain/serverless-topology.ts): each deployment's public names,
 * the public gateway's address per project region (and per serverless instance), the gateway's
 * routes, and the access-list entries the gateway admits clients by.
 */

/** A cluster's public topology; undefined while it is being deleted, is a shared tier or has no ports yet. */
export async function clusterPublicTopology(repos: Repositories, cluster: ClusterRecord, domain: string): Promise<PublicTopology | undefined> {
  if (cluster.deleteRequested) return undefined;
  const project = await repos.identity.findProject(cluster.projectId);
  if (!project) return undefined;
  const ports = new Map((await repos.ports.listCluster(cluster.id)).map((a) => [a.targetName, a.port]));
  return publicTopology({ projectId: cluster.projectId, clusterId: cluster.id, spec: cluster.spec, hostSuffix: project.hostSuffix, domain, ports });
}

/** A serverless instance's public topology; undefined while it is being deleted (its names are withdrawn at once). */
export async function instancePublicTopology(repos: Repositories, instance: ServerlessInstanceRecord, domain: string): Promise<PublicTopology | undefined> {
  if (instance.deleteRequested) return undefined;
  const project = await repos.identity.findProject(instance.projectId);
  if (!project) return undefined;
  return serverlessPublicTopology({
    projectId: instance.projectId,
    instanceId: instance.id,
    instanceName: instance.name,
    backingProvider: instance.spec.backingProvider,
    regionName: instance.spec.regionName,
    hostSuffix: project.hostSuffix,
    domain,
  });
}

/** A deployment (cluster or serverless instance: the simulated nodes' id) with its public topology. */
export interface PublicDeployment {
  readonly projectId: string;
  readonly deploymentId: string;
  readonly topology: PublicTopology;
}

/** The public deployments of one project: its clusters, then its serverless instances. */
export async function projectPublicDeployments(repos: Repositories, projectId: string, domain: string): Promise<PublicDeployment[]> {
  const out: PublicDeployment[] = [];
  for (const cluster of await repos.clusters.listByProject(projectId)) {
    const topology = await clusterPublicTopology(repos, cluster, domain);
    if (topology) out.push({ projectId, deploymentId: cluster.id, topology });
  }
  for (const instance of await repos.serverlessInstances.listByProject(projectId)) {
    const topology = await instancePublicTopology(repos, instance, domain);
    if (topology) out.push({ projectId, deploymentId: instance.id, topology });
  }
  return out;
}

/**
 * Every key that has a public gateway address: the project regions with allocated ports, and every
 * serverless instance (one being deleted keeps its key until its row goes, so no other address
 * moves meanwhile).
 */
async function publicGatewayKeys(repos: Repositories): Promise<PublicRegionKey[]> {
  const keys: PublicRegionKey[] = (await repos.ports.listAll()).map((a) => ({ projectId: a.projectId, provider: a.provider, regionName: a.regionName }));
  for (const instance of await repos.serverlessInstances.listAll()) keys.push(serverlessGatewayKey(instance.projectId, instance.id));
  return keys;
}

/** The public gateway's address of every key (by `publicRegionKey`, see `PublicHost.gateway`). */
export async function publicAddresses(repos: Repositories, loopbackBase: number): Promise<Map<string, string>> {
  return publicGatewayAddresses(await publicGatewayKeys(repos), loopbackBase);
}

/**
 * One listener of the public gateway: `address:port` reaches the target `targetName` of the
 * deployment `clusterId` (a cluster's id, or a serverless instance's with its front end's target).
 */
export interface PublicRoute {
  readonly address: string;
  readonly port: number;
  readonly projectId: string;
  readonly clusterId: string;
  readonly targetName: string;
}

/** Every listener the public gateway should have now (deployments being deleted have none). */
export async function publicRoutes(repos: Repositories, domain: string, loopbackBase: number): Promise<PublicRoute[]> {
  const addresses = await publicAddresses(repos, loopbackBase);
  const deployments: PublicDeployment[] = [];
  for (const clusterId of new Set((await repos.ports.listAll()).map((a) => a.clusterId))) {
    const cluster = await repos.clusters.findById(clusterId);
    const topology = cluster && (await clusterPublicTopology(repos, cluster, domain));
    if (topology) deployments.push({ projectId: cluster.projectId, deploymentId: cluster.id, topology });
  }
  for (const instance of await repos.serverlessInstances.listAll()) {
    const topology = await instancePublicTopology(repos, instance, domain);
    if (topology) deployments.push({ projectId: instance.projectId, deploymentId: instance.id, topology });
  }
  const routes: PublicRoute[] = [];
  for (const { projectId, deploymentId, topology } of deployments) {
    for (const host of topology.hosts) {
      const address = addresses.get(publicRegionKey(host.gateway));
      if (address) routes.push({ address, port: host.port, projectId, clusterId: deploymentId, targetName: host.targetName });
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
