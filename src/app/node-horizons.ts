import type { Repositories } from '../store/repositories.js';
import { clusterTopology } from './connection-strings.js';
import { clusterPublicTopology } from './public-path.js';

/** The names a node reports in `hello`: its replica set's `hosts`, its own `me`, the `primary`. */
export interface NodeHorizon {
  readonly hosts: string[];
  readonly me: string;
  readonly primary?: string;
  /** The members' target names, index-aligned with `hosts` (replica sets): lets a node name the current primary after a failover. */
  readonly targets?: string[];
}

/**
 * The horizon a cluster's node must answer in for a client that came through a private endpoint
 * (split horizons, as mongod does by SNI): the endpoint is known from the PROXY v2 header (the data
 * plane turns its TLV into the endpoint id: AWS VPC endpoint id, Azure private endpoint resource
 * id, GCP forwarding rule; compared case-insensitively, as ARM compares ids), or from the TLS
 * server name the client dialled. The node then reports the
 * endpoint's hostnames and ports (`pl-<n>-<region>.<suffix>.<domain>:<port>`), so a replica-set
 * driver keeps using names it can reach. A client that came through the public gateway (`via.public`:
 * a PROXY header without an endpoint TLV) or dialled a public name (SNI) gets the public names
 * (`<cluster>-shard-00-<nn>.<suffix>.<domain>:<port>`, domain/public-topology.ts). Undefined when
 * the connection matches no published connection string of the cluster.
 */
export async function nodeHorizon(
  repos: Repositories,
  domain: string,
  clusterId: string,
  targetName: string,
  via: { readonly endpointId?: string; readonly sni?: string; readonly public?: boolean },
): Promise<NodeHorizon | undefined> {
  const cluster = await repos.clusters.findById(clusterId);
  if (!cluster) return undefined;
  const publicPath = await clusterPublicTopology(repos, cluster, domain);
  const publicSni = via.sni !== undefined && publicPath?.hosts.some((h) => h.host === via.sni?.toLowerCase());
  if (publicPath && via.endpointId === undefined && (publicSni || (via.public && via.sni === undefined))) {
    const mine = publicPath.hosts.find((h) => h.targetName === targetName);
    if (!mine) return undefined;
    const hosts = publicPath.hosts.map((h) => `${h.host}:${h.port}`);
    return { hosts, me: `${mine.host}:${mine.port}`, ...(publicPath.type === 'MONGOD' ? { primary: hosts[0] } : {}) };
  }
  const entries = await clusterTopology(repos, cluster, domain);
  const port = (await repos.ports.listCluster(clusterId)).find((a) => a.targetName === targetName)?.port;
  if (port === undefined) return undefined;
  const sni = via.sni?.toLowerCase();
  const endpointId = via.endpointId?.toLowerCase();
  const entry = entries.find(
    (e) =>
      (endpointId !== undefined &&
        (e.endpoints.some((endpoint) => endpoint.endpointId.toLowerCase() === endpointId) || e.hosts.some((h) => h.connectionId.toLowerCase() === endpointId))) ||
      (sni !== undefined && (e.hosts.some((h) => h.host === sni) || e.loadBalanced?.host.host === sni)),
  );
  if (!entry) return undefined;
  const hosts = entry.hosts.map((h) => `${h.host}:${h.port}`);
  const mine = entry.hosts.find((h) => h.targetName === targetName) ?? (entry.loadBalanced?.host.port === port ? entry.loadBalanced.host : undefined);
  if (!mine) return undefined;
  return { hosts, me: `${mine.host}:${mine.port}`, ...(entry.type === 'MONGOD' ? { primary: hosts[0], targets: entry.hosts.map((h) => h.targetName) } : {}) };
}
