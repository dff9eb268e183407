import { privateEndpointTopology, type TopologyEntry } from '../domain/private-endpoint-topology.js';
import type { ClusterRecord } from '../domain/cluster.js';
import type { Project } from '../domain/identity.js';
import type { InterfaceEndpointRecord } from '../domain/interface-endpoint.js';
import type { Repositories } from '../store/repositories.js';
import { reader, type AppContext } from './app-context.js';
import { clusterPublicTopology } from './public-path.js';

/**
 * The `connectionStrings` object of a cluster (Atlas's `ClusterConnectionStrings`): `standard` and
 * `standardSrv` for the public path (admitted by the project's IP access list), and the private
 * endpoint strings. `privateEndpoint[]` lists the
 * private-endpoint-aware strings; it is filled only when every region of the cluster has an
 * AVAILABLE endpoint (as Atlas documents). Everything it is made of is stored (host suffix, `pl-<n>` indexes,
 * ports), so the strings are the same after a restart.
 */
export interface ClusterConnectionStrings {
  readonly awsPrivateLink: Readonly<Record<string, string>>;
  readonly awsPrivateLinkSrv: Readonly<Record<string, string>>;
  readonly privateEndpoint: readonly PrivateEndpointConnectionString[];
  /** The public path's strings (domain/public-topology.ts); absent for shared tiers and until the cluster's ports are allocated. */
  readonly standard?: string;
  readonly standardSrv?: string;
}

export interface PrivateEndpointConnectionString {
  readonly connectionString: string;
  readonly endpoints: ReadonlyArray<{ readonly endpointId: string; readonly providerName: string; readonly region: string }>;
  readonly srvConnectionString: string;
  readonly srvShardOptimizedConnectionString?: string;
  readonly type: 'MONGOD' | 'MONGOS';
}

/** The private-endpoint topology of one cluster, from stored state. */
export async function clusterTopology(repos: Repositories, cluster: ClusterRecord, domain: string): Promise<TopologyEntry[]> {
  if (cluster.deleteRequested) return [];
  const project = await repos.identity.findProject(cluster.projectId);
  if (!project) return [];
  return topologyIn(repos, project, cluster, await publishedEndpoints(repos, project.id), domain);
}

/** The endpoints a project's private-endpoint strings are made of: `AVAILABLE` and not being deleted. */
export async function publishedEndpoints(repos: Repositories, projectId: string): Promise<InterfaceEndpointRecord[]> {
  return (await repos.privateEndpoints.listProjectEndpoints(projectId)).filter((e) => e.status === 'AVAILABLE' && !e.deleteRequested);
}

/** One cluster's topology given its project and the project's published endpoints (reads the cluster's ports). */
export async function topologyIn(
  repos: Repositories,
  project: Project,
  cluster: ClusterRecord,
  endpoints: readonly InterfaceEndpointRecord[],
  domain: string,
): Promise<TopologyEntry[]> {
  if (cluster.deleteRequested || endpoints.length === 0) return [];
  const ports = new Map((await repos.ports.listCluster(cluster.id)).map((a) => [a.targetName, a.port]));
  return privateEndpointTopology({
    clusterId: cluster.id,
    spec: cluster.spec,
    hostSuffix: project.hostSuffix,
    domain,
    regionalized: project.regionalizedPrivateEndpoints,
    endpoints,
    ports,
  });
}

/** `connectionStrings` of a cluster as the API shows it. */
export async function connectionStringsOf(ctx: AppContext, cluster: ClusterRecord): Promise<ClusterConnectionStrings> {
  const entries = await clusterTopology(reader(ctx), cluster, ctx.settings.domain);
  const publicPath = await clusterPublicTopology(reader(ctx), cluster, ctx.settings.domain);
  const awsPrivateLink: Record<string, string> = {};
  const awsPrivateLinkSrv: Record<string, string> = {};
  for (const entry of entries) {
    for (const endpoint of entry.endpoints) {
      if (endpoint.providerName !== 'AWS') continue;
      awsPrivateLink[endpoint.endpointId] ??= entry.connectionString;
      awsPrivateLinkSrv[endpoint.endpointId] ??= entry.srvShardOptimizedConnectionString ?? entry.srvConnectionString;
    }
  }
  return {
    awsPrivateLink,
    awsPrivateLinkSrv,
    privateEndpoint: entries.map((entry) => ({
      connectionString: entry.connectionString,
      endpoints: entry.endpoints,
      srvConnectionString: entry.srvConnectionString,
      ...(entry.srvShardOptimizedConnectionString ? { srvShardOptimizedConnectionString: entry.srvShardOptimizedConnectionString } : {}),
      type: entry.type,
    })),
    ...(publicPath ? { standard: publicPath.standard, standardSrv: publicPath.standardSrv } : {}),
  };
}
