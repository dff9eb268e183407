import { promises as dns } from 'node:dns';
import type { ClusterWire } from '../../../api/atlas/wire/clusters.wire.js';
import type { PaginatedWire } from '../../../api/atlas/wire/common.wire.js';
import type { ServerlessInstanceWire } from '../../../api/atlas/wire/serverless.wire.js';
import type { AdminApi } from '../../api/api-session.js';
import { CLUSTER_MEDIA_TYPE, clustersPath } from '../clusters/clusters-api.js';
import { serverlessInstancesPath } from '../serverless/serverless-api.js';

/** One host name of a project's private connection strings and the addresses the private DNS gives it now. */
export interface PrivateName {
  readonly host: string;
  /** Empty when the private DNS has no A record for it (e.g. a CNAME to the cloud's own endpoint name). */
  readonly addresses: readonly string[];
}

/**
 * The private host names of a project — every host of its clusters' private-endpoint connection
 * strings (`connectionString`'s hosts and the targets of `srvConnectionString`'s SRV record) and
 * of its serverless instances' private endpoints (their SRV targets) — each with its A records,
 * all asked of the private DNS at `server` (`host:port`). Sorted by name; each name once.
 */
export async function privateNames(api: AdminApi, projectId: string, server: string): Promise<PrivateName[]> {
  const resolver = new dns.Resolver({ timeout: 2000, tries: 2 });
  resolver.setServers([server]);
  const clusters = await api.get<PaginatedWire<ClusterWire>>(`${clustersPath(projectId)}?itemsPerPage=500`, { mediaType: CLUSTER_MEDIA_TYPE });
  const serverless = await api.get<PaginatedWire<ServerlessInstanceWire>>(`${serverlessInstancesPath(projectId)}?itemsPerPage=500`);
  const hosts = new Set<string>();
  const srvStrings: string[] = [];
  for (const cluster of clusters.results) {
    for (const entry of cluster.connectionStrings?.privateEndpoint ?? []) {
      for (const host of hostsOf(entry.connectionString)) hosts.add(host);
      srvStrings.push(entry.srvConnectionString);
    }
  }
  for (const instance of serverless.results) for (const entry of instance.connectionStrings?.privateEndpoint ?? []) srvStrings.push(entry.srvConnectionString);
  for (const srv of srvStrings) {
    const name = srv.replace(/^mongodb\+srv:\/\//, '').split(/[/?]/)[0]!;
    for (const record of await lookup(() => resolver.resolveSrv(`_mongodb._tcp.${name}`))) hosts.add(record.name.toLowerCase());
  }
  const names: PrivateName[] = [];
  for (const host of [...hosts].sort()) names.push({ host, addresses: (await lookup(() => resolver.resolve4(host))).sort() });
  return names;
}

/** `mongodb://a:1024,b:1025/?…` → `['a', 'b']`. */
function hostsOf(connectionString: string): string[] {
  const authority = connectionString.replace(/^mongodb:\/\//, '').split(/[/?]/)[0] ?? '';
  return authority
    .split(',')
    .map((hostPort) => hostPort.replace(/:\d+$/, '').toLowerCase())
    .filter((host) => host !== '');
}

/** A DNS answer, or none for a name that has no such record (NXDOMAIN, NODATA); other failures throw. */
async function lookup<T>(ask: () => Promise<T[]>): Promise<T[]> {
  try {
    return await ask();
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOTFOUND' || code === 'ENODATA') return [];
    throw error;
  }
}
