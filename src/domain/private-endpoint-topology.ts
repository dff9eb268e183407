import { createHash } from 'node:crypto';
import { addressableTargets, clusterRegions, isSharedTier, type ClusterSpec } from './cluster.js';
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
 */
export interface TopologyInput {
  readonly clusterId: string;
  readonly spec: ClusterSpec;
  readonly hostSuffix: string;
  readonly domain: string;
  readonly regionalized: boolean;
  /** AVAILABLE (not deleting) endpoints of the project. */
  readonly endpoints: ReadonlyArray<{ readonly endpointId: string; readonly provider: CloudProvider; readonly regionName: string; readonly plIndex: number }>;
  /** Allocated load-balancer ports of the cluster's targets (by target name). */
  readonly ports: ReadonlyMap<string, number>;
}

export interface HostPort {
  readonly host: string;
  readonly port: number;
}

/** One connection-string entry (an element of `connectionStrings.privateEndpoint[]`) with its DNS. */
export interface TopologyEntry {
  readonly type: 'MONGOD' | 'MONGOS';
  readonly endpoints: ReadonlyArray<{ readonly endpointId: string; readonly providerName: CloudProvider; readonly region: string }>;
  /** SRV name without the `_mongodb._tcp.` prefix. */
  readonly srvName: string;
  readonly hosts: readonly HostPort[];
  /** The single TXT record of `srvName`. */
  readonly txt: string;
  readonly loadBalanced: { readonly srvName: string; readonly host: HostPort; readonly txt: string } | null;
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
export function endpointHostname(plIndex: number, provider: CloudProvider, regionName: string, hostSuffix: string, domain: string): string {
  const region = findRegion(provider, regionName)?.providerName ?? regionName.toLowerCase();
  return `pl-${plIndex}-${region}.${hostSuffix}.${domain}`;
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
          srvName: `${cluster}-pl-${endpoint.plIndex}-${awsRegion}.${zone}`,
          lbName: `${cluster}-pl-${endpoint.plIndex}-${awsRegion}-lb.${zone}`,
          members: [{ endpoint, regionName: region.regionName, provider: region.provider }],
        });
      }
    }
  } else if (regions.length === 1) {
    const region = regions[0]!;
    for (const endpoint of available(region.provider, region.regionName)) {
      groups.push({
        srvName: `${cluster}-pl-${endpoint.plIndex}.${zone}`,
        lbName: `${cluster}-pl-${endpoint.plIndex}-lb.${zone}`,
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
    const hosts: HostPort[] = [];
    for (const member of group.members) {
      const host = endpointHostname(member.endpoint.plIndex, member.provider, member.regionName, input.hostSuffix, input.domain);
      for (const target of targets) {
        if (target.provider === member.provider && target.regionName === member.regionName) hosts.push({ host, port: input.ports.get(target.name)! });
      }
    }
    const lbMember = group.members[0]!;
    const lbPort = input.ports.get(`mongos-lb-${lbMember.regionName}`);
    const loadBalanced =
      type === 'MONGOS' && lbMember.provider === 'AWS' && lbPort !== undefined
        ? {
            srvName: group.lbName,
            host: { host: endpointHostname(lbMember.endpoint.plIndex, lbMember.provider, lbMember.regionName, input.hostSuffix, input.domain), port: lbPort },
            txt: 'authSource=admin&loadBalanced=true',
          }
        : null;
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
