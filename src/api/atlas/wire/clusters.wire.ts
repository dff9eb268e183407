import type { CloudProviderWire, LinkWire } from './common.wire.js';

/** One node of `connectionStrings.privateEndpoint[].endpoints` (`ClusterDescriptionConnectionStringsPrivateEndpointEndpoint`). */
export interface PrivateEndpointConnectionEndpointWire {
  readonly endpointId: string;
  /** `AWS`, `AZURE` or `GCP`. */
  readonly providerName: string;
  readonly region: string;
}

/** One private-endpoint-aware connection string (`ClusterDescriptionConnectionStringsPrivateEndpoint`). */
export interface PrivateEndpointConnectionStringWire {
  readonly connectionString: string;
  readonly endpoints: readonly PrivateEndpointConnectionEndpointWire[];
  readonly srvConnectionString: string;
  readonly srvShardOptimizedConnectionString?: string;
  readonly type: 'MONGOD' | 'MONGOS';
}

/**
 * A cluster's `connectionStrings` (`ClusterConnectionStrings`): the private endpoint strings
 * (`awsPrivateLink[Srv]` keyed by interface endpoint id, and `privateEndpoint[]`) and the public
 * path's `standard` / `standardSrv` (absent for shared tiers and until the cluster is placed).
 */
export interface ConnectionStringsWire {
  readonly awsPrivateLink: Readonly<Record<string, string>>;
  readonly awsPrivateLinkSrv: Readonly<Record<string, string>>;
  readonly privateEndpoint: readonly PrivateEndpointConnectionStringWire[];
  readonly standard?: string;
  readonly standardSrv?: string;
}

/** The hardware of one kind of node in one region (`…HardwareSpec20240805` subset). */
export interface NodeSpecWire {
  readonly instanceSize: string;
  readonly nodeCount: number;
}

/** One region of one shard (`CloudRegionConfig20240805`); shared tiers are `providerName: "TENANT"`. */
export interface RegionConfigWire {
  readonly analyticsSpecs: NodeSpecWire;
  /** Shared tiers only: the cloud behind the tenant. */
  readonly backingProviderName?: CloudProviderWire;
  readonly electableSpecs: NodeSpecWire;
  readonly priority: number;
  readonly providerName: CloudProviderWire | 'TENANT';
  readonly readOnlySpecs: NodeSpecWire;
  readonly regionName: string;
}

/** One shard, or the only replica set (`ReplicationSpec20240805`). */
export interface ReplicationSpecWire {
  readonly id: string;
  readonly regionConfigs: readonly RegionConfigWire[];
  readonly zoneId: string;
  readonly zoneName: string;
}

/** `{key, value}` of `labels` (`ComponentLabel`) and `tags` (`ResourceTag`). */
export interface KeyValueWire {
  readonly key: string;
  readonly value: string;
}

/**
 * A cluster (`ClusterDescription20240805`, also served for the earlier versions), with the
 * attributes privlink keeps. `privlinkTargets` is privlink's own: the real `host:port` targets of
 * a self-hosted cluster.
 */
export interface ClusterWire {
  readonly backupEnabled: boolean;
  readonly biConnector: { readonly enabled: boolean; readonly readPreference: string };
  readonly clusterType: 'REPLICASET' | 'SHARDED' | 'GEOSHARDED';
  readonly connectionStrings: ConnectionStringsWire;
  readonly createDate: string;
  readonly diskWarmingMode: string;
  readonly encryptionAtRestProvider: string;
  readonly globalClusterSelfManagedSharding: boolean;
  readonly groupId: string;
  readonly id: string;
  readonly labels: readonly KeyValueWire[];
  readonly links: readonly LinkWire[];
  readonly mongoDBMajorVersion: string;
  readonly mongoDBVersion: string;
  readonly name: string;
  readonly paused: boolean;
  readonly pitEnabled: boolean;
  readonly privlinkTargets?: readonly string[];
  readonly redactClientLogData: boolean;
  readonly replicaSetScalingStrategy: string;
  readonly replicationSpecs: readonly ReplicationSpecWire[];
  readonly rootCertType: string;
  /** Atlas: `IDLE`, `CREATING`, `UPDATING`, `DELETING`, `REPAIRING` (privlink never repairs). */
  readonly stateName: 'IDLE' | 'CREATING' | 'UPDATING' | 'DELETING' | 'REPAIRING';
  readonly tags: readonly KeyValueWire[];
  readonly terminationProtectionEnabled: boolean;
  readonly versionReleaseSystem: string;
}
