/**
 * The `connectionStrings` object of a cluster (CONTRACT.md §8). `privateEndpoint[]` lists the
 * private-endpoint-aware strings; it is filled only when every region of the cluster has an
 * AVAILABLE endpoint (seed 01). Built in app/ from stored state; serialised as is.
 */
export interface ClusterConnectionStrings {
  readonly awsPrivateLink: Readonly<Record<string, string>>;
  readonly awsPrivateLinkSrv: Readonly<Record<string, string>>;
  readonly privateEndpoint: readonly PrivateEndpointConnectionString[];
}

export interface PrivateEndpointConnectionString {
  readonly connectionString: string;
  readonly endpoints: ReadonlyArray<{ readonly endpointId: string; readonly providerName: string; readonly region: string }>;
  readonly srvConnectionString: string;
  readonly srvShardOptimizedConnectionString: string | null;
  readonly type: 'MONGOD' | 'MONGOS';
}

/** No private endpoint strings (yet). */
export const NO_CONNECTION_STRINGS: ClusterConnectionStrings = { awsPrivateLink: {}, awsPrivateLinkSrv: {}, privateEndpoint: [] };
