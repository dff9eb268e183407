import type { Repositories } from '../store/repositories.js';
import type { Project } from '../domain/identity.js';
import { SERVERLESS_PORT, SERVERLESS_TXT, serverlessEndpointHost, serverlessSrvName } from '../domain/serverless-topology.js';
import { publicRegionKey } from '../domain/public-topology.js';
import { clusterTopology } from './connection-strings.js';
import { projectPublicDeployments, publicAddresses } from './public-path.js';

/** One DNS answer record (the DNS server's record shape). */
export type PrivateDnsRecord =
  | { type: 'A'; address: string }
  | { type: 'SRV'; target: string; port: number; priority: number; weight: number }
  | { type: 'TXT'; data: string }
  | { type: 'CNAME'; domain: string }
  | { type: 'SOA'; mname: string; rname: string; serial: number; refresh: number; retry: number; expire: number; minimum: number; ttl: number };

/** Where an endpoint's addresses come from (the local cloud's network interfaces of the VPC endpoint). */
export interface EndpointAddressBook {
  /** The IPv4 addresses clients use to reach the endpoint; empty when unknown. */
  addressesOf(endpointId: string): readonly string[];
  /**
   * Whether the local cloud carries this endpoint's traffic now (it forwards). Its A records are
   * then exactly `addressesOf`: none while every zone it has interfaces in is down (NODATA, never
   * a fallback name). Absent: nothing is carried locally.
   */
  carries?(endpointId: string): boolean;
}

/**
 * privlink's private DNS zone `<hostSuffix>.<domain>` per project (pure lookups on stored state):
 * - SRV `_mongodb._tcp.<cluster>-pl-<n>[…].<suffix>.<domain>`: one target per node, its port;
 * - TXT `<cluster>-pl-<n>….<suffix>.<domain>`: `authSource=admin&replicaSet=…`
 *   (`loadBalanced=true` on `-lb` names) — one record, only keys the driver spec allows;
 * - A `pl-<n>-<region>.<suffix>.<domain>`: the customer's endpoint addresses as the local cloud
 *   carries them; otherwise, on Azure, the `privateEndpointIPAddress` the customer registered, and
 *   on AWS a CNAME to the endpoint's AWS DNS name (as Atlas does).
 * - serverless instances, per AVAILABLE private endpoint `n`: SRV `_mongodb._tcp.<instance>-pe-<n>…`
 *   → `pe-<n>-<instance>.<suffix>.<domain>:27017`, TXT `authSource=admin&loadBalanced=true`, and A
 *   of that host as for dedicated clusters (see domain/serverless-topology.ts);
 * - App Services, per AWS region: A `<region>.aws.services.<domain>` (client HTTP) and
 *   `ws.<region>.aws.services.<domain>` (Sync) → the addresses of the AVAILABLE general / sync
 *   private endpoints of that region, as the private hosted zone of App Services' endpoints does;
 *   the global `services.<domain>` → the AVAILABLE general endpoints (of any region).
 * - the public path, with `publicPath` (domain/public-topology.ts): SRV `_mongodb._tcp.<cluster>.<suffix>.<domain>`
 *   → `<cluster>-shard-00-<nn>.<suffix>.<domain>:<port>`, its TXT, and A of those hosts → the public
 *   gateway's address of the host's region (`127.<loopbackBase>.x.y`); for a serverless instance
 *   (domain/serverless-topology.ts) SRV `_mongodb._tcp.<instance>.<suffix>.<domain>` →
 *   `<instance>-lb.<suffix>.<domain>:27017`, TXT `authSource=admin&loadBalanced=true`, and A of
 *   that host → the instance's own public gateway address.
 * Names without records answer undefined; private-dns-zone.ts tells NXDOMAIN from an empty
 * non-terminal and refuses other zones.
 */
export async function privateDnsRecords(
  repos: Repositories,
  domain: string,
  addresses: EndpointAddressBook,
  name: string,
  type: string,
  publicPath?: PublicPathDns,
): Promise<PrivateDnsRecord[] | undefined> {
  const lower = name.toLowerCase().replace(/\.$/, '');
  if (!lower.endsWith(`.${domain}`)) return undefined;
  const appServices = await appServicesRecords(repos, addresses, lower.slice(0, -domain.length - 1), type);
  if (appServices !== undefined) return appServices;
  const labels = lower.slice(0, -domain.length - 1).split('.');
  const hostSuffix = labels[labels.length - 1]!;
  const project = await repos.identity.findProjectByHostSuffix(hostSuffix);
  if (!project) return undefined;
  const serverless = await serverlessRecords(repos, project, domain, addresses, lower, type);
  if (serverless !== undefined) return serverless;
  if (publicPath) {
    const records = await publicRecords(repos, project, domain, publicPath, lower, type);
    if (records !== undefined) return records;
  }
  const entries = [];
  for (const cluster of await repos.clusters.listByProject(project.id)) entries.push(...(await clusterTopology(repos, cluster, domain)));

  const srvName = lower.startsWith('_mongodb._tcp.') ? lower.slice('_mongodb._tcp.'.length) : undefined;
  for (const entry of entries) {
    if (srvName === entry.srvName) {
      return type === 'SRV' || type === 'ANY' ? entry.hosts.map((h) => ({ type: 'SRV' as const, target: h.host, port: h.port, priority: 0, weight: 0 })) : [];
    }
    if (entry.loadBalanced && srvName === entry.loadBalanced.srvName) {
      const h = entry.loadBalanced.host;
      return type === 'SRV' || type === 'ANY' ? [{ type: 'SRV', target: h.host, port: h.port, priority: 0, weight: 0 }] : [];
    }
    if (lower === entry.srvName) return type === 'TXT' || type === 'ANY' ? [{ type: 'TXT', data: entry.txt }] : [];
    if (entry.loadBalanced && lower === entry.loadBalanced.srvName) return type === 'TXT' || type === 'ANY' ? [{ type: 'TXT', data: entry.loadBalanced.txt }] : [];
  }

  // Endpoint hostnames: pl-<n>-<region>.<suffix>.<domain> (GCP: psc-<n>-…, or pl-<n>-<attachment>-… for legacy groups)
  const endpointHost = entries.flatMap((e) => [...e.hosts, ...(e.loadBalanced ? [e.loadBalanced.host] : [])]).find((h) => h.host === lower);
  if (!endpointHost) return undefined;
  if (type !== 'A' && type !== 'ANY' && type !== 'CNAME') return [];
  const ips = addresses.addressesOf(endpointHost.connectionId);
  if (ips.length > 0) return type === 'CNAME' ? [] : ips.map((address) => ({ type: 'A' as const, address }));
  if (addresses.carries?.(endpointHost.connectionId)) return [];
  // Azure and GCP: Atlas publishes the address the customer registered.
  if (endpointHost.registeredIp) return type === 'CNAME' ? [] : [{ type: 'A', address: endpointHost.registeredIp }];
  const endpoint = (await repos.privateEndpoints.listProjectEndpoints(project.id)).find((e) => e.endpointId === endpointHost.endpointId && !e.deleteRequested);
  if (!endpoint) return undefined;
  return endpoint.dnsNames.length > 0 ? [{ type: 'CNAME', domain: endpoint.dnsNames[0]! }] : [];
}

/** What the private DNS needs to answer the public path's names. */
export interface PublicPathDns {
  /** The local cloud's loopback base: public gateway addresses are `127.<loopbackBase>.x.y`. */
  readonly loopbackBase: number;
  /**
   * The public gateway's address of every key as of now, by `publicRegionKey` (the data plane's
   * route book follows them change by change). Absent: read from every allocation and serverless
   * instance in the store.
   */
  readonly addresses?: () => Promise<ReadonlyMap<string, string>>;
}

/**
 * The records of a deployment's public names (clusters' and serverless instances'), or undefined
 * when `name` is none of them. A name two deployments own (cluster `a-lb`'s SRV/TXT name and
 * serverless instance `a`'s host) answers the records of the asked type from either.
 */
async function publicRecords(
  repos: Repositories,
  project: Project,
  domain: string,
  publicPath: PublicPathDns,
  name: string,
  type: string,
): Promise<PrivateDnsRecord[] | undefined> {
  const srvName = name.startsWith('_mongodb._tcp.') ? name.slice('_mongodb._tcp.'.length) : undefined;
  let found = false;
  const records: PrivateDnsRecord[] = [];
  for (const { topology } of await projectPublicDeployments(repos, project.id, domain)) {
    if (srvName === topology.srvName) {
      found = true;
      if (type === 'SRV' || type === 'ANY') records.push(...topology.hosts.map((h) => ({ type: 'SRV' as const, target: h.host, port: h.port, priority: 0, weight: 0 })));
    }
    if (name === topology.srvName) {
      found = true;
      if (type === 'TXT' || type === 'ANY') records.push({ type: 'TXT', data: topology.txt });
    }
    const host = topology.hosts.find((h) => h.host === name);
    if (!host) continue;
    found = true;
    if (type !== 'A' && type !== 'ANY') continue;
    const addresses = publicPath.addresses ? await publicPath.addresses() : await publicAddresses(repos, publicPath.loopbackBase);
    const address = addresses.get(publicRegionKey(host.gateway));
    if (address) records.push({ type: 'A', address });
  }
  return found ? records : undefined;
}

/**
 * The records of a serverless private endpoint's names, or undefined when `name` is none of them.
 * Only AVAILABLE endpoints have names (their connection string is published then).
 */
async function serverlessRecords(
  repos: Repositories,
  project: Project,
  domain: string,
  addresses: EndpointAddressBook,
  name: string,
  type: string,
): Promise<PrivateDnsRecord[] | undefined> {
  const endpoints = (await repos.serverlessEndpoints.listByProject(project.id)).filter((e) => e.status === 'AVAILABLE' && !e.deleteRequested && e.cloudProviderEndpointId);
  if (endpoints.length === 0) return undefined;
  const srvName = name.startsWith('_mongodb._tcp.') ? name.slice('_mongodb._tcp.'.length) : undefined;
  for (const endpoint of endpoints) {
    const instance = await repos.serverlessInstances.findById(endpoint.instanceId);
    if (!instance || instance.deleteRequested) continue;
    const srv = serverlessSrvName(instance.name, endpoint.peIndex, project.hostSuffix, domain);
    const host = serverlessEndpointHost(instance.name, endpoint.peIndex, project.hostSuffix, domain);
    if (srvName === srv) return type === 'SRV' || type === 'ANY' ? [{ type: 'SRV', target: host, port: SERVERLESS_PORT, priority: 0, weight: 0 }] : [];
    if (name === srv) return type === 'TXT' || type === 'ANY' ? [{ type: 'TXT', data: SERVERLESS_TXT }] : [];
    if (name !== host) continue;
    if (type !== 'A' && type !== 'ANY') return [];
    const ips = addresses.addressesOf(endpoint.cloudProviderEndpointId!);
    if (ips.length > 0) return ips.map((address) => ({ type: 'A' as const, address }));
    if (addresses.carries?.(endpoint.cloudProviderEndpointId!)) return [];
    // Azure: Atlas publishes the address the customer registered.
    return endpoint.privateEndpointIpAddress ? [{ type: 'A', address: endpoint.privateEndpointIpAddress }] : [];
  }
  return undefined;
}

/**
 * App Services hostnames (`relative` is the name without `.<domain>`), or undefined when `relative`
 * is none of them: `<region>.aws.services` and `ws.<region>.aws.services` (that region's AVAILABLE
 * general / sync endpoints), and the global `services`, which answers like a region name for
 * client HTTP: the AVAILABLE general endpoints, of every region (a VPC's endpoints are in its
 * app's region), as private DNS on the VPC endpoint makes the global name resolve inside the VPC.
 */
async function appServicesRecords(repos: Repositories, addresses: EndpointAddressBook, relative: string, type: string): Promise<PrivateDnsRecord[] | undefined> {
  const match = relative === 'services' ? ([relative, undefined, undefined] as const) : /^(ws\.)?([a-z0-9-]+)\.aws\.services$/.exec(relative);
  if (!match) return undefined;
  const endpointType = match[1] ? 'sync' : 'general';
  const region = match[2] === undefined ? undefined : `aws-${match[2]}`;
  const ips: string[] = [];
  for (const service of await repos.appServicesEndpoints.listAllServices()) {
    if ((region !== undefined && service.providerRegion !== region) || service.endpointType !== endpointType) continue;
    for (const endpoint of await repos.appServicesEndpoints.listForService(service.projectId, service.providerRegion, endpointType)) {
      if (endpoint.status === 'AVAILABLE' && !endpoint.deleteRequested) ips.push(...addresses.addressesOf(endpoint.cloudProviderEndpointId));
    }
  }
  if (ips.length === 0) return undefined;
  return type === 'A' || type === 'ANY' ? [...new Set(ips)].map((address) => ({ type: 'A' as const, address })) : [];
}
