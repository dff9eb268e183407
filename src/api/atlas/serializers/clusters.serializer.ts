import { createHash } from 'node:crypto';
import { settingsOf } from '../../../domain/cluster-settings.js';
import type { ClusterConnectionStrings } from '../../../app/connection-strings.js';
import type { ClusterRecord } from '../../../domain/cluster.js';
import type { ClusterWire, NodeSpecWire } from '../wire/clusters.wire.js';
import { iso } from './identity.serializer.js';

/**
 * A cluster in the v2 `ClusterDescription20240805` shape (also served for earlier versions):
 * replicationSpecs → regionConfigs with electable/readOnly/analytics specs, `stateName`, and
 * `connectionStrings` (the public path's and the private endpoints' strings).
 */
export function clusterJson(cluster: ClusterRecord, connectionStrings: ClusterConnectionStrings, base: string): ClusterWire {
  const spec = cluster.spec;
  const settings = settingsOf(spec);
  return {
    backupEnabled: settings.backupEnabled,
    biConnector: { enabled: spec.biConnectorEnabled, readPreference: settings.biConnectorReadPreference },
    clusterType: spec.clusterType,
    connectionStrings,
    createDate: iso(cluster.createdAt),
    diskWarmingMode: settings.diskWarmingMode,
    encryptionAtRestProvider: settings.encryptionAtRestProvider,
    globalClusterSelfManagedSharding: settings.globalClusterSelfManagedSharding,
    groupId: cluster.projectId,
    id: cluster.id,
    labels: settings.labels,
    links: [{ href: `${base}/groups/${cluster.projectId}/clusters/${cluster.name}`, rel: 'self' }],
    mongoDBMajorVersion: spec.mongoDBMajorVersion,
    mongoDBVersion: `${spec.mongoDBMajorVersion}.0`,
    name: cluster.name,
    paused: settings.paused,
    pitEnabled: settings.pitEnabled,
    ...(spec.targets ? { privlinkTargets: spec.targets } : {}),
    redactClientLogData: settings.redactClientLogData,
    replicaSetScalingStrategy: settings.replicaSetScalingStrategy,
    replicationSpecs: spec.replicationSpecs.map((replication, index) => ({
      id: derivedId(cluster.id, `spec-${index}`),
      regionConfigs: replication.regionConfigs.map((config) => ({
        analyticsSpecs: nodeSpecJson(config.analyticsSpecs),
        ...(config.tenant ? { backingProviderName: config.providerName } : {}),
        electableSpecs: nodeSpecJson(config.electableSpecs),
        priority: config.priority,
        providerName: config.tenant ? 'TENANT' : config.providerName,
        readOnlySpecs: nodeSpecJson(config.readOnlySpecs),
        regionName: config.regionName,
      })),
      zoneId: derivedId(cluster.id, `zone-${replication.zoneName}`),
      zoneName: replication.zoneName,
    })),
    rootCertType: settings.rootCertType,
    stateName: cluster.stateName,
    tags: settings.tags,
    terminationProtectionEnabled: settings.terminationProtectionEnabled,
    versionReleaseSystem: settings.versionReleaseSystem,
  };
}

/** Keys in Atlas's (alphabetical) order; jsonb storage does not keep the order of the stored spec. */
function nodeSpecJson(spec: { instanceSize: string; nodeCount: number }): NodeSpecWire {
  return { instanceSize: spec.instanceSize, nodeCount: spec.nodeCount };
}

/** A stable 24-hex id derived from a cluster id and a label. */
function derivedId(clusterId: string, label: string): string {
  return createHash('sha1').update(`${clusterId}:${label}`).digest('hex').slice(0, 24);
}
