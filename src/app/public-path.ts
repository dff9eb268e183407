import type { AccessListEntry } from '../domain/access-list.js';
import type { ClusterRecord } from '../domain/cluster.js';
import { publicGatewayAddresses, publicRegionKey, publicTopology, serverlessGatewayKey, type PublicRegionKey, type PublicTopology } from '../domain/public-topology.js';
import type { Project } from '../domain/identity.js';
import type { ServerlessInstanceRecord } from '../domain/serverless-instance.js';
import { serverlessPublicTopology } from '../domain/serverless-topology.js';
import type { PortAllocation } from '../store/ports.repository.js';
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
  return clusterTopologyOf(cluster, project, new Map((await repos.ports.listCluster(cluster.id)).map((a) => [a.targetName, a.port])), domain);
}

/** A serverless instance's public topology; undefined while it is being deleted (its names are withdrawn at once). */
export async function instancePublicTopology(repos: Repositories, instance: ServerlessInstanceRecord, domain: string): Promise<PublicTopology | undefined> {
  if (instance.deleteRequested) return undefined;
  const project = await repos.identity.findProject(instance.projectId);
  return project && instanceTopologyOf(instance, project, domain);
}

/** A cluster's public topology from its project and its ports (target name → port), read already. */
function clusterTopologyOf(cluster: ClusterRecord, project: Project, ports: ReadonlyMap<string, number>, domain: string): PublicTopology | undefined {
  if (cluster.deleteRequested) return undefined;
  return publicTopology({ projectId: cluster.projectId, clusterId: cluster.id, spec: cluster.spec, hostSuffix: project.hostSuffix, domain, ports });
}

/** A serverless instance's public topology from its project, read already. */
function instanceTopologyOf(instance: ServerlessInstanceRecord, project: Project, domain: string): PublicTopology | undefined {
  if (instance.deleteRequested) return undefined;
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
function publicGatewayKeys(allocations: readonly PortAllocation[], instances: readonly ServerlessInstanceRecord[]): PublicRegionKey[] {
  const keys: PublicRegionKey[] = allocations.map((a) => ({ projectId: a.projectId, provider: a.provider, regionName: a.regionName }));
  for (const instance of instances) keys.push(serverlessGatewayKey(instance.projectId, instance.id));
  return keys;
}

/** The public gateway's address of every key (by `publicRegionKey`, see `PublicHost.gateway`). */
export async function publicAddresses(repos: Repositories, loopbackBase: number): Promise<Map<string, string>> {
  return publicGatewayAddresses(publicGatewayKeys(await repos.ports.listAll(), await repos.serverlessInstances.listAll()), loopbackBase);
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

/**
 * Every listener the public gateway should have now (deployments being deleted have none). Read
 * in four statements however many deployments there are: the data-plane worker asks for the whole
 * list whenever these tables (PUBLIC_ROUTE_TABLES) are written.
 */
export async function publicRoutes(repos: Repositories, domain: string, loopbackBase: number): Promise<PublicRoute[]> {
  const allocations = await repos.ports.listAll();
  const instances = await repos.serverlessInstances.listAll();
  const clusters = await repos.clusters.listHavingPorts();
  const projects = await repos.identity.findProjects([...clusters.map((c) => c.projectId), ...instances.map((i) => i.projectId)]);
  const addresses = publicGatewayAddresses(publicGatewayKeys(allocations, instances), loopbackBase);
  const portsOf = new Map<string, Map<string, number>>();
  for (const a of allocations) {
    const ports = portsOf.get(a.clusterId) ?? new Map<string, number>();
    ports.set(a.targetName, a.port);
    portsOf.set(a.clusterId, ports);
  }
  const deployments: PublicDeployment[] = [];
  for (const cluster of clusters) {
    const project = projects.get(cluster.projectId);
    const topology = project && clusterTopologyOf(cluster, project, portsOf.get(cluster.id) ?? new Map(), domain);
    if (topology) deployments.push({ projectId: cluster.projectId, deploymentId: cluster.id, topology });
  }
  for (const instance of instances) {
    const project = projects.get(instance.projectId);
    const topology = project && instanceTopologyOf(instance, project, domain);
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

/**
 * The tables `publicRoutes` reads, and those whose deletions cascade into them: a write to one of
 * them may change the public gateway's listeners.
 */
export const PUBLIC_ROUTE_TABLES = ['port_allocations', 'clusters', 'serverless_instances', 'projects', 'organizations'] as const;

/** An access-list entry as the public gateway checks it (`entryAdmits`). */
export type PublicAccessEntry = Pick<AccessListEntry, 'entryKey' | 'kind' | 'deleteAfterDate'>;

/** The project's access list as the public gateway needs it (expired entries are refused there, at connection time). */
export async function publicAccessList(repos: Repositories, projectId: string): Promise<PublicAccessEntry[]> {
  return (await repos.accessList.listByProject(projectId)).map((e) => ({ entryKey: e.entryKey, kind: e.kind, deleteAfterDate: e.deleteAfterDate }));
}
