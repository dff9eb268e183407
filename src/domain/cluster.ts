import { parseClusterSettings, rejectUnknownAttributes, type ClusterSettings } from './cluster-settings.js';
import { ApiError, apiError } from './errors.js';
import { findRegion, isCloudProvider, type CloudProvider } from './regions.js';

/** Cluster kinds as Atlas names them. */
const CLUSTER_TYPES = ['REPLICASET', 'SHARDED', 'GEOSHARDED'] as const;
export type ClusterType = (typeof CLUSTER_TYPES)[number];

/** `stateName` values a cluster goes through (CREATING → IDLE ⇄ UPDATING, → DELETING → gone). */
export type ClusterState = 'CREATING' | 'IDLE' | 'UPDATING' | 'DELETING';

/** Shared tiers: they can exist but never get private endpoints (as in Atlas). */
const SHARED_TIERS = ['M0', 'M2', 'M5'] as const;
const DEDICATED_TIER = /^(M[1-9][0-9]{1,2}|R[1-9][0-9]{1,2})(_NVME)?$/;

/** The hardware of one kind of node in one region. */
export interface NodeSpec {
  readonly instanceSize: string;
  readonly nodeCount: number;
}

/** One region of one shard (or of the replica set). */
export interface RegionConfig {
  /** The cloud that hosts the nodes (for shared tiers, the backing provider). */
  readonly providerName: CloudProvider;
  /** True for shared tiers (`providerName: "TENANT"` on the wire). */
  readonly tenant: boolean;
  readonly regionName: string;
  readonly priority: number;
  readonly electableSpecs: NodeSpec;
  readonly readOnlySpecs: NodeSpec;
  readonly analyticsSpecs: NodeSpec;
}

/** One shard (or the only replica set) with its regions. */
export interface ReplicationSpec {
  readonly zoneName: string;
  readonly regionConfigs: readonly RegionConfig[];
}

/** What a user asked a cluster to be; the stored desired state of a cluster. */
export interface ClusterSpec {
  readonly name: string;
  readonly clusterType: ClusterType;
  readonly replicationSpecs: readonly ReplicationSpec[];
  readonly biConnectorEnabled: boolean;
  readonly mongoDBMajorVersion: string;
  /** privlink extension: real `host:port` targets per node instead of simulated nodes (self-hosted use). */
  readonly targets: readonly string[] | null;
  /** Labels, tags, flags (absent on specs stored before privlink kept them: read with settingsOf). */
  readonly settings?: ClusterSettings;
}

/** A cluster as privlink keeps it: desired spec plus published state. */
export interface ClusterRecord {
  readonly id: string;
  readonly projectId: string;
  readonly name: string;
  readonly spec: ClusterSpec;
  readonly stateName: ClusterState;
  readonly deleteRequested: boolean;
  readonly createdAt: Date;
  readonly updatedAt: Date;
}

/**
 * Bounds of a cluster body. Atlas: at most 70 shards, names of at most 64 characters. MongoDB: a
 * replica set (each shard) has at most 50 members, of which at most 7 vote (electable nodes).
 * privlink: at most 50 region configs per shard.
 */
const CLUSTER_LIMITS = { shards: 70, nameLength: 64, nodesPerShard: 50, electablePerShard: 7, regionsPerShard: 50, nodesPerRegion: 50 } as const;

/** Something a load balancer must reach on its own port (Atlas's "addressable target"). */
export interface AddressableTarget {
  readonly kind: 'mongod' | 'mongos' | 'biConnector';
  readonly provider: CloudProvider;
  readonly regionName: string;
  /** Stable name within the cluster, e.g. `shard-0-node-2`, `mongos-1`, `bi-connector`. */
  readonly name: string;
}

const CLUSTER_NAME = /^[a-zA-Z0-9][a-zA-Z0-9-]*$/;
const REPLICATION_SPEC_ATTRIBUTES = new Set(['numShards', 'regionConfigs', 'zoneName', 'id', 'zoneId']);
const REGION_CONFIG_ATTRIBUTES = new Set(['providerName', 'backingProviderName', 'regionName', 'priority', 'electableSpecs', 'readOnlySpecs', 'analyticsSpecs']);
const NODE_SPEC_ATTRIBUTES = new Set(['instanceSize', 'nodeCount']);
const BI_CONNECTOR_ATTRIBUTES = new Set(['enabled', 'readPreference']);

/**
 * Parses and validates a cluster create body (v2 shapes 2023-02-01 and 2024-08-05: `replicationSpecs`
 * → `regionConfigs`; `numShards` expands to that many shards). Throws ApiError for bad input: an
 * attribute privlink does not know is refused (400 INVALID_ATTRIBUTE naming it), never dropped;
 * bounds (CLUSTER_LIMITS) are 400 INVALID_ATTRIBUTE naming the attribute and the limit.
 */
export function parseClusterSpec(body: unknown): ClusterSpec {
  const input = asObject(body, 'body');
  const name = input.name;
  if (name === undefined || name === null) throw apiError('MISSING_ATTRIBUTE', 'name');
  if (typeof name !== 'string' || !CLUSTER_NAME.test(name)) throw apiError('INVALID_ATTRIBUTE', 'name');
  if (name.length > CLUSTER_LIMITS.nameLength) throw apiError('ATTRIBUTE_ABOVE_MAXIMUM', 'name', `${CLUSTER_LIMITS.nameLength} characters`, name.length);
  const settings = parseClusterSettings(input);
  const clusterType = input.clusterType ?? 'REPLICASET';
  if (typeof clusterType !== 'string' || !(CLUSTER_TYPES as readonly string[]).includes(clusterType)) {
    throw apiError('INVALID_ENUM_VALUE', clusterType, 'clusterType');
  }
  const rawSpecs = input.replicationSpecs;
  if (rawSpecs === undefined || rawSpecs === null) throw apiError('MISSING_ATTRIBUTE', 'replicationSpecs');
  if (!Array.isArray(rawSpecs) || rawSpecs.length === 0) throw apiError('INVALID_ATTRIBUTE', 'replicationSpecs');
  const shards = rawSpecs.reduce((sum: number, raw, index) => sum + shardCount(raw, index), 0);
  if (shards > CLUSTER_LIMITS.shards) throw apiError('ATTRIBUTE_ABOVE_MAXIMUM', 'replicationSpecs', `${CLUSTER_LIMITS.shards} shards`, shards);
  const replicationSpecs: ReplicationSpec[] = [];
  rawSpecs.forEach((raw, index) => {
    const spec = parseReplicationSpec(raw, index);
    for (let copy = 0; copy < shardCount(raw, index); copy++) replicationSpecs.push(spec);
  });
  if (clusterType === 'REPLICASET' && replicationSpecs.length !== 1) {
    throw new ApiError('INVALID_CLUSTER_CONFIGURATION', ['A REPLICASET cluster has exactly one replication spec.']);
  }
  const tenant = replicationSpecs.some((spec) => spec.regionConfigs.some((config) => config.tenant));
  if (tenant && (clusterType !== 'REPLICASET' || replicationSpecs[0]!.regionConfigs.length !== 1)) {
    throw new ApiError('INVALID_CLUSTER_CONFIGURATION', ['Shared-tier clusters (M0, M2, M5) are single-region replica sets.']);
  }
  const bi = input.biConnector === undefined || input.biConnector === null ? {} : asObject(input.biConnector, 'biConnector');
  rejectUnknownAttributes(bi, BI_CONNECTOR_ATTRIBUTES, 'biConnector');
  if (bi.enabled !== undefined && bi.enabled !== null && typeof bi.enabled !== 'boolean') throw apiError('INVALID_ATTRIBUTE', 'biConnector.enabled');
  const version = input.mongoDBMajorVersion ?? '8.0';
  if (typeof version !== 'string' || !/^[0-9]+\.[0-9]+$/.test(version)) throw apiError('INVALID_ATTRIBUTE', 'mongoDBMajorVersion');
  const targets = parseTargets(input.privlinkTargets);
  const spec: ClusterSpec = {
    name,
    clusterType: clusterType as ClusterType,
    replicationSpecs,
    biConnectorEnabled: bi.enabled === true && !tenant,
    mongoDBMajorVersion: version,
    targets,
    settings,
  };
  if (targets !== null && targets.length !== addressableTargets(spec).length) {
    throw new ApiError('INVALID_CLUSTER_CONFIGURATION', [
      `privlinkTargets names ${targets.length} host:port targets but the cluster has ${addressableTargets(spec).length} addressable targets.`,
    ]);
  }
  return spec;
}

/** The shards one raw replication spec stands for (`numShards`, 1 when absent). */
function shardCount(raw: unknown, index: number): number {
  const numShards = asObject(raw, `replicationSpecs[${index}]`).numShards;
  if (numShards === undefined || numShards === null) return 1;
  if (typeof numShards !== 'number' || !Number.isInteger(numShards) || numShards < 1) throw apiError('INVALID_ATTRIBUTE', `replicationSpecs[${index}].numShards`);
  return numShards;
}

function parseTargets(value: unknown): readonly string[] | null {
  if (value === undefined || value === null) return null;
  if (!Array.isArray(value) || value.some((item) => typeof item !== 'string' || !/^[^\s:]+:[0-9]{1,5}$/.test(item))) {
    throw apiError('INVALID_ATTRIBUTE', 'privlinkTargets');
  }
  return value as string[];
}

function parseReplicationSpec(raw: unknown, index: number): ReplicationSpec {
  const path = `replicationSpecs[${index}]`;
  const input = asObject(raw, path);
  rejectUnknownAttributes(input, REPLICATION_SPEC_ATTRIBUTES, path);
  const configs = input.regionConfigs;
  if (!Array.isArray(configs) || configs.length === 0) throw apiError('MISSING_ATTRIBUTE', `${path}.regionConfigs`);
  if (configs.length > CLUSTER_LIMITS.regionsPerShard)
    throw apiError('ATTRIBUTE_ABOVE_MAXIMUM', `${path}.regionConfigs`, `${CLUSTER_LIMITS.regionsPerShard} regions`, configs.length);
  const regionConfigs = configs.map((config, i) => parseRegionConfig(config, `${path}.regionConfigs[${i}]`));
  const electable = regionConfigs.reduce((sum, config) => sum + (config.tenant ? 0 : config.electableSpecs.nodeCount), 0);
  if (electable > CLUSTER_LIMITS.electablePerShard) {
    throw apiError('ATTRIBUTE_ABOVE_MAXIMUM', `${path}.regionConfigs[].electableSpecs.nodeCount`, `${CLUSTER_LIMITS.electablePerShard} electable nodes per shard`, electable);
  }
  const nodes = regionConfigs.reduce((sum, config) => sum + (config.tenant ? 0 : nodesIn(config)), 0);
  if (nodes > CLUSTER_LIMITS.nodesPerShard)
    throw apiError('ATTRIBUTE_ABOVE_MAXIMUM', `${path}.regionConfigs[].nodeCount`, `${CLUSTER_LIMITS.nodesPerShard} nodes per shard`, nodes);
  const seen = new Set<string>();
  for (const config of regionConfigs) {
    const key = `${config.providerName}:${config.regionName}`;
    if (seen.has(key)) throw apiError('INVALID_ATTRIBUTE', `${path}.regionConfigs`);
    seen.add(key);
  }
  const zoneName = typeof input.zoneName === 'string' && input.zoneName.length > 0 ? input.zoneName : `Zone ${index + 1}`;
  return { zoneName, regionConfigs };
}

function parseRegionConfig(raw: unknown, path: string): RegionConfig {
  const input = asObject(raw, path);
  rejectUnknownAttributes(input, REGION_CONFIG_ATTRIBUTES, path);
  const providerName = input.providerName;
  if (providerName === undefined) throw apiError('MISSING_ATTRIBUTE', `${path}.providerName`);
  const tenant = providerName === 'TENANT';
  const provider = tenant ? input.backingProviderName : providerName;
  if (!isCloudProvider(provider)) {
    throw apiError('INVALID_ENUM_VALUE', provider, tenant ? `${path}.backingProviderName` : `${path}.providerName`);
  }
  if (typeof input.regionName !== 'string') throw apiError('MISSING_ATTRIBUTE', `${path}.regionName`);
  const region = findRegion(provider, input.regionName);
  if (!region) throw apiError('INVALID_REGION', input.regionName, provider);
  const electableSpecs = parseNodeSpec(input.electableSpecs, `${path}.electableSpecs`, tenant ? 3 : 3);
  if (tenant !== (SHARED_TIERS as readonly string[]).includes(electableSpecs.instanceSize)) {
    throw new ApiError('INVALID_CLUSTER_CONFIGURATION', [
      tenant
        ? `${path}: providerName TENANT needs a shared tier (M0, M2, M5), not ${electableSpecs.instanceSize}.`
        : `${path}: instance size ${electableSpecs.instanceSize} is a shared tier; use providerName TENANT with backingProviderName.`,
    ]);
  }
  if (!tenant && !DEDICATED_TIER.test(electableSpecs.instanceSize)) throw apiError('INVALID_ATTRIBUTE', `${path}.electableSpecs.instanceSize`);
  const priority = input.priority ?? 7;
  if (typeof priority !== 'number' || !Number.isInteger(priority) || priority < 0 || priority > 7) {
    throw apiError('INVALID_ATTRIBUTE', `${path}.priority`);
  }
  return {
    providerName: provider,
    tenant,
    regionName: region.atlasName,
    priority,
    electableSpecs: tenant ? { instanceSize: electableSpecs.instanceSize, nodeCount: 3 } : electableSpecs,
    readOnlySpecs: parseNodeSpec(input.readOnlySpecs, `${path}.readOnlySpecs`, 0, electableSpecs.instanceSize),
    analyticsSpecs: parseNodeSpec(input.analyticsSpecs, `${path}.analyticsSpecs`, 0, electableSpecs.instanceSize),
  };
}

function parseNodeSpec(raw: unknown, path: string, defaultCount: number, defaultSize?: string): NodeSpec {
  if (raw === undefined || raw === null) {
    if (defaultSize === undefined) throw apiError('MISSING_ATTRIBUTE', `${path}.instanceSize`);
    return { instanceSize: defaultSize, nodeCount: defaultCount };
  }
  const input = asObject(raw, path);
  rejectUnknownAttributes(input, NODE_SPEC_ATTRIBUTES, path);
  const instanceSize = input.instanceSize ?? defaultSize;
  if (typeof instanceSize !== 'string') throw apiError('MISSING_ATTRIBUTE', `${path}.instanceSize`);
  const nodeCount = input.nodeCount ?? defaultCount;
  if (typeof nodeCount !== 'number' || !Number.isInteger(nodeCount) || nodeCount < 0) throw apiError('INVALID_ATTRIBUTE', `${path}.nodeCount`);
  if (nodeCount > CLUSTER_LIMITS.nodesPerRegion) throw apiError('ATTRIBUTE_ABOVE_MAXIMUM', `${path}.nodeCount`, CLUSTER_LIMITS.nodesPerRegion, nodeCount);
  return { instanceSize, nodeCount };
}

function asObject(value: unknown, path: string): Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw apiError('INVALID_ATTRIBUTE', path);
  return value as Record<string, unknown>;
}

/** True for M0/M2/M5 clusters, which never get private endpoints. */
export function isSharedTier(spec: ClusterSpec): boolean {
  return spec.replicationSpecs.some((replication) => replication.regionConfigs.some((config) => config.tenant));
}

/**
 * The targets the local cloud runs a simulated node for: every addressable target but the BI
 * Connector; none for a cluster whose nodes are real (`privlinkTargets`) or a shared tier.
 */
export function simulatedNodeTargets(spec: ClusterSpec): readonly AddressableTarget[] {
  return spec.targets || isSharedTier(spec) ? [] : addressableTargets(spec).filter((t) => t.kind !== 'biConnector');
}

/** Every distinct (provider, region) the cluster has nodes in, in first-seen order. */
export function clusterRegions(spec: ClusterSpec): ReadonlyArray<{ provider: CloudProvider; regionName: string }> {
  const out: Array<{ provider: CloudProvider; regionName: string }> = [];
  for (const replication of spec.replicationSpecs) {
    for (const config of replication.regionConfigs) {
      if (!out.some((r) => r.provider === config.providerName && r.regionName === config.regionName)) {
        out.push({ provider: config.providerName, regionName: config.regionName });
      }
    }
  }
  return out;
}

function nodesIn(config: RegionConfig): number {
  return config.electableSpecs.nodeCount + config.readOnlySpecs.nodeCount + config.analyticsSpecs.nodeCount;
}

/**
 * The addressable targets of a cluster (as Atlas counts them): each node of a replica set; each mongos of a
 * sharded cluster (privlink runs one mongos per node of the first shard in each region); one BI
 * Connector in the highest-priority region when enabled. Shared tiers have none.
 */
export function addressableTargets(spec: ClusterSpec): readonly AddressableTarget[] {
  if (isSharedTier(spec)) return [];
  const targets: AddressableTarget[] = [];
  if (spec.clusterType === 'REPLICASET') {
    let index = 0;
    for (const config of spec.replicationSpecs[0]!.regionConfigs) {
      for (let n = 0; n < nodesIn(config); n++) {
        targets.push({ kind: 'mongod', provider: config.providerName, regionName: config.regionName, name: `node-${index++}` });
      }
    }
  } else {
    let index = 0;
    const mongosPerRegion = new Map<string, { provider: CloudProvider; regionName: string; count: number }>();
    for (const replication of spec.replicationSpecs) {
      for (const config of replication.regionConfigs) {
        const key = `${config.providerName}:${config.regionName}`;
        const count = Math.max(mongosPerRegion.get(key)?.count ?? 0, config.electableSpecs.nodeCount + config.readOnlySpecs.nodeCount);
        mongosPerRegion.set(key, { provider: config.providerName, regionName: config.regionName, count });
      }
    }
    for (const { provider, regionName, count } of mongosPerRegion.values()) {
      for (let n = 0; n < count; n++) targets.push({ kind: 'mongos', provider, regionName, name: `mongos-${index++}` });
    }
  }
  if (spec.biConnectorEnabled) {
    const primary = [...spec.replicationSpecs[0]!.regionConfigs].sort((a, b) => b.priority - a.priority)[0]!;
    targets.push({ kind: 'biConnector', provider: primary.providerName, regionName: primary.regionName, name: 'bi-connector' });
  }
  return targets;
}

/** Number of addressable targets the cluster places in one provider region. */
export function targetsInRegion(spec: ClusterSpec, provider: CloudProvider, regionName: string): number {
  return addressableTargets(spec).filter((t) => t.provider === provider && t.regionName === regionName).length;
}
