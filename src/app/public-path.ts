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

/** The rows some projects' public routes are made from (all projects, or those a change named). */
export interface PublicRouteRows {
  readonly allocations: readonly PortAllocation[];
  readonly instances: readonly ServerlessInstanceRecord[];
  /** The clusters that have ports, in the order they were made. */
  readonly clusters: readonly ClusterRecord[];
  readonly projects: ReadonlyMap<string, Project>;
}

/** Reads the rows of `projectIds`' routes (every project's when undefined), in four statements per thousand projects. */
export async function readPublicRouteRows(repos: Repositories, projectIds?: readonly string[]): Promise<PublicRouteRows> {
  const allocations = projectIds ? await repos.ports.listByProjects(projectIds) : await repos.ports.listAll();
  const instances = projectIds ? await repos.serverlessInstances.listByProjects(projectIds) : await repos.serverlessInstances.listAll();
  const clusters = projectIds ? await repos.clusters.listHavingPortsIn(projectIds) : await repos.clusters.listHavingPorts();
  const projects = await repos.identity.findProjects([...clusters.map((c) => c.projectId), ...instances.map((i) => i.projectId)]);
  return { allocations, instances, clusters, projects };
}

/** A route whose address is not decided yet: it listens on the public gateway address of `key` (a `publicRegionKey`). */
export interface KeyedPublicRoute extends Omit<PublicRoute, 'address'> {
  readonly key: string;
}

/** One project's routes before addresses are decided, and the gateway keys it holds (see publicGatewayKeys). */
export interface ProjectPublicRoutes {
  readonly routes: readonly KeyedPublicRoute[];
  readonly keys: readonly PublicRegionKey[];
}

/** The routes and gateway keys of every project `rows` holds anything of, by project. */
export function publicRoutesByProject(rows: PublicRouteRows, domain: string): Map<string, ProjectPublicRoutes> {
  const out = new Map<string, { routes: KeyedPublicRoute[]; keys: PublicRegionKey[] }>();
  const entry = (projectId: string) => {
    let found = out.get(projectId);
    if (!found) out.set(projectId, (found = { routes: [], keys: [] }));
    return found;
  };
  for (const key of publicGatewayKeys(rows.allocations, rows.instances)) entry(key.projectId).keys.push(key);
  const portsOf = new Map<string, Map<string, number>>();
  for (const a of rows.allocations) {
    const ports = portsOf.get(a.clusterId) ?? new Map<string, number>();
    ports.set(a.targetName, a.port);
    portsOf.set(a.clusterId, ports);
  }
  const deployments: PublicDeployment[] = [];
  for (const cluster of rows.clusters) {
    const project = rows.projects.get(cluster.projectId);
    const topology = project && clusterTopologyOf(cluster, project, portsOf.get(cluster.id) ?? new Map(), domain);
    if (topology) deployments.push({ projectId: cluster.projectId, deploymentId: cluster.id, topology });
  }
  for (const instance of rows.instances) {
    const project = rows.projects.get(instance.projectId);
    const topology = project && instanceTopologyOf(instance, project, domain);
    if (topology) deployments.push({ projectId: instance.projectId, deploymentId: instance.id, topology });
  }
  for (const { projectId, deploymentId, topology } of deployments) {
    const routes = entry(projectId).routes;
    for (const host of topology.hosts) routes.push({ key: publicRegionKey(host.gateway), port: host.port, projectId, clusterId: deploymentId, targetName: host.targetName });
  }
  return out;
}

/** The routes of `byProject` that have an address (a route whose key has none is left out). */
export function addressedRoutes(byProject: Iterable<ProjectPublicRoutes>, addresses: ReadonlyMap<string, string>): PublicRoute[] {
  const routes: PublicRoute[] = [];
  for (const project of byProject) {
    for (const { key, ...route } of project.routes) {
      const address = addresses.get(key);
      if (address) routes.push({ address, ...route });
    }
  }
  return routes;
}

/**
 * Every listener the public gateway should have now (deployments being deleted have none), read
 * whole in four statements however many deployments there are. The data plane follows changes
 * instead (public-route-book.ts); this is what it must equal.
 */
export async function publicRoutes(repos: Repositories, domain: string, loopbackBase: number): Promise<PublicRoute[]> {
  const byProject = publicRoutesByProject(await readPublicRouteRows(repos), domain);
  const addresses = publicGatewayAddresses(
    [...byProject.values()].flatMap((p) => p.keys),
    loopbackBase,
  );
  return addressedRoutes(byProject.values(), addresses);
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
