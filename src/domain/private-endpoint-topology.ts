import { createHash } from 'node:crypto';
import { addressableTargets, clusterRegions, isSharedTier, type ClusterSpec } from './cluster.js';
import { legacyPlacement } from './gcp-legacy-layout.js';
import type { EndpointDetail } from './interface-endpoint.js';
import { findRegion, type CloudProvider } from './regions.js';

/**
 * How a cluster is reached through private endpoints (pure): the private-endpoint-aware
 * hostnames, SRV/TXT records and connection strings, as Atlas publishes them.
 *
 * - Every endpoint has an index n (`pl-<n>`); its hostname in a region is
 *   `pl-<n>-<aws-region>.<hostSuffix>.<domain>`, one shared name for all targets, which are told
 *   apart by their load-balancer ports.
 * - Strings exist only when every region of the cluster has an AVAILABLE endpoint.
 * - Single-region cluster: one entry per endpoint, SRV `<cluster>-pl-<n>.<hostSuffix>.<domain>`.
 * - Multi-region cluster (one endpoint per region by rule): one entry `-pl-0` whose hosts use each
 *   target's own region's endpoint hostname.
 * - Regionalized mode (sharded clusters): one entry per region and endpoint,
 *   SRV `<cluster>-pl-<n>-<aws-region>…`, listing that region's mongos only.
 * - Sharded clusters on AWS also get the load-balanced string `<cluster>-pl-<n>-lb…`, whose SRV has
 *   one target (the region's mongos pool port) and whose TXT says `loadBalanced=true`.
 * - GCP with port mapping: as above with `psc` for `pl` (`psc-<n>-<region>…`, `<cluster>-psc-<n>…`),
 *   the one forwarding rule's address. GCP legacy: one hostname per service attachment,
 *   `pl-<n>-<i>-<region>.<hostSuffix>.<domain>` (the group's forwarding rule i), each target on the
 *   attachment and port domain/gcp-legacy-layout.ts places it on.
 */
export interface TopologyInput {
  readonly clusterId: string;
  readonly spec: ClusterSpec;
  readonly hostSuffix: string;
  readonly domain: string;
  readonly regionalized: boolean;
  /** AVAILABLE (not deleting) endpoints of the project (with their registration's detail: GCP's rules decide GCP's hosts). */
  readonly endpoints: ReadonlyArray<{
    readonly endpointId: string;
    readonly provider: CloudProvider;
    readonly regionName: string;
    readonly plIndex: number;
    readonly detail?: EndpointDetail;
  }>;
  /** Allocated load-balancer ports of the cluster's targets (by target name). */
  readonly ports: ReadonlyMap<string, number>;
}

export interface HostPort {
  readonly host: string;
  readonly port: number;
}

/** A host of an entry, with the target it reaches and the endpoint connection that carries it. */
export interface TargetHost extends HostPort {
  readonly targetName: string;
  /** The interface endpoint (AWS `vpce-…`, Azure resource id, GCP endpoint group name). */
  readonly endpointId: string;
  /** What carries the traffic at the provider: the endpoint itself, or one GCP forwarding rule (`projects/<p>/regions/<r>/forwardingRules/<name>`). */
  readonly connectionId: string;
  /** The address the customer registered for that connection (Azure, GCP), if any. */
  readonly registeredIp: string | null;
}

/** One connection-string entry (an element of `connectionStrings.privateEndpoint[]`) with its DNS. */
export interface TopologyEntry {
  readonly type: 'MONGOD' | 'MONGOS';
  readonly endpoints: ReadonlyArray<{ readonly endpointId: string; readonly providerName: CloudProvider; readonly region: string }>;
  /** SRV name without the `_mongodb._tcp.` prefix. */
  readonly srvName: string;
  readonly hosts: readonly TargetHost[];
  /** The single TXT record of `srvName`. */
  readonly txt: string;
  readonly loadBalanced: { readonly srvName: string; readonly host: TargetHost; readonly txt: string } | null;
  readonly connectionString: string;
  readonly srvConnectionString: string;
  readonly srvShardOptimizedConnectionString: string | null;
}

/** Atlas-style replica set name of a cluster's (first) shard: `atlas-<6>-shard-0`. */
export function replicaSetName(clusterId: string, shard = 0): string {
  const tag = BigInt('0x' + createHash('sha1').update(clusterId).digest('hex').slice(0, 12))
    .toString(36)
    .slice(0, 6);
  return `atlas-${tag}-shard-${shard}`;
}

/** `pl-<n>-<aws-region>.<hostSuffix>.<domain>` */
export function endpointHostname(plIndex: number, provider: CloudProvider, regionName: string, hostSuffix: string, domain: string, label = 'pl'): string {
  const region = findRegion(provider, regionName)?.providerName ?? regionName.toLowerCase();
  return `${label}-${plIndex}-${region}.${hostSuffix}.${domain}`;
}

type TopologyEndpoint = TopologyInput['endpoints'][number];

/** `psc` for a GCP endpoint with port mapping (Atlas's names for it), else `pl`. */
function labelOf(endpoint: TopologyEndpoint): string {
  return endpoint.detail?.cloud === 'GCP' && endpoint.detail.portMappingEnabled ? 'psc' : 'pl';
}

/**
 * The host of one target through one endpoint: its hostname and port, and the provider connection
 * carrying it. Undefined when a GCP legacy group has no rule for the target's attachment.
 */
function targetHost(endpoint: TopologyEndpoint, regionName: string, targetName: string, lbPort: number, input: TopologyInput): TargetHost | undefined {
  const detail = endpoint.detail;
  const common = { targetName, endpointId: endpoint.endpointId };
  if (detail?.cloud === 'GCP') {
    const region = findRegion(endpoint.provider, regionName)?.providerName ?? regionName.toLowerCase();
    const ruleOf = (i: number) => detail.endpoints[i];
    const connection = (rule: { endpointName: string; ipAddress: string }) => ({
      connectionId: `projects/${detail.gcpProjectId}/regions/${region}/forwardingRules/${rule.endpointName}`,
      registeredIp: rule.ipAddress,
    });
    if (detail.portMappingEnabled) {
      const rule = ruleOf(0);
      if (!rule) return undefined;
      return { host: endpointHostname(endpoint.plIndex, endpoint.provider, regionName, input.hostSuffix, input.domain, 'psc'), port: lbPort, ...common, ...connection(rule) };
    }
    const place = legacyPlacement(lbPort);
    const rule = ruleOf(place.attachment);
    if (!rule) return undefined;
    return { host: `pl-${endpoint.plIndex}-${place.attachment}-${region}.${input.hostSuffix}.${input.domain}`, port: place.port, ...common, ...connection(rule) };
  }
  return {
    host: endpointHostname(endpoint.plIndex, endpoint.provider, regionName, input.hostSuffix, input.domain),
    port: lbPort,
    ...common,
    connectionId: endpoint.endpointId,
    registeredIp: detail?.cloud === 'AZURE' ? detail.privateEndpointIPAddress : null,
  };
}

export function privateEndpointTopology(input: TopologyInput): TopologyEntry[] {
  const { spec } = input;
  if (isSharedTier(spec)) return [];
  const regions = clusterRegions(spec);
  const available = (provider: CloudProvider, regionName: string) =>
    input.endpoints.filter((e) => e.provider === provider && e.regionName === regionName).sort((a, b) => a.plIndex - b.plIndex);
  if (regions.some((r) => available(r.provider, r.regionName).length === 0)) return [];
  const targets = addressableTargets(spec).filter((t) => t.kind !== 'biConnector' && input.ports.has(t.name));
  if (targets.length === 0) return [];
  const type = spec.clusterType === 'REPLICASET' ? 'MONGOD' : 'MONGOS';
  const cluster = spec.name.toLowerCase();
  const zone = `${input.hostSuffix}.${input.domain}`;
  const rs = type === 'MONGOD' ? replicaSetName(input.clusterId) : null;
  const txt = rs ? `authSource=admin&replicaSet=${rs}` : 'authSource=admin';
  const groups: Array<{ srvName: string; lbName: string; members: Array<{ endpoint: TopologyInput['endpoints'][number]; regionName: string; provider: CloudProvider }> }> = [];

  if (input.regionalized && type === 'MONGOS') {
    for (const region of regions) {
      const awsRegion = findRegion(region.provider, region.regionName)?.providerName ?? region.regionName.toLowerCase();
      for (const endpoint of available(region.provider, region.regionName)) {
        groups.push({
          srvName: `${cluster}-${labelOf(endpoint)}-${endpoint.plIndex}-${awsRegion}.${zone}`,
          lbName: `${cluster}-${labelOf(endpoint)}-${endpoint.plIndex}-${awsRegion}-lb.${zone}`,
          members: [{ endpoint, regionName: region.regionName, provider: region.provider }],
        });
      }
    }
  } else if (regions.length === 1) {
    const region = regions[0]!;
    for (const endpoint of available(region.provider, region.regionName)) {
      groups.push({
        srvName: `${cluster}-${labelOf(endpoint)}-${endpoint.plIndex}.${zone}`,
        lbName: `${cluster}-${labelOf(endpoint)}-${endpoint.plIndex}-lb.${zone}`,
        members: [{ endpoint, regionName: region.regionName, provider: region.provider }],
      });
    }
  } else {
    groups.push({
      srvName: `${cluster}-pl-0.${zone}`,
      lbName: `${cluster}-pl-0-lb.${zone}`,
      members: regions.map((r) => ({ endpoint: available(r.provider, r.regionName)[0]!, regionName: r.regionName, provider: r.provider })),
    });
  }

  return groups.map((group) => {
    const hosts: TargetHost[] = [];
    for (const member of group.members) {
      for (const target of targets) {
        if (target.provider !== member.provider || target.regionName !== member.regionName) continue;
        const host = targetHost(member.endpoint, member.regionName, target.name, input.ports.get(target.name)!, input);
        if (host) hosts.push(host);
      }
    }
    const lbMember = group.members[0]!;
    const lbTarget = `mongos-lb-${lbMember.regionName}`;
    const lbPort = input.ports.get(lbTarget);
    const lbHost =
      type === 'MONGOS' && lbMember.provider === 'AWS' && lbPort !== undefined ? targetHost(lbMember.endpoint, lbMember.regionName, lbTarget, lbPort, input) : undefined;
    const loadBalanced = lbHost ? { srvName: group.lbName, host: lbHost, txt: 'authSource=admin&loadBalanced=true' } : null;
    const standardHosts = hosts.map((h) => `${h.host}:${h.port}`).join(',');
    return {
      type,
      endpoints: group.members.map((m) => ({ endpointId: m.endpoint.endpointId, providerName: m.provider, region: m.regionName })),
      srvName: group.srvName,
      hosts,
      txt,
      loadBalanced,
      connectionString: `mongodb://${standardHosts}/?ssl=true&${txt}`,
      srvConnectionString: `mongodb+srv://${group.srvName}`,
      srvShardOptimizedConnectionString: loadBalanced ? `mongodb+srv://${loadBalanced.srvName}` : null,
    };
  });
}
