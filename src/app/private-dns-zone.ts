import type { Repositories } from '../store/repositories.js';
import { serverlessEndpointHost, serverlessSrvName } from '../domain/serverless-topology.js';
import { clusterTopology } from './connection-strings.js';
import { privateDnsRecords, type EndpointAddressBook, type PrivateDnsRecord, type PublicPathDns } from './private-dns.js';
import { projectPublicDeployments } from './public-path.js';

/** The zone's start of authority, as the DNS server writes it. */
export type PrivateDnsSoa = Extract<PrivateDnsRecord, { type: 'SOA' }>;

/**
 * A complete answer of the private DNS for one question (the DNS server's `DnsAnswer` shape):
 * - `REFUSED`: the name is outside the zone `<domain>` (an authoritative-only server, as Route 53's
 *   name servers answer for zones they do not host; privlink's private DNS never recurses);
 * - `NXDOMAIN`: the name is in the zone and neither it nor any name below it exists;
 * - `NOERROR`: the records, or none (NODATA) when the name exists without that type or is an empty
 *   non-terminal — a name with no records of its own but names below it, such as
 *   `<suffix>.<domain>` or `_tcp.cluster0-pl-0.<suffix>.<domain>` (RFC 1034 §3.1, RFC 4592 §2.2.2;
 *   RFC 8020: an NXDOMAIN there tells resolvers that nothing below exists either).
 * NODATA and NXDOMAIN carry the zone's SOA, for the authority section (RFC 2308).
 */
export interface PrivateDnsAnswer {
  readonly rcode: 'NOERROR' | 'NXDOMAIN' | 'REFUSED';
  readonly records: PrivateDnsRecord[];
  readonly soa?: { readonly zone: string; readonly record: PrivateDnsSoa };
}

/**
 * The SOA of the zone `<domain>`. Route 53's defaults for the timers, except the negative-caching
 * time (MINIMUM) and the record's TTL, which are the zone's record TTL: private names appear
 * seconds after an endpoint becomes available, and a resolver must not remember their absence for
 * Route 53's default 86400 s. The serial is constant: there are no secondaries to notify.
 */
export function privateZoneSoa(domain: string, ttl: number): PrivateDnsSoa {
  return { type: 'SOA', mname: `ns.${domain}`, rname: `hostmaster.${domain}`, serial: 1, refresh: 7200, retry: 900, expire: 1_209_600, minimum: ttl, ttl };
}

/**
 * Answers one question for the private zone `<domain>` from stored state (see `PrivateDnsAnswer`);
 * with `publicPath`, the public names of clusters and serverless instances too.
 * `name` is compared case-insensitively; a trailing dot is ignored. `ttl` is the zone's record TTL.
 */
export async function privateDnsAnswer(
  repos: Repositories,
  domain: string,
  ttl: number,
  addresses: EndpointAddressBook,
  name: string,
  type: string,
  publicPath?: PublicPathDns,
): Promise<PrivateDnsAnswer> {
  const lower = name.toLowerCase().replace(/\.$/, '');
  if (lower !== domain && !lower.endsWith(`.${domain}`)) return { rcode: 'REFUSED', records: [] };
  const soa = { zone: domain, record: privateZoneSoa(domain, ttl) };
  if (lower === domain) return { rcode: 'NOERROR', records: type === 'SOA' || type === 'ANY' ? [soa.record] : [], soa };
  const records = await privateDnsRecords(repos, domain, addresses, lower, type, publicPath);
  if (records) return { rcode: 'NOERROR', records, soa };
  const below = `.${lower}`;
  const names = await projectOwnerNames(repos, domain, lower);
  return { rcode: names.some((owner) => owner.endsWith(below)) ? 'NOERROR' : 'NXDOMAIN', records: [], soa };
}

/**
 * Every name that owns records in the project a name of the zone belongs to (its last label
 * before `<domain>` is the project's host suffix); empty when there is no such project.
 */
export async function projectOwnerNames(repos: Repositories, domain: string, name: string): Promise<string[]> {
  const labels = name.slice(0, -domain.length - 1).split('.');
  const project = await repos.identity.findProjectByHostSuffix(labels[labels.length - 1]!);
  if (!project) return [];
  const names: string[] = [];
  for (const { topology } of await projectPublicDeployments(repos, project.id, domain)) {
    names.push(topology.srvName, `_mongodb._tcp.${topology.srvName}`, ...topology.hosts.map((h) => h.host));
  }
  for (const cluster of await repos.clusters.listByProject(project.id)) {
    for (const entry of await clusterTopology(repos, cluster, domain)) {
      names.push(entry.srvName, `_mongodb._tcp.${entry.srvName}`, ...entry.hosts.map((h) => h.host));
      if (entry.loadBalanced) names.push(entry.loadBalanced.srvName, `_mongodb._tcp.${entry.loadBalanced.srvName}`, entry.loadBalanced.host.host);
    }
  }
  for (const endpoint of await repos.serverlessEndpoints.listByProject(project.id)) {
    if (endpoint.status !== 'AVAILABLE' || endpoint.deleteRequested || !endpoint.cloudProviderEndpointId) continue;
    const instance = await repos.serverlessInstances.findById(endpoint.instanceId);
    if (!instance || instance.deleteRequested) continue;
    const srv = serverlessSrvName(instance.name, endpoint.peIndex, project.hostSuffix, domain);
    names.push(srv, `_mongodb._tcp.${srv}`, serverlessEndpointHost(instance.name, endpoint.peIndex, project.hostSuffix, domain));
  }
  return names.map((n) => n.toLowerCase());
}
